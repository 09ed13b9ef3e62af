"""The server secret behind keyed hashes, kept outside the database."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from handlers.core.keyed import Keys

ENV = "ALONGSIDE_SECRET_KEY"


def key_path(database_url: str) -> Path:
    """Where the key file lives: beside an SQLite database, else the working directory."""
    explicit = os.environ.get("ALONGSIDE_SECRET_KEY_FILE")
    if explicit:
        return Path(explicit)
    if "://" not in database_url:
        return Path(database_url).with_suffix(".key")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).with_suffix(".key")
    return Path("alongside.key")


def load_keys(database_url: str) -> Keys:
    """The secret from ALONGSIDE_SECRET_KEY (hex), or a key file created once (mode 0600)."""
    configured = os.environ.get(ENV)
    if configured:
        return Keys(bytes.fromhex(configured))
    path = key_path(database_url)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return Keys(bytes.fromhex(path.read_text().strip()))
