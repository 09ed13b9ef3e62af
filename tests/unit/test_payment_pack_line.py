"""The pack says so while a group has not written down its payment offer: once per pack
(the first packs' to-do line already names it), and no more once it is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from handlers.readiness import NO_PAYMENT_OFFER
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.readability import read
from tests.support import RecordingSender, say

#: The line as a pack shows it (the pack explains "facilitator" the first time it appears).
SAID = "The group hasn't said yet what it offers for people's time. It's worth agreeing together."
MEETING = datetime(2026, 12, 12, 14, 0, tzinfo=UTC)
PACK = MEETING - timedelta(days=3) + timedelta(minutes=1)


def packs(sender: RecordingSender) -> list[str]:
    return [r.text for r in sender.received if r.where == "dm:bob" and r.key.startswith("pack:")]


async def test_every_pack_says_it_once_until_the_offer_is_written(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-12 14:00 every week for 2h")
    await fast_forward(engine, clock, PACK + timedelta(weeks=2))
    first, second, third = packs(sender)
    for pack in (first, second):  # the to-do line names it: not said twice
        assert "Still to do before this group is ready: aims, payment offer" in pack
        assert SAID not in pack
    assert third.count(SAID) == 1 and "Still to do" not in third
    assert SAID in NO_PAYMENT_OFFER and "/group payment" in NO_PAYMENT_OFFER
    assert not read(NO_PAYMENT_OFFER).problems(), read(NO_PAYMENT_OFFER)
    await say(app, "alice", "/group payment £25 per meeting, travel paid")
    await fast_forward(engine, clock, PACK + timedelta(weeks=3))
    fourth = packs(sender)[3]
    assert "what it offers for people's time" not in fourth and "/group payment" not in fourth
