"""Meetings as iCalendar text (RFC 5545), written with the `icalendar` library.

A series is one VEVENT with its RRULE, EXDATE for each cancelled date, and a VEVENT
with RECURRENCE-ID for each date that moved or has an agenda. Times carry the
meeting's time zone (TZID) and the file holds a VTIMEZONE for it, so a 14:00 meeting
stays at 14:00 local time across clock changes. Each event has the bot's reminders:
a day and an hour before. UIDs are stable, so a calendar that takes the file again
updates the same events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vRecur

from handlers.core.due import DAY_BEFORE, HOUR_BEFORE
from handlers.core.occurrences import KEY_FORMAT, localise
from storage.models import Meeting, OccurrenceChange

PRODID = "-//alongside//co-production group meetings//EN"
MEDIA_TYPE = "text/calendar"
_URL = re.compile(r"https?://\S+", re.I)
_REMINDERS = ((DAY_BEFORE, "tomorrow"), (HOUR_BEFORE, "in an hour"))


@dataclass(frozen=True)
class Entry:
    """One meeting for the file: its changed dates, and agenda lines by date key."""

    meeting: Meeting
    changes: Sequence[OccurrenceChange] = ()
    agendas: Mapping[str, Sequence[str]] = field(default_factory=dict)


def uid(meeting: Meeting) -> str:
    """The meeting's UID: the same every time the file is made."""
    return f"meeting-{meeting.id}@group-{meeting.group_id}.alongside"


def ics(calendar_name: str, entries: Sequence[Entry], stamp: datetime) -> str:
    """The calendar text for these meetings; `stamp` (UTC) is when it was made."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    for entry in entries:
        for event in _events(entry, stamp.astimezone(UTC), calendar_name):
            cal.add_component(event)
    # VTIMEZONE rules from a year before the first date: a shorter file than from 1970
    starts = [e.meeting.local_start for e in entries] + [
        c.new_local_start for e in entries for c in e.changes if c.new_local_start
    ]
    cal.add_missing_timezones(first_date=date(min(starts).year - 1, 1, 1))
    text: bytes = cal.to_ical()
    return text.decode("utf-8")


def _events(entry: Entry, stamp: datetime, group: str) -> list[Event]:
    meeting = entry.meeting
    zone = ZoneInfo(meeting.timezone)
    changes = {c.occurrence: c for c in entry.changes if c.meeting_id == meeting.id}
    first = meeting.local_start.strftime(KEY_FORMAT)
    if not meeting.rrule:
        change = changes.get(first)
        start = change.new_local_start if change and change.new_local_start else None
        event = _event(entry, first, start or meeting.local_start, stamp, group)
        if meeting.cancelled or (change is not None and change.cancelled):
            event.add("status", "CANCELLED")
        return [event]
    series = _event(entry, None, meeting.local_start, stamp, group)
    series.add("rrule", _rule(meeting.rrule, zone))
    if meeting.cancelled:
        series.add("status", "CANCELLED")
        return [series]
    cancelled = sorted(k for k, c in changes.items() if c.cancelled)
    for key in cancelled:
        series.add("exdate", _local(key, zone))
    events = [series]
    moved = {k: c.new_local_start for k, c in changes.items() if c.new_local_start}
    for key in sorted((set(moved) | set(entry.agendas)) - set(cancelled)):
        start = moved.get(key) or datetime.strptime(key, KEY_FORMAT)
        one = _event(entry, key, start, stamp, group)
        one.add("recurrence-id", _local(key, zone))
        events.append(one)
    return events


def _event(entry: Entry, key: str | None, local: datetime, stamp: datetime, group: str) -> Event:
    """A VEVENT starting at the naive `local` time; `key` is the date it stands for, if one."""
    meeting = entry.meeting
    zone = ZoneInfo(meeting.timezone)
    start = local.replace(tzinfo=zone)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", stamp)
    event.add("summary", meeting.title)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
    if meeting.place:
        event.add("location", meeting.place)
        if link := _URL.search(meeting.place):
            event.add("url", link.group(0).rstrip(".,;)"))
    agenda = entry.agendas.get(key, ()) if key else ()
    event.add("description", _description(group, meeting, agenda))
    for before, when in _REMINDERS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{meeting.title} is {when}.")
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event


def _description(group: str, meeting: Meeting, agenda: Sequence[str]) -> str:
    lines = [f"A meeting of {group}. It is meeting number {meeting.id}."]
    if agenda:
        lines += ["", "Agenda:", *agenda]
    lines += ["", "Type /meeting in the group to see the latest times."]
    return "\n".join(lines)


def _rule(text: str, zone: ZoneInfo) -> vRecur:
    """The stored rule; an end date kept in local time becomes UTC, as RFC 5545 asks."""
    rule: vRecur = vRecur.from_ical(text)
    rule["UNTIL"] = [
        localise(u, zone) if isinstance(u, datetime) and u.tzinfo is None else u
        for u in rule.get("UNTIL", [])
    ]
    if not rule["UNTIL"]:
        del rule["UNTIL"]
    return rule


def _local(key: str, zone: ZoneInfo) -> datetime:
    return datetime.strptime(key, KEY_FORMAT).replace(tzinfo=zone)
