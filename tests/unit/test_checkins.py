"""Check-ins: asked once each, the way people asked, answered privately, summarised kindly."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from bot.app import App
from handlers.core.messages import Choices
from scheduler.clock import VirtualClock
from scheduler.delivery import DeliveryEngine
from scheduler.fast_forward import fast_forward
from storage.models import CheckinAnswer, CheckinNote
from tests.support import RecordingSender, all_refused, say, snapshot, texts

# The clock starts on Monday 30 November 2026, 09:00 UTC (London is on UTC in winter).
# A one-hour meeting later today: check-in at 11:00, summary at 11:50, start 12:00,
# end 13:00, after-meeting check-in at 14:00, open for a day.
MEETING = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BEFORE = MEETING - timedelta(hours=1)
AFTER = MEETING + timedelta(hours=2)
CLOSE = AFTER + timedelta(days=1)
CONTACT = "Sam Reid, peer support, 07700 900123"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, tzinfo=UTC)


async def group(app: App, people: tuple[str, ...]) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in people:
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-11-30 12:00 for 1h")


def number(sender: RecordingSender, where: str, verb: str) -> str:
    """The check-in number in the last check-in someone received."""
    found = re.findall(rf"/checkin {verb} (\d+)", "\n".join(sender.to(where)))
    assert found, sender.to(where)
    return found[-1]


ARRIVING = "How are you arriving today?"
HEARD = "Did you feel heard today?"


def times_asked(sender: RecordingSender, where: str, question: str) -> int:
    """How many messages sent there asked this check-in question."""
    return sum(question in text for text in sender.to(where))


async def test_a_whole_meeting_day(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine: DeliveryEngine = app.delivery(sender)
    await group(app, ("bob", "carol", "dan", "erin", "femi"))
    await say(app, "alice", f"/checkin wellbeing {CONTACT}")
    await say(app, "carol", "/prefs reminders channel", dm=True)
    await say(app, "dan", "/checkin off", dm=True)
    await say(app, "erin", "/prefs quiet 10:30-11:30", dm=True)  # held until 11:30
    await say(app, "femi", "/prefs quiet 10:00-12:30", dm=True)  # past the start: no check-in

    await fast_forward(engine, clock, BEFORE + timedelta(minutes=1))
    for who in ("alice", "bob"):  # one message: the hour-before reminder asks it
        assert times_asked(sender, f"dm:{who}", ARRIVING) == 1, who
        assert sender.kinds(f"dm:{who}")[-1] == "hourbefore", who
    question = sender.to("dm:bob")[-1]
    assert "Steering is in 1 hour, at 12:00" in question
    assert "Green" in question and "Amber" in question and "Red" in question
    assert "Pass" in question and "Anything you need from us today?" in question
    in_channel = [
        r.text for r in sender.received if r.where == "#group" and r.key.startswith("hourbefore")
    ]
    assert len(in_channel) == 1 and "direct message" in in_channel[0]
    assert ARRIVING in in_channel[0] and "in 1 hour" in in_channel[0]
    assert "Green" not in in_channel[0]  # answers are never given where others see them
    assert times_asked(sender, "dm:carol", ARRIVING) == 0  # carol reads the channel
    assert times_asked(sender, "dm:dan", ARRIVING) == 0  # dan turned check-ins off
    assert sender.kinds("dm:dan")[-1] == "hourbefore"  # but still has his reminder
    assert "in 1 hour" in sender.to("dm:dan")[-1]
    assert times_asked(sender, "dm:erin", ARRIVING) == 0

    n = number(sender, "dm:bob", "need")
    green = await say(app, "alice", f"/checkin answer {n} green", dm=True)
    assert "glad you're here" in texts(green)
    red = await say(app, "bob", f"/checkin answer {n} red", dm=True)
    assert [s.address.user for s in red.sent] == ["bob"]
    assert CONTACT in texts(red) and "Nobody will see that you chose red" in texts(red)
    need = await say(app, "bob", f"/checkin need {n} Could we have a break halfway?", dm=True)
    assert "without your name" in texts(need)
    await say(app, "alice", f"/checkin need {n} I'll need to leave at 12:45", dm=True)
    await say(app, "alice", f"/checkin named {n}", dm=True)
    asked = await say(app, "carol", "/checkin", dm=True)
    [choices] = [b for b in asked.sent[0].message.blocks if isinstance(b, Choices)]
    amber = next(o for o in choices.options if o.label.startswith("Amber"))
    await say(app, "carol", amber.command, dm=True)
    await say(app, "bob", f"/checkin answer {n} amber", dm=True)  # changed their mind
    await say(app, "bob", f"/checkin answer {n} red", dm=True)  # and back: counted once

    await fast_forward(engine, clock, at(11, 31))
    assert times_asked(sender, "dm:erin", ARRIVING) == 1

    await fast_forward(engine, clock, MEETING)
    summaries = [r for r in sender.received if r.key.startswith("checkin-summary-before")]
    assert [r.where for r in summaries] == ["dm:alice"]
    summary = summaries[0].text
    assert "3 people answered" in summary
    assert "Green (doing okay): 1" in summary and "Amber (a harder day): 1" in summary
    assert "Red (struggling today): 1" in summary and CONTACT in summary
    assert "- Could we have a break halfway?" in summary
    assert "alice: I'll need to leave at 12:45" in summary
    assert "bob" not in summary and "carol" not in summary
    assert summary.rstrip().endswith("I never show names next to colours.")
    assert not any(ARRIVING in r.text for r in sender.received if r.where in ("dm:dan", "dm:femi"))

    await fast_forward(engine, clock, AFTER + timedelta(minutes=1))
    for who in ("alice", "bob", "erin", "femi"):  # in the thank-you after the meeting
        assert times_asked(sender, f"dm:{who}", HEARD) == 1, who
        assert sender.kinds(f"dm:{who}")[-1] == "after", who
        assert "Thank you for being part of Steering today" in sender.to(f"dm:{who}")[-1]
    assert times_asked(sender, "dm:dan", HEARD) == 0
    assert "Thank you for being part of Steering today" in sender.to("dm:dan")[-1]
    after = number(sender, "dm:bob", "add")
    assert "out of range" not in texts(await say(app, "bob", f"/checkin answer {after} 2", dm=True))
    await say(app, "erin", f"/checkin answer {after} 5", dm=True)
    await say(app, "femi", f"/checkin pass {after}", dm=True)

    await fast_forward(engine, clock, CLOSE + timedelta(minutes=1))
    assert not any(r.key.startswith("checkin-heard") for r in sender.received)
    [after_summary] = [r.text for r in sender.received if r.key.startswith("checkin-summary-after")]
    assert "Fewer than 3 people answered" in after_summary
    assert "2.0" not in after_summary and "3.5" not in after_summary
    trend = await say(app, "bob", "/checkin trend")
    assert "nothing to show yet" in texts(trend)

    async with app.db.sessions() as session:
        columns = await session.run_sync(
            lambda s: {c["name"] for c in inspect(s.bind).get_columns("checkin_answers")}
        )
        notes = (await session.scalars(select(CheckinNote))).all()
        answers = (await session.scalars(select(CheckinAnswer))).all()
    assert columns == {"id", "round_id", "voter_hash", "answer"}  # no name, no time
    assert sorted(a.answer for a in answers) == ["2", "5", "amber", "green", "red"]
    assert sorted(n.person_id is None for n in notes) == [False, True]  # only alice chose


async def test_the_group_sees_how_heard_people_felt_only_from_3_answers(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app, ("bob", "carol", "dan"))
    await say(app, "alice", "/checkin before off")
    await say(app, "carol", "/prefs reminders channel", dm=True)
    await say(app, "carol", "/checkin off", dm=True)
    await say(app, "dan", "/checkin off", dm=True)
    await say(app, "dan", "/checkin on", dm=True)

    await fast_forward(engine, clock, AFTER + timedelta(minutes=1))
    assert not any(ARRIVING in r.text for r in sender.received)
    assert sender.kinds("dm:bob").count("hourbefore") == 1  # the reminder alone
    # carol, the only one who wanted the channel, turned check-ins off: no question there
    assert not any(HEARD in r.text for r in sender.received if r.where == "#group")
    assert [times_asked(sender, f"dm:{w}", HEARD) for w in ("alice", "bob", "dan")] == [1, 1, 1]
    asked = "\n".join(sender.to("dm:bob"))
    assert "Choose from not at all to yes, fully." in asked
    assert "1. Not at all" in asked and "5. Yes, fully" in asked and "1: " not in asked
    n = number(sender, "dm:bob", "add")
    for who, score in (("alice", "4"), ("bob", "5"), ("dan", "2")):
        await say(app, who, f"/checkin answer {n} {score}", dm=True)
    low = await say(app, "dan", f"/checkin add {n} I got talked over", dm=True)
    assert "without your name" in texts(low)

    await fast_forward(engine, clock, CLOSE + timedelta(minutes=1))
    [heard] = [r for r in sender.received if r.key.startswith("checkin-heard")]
    assert heard.where == "#group"
    assert "On average 3.7 out of 5, from 3 people" in heard.text
    assert "I got talked over" not in heard.text  # notes go to the facilitators only
    [summary] = [r.text for r in sender.received if r.key.startswith("checkin-summary-after")]
    assert "3.7 out of 5" in summary and "- I got talked over" in summary
    assert "dan" not in summary
    trend = texts(await say(app, "bob", "/checkin trend"))
    assert "Monday 30 November: 3.7 (3 answers)" in trend


async def test_a_checkin_at_another_time_goes_on_its_own(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app, ("bob",))
    await say(app, "alice", "/checkin before 30m")
    await say(app, "alice", "/checkin after 2h")

    await fast_forward(engine, clock, at(11, 1))
    assert sender.kinds("dm:bob")[-1] == "hourbefore"
    assert ARRIVING not in sender.to("dm:bob")[-1]
    assert "You don't need to reply" in sender.to("dm:bob")[-1]
    await fast_forward(engine, clock, at(11, 31))
    assert sender.kinds("dm:bob")[-1] == "checkin-before"
    assert times_asked(sender, "dm:bob", ARRIVING) == 1

    await fast_forward(engine, clock, at(14, 1))
    assert sender.kinds("dm:bob")[-1] == "after" and HEARD not in sender.to("dm:bob")[-1]
    await fast_forward(engine, clock, at(15, 1))
    assert sender.kinds("dm:bob")[-1] == "checkin-after"
    assert times_asked(sender, "dm:bob", HEARD) == 1


async def test_pause_during_a_meeting_tells_the_facilitators_privately(
    app: App, clock: VirtualClock
) -> None:
    await group(app, ("bob", "carol"))
    await say(app, "alice", "/group facilitator add @carol")
    early = await say(app, "bob", "/checkin pause anon", dm=True)
    assert "no meeting on right now" in texts(early)

    clock.set(at(12, 10))
    said_in_channel = await say(app, "bob", "/checkin pause")
    assert said_in_channel.remove_original and "haven't kept that" in texts(said_in_channel)
    assert [s.address.user for s in said_in_channel.sent] == ["bob"]
    ask = await say(app, "bob", "/checkin pause", dm=True)
    assert "without my name" in texts(ask) and [s.address.user for s in ask.sent] == ["bob"]
    sent = await say(app, "bob", "/checkin pause anon", dm=True)
    told = {s.address.user: texts(type(sent)(sent=[s])) for s in sent.sent}
    assert set(told) == {"alice", "carol", "bob"}
    assert "Someone in Steering needs a pause" in told["alice"]
    assert "bob" not in told["alice"] + told["carol"]
    named = await say(app, "bob", "/checkin pause named", dm=True)
    assert any(
        "bob in Steering needs a pause" in texts(type(named)(sent=[s]))
        for s in named.sent
        if s.address.user == "carol"
    )
    by_facilitator = await say(app, "carol", "/checkin pause anon", dm=True)
    assert "carol" not in {s.address.user for s in by_facilitator.sent[:-1]}


async def test_checkin_help_names_the_wellbeing_contact_privately(app: App) -> None:
    await group(app, ("bob",))
    none_yet = await say(app, "bob", "/checkin help")
    assert [s.address.user for s in none_yet.sent] == ["bob"]
    assert "hasn't named a wellbeing contact" in texts(none_yet) and "alice" in texts(none_yet)
    named = await say(app, "alice", f"/checkin wellbeing {CONTACT}")
    assert any(
        s.address.user is None and CONTACT in texts(type(named)(sent=[s])) for s in named.sent
    )
    helped = await say(app, "bob", "/checkin help", dm=True)
    assert CONTACT in texts(helped) and [s.address.user for s in helped.sent] == ["bob"]


async def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    await group(app, ("bob",))
    await fast_forward(app.delivery(sender), clock, BEFORE + timedelta(minutes=1))
    n = number(sender, "dm:bob", "need")
    cases = [
        ("bob", f"/checkin answer {n} purple", "Please answer with green, amber or red"),
        ("bob", f"/checkin answer {n}", "Please answer with green, amber or red"),
        ("bob", f"/checkin answer {int(n) + 50} green", "can't find that check-in"),
        ("bob", f"/checkin need {n}", "Please write it"),
        ("bob", f"/checkin need {n} " + "x" * 600, "under 500 characters"),
        ("bob", f"/checkin named {n}", "don't have a note from you"),
        ("bob", "/checkin wellbeing Me", "Only the facilitators"),
        ("bob", "/checkin pause anon", "no meeting on right now"),
        ("bob", "/checkin sometimes", "I don't know /checkin sometimes"),
        ("alice", "/checkin wellbeing", "Please give a name"),
        ("alice", "/checkin before 5m", "between 10 minutes and 1 day"),
        ("alice", "/checkin after soon", "between 10 minutes and 1 day"),
    ]
    before = await snapshot(app.db)
    await all_refused(app, cases, dm=True)

    clock.set(at(13, 1))  # the meeting has ended: the check-in before it is closed
    closed = await say(app, "bob", f"/checkin answer {n} green", dm=True)
    assert "has closed" in texts(closed) and "Nothing was changed" in texts(closed)
    assert await snapshot(app.db) == before
