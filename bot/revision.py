"""`alongside db revision -m "..."`: the next migration, generated rather than hand-written.

Alembic's autogenerate compares the models (storage/models) with a scratch
SQLite database upgraded to head, and writes what differs as the next
numbered migration in storage/migrations/versions/ (0012_..., revising 0011).
Read it before committing: autogenerate cannot see renames or data changes.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from storage.db import MIGRATIONS
from storage.models import Base

_NUMBERED = re.compile(r"^(\d{4})_.*\.py$")


def next_revision_id(versions: Path) -> str:
    """The next four-digit revision id after the highest numbered file in `versions`."""
    numbers = [int(m.group(1)) for p in versions.iterdir() if (m := _NUMBERED.match(p.name))]
    return f"{max(numbers, default=0) + 1:04d}"


@contextlib.contextmanager
def _at_head(migrations: Path) -> Iterator[Config]:
    """Alembic's config on a scratch SQLite database upgraded to head."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        try:
            with engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", str(migrations))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                yield config
        finally:
            engine.dispose()


def _compare(config: Config) -> list[Any]:
    context = MigrationContext.configure(config.attributes["connection"])
    return list(compare_metadata(context, Base.metadata))


def model_changes(migrations: Path = MIGRATIONS) -> list[Any]:
    """What the models hold that the migrations don't make ([] when they agree)."""
    with _at_head(migrations) as config:
        return _compare(config)


def new_revision(message: str, migrations: Path = MIGRATIONS) -> tuple[Path, bool]:
    """Write the next migration into `migrations`/versions: its path, and whether the
    models differed from the migrations (if not, it is empty, to be written by hand)."""
    with _at_head(migrations) as config:
        changed = bool(_compare(config))
        script = command.revision(
            config,
            message=message,
            autogenerate=True,
            rev_id=next_revision_id(migrations / "versions"),
        )
    assert script is not None and not isinstance(script, list)
    return Path(script.path), changed
