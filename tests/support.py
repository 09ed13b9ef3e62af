"""Test helpers: an in-memory platform that records what people would receive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.app import App
from bot.platforms.text import render_text
from handlers import direct
from handlers.core.messages import Addressed
from handlers.core.router import Incoming, Result
from scheduler.delivery import DeliveryEngine


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
    await DeliveryEngine(app.db.sessions, collect, (direct.plan,)).deliver_due(app.clock.now())
    result.sent[:0] = collect.sent
    return result


async def say(app: App, who: str, text: str, dm: bool = False) -> Result:
    """Someone says something in the group channel (or their DM) on the console platform."""
    return await handle(
        app,
        Incoming(
            platform="console",
            user_id=who,
            display_name=who,
            text=text,
            channel=None if dm else "group",
        ),
    )


def texts(result: Result) -> str:
    """Everything a command sent, as one plain text."""
    return "\n".join(render_text(item.message)[0] for item in result.sent)


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
