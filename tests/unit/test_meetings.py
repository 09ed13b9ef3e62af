"""/meeting: planning meetings and series in plain words, listing, cancelling and moving.

The clock starts on Monday 30 November 2026, 09:00 UTC (09:00 in London).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.platforms.text import render_text
from handlers import reminders
from handlers.core.router import Result
from scheduler.clock import VirtualClock
from storage.models import Group, Meeting, OccurrenceChange
from storage.uow import UnitOfWork
from tests.support import (
    GROUP,
    changes_nothing,
    posted,
    privately,
    refused,
    say,
    sent_to,
    sent_to_all,
    texts,
)


async def group_with(app: App, *members: str) -> None:
    """alice sets up the group in #group; the others join by saying hello there."""
    sent_to_all(await say(app, "alice", "/group setup Steering"))
    for member in members:
        await say(app, member, "hello")


async def plan(app: App, said: str) -> tuple[int, str]:
    """alice plans a meeting; its number (as people see it) and the group post."""
    post = posted(await say(app, "alice", said))
    found = re.search(r"This is meeting number (\d+)\.", post)
    assert found, post
    return int(found.group(1)), post


def told(result: Result, *by_dm: str) -> str:
    """The one post a change made in the channel, checking that each of `by_dm` (who get
    packs by direct message) was sent the same words, and nobody else anything."""
    post = sent_to_all(result)
    assert [i.address.user for i in result.sent] == [None, *by_dm], texts(result)
    assert all(sent_to(result, person) == post for person in by_dm), texts(result)
    return post


async def the_group(app: App) -> Group:
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", GROUP)
        assert group is not None
        return group


async def meetings(app: App) -> list[Meeting]:
    async with UnitOfWork(app.db.sessions) as uow:
        return list(await uow.session.scalars(select(Meeting).order_by(Meeting.id)))


async def count_changes(app: App) -> int:
    async with UnitOfWork(app.db.sessions) as uow:
        return await uow.session.scalar(select(func.count(OccurrenceChange.id))) or 0


async def reminder_times(app: App, kind: str = "daybefore", days: int = 60) -> dict[str, datetime]:
    """When each reminder of one kind falls due, by 'm<meeting>:<date>', over `days`."""
    group = await the_group(app)
    now = app.clock.now()
    async with UnitOfWork(app.db.sessions) as uow:
        dues = await reminders.plan(uow, group, now, now + timedelta(days=days))
    return {d.key.split(":", 1)[1]: d.due_at for d in dues if d.kind == kind}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- planning -------------------------------------------------------------------------


async def test_facilitator_plans_a_meeting_and_the_group_is_told_when_and_where(
    app: App,
) -> None:
    await group_with(app, "bob")
    number, post = await plan(
        app, "/meeting new Steering group 2026-12-03 14:00 at Room 4, Leith Community Centre"
    )
    assert "New meeting: Steering group" in post
    assert "Thursday 3 December, 14:00 to 15:30, UK time." in post
    assert "Where: Room 4, Leith Community Centre" in post
    assert "pack with the agenda 3 days before" in post
    assert "repeats" not in post
    [stored] = await meetings(app)
    assert stored.id == number
    assert (stored.title, stored.local_start, stored.rrule) == (
        "Steering group",
        datetime(2026, 12, 3, 14, 0),
        None,
    )
    assert (stored.duration_minutes, stored.timezone) == (90, "Europe/London")


async def test_plain_ways_of_saying_when_with_every_for_and_at(app: App) -> None:
    await group_with(app)
    cases = [
        (
            "/meeting new Planning next Tuesday 2pm every 2 weeks for 2h at https://meet.example/p",
            "Tuesday 1 December, 14:00 to 16:00",
            "It repeats every 2 weeks.",
            "Where: https://meet.example/p",
        ),
        (
            "/meeting new Coffee and chat tomorrow 10:30 for 45m",
            "Tuesday 1 December, 10:30 to 11:15",
            "Where: to be confirmed.",
            "",
        ),
        (
            '/meeting new "Budget for 2027 at the Hub" 2026-12-10 9:30am every fortnight '
            "at the Hub",
            "Thursday 10 December, 09:30 to 11:00",
            "It repeats every fortnight.",
            "Where: the Hub",
        ),
        (
            "/meeting new Board 3 December 6pm every month for 1h30m",
            "Thursday 3 December, 18:00 to 19:30",
            "It repeats every month.",
            "",
        ),
        (
            "/meeting new Walk and talk friday noon every week for 1 hour at the park gates",
            "Friday 4 December, 12:00 to 13:00",
            "It repeats every week.",
            "Where: the park gates",
        ),
        # The year belongs to the title; the time written is the time planned.
        (
            "/meeting new Budget 2027 tomorrow 10:30",
            "New meeting: Budget 2027",
            "Tuesday 1 December, 10:30 to 12:00",
        ),
        ("/meeting new Lunch tomorrow midday for 1h", "Tuesday 1 December, 12:00 to 13:00"),
    ]
    for said, when, *more in cases:
        result = await say(app, "alice", said)
        post = posted(replace(result, sent=[a for a in result.sent if a.address.user is None]))
        for expected in (when, *more):
            assert expected in post, (said, post)
    stored = await meetings(app)
    assert [(m.title, m.rrule, m.duration_minutes, m.place) for m in stored] == [
        ("Planning", "FREQ=WEEKLY;INTERVAL=2", 120, "https://meet.example/p"),
        ("Coffee and chat", None, 45, None),
        ("Budget for 2027 at the Hub", "FREQ=WEEKLY;INTERVAL=2", 90, "the Hub"),
        ("Board", "FREQ=MONTHLY;INTERVAL=1", 90, None),
        ("Walk and talk", "FREQ=WEEKLY;INTERVAL=1", 60, "the park gates"),
        ("Budget 2027", None, 90, None),
        ("Lunch", None, 60, None),
    ]


async def test_a_facilitator_can_plan_from_a_direct_message(app: App) -> None:
    await group_with(app)
    post = posted(await say(app, "alice", "/meeting new Steering tomorrow 10:30", dm=True))
    assert "Tuesday 1 December, 10:30 to 12:00" in post


async def test_next_meetings_are_listed_in_local_time_for_everyone(
    app: App, clock: VirtualClock
) -> None:
    await group_with(app, "bob")
    empty = privately(await say(app, "bob", "/meeting"), "bob")
    assert "There are no meetings planned yet" in empty
    planning, _ = await plan(app, "/meeting new Planning 2026-12-01 14:00 every 2 weeks at Room 4")
    summer, _ = await plan(app, "/meeting new Summer gathering 2027-06-10 14:00 for 3h")
    coffee, _ = await plan(app, "/meeting new Coffee 2026-12-02 11:00 for 30m")
    listing = privately(await say(app, "bob", "/meeting"), "bob")
    assert listing.splitlines() == [
        "** Next meetings **",
        f"- {planning}. Planning: Tuesday 1 December, 14:00 to 15:30 at Room 4",
        f"- {coffee}. Coffee: Wednesday 2 December, 11:00 to 11:30",
        f"- {planning}. Planning: Tuesday 15 December, 14:00 to 15:30 at Room 4",
        f"- {planning}. Planning: Tuesday 29 December, 14:00 to 15:30 at Room 4",
        f"- {planning}. Planning: Tuesday 12 January, 14:00 to 15:30 at Room 4",
        "Times are in UK time.",
        "The number is the meeting's number.",
    ]
    # A meeting in progress is still listed; once it has finished it is not.
    clock.set(utc(2026, 12, 1, 15, 0))
    assert "Tuesday 1 December" in privately(await say(app, "bob", "/meeting"), "bob")
    clock.set(utc(2026, 12, 1, 15, 31))
    listing = privately(await say(app, "bob", "/meeting"), "bob")
    assert "Tuesday 1 December" not in listing
    assert listing.splitlines()[1] == f"- {coffee}. Coffee: Wednesday 2 December, 11:00 to 11:30"
    # In summer the time shown is British Summer Time, an hour ahead of UTC.
    clock.set(utc(2027, 6, 1))
    listing = privately(await say(app, "bob", "/meeting"), "bob")
    assert f"- {summer}. Summer gathering: Thursday 10 June, 14:00 to 17:00" in listing
    due = await reminder_times(app, days=10)
    assert due[f"m{summer}:2027-06-10T14:00"] == utc(2027, 6, 9, 13, 0)


async def test_a_member_is_told_kindly_that_only_facilitators_plan_meetings(app: App) -> None:
    await group_with(app, "bob")
    number, _ = await plan(app, "/meeting new Steering 2026-12-03 14:00")
    for said in [
        "/meeting new Sneaky tomorrow 10:30",
        f"/meeting cancel {number}",
        f"/meeting move {number} 2026-12-04 14:00",
    ]:
        reply = await refused(app, "bob", said, "Only the facilitators")
        assert "alice" in reply and "You could ask them" in reply
    assert len(await meetings(app)) == 1


# --- bad input changes nothing ----------------------------------------------------------


async def test_bad_input_gets_a_clear_reply_and_changes_nothing(app: App) -> None:
    await group_with(app)
    n, _ = await plan(app, "/meeting new Planning 2026-12-01 14:00 every 2 weeks")
    unknown = n + 1
    no_time = "couldn't find a title and a date with a time"
    cases = [
        ("/meeting new", no_time),
        ("/meeting new Planning friday", no_time),
        ("/meeting new Planning 2026-13-45 14:00", no_time),
        ("/meeting new Planning 2026-02-30 14:00", no_time),
        ("/meeting new Planning 31/02/2027 2pm", no_time),
        ("/meeting new Planning 30 February 2pm", no_time),
        ("/meeting new Planning tomorrow 25:00", no_time),
        ("/meeting new Planning tomorrow 13pm", no_time),
        ("/meeting new Planning 2026-11-01 14:00", "01 November 2026, 14:00 has already passed"),
        ("/meeting new Planning today 8am", "has already passed"),
        (
            "/meeting new Planning 2027-03-28 01:30",
            "01:30 on 28 March 2027 doesn't exist in Europe/London: the clocks go forward",
        ),
        (
            "/meeting new Planning friday 2pm every blue moon",
            "I didn't understand 'every blue moon'",
        ),
        ("/meeting new Planning friday 2pm every 53 weeks", "up to 52 weeks"),
        ("/meeting new Planning friday 2pm for 9h", "between 10 minutes and 8 hours"),
        ("/meeting new Planning friday 2pm for 5m", "between 10 minutes and 8 hours"),
        ("/meeting new Planning friday 2pm for 0m", "between 10 minutes and 8 hours"),
        (f'/meeting new "{"x" * 121}" friday 2pm', "title of up to 120 characters"),
        (f"/meeting cancel {unknown}", f"I can't find meeting {unknown} in this group"),
        ("/meeting cancel", "I can't find meeting (no number given)"),
        ("/meeting cancel Planning", "I can't find meeting Planning"),
        (f"/meeting cancel {n} 25 December", f"Meeting {n} doesn't happen on 25 December"),
        (f"/meeting move {unknown} friday 2pm", f"I can't find meeting {unknown} in this group"),
        (f"/meeting move {n}", "Please say when it should move to"),
        (f"/meeting move {n} someday", "couldn't work out the date and time from 'someday'"),
        (f"/meeting move {n} friday", "couldn't work out the date and time from 'friday'"),
        (f"/meeting move {n} 2026-11-29 14:00", "has already passed"),
        (f"/meeting move {n} 2027-03-28 01:30", "doesn't exist in Europe/London"),
    ]
    for said, expect in cases:
        await refused(app, "alice", said, expect)
    async with changes_nothing(app.db, "/meeting frobnicate"):
        reply = privately(await say(app, "alice", "/meeting frobnicate"), "alice")
    assert "I don't know /meeting frobnicate" in reply
    assert len(await meetings(app)) == 1
    assert await count_changes(app) == 0


async def test_impossible_times_follow_the_groups_own_time_zone(app: App) -> None:
    await group_with(app)
    posted(await say(app, "alice", "/group timezone America/New_York"))
    await refused(
        app,
        "alice",
        "/meeting new Planning 2027-03-14 02:30",
        "02:30 on 14 March 2027 doesn't exist in America/New_York",
    )
    # 01:30 on 28 March is London's missing hour, not New York's.
    n, post = await plan(app, "/meeting new Planning 2027-03-28 01:30")
    assert "Sunday 28 March, 01:30 to 03:00, New York time" in post
    [stored] = await meetings(app)
    assert stored.timezone == "America/New_York"
    hour_before = await reminder_times(app, "hourbefore", days=150)
    assert hour_before[f"m{n}:2027-03-28T01:30"] == utc(2027, 3, 28, 4, 30)


async def test_meetings_of_another_group_cannot_be_touched(app: App) -> None:
    await group_with(app)
    sent_to_all(await say(app, "carol", "/group setup Other group", channel="other"))
    post = posted(
        await say(app, "carol", "/meeting new Theirs 2026-12-03 14:00", channel="other"),
        channel="other",
    )
    theirs = re.search(r"meeting number (\d+)", post)
    assert theirs, post
    n = theirs.group(1)
    await say(app, "alice", "hello", channel="other")  # alice is in both, not facilitating there
    await refused(app, "alice", f"/meeting cancel {n}", f"I can't find meeting {n} in this group")
    await refused(
        app,
        "alice",
        f"/meeting move {n} 2026-12-04 14:00",
        f"I can't find meeting {n} in this group",
    )
    assert [m.cancelled for m in await meetings(app)] == [False]


# --- cancelling -------------------------------------------------------------------------


async def test_cancel_a_one_off_meeting(app: App) -> None:
    await group_with(app, "bob")
    steering, _ = await plan(app, "/meeting new Steering 2026-12-03 14:00")
    coffee, _ = await plan(app, "/meeting new Coffee 2026-12-04 11:00")
    assert f"m{steering}:2026-12-03T14:00" in await reminder_times(app)
    post = told(await say(app, "alice", f"/meeting cancel {steering}"), "bob")
    assert f"Steering (meeting {steering}) is cancelled." in post
    assert "You won't get reminders for it." in post
    listing = privately(await say(app, "bob", "/meeting"), "bob")
    assert "Steering" not in listing and f"{coffee}. Coffee" in listing
    assert list(await reminder_times(app)) == [f"m{coffee}:2026-12-04T11:00"]
    await refused(app, "alice", f"/meeting cancel {steering}", f"I can't find meeting {steering}")


async def test_cancel_a_whole_series(app: App) -> None:
    await group_with(app, "bob")
    n, _ = await plan(app, "/meeting new Planning 2026-12-01 14:00 every 2 weeks")
    post = told(await say(app, "alice", f"/meeting cancel {n}"), "bob")
    assert f"Planning (meeting {n}) is cancelled. All its dates are cancelled." in post
    assert "no meetings planned" in privately(await say(app, "bob", "/meeting"), "bob")
    assert await reminder_times(app, days=200) == {}


async def test_cancel_one_date_of_a_series_keeps_the_others(app: App) -> None:
    await group_with(app, "bob")
    n, _ = await plan(app, "/meeting new Planning 2026-12-01 14:00 every 2 weeks")
    post = told(await say(app, "alice", f"/meeting cancel {n} 15 December"), "bob")
    assert post == (
        "Planning on Tuesday 15 December, 14:00 to 15:30 is cancelled. "
        "The other dates stay the same."
    )
    listing = privately(await say(app, "bob", "/meeting"), "bob")
    assert "Tuesday 1 December" in listing and "Tuesday 29 December" in listing
    assert "15 December" not in listing
    assert sorted(await reminder_times(app, days=31)) == [
        f"m{n}:2026-12-01T14:00",
        f"m{n}:2026-12-29T14:00",
    ]
    # Cancelling the same date twice says so and changes nothing.
    await refused(
        app,
        "alice",
        f"/meeting cancel {n} 15 December",
        f"Meeting {n} doesn't happen on 15 December",
    )


# --- moving -----------------------------------------------------------------------------


async def test_move_a_one_off_meeting_keeps_its_agenda_and_moves_its_reminders(
    app: App,
) -> None:
    await group_with(app, "bob")
    n, _ = await plan(app, "/meeting new Steering 2026-12-03 14:00")
    await say(app, "bob", "/agenda add Budget for 2027 minutes 20")
    post = told(await say(app, "alice", f"/meeting move {n} 2026-12-04 10:00"), "bob")
    assert post.splitlines() == [
        "Steering has moved from Thursday 3 December, 14:00 to 15:30 "
        "to Friday 4 December, 10:00 to 11:30.",
        "Reminders will follow the new time.",
    ]
    agenda = privately(await say(app, "bob", "/agenda"), "bob")
    assert "Agenda: Steering, Friday 4 December, 10:00 to 11:30" in agenda
    assert "1. 10:00 Budget for 2027 (20 min)" in agenda
    assert await reminder_times(app) == {f"m{n}:2026-12-03T14:00": utc(2026, 12, 3, 10, 0)}
    assert await reminder_times(app, "hourbefore") == {
        f"m{n}:2026-12-03T14:00": utc(2026, 12, 4, 9, 0)
    }
    # Moving it again changes the same date rather than adding another.
    told(await say(app, "alice", f"/meeting move {n} 2026-12-05 10:00"), "bob")
    assert await count_changes(app) == 1
    assert list((await reminder_times(app, "hourbefore")).values()) == [utc(2026, 12, 5, 9, 0)]


async def test_move_the_next_date_of_a_series(app: App) -> None:
    await group_with(app, "bob")
    n, _ = await plan(app, "/meeting new Planning 2026-12-01 14:00 every week")
    await say(app, "bob", "/agenda add Check-in minutes 10")
    post = told(await say(app, "alice", f"/meeting move {n} next Wednesday 3pm"), "bob")
    assert "from Tuesday 1 December, 14:00 to 15:30 to Wednesday 2 December, 15:00 to 16:30" in (
        post
    )
    listing = privately(await say(app, "bob", "/meeting"), "bob")
    assert listing.splitlines()[1:3] == [
        f"- {n}. Planning: Wednesday 2 December, 15:00 to 16:30",
        f"- {n}. Planning: Tuesday 8 December, 14:00 to 15:30",
    ]
    agenda = privately(await say(app, "bob", "/agenda"), "bob")
    assert "Wednesday 2 December" in agenda and "1. 15:00 Check-in (10 min)" in agenda
    due = await reminder_times(app, days=10)
    assert due == {
        f"m{n}:2026-12-01T14:00": utc(2026, 12, 1, 15, 0),
        f"m{n}:2026-12-08T14:00": utc(2026, 12, 7, 14, 0),
    }


@pytest.mark.parametrize(
    "text",
    [
        "/meeting new Planning blursday 2pm",
        "/meeting new Planning 2pm",
    ],
)
async def test_a_time_without_a_day_is_not_guessed(app: App, text: str) -> None:
    await say(app, "alice", "/group setup Steering group")
    result = await say(app, "alice", text)
    reply = texts(result)
    assert "Nothing was changed" in reply
    assert "/meeting new" in reply or "day" in reply


async def test_cancelling_a_one_off_on_another_date_changes_nothing(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    created = await say(app, "alice", "/meeting new Planning 2026-12-03 14:00")
    number = re.search(r"meeting number (\d+)", render_text(created.sent[0].message)[0])
    assert number is not None
    result = await say(app, "alice", f"/meeting cancel {number.group(1)} 2026-12-10")
    assert "doesn't happen on 2026-12-10" in render_text(result.sent[0].message)[0]
    listing = await say(app, "alice", "/meeting")
    assert "Planning" in render_text(listing.sent[0].message)[0]


async def test_next_weekday_said_early_in_the_week_says_which_day_was_understood(
    app: App,
) -> None:
    await group_with(app)  # Monday 30 November
    result = await say(app, "alice", "/meeting new Planning next Wednesday 2pm")
    said_to_alice = [render_text(a.message)[0] for a in result.sent if a.address.user]
    assert said_to_alice == [
        "You said 'next Wednesday'. I took that as this coming Wednesday, 2 December.\n"
        "If you meant the week after, move it with /meeting move 1 and the date."
    ]
    post = next(render_text(a.message)[0] for a in result.sent if a.address.user is None)
    assert "less than 3 days away, so everyone gets the pack with the agenda now" in post
