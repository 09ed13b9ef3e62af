"""Issue 14, item 24: an action past its date is marked overdue, and its owner is asked
once, kindly and privately, how it is going.

The issue saw a pack two weeks later still list "by Monday 15 March" as if
nothing had happened, and nobody was ever asked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import posted, refused, say, sent_to, sent_to_all, texts
from tests.unit.followup_support import ButtonSender, got, group_that_met, kinds, press

ACTION = "/action Book the hall owner @dan by 2026-12-14"  # Monday 14 December
ASKED = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)  # Thursday, three days on, 10:00 London
PACK = datetime(2026, 12, 27, 14, 1, tzinfo=UTC)  # the next meeting's pack, two weeks on
QUESTION = "actionoverdue"


async def dan_has_an_action(app: App, clock: VirtualClock) -> ButtonSender:
    """dan will book the hall by Monday 14 December; the next meeting is on 30 December."""
    sender = await group_that_met(app, clock)
    await say(app, "alice", "/meeting new Next 2026-12-30 14:00 for 2h")
    await say(app, "alice", ACTION)
    return sender


async def test_the_pack_says_overdue_and_the_owner_is_asked_once(
    app: App, clock: VirtualClock
) -> None:
    sender = await dan_has_an_action(app, clock)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ASKED - timedelta(minutes=1))
    assert kinds(sender, "dm:dan", "action") == ["actionbefore", "actionday"]
    listed = texts(await say(app, "carol", "/action"))
    assert "Action 1: Book the hall (dan, overdue since Monday 14 December)" in listed

    await fast_forward(engine, clock, ASKED + timedelta(minutes=1))
    assert kinds(sender, "dm:dan", "action") == ["actionbefore", "actionday", QUESTION]
    [asked] = got(sender, "dm:dan", QUESTION)
    assert "A gentle check-in about action 1: Book the hall" in asked
    assert "It was due on Monday 14 December." in asked
    assert "How is it going?" in asked and "It's fine if it's taking longer" in asked
    assert "1. Done" in asked and "2. Still going" in asked and "3. Not going to happen" in asked
    assert "You don't have to reply, and I won't ask about it again." in asked
    assert [r.where for r in sender.received if r.key.startswith(QUESTION)] == ["dm:dan"]

    await fast_forward(engine, clock, PACK)
    assert kinds(sender, "dm:dan", QUESTION) == [QUESTION]  # once, not again
    pack = got(sender, "dm:bob", "pack")[-1]
    assert "Pack for Next" in pack and "Open actions:" in pack
    # What the issue saw was "(dan, by Monday 14 December)" two weeks later. Now:
    assert "Action 1: Book the hall (dan, overdue since Monday 14 December)" in pack
    assert "by Monday 14 December" not in pack


async def test_still_going_is_said_in_the_pack_and_a_new_date_starts_again(
    app: App, clock: VirtualClock
) -> None:
    sender = await dan_has_an_action(app, clock)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ASKED + timedelta(minutes=1))
    going = await press(app, sender, "dan", "Still going")
    said = sent_to(going, "dan")
    assert "Action 1 stays on the list as still going" in said
    assert "/action going 1 by <date>" in said and sent_to_all(going) == ""

    await fast_forward(engine, clock, PACK)
    pack = got(sender, "dm:bob", "pack")[-1]
    assert "Action 1: Book the hall (dan, overdue since Monday 14 December, still going)" in pack

    moved = texts(await say(app, "dan", "/action going 1 by 2027-01-08", dm=True))
    assert "Action 1 is now due by Friday 8 January" in moved
    listed = texts(await say(app, "carol", "/action"))
    assert "Action 1: Book the hall (dan, by Friday 8 January)" in listed
    await fast_forward(engine, clock, datetime(2027, 1, 11, 10, 1, tzinfo=UTC))
    # the reminders for the new date, and once that has passed too, one question about it
    assert kinds(sender, "dm:dan", "action")[-3:] == ["actionbefore", "actionday", QUESTION]
    assert "It was due on Friday 8 January." in got(sender, "dm:dan", QUESTION)[-1]
    assert len(got(sender, "dm:dan", QUESTION)) == 2


async def test_not_going_to_happen_tells_the_group_and_closes_it(
    app: App, clock: VirtualClock
) -> None:
    sender = await dan_has_an_action(app, clock)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ASKED + timedelta(minutes=1))
    dropped = await press(app, sender, "dan", "Not going to happen")
    told = sent_to_all(dropped)
    assert "Action 1 won't go ahead after all. It was: Book the hall" in told
    assert "anyone can add it to the next agenda. Use /agenda add." in told
    assert "so nobody waits for it" in sent_to(dropped, "dan")
    assert "no open actions" in texts(await say(app, "carol", "/action"))
    await refused(app, "dan", "/action done 1", "won't go ahead")

    await fast_forward(engine, clock, PACK)
    assert "Book the hall" not in got(sender, "dm:bob", "pack")[-1]
    assert kinds(sender, "dm:dan", QUESTION) == [QUESTION]


async def test_a_reason_can_be_given_and_only_those_who_may_can_drop(
    app: App, clock: VirtualClock
) -> None:
    await dan_has_an_action(app, clock)
    await refused(app, "bob", "/action drop 1", "Only dan, the person who added it")
    await refused(app, "bob", "/action going 1", "Only dan, the person who added it")
    await refused(app, "dan", "/action going 1 by someday", "as a date from today on")
    why = posted(await say(app, "alice", "/action drop 1 The hall is closed for repairs"))
    assert "Action 1 won't go ahead after all" in why and "Why: The hall is closed" in why


async def test_an_owner_away_when_it_would_be_asked_is_asked_on_the_first_morning_back(
    app: App, clock: VirtualClock
) -> None:
    sender = await dan_has_an_action(app, clock)
    await say(app, "dan", "/prefs away 2026-12-16 to 2026-12-20", dm=True)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, datetime(2026, 12, 21, 8, 59, tzinfo=UTC))
    assert kinds(sender, "dm:dan", QUESTION) == []
    await fast_forward(engine, clock, datetime(2026, 12, 21, 9, 1, tzinfo=UTC))
    assert kinds(sender, "dm:dan", QUESTION) == [QUESTION]  # Monday, his first morning back


async def test_done_before_the_question_means_no_question(app: App, clock: VirtualClock) -> None:
    sender = await dan_has_an_action(app, clock)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, datetime(2026, 12, 15, 12, tzinfo=UTC))
    await say(app, "dan", "/action done 1")  # a day late, before anyone asked
    await fast_forward(engine, clock, PACK)
    assert kinds(sender, "dm:dan", QUESTION) == []
