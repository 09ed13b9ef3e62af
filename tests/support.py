"""Test helpers: speak as someone, read what each person received, show that nothing changed.

Commands are said on the console platform, in the channel `GROUP` unless said in a DM.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, text

from bot.app import App
from bot.platforms.text import render_text
from handlers import direct
from handlers.core.messages import Addressed, Choices, Option
from handlers.core.router import Incoming, Result
from scheduler.delivery import DeliveryEngine
from storage.db import Database

GROUP = "group"


@dataclass
class Received:
    """One message as a platform would show it."""

    key: str
    where: str
    text: str


@dataclass
class RecordingSender:
    """A platform that keeps every message, can fail on demand, and knows what it received."""

    received: list[Received] = field(default_factory=list)
    fail_times: int = 0

    async def send(self, item: Addressed, key: str) -> None:
        """Record the message, or fail if told to."""
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("platform unavailable")
        where = f"dm:{item.address.user}" if item.address.user else f"#{item.address.channel}"
        self.received.append(Received(key, where, render_text(item.message)[0]))

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether a message with this key was received."""
        return any(r.key == key for r in self.received)

    def to(self, where: str) -> list[str]:
        """Texts received at one place, like 'dm:bob' or '#group'."""
        return [r.text for r in self.received if r.where == where]

    def kinds(self, where: str) -> list[str]:
        """The kind of each message received at one place (pack, daybefore, ...)."""
        return [r.key.split(":")[0] for r in self.received if r.where == where]


@dataclass
class _Collect:
    """A platform that hands what it is sent back to the test."""

    sent: list[Addressed] = field(default_factory=list)

    async def send(self, item: Addressed, key: str) -> None:
        self.sent.append(item)

    async def already_sent(self, item: Addressed, key: str) -> bool:
        return False


async def handle(app: App, incoming: Incoming) -> Result:
    """Handle what someone said, as a platform would, direct messages to others included.

    Direct messages the command causes for other people go through the delivery
    engine (so they respect quiet hours); those it delivers at once come first
    in the result, as a platform would show them in the same moment.
    """
    result = await app.handle(incoming)
    collect = _Collect()
    direct_only = DeliveryEngine(app.db.sessions, collect, (direct.plan,), keeps_plans=False)
    await direct_only.deliver_due(app.clock.now())
    result.sent[:0] = collect.sent
    return result


async def say(
    app: App,
    who: str,
    said: str,
    *,
    dm: bool = False,
    channel: str = GROUP,
    group_id: int | None = None,
) -> Result:
    """`who` says `said` in `channel` (or in their DM, about the group `group_id` if given)."""
    return await handle(
        app,
        Incoming(
            platform="console",
            user_id=who,
            display_name=who,
            text=said,
            channel=None if dm else channel,
            group_id=group_id,
        ),
    )


async def choose(app: App, who: str, option: Option) -> Result:
    """`who` presses a button (or replies with its number) in their direct messages."""
    return await say(app, who, option.command, dm=True, group_id=option.group_id)


def texts(result: Result) -> str:
    """Everything a command sent, as one plain text."""
    return "\n".join(render_text(item.message)[0] for item in result.sent)


def privately(result: Result, who: str, *, also_told: Collection[str] = ()) -> str:
    """The one message a command sent to `who`, checking it went to them alone and nothing
    else was sent, but for one direct message to each of `also_told` (say, an item's owner)."""
    mine = [item for item in result.sent if item.address.user == who]
    others = [item.address.user or "" for item in result.sent if item.address.user != who]
    assert len(mine) == 1 and sorted(others) == sorted(also_told), texts(result)
    return render_text(mine[0].message)[0]


def posted(result: Result, channel: str = GROUP) -> str:
    """The one message a command sent, checking it was posted for everyone in `channel`."""
    assert len(result.sent) == 1, texts(result)
    [item] = result.sent
    assert item.address.user is None and item.address.channel == channel, (
        item.address,
        texts(result),
    )
    return render_text(item.message)[0]


def sent_to(result: Result, who: str) -> str:
    """What `who` alone was sent by a command that told several people (replies and DMs)."""
    return "\n".join(render_text(a.message)[0] for a in result.sent if a.address.user == who)


def sent_to_all(result: Result) -> str:
    """What a command that told several people posted for everyone ("" if nothing)."""
    return "\n".join(render_text(a.message)[0] for a in result.sent if a.address.user is None)


def options(result: Result, who: str) -> list[Option]:
    """The options of the one set of choices a command sent, checking it went to `who`."""
    offered = [
        (item.address.user, block)
        for item in result.sent
        for block in item.message.blocks
        if isinstance(block, Choices)
    ]
    assert len(offered) == 1, texts(result)
    [(addressee, choices)] = offered
    assert addressee == who, (addressee, texts(result))
    return list(choices.options)


async def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, so a test can show that nothing changed."""
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for name in sorted(names):
            result = await conn.execute(text(f'SELECT * FROM "{name}"'))
            rows[name] = sorted((tuple(row) for row in result), key=repr)
    return rows


@asynccontextmanager
async def changes_nothing(db: Database, what: object) -> AsyncIterator[None]:
    """Check that every table is the same after the block as before it (`what` names it)."""
    before = await snapshot(db)
    yield
    assert await snapshot(db) == before, f"{what!r} changed data"


def refusal(result: Result, who: str, expect: str) -> str:
    """The one reply, checking it went to `who` alone, says `expect` and that nothing changed."""
    reply = privately(result, who)
    assert expect in reply, reply
    assert "Nothing was changed" in reply or "nothing was changed" in reply, reply
    return reply


async def refused(app: App, who: str, said: str, expect: str, *, dm: bool = False) -> str:
    """`who` says `said`; they alone are told `expect` and that nothing was changed, and no
    data changes. Returns the reply."""
    return (await all_refused(app, [(who, said, expect)], dm=dm))[0]


async def all_refused(
    app: App, attempts: list[tuple[str, str, str]], *, dm: bool = False
) -> list[str]:
    """Each (who, said, expect) is refused as by `refused`; together they change no data
    (one snapshot before and one after: a refusal's change would still be there at the end)."""
    async with changes_nothing(app.db, [said for _, said, _ in attempts]):
        return [
            refusal(await say(app, who, said, dm=dm), who, expect) for who, said, expect in attempts
        ]


def text_objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every text object (plain_text or mrkdwn) anywhere in some blocks, a view or a payload."""
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from text_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from text_objects(value)
