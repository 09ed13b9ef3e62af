"""'Facilitator' is explained the first time a pack or the /help page uses it (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from handlers.core.messages import BulletList, Paragraph, message
from handlers.core.terms import explain_first
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, privately, say

MEETING = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)


def test_only_the_first_use_is_explained_singular_or_plural() -> None:
    msg = explain_first(
        message(
            "Nothing about them here.",
            BulletList(("Tell a facilitator.", "The facilitators see it.")),
            Paragraph("Facilitators again."),
        )
    )
    texts = [b.text if isinstance(b, Paragraph) else b.items for b in msg.blocks]
    assert texts == [
        "Nothing about them here.",
        ("Tell a facilitator (someone who helps run the group).", "The facilitators see it."),
        "Facilitators again.",
    ]


async def test_the_pack_explains_facilitators_once(app: App, clock: VirtualClock) -> None:
    await say(app, "alice", "/group setup Steering")
    await say(app, "bob", "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-10 14:00 for 2h at Room 4")
    await say(app, "bob", "/agenda add Crisis line waiting times minutes 30")
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, MEETING - timedelta(days=3))
    [pack] = sender.to("dm:bob")
    first = pack.lower().index("facilitator")
    assert pack[first:].startswith("facilitator (someone who helps run the group)")
    assert pack.count("run the group)") == 1


async def test_help_says_who_facilitators_are_before_listing_their_commands(app: App) -> None:
    await say(app, "alice", "/group setup Steering")
    shown = privately(await say(app, "alice", "/help"), "alice")
    explained = shown.index("Facilitators are the people who run the group.")
    assert explained < shown.index("(facilitators)")
