"""Files the console hands people (like a month's CSV) and charts (PNG pictures): saved in
a folder, path shown (and, for a chart, what it shows in words).

The folder sits next to the SQLite database (`alongside.db` -> `alongside-files/`); with
no database file (in memory, or PostgreSQL) it is a new temporary folder.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from handlers.core.messages import File, Image

_UNSAFE = re.compile(r"[^\w.-]+")


def folder_for(database_url: str) -> Path | None:
    """Where files go for this database: next to its file; None with no file (use a temp one)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(str(url.database))
    return path.with_name(f"{path.stem}-files")


class FileFolder:
    """Saves files people are sent, each under a name of its own."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        """The folder, made when first needed."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="alongside-files-"))
        self._folder.mkdir(parents=True, exist_ok=True)
        return self._folder

    def save(self, file: File | Image, person: str) -> Path:
        """Write the file for `person` (never over an earlier one); where it now is."""
        name = _UNSAFE.sub("-", Path(file.name).name).strip("-.") or "file.txt"
        stem, dot, suffix = name.rpartition(".")
        stem, suffix = (stem, f".{suffix}") if dot and stem else (name, "")
        base = f"{_UNSAFE.sub('-', person)}-{stem}"
        path = self.folder / f"{base}{suffix}"
        number = 1
        while path.exists():
            number += 1
            path = self.folder / f"{base}-{number}{suffix}"
        if isinstance(file, Image):
            path.write_bytes(file.content)
        else:
            path.write_text(file.content, encoding="utf-8", newline="")
        return path.resolve()


def saved_note(path: Path) -> str:
    """What the console shows in the file's place."""
    return f"I've saved a file for you here: {path}"


def picture_note(path: Path, image: Image) -> str:
    """What the console shows in a chart's place: where it is, and what it shows."""
    return f"I've saved a chart for you here: {path}\nWhat it shows: {image.alt}"
