"""Issue 14, item 15: away days no longer swallow the question about a decision's update,
and the facilitators are told what was really sent.

The issue saw erin, away on the day her update was due, never asked (the question
was dropped), and the facilitators told "I asked erin that day and again three days
later". Now she is asked on her first morning back, the reminder and the note count
from then, and the note says what happened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import say
from tests.unit.followup_support import ButtonSender, got, group_that_met, kinds, press

ASK = datetime(2026, 12, 19, 10, 0, tzinfo=UTC)  # Saturday, two weeks on, 10:00 London time
RECORD = "/decision Papers go out a week before each meeting owner @erin update in 2 weeks"
PEOPLE = ("bob", "carol", "dan", "erin")
QUESTIONS = "decisionask"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A time in winter London (= UTC), December 2026 or January 2027."""
    return datetime(2026 if month == 12 else 2027, month, day, hour, minute, tzinfo=UTC)


async def erin_owns_a_decision(app: App, clock: VirtualClock, away: str | None) -> ButtonSender:
    """erin looks after decision 1, its update due on Saturday 19 December; she is away then."""
    sender = await group_that_met(app, clock, PEOPLE)
    if away:
        await say(app, "erin", f"/prefs away {away}", dm=True)
    await say(app, "alice", RECORD)
    clock.set(ASK - timedelta(hours=1))  # a jump: the two weeks between don't matter here
    await app.delivery(sender).deliver_due(clock.now())
    return sender


async def test_away_on_the_day_asked_on_the_first_morning_back_and_the_note_says_so(
    app: App, clock: VirtualClock
) -> None:
    # Away for twelve days: longer than the engine looks back for things due.
    sender = await erin_owns_a_decision(app, clock, "2026-12-18 to 2026-12-30")
    engine = app.delivery(sender)

    await fast_forward(engine, clock, at(12, 31, 8, 59))
    assert kinds(sender, "dm:erin", QUESTIONS) == []  # nothing on her away days
    assert kinds(sender, "dm:alice", "decisionwaiting") == []  # no note about an unasked question
    await fast_forward(engine, clock, at(12, 31, 9, 1))  # Thursday, her first morning back
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask"]
    [asked] = got(sender, "dm:erin", "decisionask")
    assert "It's time for an update on decision 1" in asked
    assert "It was due on Saturday 19 December, while you were away" in asked
    assert "No rush" in asked

    await fast_forward(engine, clock, at(1, 3, 9, 1))  # three days after she was asked
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask", "decisionaskagain"]
    assert "away" not in got(sender, "dm:erin", "decisionaskagain")[0]
    await fast_forward(engine, clock, at(1, 7, 8, 59))
    assert kinds(sender, "dm:alice", "decisionwaiting") == []
    await fast_forward(engine, clock, at(1, 7, 9, 1))  # a week after she was asked
    [note] = got(sender, "dm:alice", "decisionwaiting")
    assert "The update on decision 1" in note and "was due on Saturday 19 December" in note
    # What the issue saw was "I asked erin that day and again three days later". Now:
    assert "that day" not in note
    assert (
        "erin was away when it was due, so I waited for their first day back. "
        "I asked them on Thursday 31 December and again three days later." in note
    )
    for kind in ("decisionask", "decisionaskagain", "decisionwaiting"):
        keys = [r.key for r in sender.received if r.key.startswith(kind + ":")]
        assert len(keys) == len(set(keys)), kind  # each went once


async def test_away_when_the_reminder_falls_due_the_note_says_it_waits(
    app: App, clock: VirtualClock
) -> None:
    sender = await erin_owns_a_decision(app, clock, "2026-12-21 to 2027-01-03")
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ASK + timedelta(minutes=1))
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask"]  # asked on the day
    assert "while you were away" not in got(sender, "dm:erin", "decisionask")[0]

    await fast_forward(engine, clock, ASK + timedelta(days=7, minutes=1))
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask"]  # the reminder waits
    [note] = got(sender, "dm:alice", "decisionwaiting")
    assert (
        "I asked erin that day. They're away at the moment, so my reminder will wait "
        "until they're back." in note
    )
    assert "again" not in note

    await fast_forward(engine, clock, at(1, 4, 9, 1))  # Monday 4 January, back
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask", "decisionaskagain"]
    assert kinds(sender, "dm:alice", "decisionwaiting") == ["decisionwaiting"]  # told once
    # erin answers with the button on the reminder: nothing more comes about this cycle.
    await press(app, sender, "erin", "Still in progress")
    await fast_forward(engine, clock, at(1, 10, 12))
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask", "decisionaskagain"]


async def test_not_away_the_note_still_says_that_day_and_three_days_later(
    app: App, clock: VirtualClock
) -> None:
    sender = await erin_owns_a_decision(app, clock, None)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ASK + timedelta(days=7, minutes=1))
    assert kinds(sender, "dm:erin", QUESTIONS) == ["decisionask", "decisionaskagain"]
    [note] = got(sender, "dm:alice", "decisionwaiting")
    assert "I asked erin that day and again three days later." in note
    assert "away" not in note


async def test_an_owner_who_left_is_not_said_to_have_been_asked(
    app: App, clock: VirtualClock
) -> None:
    sender = await erin_owns_a_decision(app, clock, None)
    await app.router.leave("console", "group", "erin")
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ASK + timedelta(days=7, minutes=1))
    assert kinds(sender, "dm:erin", QUESTIONS) == []
    [note] = got(sender, "dm:alice", "decisionwaiting")
    assert "I couldn't ask the person who looks after it: they've left the group." in note
    assert "I asked" not in note and "Someone else could take it on." in note
