"""The durable inbox under a burst, on SQLite and PostgreSQL: requests arriving together
are written down together, each once, and the sweep leaves alone what a live worker holds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.platforms.slack.inbox import Inbox
from scheduler.clock import VirtualClock
from storage.db import Database
from storage.models import SlackInbox

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def _rows(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(SlackInbox)) or 0)


async def test_requests_arriving_together_are_each_written_once(database: Database) -> None:
    wall = VirtualClock(NOW)
    inbox = Inbox(database.sessions, wall)
    keys = [f"trigger-{n % 15}" for n in range(30)]  # every request posted twice at once
    fresh = await asyncio.gather(*(inbox.add(k, "command", "{}", NOW.date()) for k in keys))
    assert await _rows(database) == 15
    assert all(fresh[n] != fresh[n + 15] for n in range(15))  # one of each pair is new
    assert not await inbox.add("trigger-3", "command", "{}", NOW.date())  # and later too

    # Held by the process that wrote them: the sweep takes none until their lease runs out.
    assert await inbox.undone() == []
    await asyncio.gather(*(inbox.done(f"trigger-{n}") for n in range(10)))
    wall.advance(inbox.lease + timedelta(seconds=1))
    assert sorted(await inbox.undone()) == sorted(f"trigger-{n}" for n in range(10, 15))
    assert await inbox.claim("trigger-3") is None  # done: nobody works it again
    inbox.close()
