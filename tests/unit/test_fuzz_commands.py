"""Every command, fed what fuzzing found: unicode digits, huge numbers, lone surrogates,
impossible dates, 50 KB of text. Each gets a clear reply, never "something went wrong",
and a refused command changes nothing."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.app import App
from handlers.core import words
from handlers.core.router import Incoming
from handlers.features import catalog
from storage.db import Database
from tests.support import say, snapshot, texts

ODD_INPUTS = (
    "²",
    "①",
    "٣",
    "9223372036854775808",
    "-1",
    "0",
    "99999999999999999999999 hello",
    "\ud800 lone",
    "2026-02-30",
    "31/02/2027 25:61",
    "@",
    "<@U123> <!here> @room",
    "x" * 50_000,
    "1 " + "y" * 3_000,
)
BROKEN = words.SOMETHING_WENT_WRONG.blocks[0]


def attempts() -> list[tuple[str, bool]]:
    """(what to say, whether in a DM) for every command and sub-command, with each input."""
    said = []
    for name, spec in sorted(catalog().commands.items()):
        if name != spec.name:
            continue  # an alias
        for sub in ("", *(s.name for s in spec.subs)):
            for odd in ODD_INPUTS:
                said.append((f"/{name} {sub} {odd}".replace("  ", " "), spec.private))
    return said


async def test_odd_input_gets_a_clear_reply_and_a_refusal_changes_nothing(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for person in ("bob", "carol", "dan", "erin"):
        await say(app, person, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    await say(app, "alice", "/agenda add Budget minutes 20")
    await say(app, "alice", "/decision We will meet monthly")
    failures = []
    async with Writes(app.db) as writes:
        before = await snapshot(app.db)
        for text, in_dm in attempts():
            reply = texts(
                await app.handle(
                    Incoming("console", "alice", "alice", text, None if in_dm else "group")
                )
            )
            if BROKEN.text in reply:  # type: ignore[union-attr]
                failures.append(f"{text[:60]!r}: something went wrong")
            if not await writes.since_last_look():
                continue  # nothing was written: `before` is still every row as it is
            after = await snapshot(app.db)
            if "othing was changed" in reply and after != before:
                failures.append(f"{text[:60]!r}: refused, but data changed")
            before = after
    assert not failures, "\n".join(failures)


class Writes:
    """Whether anything may have been written since the last look, cheaply: SQLite's
    data_version on a connection of our own (it moves when another connection commits),
    PostgreSQL's WAL position (it moves on any write, ours or another test's, so it can
    only over-report: then the full snapshot decides)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conn: AsyncConnection | None = None
        self.last: object = None

    async def __aenter__(self) -> Writes:
        self.conn = await self.db.engine.connect()
        self.last = await self._mark()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.conn is not None
        await self.conn.close()

    async def _mark(self) -> object:
        assert self.conn is not None
        if self.db.engine.dialect.name == "sqlite":
            return await self.conn.scalar(text("PRAGMA data_version"))
        await self.conn.rollback()  # a fresh snapshot of the server each time
        return await self.conn.scalar(text("SELECT pg_current_wal_insert_lsn()"))

    async def since_last_look(self) -> bool:
        """True if something may have been written since the previous call."""
        mark = await self._mark()
        moved, self.last = mark != self.last, mark
        return moved
