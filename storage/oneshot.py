"""Writes of one statement that commits on its own, in as few hand-offs as the database
allows: for the hot path of a burst (the Slack inbox's new rows), where each round trip
or hand-off to a driver thread is paid while someone waits for an answer.

PostgreSQL: one round trip, on a connection in autocommit mode (a single statement is a
transaction of its own, committed when it returns). SQLite: Python's own driver in a
thread kept for it, so the statement and its commit are one hand-off to that thread
rather than one for each step through aiosqlite (cursor, execute, fetch, commit).
Either way the rows are committed, with the database's usual durability, once `rows`
returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, Row, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import UpdateBase

from storage.db import sqlite_pragmas


class OneShot:
    """Runs one statement at a time, each committed on its own."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._plain: Engine | None = None
        self._thread: ThreadPoolExecutor | None = None
        url = engine.url
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self._plain = create_engine(url.set(drivername="sqlite"))
            event.listen(self._plain, "connect", sqlite_pragmas)
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="oneshot")

    async def rows(
        self, statement: UpdateBase, parameters: Sequence[dict[str, Any]]
    ) -> Sequence[Row[Any]]:
        """Run `statement` with these parameters (one set for each row); the rows it
        returns, once it is committed."""
        if self._plain is not None and self._thread is not None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._thread, self._run, statement, parameters)
        async with self.engine.connect() as connection:
            alone = await connection.execution_options(isolation_level="AUTOCOMMIT")
            return (await alone.execute(statement, list(parameters))).all()

    def _run(self, statement: UpdateBase, parameters: Sequence[dict[str, Any]]) -> list[Row[Any]]:
        assert self._plain is not None
        with self._plain.begin() as connection:
            return list(connection.execute(statement, list(parameters)).all())

    def close(self) -> None:
        """Let the thread and its connection go."""
        if self._thread is not None:
            self._thread.shutdown(wait=True)
        if self._plain is not None:
            self._plain.dispose()
