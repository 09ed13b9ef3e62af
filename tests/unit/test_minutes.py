"""Minutes: who may send them in, they reach every member once, and the reminder comes
once, only when they are missing, to the minute-taker (or facilitators)."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import refused, say, texts
from tests.unit.followup_support import MEETING, give_role, got, group_that_met, kinds

END = MEETING + timedelta(hours=2)
NOTES = "/minutes We agreed papers go out a week before. Full notes: https://example.org/n"


async def test_minutes_reach_every_member_once_the_way_they_asked(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    engine = app.delivery(sender)
    await give_role(app, "bob", "minutes")
    await refused(app, "dan", NOTES, "minute-taker or a facilitator")
    reply = texts(await say(app, "bob", NOTES))
    assert "sending the minutes of Steering on Saturday 5 December to everyone" in reply
    await engine.deliver_due(clock.now())  # right away, as the console and the wake-ups do
    await fast_forward(engine, clock, END + timedelta(days=5))
    got_them = sorted(r.where for r in sender.received if r.key.startswith("minutes:"))
    assert got_them == ["#group", "dm:alice", "dm:bob", "dm:dan"]  # carol: the channel
    text = got(sender, "dm:dan", "minutes")[0]
    assert "Minutes: Steering on Saturday 5 December" in text
    assert "We agreed papers go out a week before" in text and "Sent in by bob" in text
    assert kinds(sender, "dm:bob", "minutesdue") == []  # they were in on time
    assert "We agreed papers" in texts(await say(app, "carol", "/minutes"))
    # A facilitator corrects them: everyone gets the corrected minutes once.
    await say(app, "alice", "/minutes Corrected: papers go out seven days before.")
    await engine.deliver_due(clock.now())
    await fast_forward(engine, clock, clock.now() + timedelta(days=1))
    corrected = [r for r in sender.received if "Corrected minutes" in r.text]
    assert sorted(r.where for r in corrected) == ["#group", "dm:alice", "dm:bob", "dm:dan"]


async def test_the_minute_taker_is_reminded_once_only_when_minutes_are_missing(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    engine = app.delivery(sender)
    await give_role(app, "dan", "minutes")
    await fast_forward(engine, clock, END + timedelta(days=2) - timedelta(minutes=1))
    assert kinds(sender, "dm:dan", "minutesdue") == []
    await fast_forward(engine, clock, END + timedelta(days=4))
    assert kinds(sender, "dm:dan", "minutesdue") == ["minutesdue"]
    assert (
        "the minutes of Steering on Saturday 5 December aren't in yet"
        in got(sender, "dm:dan", "minutesdue")[0]
    )
    assert kinds(sender, "dm:alice", "minutesdue") == []


async def test_without_a_minute_taker_the_facilitators_are_reminded_per_the_setting(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    await refused(
        app, "bob", "/minutes due 3d", "(the people who run the group) can use /minutes due"
    )
    await say(app, "alice", "/minutes due 3d")
    await refused(app, "alice", "/minutes due 3 weeks", "between 1 hour and 14 days")
    await fast_forward(app.delivery(sender), clock, END + timedelta(days=3) - timedelta(minutes=1))
    assert kinds(sender, "dm:alice", "minutesdue") == []
    await fast_forward(app.delivery(sender), clock, END + timedelta(days=3, minutes=1))
    assert kinds(sender, "dm:alice", "minutesdue") == ["minutesdue"]
    assert "Nobody was down as the minute-taker" in got(sender, "dm:alice", "minutesdue")[0]
    assert kinds(sender, "dm:bob", "minutesdue") == []
