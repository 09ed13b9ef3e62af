"""Helpers for handler tests: speak as someone, read what people receive, snapshot the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, text

from bot.platforms.text import render_text
from handlers.core.router import Incoming, Result, Router
from scheduler.clock import Clock
from storage.db import Database

PLATFORM = "test"
CHANNEL = "general"


@dataclass
class Chat:
    """Speak to the router as a person, in a channel or in a direct conversation."""

    router: Router
    clock: Clock

    async def say(
        self,
        user: str,
        said: str,
        *,
        dm: bool = False,
        channel: str = CHANNEL,
        group_id: int | None = None,
        name: str | None = None,
    ) -> Result:
        """`user` says `said`; their display name is their id capitalised unless given."""
        incoming = Incoming(
            platform=PLATFORM,
            user_id=user,
            display_name=name if name is not None else user.capitalize(),
            text=said,
            channel=None if dm else channel,
            group_id=group_id,
        )
        return await self.router.handle(incoming, self.clock.now())


def shown(result: Result) -> str:
    """Everything sent, as the plain text people read."""
    return "\n".join(render_text(item.message)[0] for item in result.sent)


def only_to(result: Result, user: str) -> str:
    """The single message sent, asserting it went privately to `user` and nobody else."""
    assert len(result.sent) == 1, shown(result)
    item = result.sent[0]
    assert item.address.user == user, item.address
    return render_text(item.message)[0]


def posted_in(result: Result, channel: str = CHANNEL) -> str:
    """The single message sent, asserting it was posted for everyone in `channel`."""
    assert len(result.sent) == 1, shown(result)
    item = result.sent[0]
    assert item.address.user is None and item.address.channel == channel, item.address
    return render_text(item.message)[0]


async def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, so a test can show that nothing changed."""
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for name in sorted(names):
            result = await conn.execute(text(f'SELECT * FROM "{name}"'))
            rows[name] = sorted((tuple(row) for row in result), key=repr)
    return rows


async def refused_without_change(
    chat: Chat, db: Database, user: str, said: str, expect: str, **where: Any
) -> str:
    """`user` says `said`; they alone get a reply containing `expect`; no data changes."""
    before = await snapshot(db)
    reply = only_to(await chat.say(user, said, **where), user)
    assert expect in reply, reply
    assert await snapshot(db) == before, f"{said!r} changed data"
    return reply
