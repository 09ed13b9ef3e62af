"""Unit tests share one migrated database per backend, emptied before each test.

Creating a PostgreSQL database and migrating it costs about 0.3 s, a fresh
SQLite file about 0.07 s; done per test that would make the unit suite slow.
So each unit test gets a copy of a migrated SQLite file, or the session's
migrated PostgreSQL database with every table emptied. Migrations themselves
are tested from empty in tests/integration/test_storage.py.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import Database, async_url
from tests.conftest import BACKENDS, POSTGRES_URL


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()


async def _admin(sql: str) -> None:
    assert POSTGRES_URL is not None
    admin = create_async_engine(async_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await admin.dispose()


async def _tables(url: str) -> list[str]:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_sorted_table_and_fkc_names())
    finally:
        await engine.dispose()
    return [f'"{n}"' for n, _ in reversed(names) if n is not None and n != "alembic_version"]


async def _empty(url: str, tables: list[str]) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        # RESTART IDENTITY: ids start at 1 again, as in a fresh database (people see some)
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with every migration applied, to copy for each test."""
    path = tmp_path_factory.mktemp("migrated") / "migrated.db"
    asyncio.run(_migrate(f"sqlite:///{path}"))
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[tuple[str, list[str]]]:
    """One migrated PostgreSQL database for the whole unit run, and its tables."""
    assert POSTGRES_URL is not None
    name = f"alongside_unit_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrate(url))
    yield url, asyncio.run(_tables(url))
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database with no rows: SQLite always, PostgreSQL when one answers."""
    if request.param == "sqlite":
        copy = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), copy)
        return f"sqlite:///{copy}"
    url, tables = request.getfixturevalue("migrated_postgres")
    asyncio.run(_empty(url, tables))
    return str(url)
