"""SQLite through aiosqlite with one thread hand-off per statement instead of four.

aiosqlite runs every call on its connection's own thread, and SQLAlchemy makes four
calls per statement (make a cursor, run it, fetch its rows, close the cursor), then a
rollback when a session ends, even when no transaction is open. Each hand-off waits
for two thread wake-ups, which cost about a millisecond each on a busy machine, so a
command's few reads took several milliseconds of waiting alone.

Here the cursor is made and closed in the caller's thread (neither touches the
database), the rows are fetched on the worker thread in the same call that runs the
statement (SQLAlchemy fetches them all straight after running it anyway), and a
commit or rollback with no transaction open is skipped (SQLite would do nothing).
Statements, real commits and real rollbacks still run on the worker thread, so the
event loop never waits on SQLite's locks or on the disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, cast

import aiosqlite


class _Cursor(aiosqlite.Cursor):
    """A cursor whose rows come back with the statement that made them."""

    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._rows: list[Any] | None = None

    def _run(self, sql: str, parameters: Any) -> list[Any] | None:
        self._cursor.execute(sql, parameters)
        return self._cursor.fetchall() if self._cursor.description is not None else None

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> _Cursor:
        """Run the statement and fetch its rows, in one hand-off."""
        hand_off = cast(Callable[..., Awaitable[list[Any] | None]], self._execute)
        self._rows = await hand_off(self._run, sql, [] if parameters is None else parameters)
        return self

    async def fetchall(self) -> Iterable[Any]:
        """The rows of the last statement not fetched yet."""
        if self._rows is None:
            return await super().fetchall()
        rows, self._rows = self._rows, None
        return rows

    async def fetchone(self) -> Any:
        """The next row of the last statement, or None."""
        if self._rows is None:
            return await super().fetchone()
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Iterable[Any]:
        """Up to `size` (or `arraysize`) more rows of the last statement."""
        if self._rows is None:
            return await super().fetchmany(size)
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def close(self) -> None:
        """Close the cursor (no database work: done here, not on the worker thread)."""
        self._rows = None
        self._cursor.close()


class _Connection(aiosqlite.Connection):
    """An aiosqlite connection that hands off only the work SQLite really does."""

    async def _new_cursor(self) -> _Cursor:
        return _Cursor(self, self._conn.cursor())

    def cursor(self) -> aiosqlite.context.Result[_Cursor]:  # type: ignore[override]
        """A new cursor, made in the caller's thread."""
        return aiosqlite.context.Result(self._new_cursor())

    async def commit(self) -> None:
        """Commit the open transaction, if there is one."""
        if self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        """Roll back the open transaction, if there is one."""
        if self._conn.in_transaction:
            await super().rollback()


def connect(path: str | Path) -> aiosqlite.Connection:
    """A connection to the SQLite file at `path`, for SQLAlchemy's `async_creator` (usable
    from any thread: cursors are made in the caller's, statements run in the worker's)."""
    location = str(path)

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(location, check_same_thread=False)

    connection: aiosqlite.Connection = _Connection(connector, iter_chunk_size=64)
    connection._thread.daemon = True  # as SQLAlchemy's own aiosqlite connect does
    return connection
