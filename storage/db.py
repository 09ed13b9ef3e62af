"""Opening the database and bringing its schema up to date."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage import sqlite_hops

MIGRATIONS = Path(__file__).parent / "migrations"
#: The advisory lock migrations take on PostgreSQL (locks are per database).
_KEY = int.from_bytes(hashlib.sha256(b"alongside:migrations").digest()[:8], "big", signed=True)


def async_url(url: str) -> str:
    """Turn a plain database URL (or a file path) into one with an async driver."""
    if "://" not in url:
        return f"sqlite+aiosqlite:///{url}"
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return str(parsed.set(drivername="sqlite+aiosqlite"))
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(f"alongside supports SQLite and PostgreSQL, not {backend!r}")


def _sqlite_file(url: str) -> str | None:
    """The file of an SQLite database URL (None for another database, or one in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.query:
        return None
    if parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Settings for each new SQLite connection: write-ahead log, foreign keys, and
    waiting up to 5 s for another writer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """One engine and its session factory, built once at start-up and passed down."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = async_url(url)
        path = _sqlite_file(self.url)
        if path is not None and not {"creator", "async_creator"} & engine_options.keys():
            engine_options["async_creator"] = lambda: sqlite_hops.connect(path)
        self.engine: AsyncEngine = create_async_engine(self.url, **engine_options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def upgrade(self) -> None:
        """Apply every Alembic migration that has not run yet. On PostgreSQL, instances
        starting together take turns (a lock held until the migration commits)."""
        async with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _KEY})
            await connection.run_sync(_upgrade)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
