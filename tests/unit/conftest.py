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


async def _empty(url: str) -> None:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.begin() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_sorted_table_and_fkc_names())
            tables = [n for n, _ in names if n is not None and n != "alembic_version"]
            # RESTART IDENTITY: numbers people see (meeting 1, item 1) start again at 1.
            await conn.execute(
                text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            )
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with every migration applied, to copy for each test."""
    path = tmp_path_factory.mktemp("migrated") / "migrated.db"
    asyncio.run(_migrate(f"sqlite:///{path}"))
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole unit run."""
    assert POSTGRES_URL is not None
    name = f"alongside_unit_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database with no rows: SQLite always, PostgreSQL when one answers."""
    if request.param == "sqlite":
        copy = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), copy)
        return f"sqlite:///{copy}"
    url: str = request.getfixturevalue("migrated_postgres")
    asyncio.run(_empty(url))
    return url
