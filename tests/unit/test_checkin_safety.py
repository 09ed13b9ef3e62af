"""A red check-in always gets a number to call; facilitators hear separately that no wellbeing
contact is named; tiny summaries show no counts; every pack says who to talk to."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, say, texts
from tests.unit.test_checkins import BEFORE, CONTACT, MEETING, group, number


async def test_red_without_a_contact_gets_the_crisis_line_not_an_instruction(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app, ("bob", "carol"))
    await fast_forward(engine, clock, BEFORE + timedelta(minutes=1))
    n = number(sender, "dm:bob", "need")
    red = texts(await say(app, "bob", f"/checkin answer {n} red", dm=True))
    assert "116 123" in red
    assert "/checkin wellbeing" not in red  # that is for facilitators, not for bob

    await fast_forward(engine, clock, MEETING)
    [summary] = [
        r.text
        for r in sender.received
        if r.key.startswith("checkin-summary-before") and r.where == "dm:alice"
    ]
    assert "no wellbeing contact" in summary and "/checkin wellbeing" in summary


async def test_one_or_two_answers_show_no_counts(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app, ("bob", "carol"))
    await say(app, "alice", f"/checkin wellbeing {CONTACT}")
    await fast_forward(engine, clock, BEFORE + timedelta(minutes=1))
    n = number(sender, "dm:bob", "need")
    await say(app, "bob", f"/checkin answer {n} red", dm=True)
    await say(app, "bob", f"/checkin need {n} A quiet seat please", dm=True)
    await say(app, "bob", f"/checkin named {n}", dm=True)
    await fast_forward(engine, clock, MEETING)
    [summary] = [
        r.text
        for r in sender.received
        if r.key.startswith("checkin-summary-before") and r.where == "dm:alice"
    ]
    assert "Fewer than 3 people answered" in summary
    assert "Red" not in summary and "1 person" not in summary
    assert "finding today hard" not in summary
    assert "bob: A quiet seat please" in summary  # a need with a name still is shown


async def test_every_pack_says_who_to_talk_to(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app, ("bob",))
    await say(app, "alice", "/meeting new Later 2026-12-10 12:00 for 1h")
    await say(app, "alice", f"/checkin wellbeing {CONTACT}")
    await fast_forward(engine, clock, MEETING + timedelta(days=10))
    packs = [r.text for r in sender.received if r.key.startswith("pack") and r.where == "dm:bob"]
    assert packs
    assert all(CONTACT in pack and "/support" in pack for pack in packs)
