"""/meeting calendar (issue 18): the .ics file, read back with a second iCalendar library.

The file is written with `icalendar`; here it is read with `vobject` and expanded with
dateutil, using only the file's own VTIMEZONE (not the bot's zone data). A fortnightly
14:00 series in London runs from December 2026 across the March and October 2027 clock
changes, with one date cancelled and one moved: every date is still at 14:00 London
time, the cancelled date is gone and the moved one is at its new time.

The clock starts on Monday 30 November 2026, 09:00 UTC (09:00 in London).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import vobject
from dateutil import tz
from dateutil.rrule import rrulestr

from bot.app import App
from handlers.calendar.ics import Entry, ics
from handlers.core.messages import File, files_of
from storage.models import Meeting, OccurrenceChange
from tests.support import privately, refused, say

LONDON = ZoneInfo("Europe/London")
SERIES = (
    "/meeting new Steering 2026-12-03 14:00 every 2 weeks for 90m at https://meet.example.org/s"
)
UNTIL = datetime(2027, 12, 31)


async def the_file(app: App, who: str, said: str) -> tuple[str, File]:
    """The reply to `said` (to `who` alone) and the one file it carries."""
    result = await say(app, who, said)
    reply = privately(result, who)
    [item] = result.sent
    [found] = files_of(item.message)
    return reply, found


def expanded(text: str) -> dict[str, list[datetime]]:
    """Each UID's dates (as UTC) up to the end of 2027, read with vobject and dateutil.

    vobject reads the events; dateutil expands each rule in local wall-clock time, as
    RFC 5545 says, and places the times with the file's own VTIMEZONE, read by dateutil's
    tzical (vobject would use pytz's zone for a known TZID and ignore the VTIMEZONE).
    """
    parsed = vobject.readOne(text)
    zone = tz.tzical(io.StringIO(text)).get("Europe/London")
    events = list(parsed.vevent_list)

    def wall(value: datetime) -> datetime:  # the local time as written, without its zone
        return value.replace(tzinfo=None)

    dates: dict[str, list[datetime]] = {}
    for master in (e for e in events if not hasattr(e, "recurrence_id")):
        start = wall(master.dtstart.value)
        found = {start}
        if hasattr(master, "rrule"):
            rule = rrulestr(master.rrule.value, dtstart=start)
            found = set(rule.between(start, wall(UNTIL), inc=True))
        found -= {wall(d) for line in master.contents.get("exdate", []) for d in line.value}
        for one in events:
            if hasattr(one, "recurrence_id") and one.uid.value == master.uid.value:
                found.discard(wall(one.recurrence_id.value))
                found.add(wall(one.dtstart.value))
        dates[master.uid.value] = sorted(d.replace(tzinfo=zone).astimezone(UTC) for d in found)
    return dates


async def steering(app: App) -> None:
    """alice plans the series, cancels 22 April 2027, and moves the first date."""
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "alice", SERIES)
    await say(app, "alice", "/meeting cancel 1 22 April 2027")
    await say(app, "alice", "/meeting move 1 2026-12-04 10:00")
    await say(app, "alice", "/agenda add Budget minutes 20")


async def test_a_series_reads_back_with_its_exceptions_across_clock_changes(app: App) -> None:
    await steering(app)
    reply, ics = await the_file(app, "bob", "/meeting calendar")
    assert ics.name == "steering-group-meetings.ics" and ics.media_type == "text/calendar"
    assert "Here are the meetings of Steering group as a calendar file." in reply
    assert "a day before and an hour before" in reply

    [(uid, dates)] = expanded(ics.content).items()
    assert uid == "meeting-1@group-1.alongside"
    local = [d.astimezone(LONDON) for d in dates]
    moved, *rest = local
    assert moved == datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)  # moved from 3 December
    assert all((d.hour, d.minute, d.weekday()) == (14, 0, 3) for d in rest)
    assert all(b - a == timedelta(weeks=2) for a, b in pairwise(rest) if a.month != 4)
    days = [d.date().isoformat() for d in local]
    assert "2027-04-22" not in days and "2027-04-08" in days and "2027-05-06" in days
    # the same 14:00 in London is a different UTC hour either side of each clock change
    utc = {d.date().isoformat(): d.hour for d in dates}
    assert utc["2027-03-25"] == 14 and utc["2027-04-08"] == 13  # clocks go forward 28 March
    assert utc["2027-10-21"] == 13 and utc["2027-11-04"] == 14  # and back on 31 October


async def test_each_event_has_the_time_zone_place_reminders_and_agenda(app: App) -> None:
    await steering(app)
    _, ics = await the_file(app, "bob", "/meeting calendar 1")
    assert ics.name == "steering-group-meeting-1.ics"
    parsed = vobject.readOne(ics.content)
    assert parsed.vtimezone.tzid.value == "Europe/London"
    series, moved = parsed.vevent_list
    assert "DTSTART;TZID=Europe/London:20261203T140000" in ics.content
    assert series.rrule.value == "FREQ=WEEKLY;INTERVAL=2"
    assert [d.isoformat() for d in series.exdate.value] == ["2027-04-22T14:00:00+01:00"]
    for event in (series, moved):
        assert event.summary.value == "Steering"
        assert event.location.value == event.url.value == "https://meet.example.org/s"
        assert event.dtend.value - event.dtstart.value == timedelta(minutes=90)
        alarms = event.contents["valarm"]
        assert sorted(a.trigger.value for a in alarms) == [-timedelta(days=1), -timedelta(hours=1)]
        assert "Type /meeting in the group to see the latest times." in event.description.value
    assert "Agenda:\n1. 10:00 Budget (20 min)" in moved.description.value
    assert "Agenda" not in series.description.value


async def test_a_one_off_and_a_cancelled_meeting(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Planning 2026-12-10 10:00 at Room 4")
    await say(app, "alice", "/meeting new Social 2026-12-12 18:00")
    await say(app, "alice", "/meeting cancel 2")
    _, ics = await the_file(app, "alice", "/meeting calendar")
    [planning] = vobject.readOne(ics.content).vevent_list  # cancelled meetings are left out
    assert planning.dtstart.value == datetime(2026, 12, 10, 10, 0, tzinfo=UTC).astimezone(
        planning.dtstart.value.tzinfo
    )
    assert planning.location.value == "Room 4" and not hasattr(planning, "url")

    reply, ics = await the_file(app, "alice", "/meeting calendar 2")
    [social] = vobject.readOne(ics.content).vevent_list
    assert social.status.value == "CANCELLED" and "It is cancelled" in reply


async def test_unknown_meetings_and_none_planned_are_refused_kindly(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await refused(app, "alice", "/meeting calendar", "There are no meetings coming up")
    await say(app, "alice", "/meeting new Planning 2026-12-10 10:00")
    await refused(app, "alice", "/meeting calendar 9", "I can't find meeting 9 in this group.")
    await refused(app, "alice", "/meeting calendar next", "I can't find meeting next")


def meeting(rrule: str | None, zone: str = "Europe/London") -> Meeting:
    """A meeting as stored (not saved): Thursday 3 December 2026, 14:00 local time."""
    return Meeting(
        id=4,
        group_id=2,
        title="Planning",
        local_start=datetime(2026, 12, 3, 14, 0),
        timezone=zone,
        rrule=rrule,
        duration_minutes=60,
        place="Room 4",
        cancelled=False,
    )


def test_a_moved_one_off_meeting_is_one_event_at_its_new_time() -> None:
    one_off = meeting(None)
    moved = OccurrenceChange(
        meeting_id=4, occurrence="2026-12-03T14:00", new_local_start=datetime(2026, 12, 8, 9, 30)
    )
    text = ics("Group", [Entry(one_off, [moved])], datetime(2026, 11, 30, tzinfo=UTC))
    [event] = vobject.readOne(text).vevent_list
    assert event.dtstart.value.replace(tzinfo=None) == datetime(2026, 12, 8, 9, 30)
    assert not hasattr(event, "recurrence_id") and not hasattr(event, "rrule")
    assert event.uid.value == "meeting-4@group-2.alongside"


def test_an_end_date_kept_in_local_time_is_written_in_utc() -> None:
    series = meeting("FREQ=WEEKLY;INTERVAL=1;UNTIL=20270401T140000", "America/New_York")
    text = ics("Group", [Entry(series)], datetime(2026, 11, 30, tzinfo=UTC))
    # 14:00 in New York on 1 April (summer time, UTC-4) is 18:00 UTC, as RFC 5545 asks
    assert "UNTIL=20270401T180000Z" in vobject.readOne(text).vevent.rrule.value
