"""`alongside db revision -m ...` generates the next migration from the models, and the
models never hold what no migration makes."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from bot.revision import model_changes, new_revision, next_revision_id
from storage.db import MIGRATIONS


def test_the_models_and_the_migrations_agree() -> None:
    assert model_changes() == [], "a model changed without a migration: alongside db revision"


def test_a_new_revision_is_numbered_next_and_revises_the_last(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"  # a copy: the project's own stay as they are
    shutil.copytree(MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    number = next_revision_id(migrations / "versions")

    path, changed = new_revision("Keep a note per group", migrations)

    assert path == migrations / "versions" / f"{number}_keep_a_note_per_group.py"
    assert not changed  # the models and migrations agree: nothing to generate
    written = runpy.run_path(str(path))
    assert written["revision"] == number
    assert written["down_revision"] == f"{int(number) - 1:04d}"
    assert "Keep a note per group" in path.read_text()
