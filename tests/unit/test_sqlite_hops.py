"""SQLite answers a read in one hand-off to its thread, and keeps or drops writes as asked.

Every hand-off waits on two thread wake-ups, which a busy machine makes slow, and a
Matrix reply waits on each read its command sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storage import sqlite_hops
from storage.db import Database


@contextmanager
def hand_offs() -> Iterator[list[str]]:
    """Every call handed to an SQLite connection's thread inside the block."""
    calls: list[str] = []
    original = sqlite_hops._Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    sqlite_hops._Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        sqlite_hops._Connection._execute = original  # type: ignore[method-assign]


@pytest.fixture
async def db(tmp_path: Path) -> Any:
    database = Database(str(tmp_path / "hops.db"))
    async with database.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        await connection.execute(text("INSERT INTO notes (body) VALUES ('one'), ('two')"))
    yield database
    await database.dispose()


async def test_a_read_is_one_hand_off(db: Database) -> None:
    async with db.sessions() as session:  # the pool's connection is made first
        await session.execute(text("SELECT 1"))
    with hand_offs() as calls:
        async with db.sessions() as session:
            rows = (await session.execute(text("SELECT body FROM notes ORDER BY id"))).all()
    assert [r.body for r in rows] == ["one", "two"]
    assert len(calls) == 1


async def test_a_committed_write_is_kept_and_a_dropped_one_is_not(db: Database) -> None:
    async with db.sessions() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        await session.commit()
    async with db.sessions() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES ('dropped')"))
        await session.rollback()
    async with db.sessions() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES ('never committed')"))
    async with db.sessions() as session:
        bodies = (await session.scalars(text("SELECT body FROM notes ORDER BY id"))).all()
    assert bodies == ["one", "two", "kept"]


async def test_rows_can_be_fetched_one_or_a_few_at_a_time(tmp_path: Path) -> None:
    connection = await sqlite_hops.connect(tmp_path / "raw.db")
    try:
        cursor = await connection.cursor()
        await cursor.execute("SELECT value FROM (SELECT 1 AS value UNION SELECT 2 UNION SELECT 3)")
        assert await cursor.fetchone() == (1,)
        assert list(await cursor.fetchmany(1)) == [(2,)]
        assert list(await cursor.fetchall()) == [(3,)]
        await cursor.close()
    finally:
        await connection.close()
