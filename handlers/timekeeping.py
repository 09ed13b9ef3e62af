"""Timekeeping for one meeting date: when each agenda item starts, where breaks go, overruns.

`timetable` is a pure function of the items' minutes, the meeting's length and
the group's break interval, so the pack, the agenda view and the break
reminders all agree. Its rules:

- items follow each other from the start; an item with no minutes takes no time;
- a break goes between items, at the item boundary nearest each break time
  (the break interval after the last break, or after the start), never inside
  an item, and never sooner than half the interval after the last one (or the
  start); once the timed items are done, at the break time itself;
- a break takes BREAK_LENGTH minutes, and the items after it start later;
- no break starts in the last NO_BREAK_AT_END minutes, or at the very start;
- the agenda overruns when its timed items (with their breaks) end after the
  meeting does.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.core.messages import Moment, Paragraph
from handlers.core.occurrences import Occurrence
from handlers.core.parsing import describe_duration
from handlers.core.when import at_time
from storage.models import AgendaItem, Group
from storage.uow import UnitOfWork

BREAK_LENGTH = 10
NO_BREAK_AT_END = 15


@dataclass(frozen=True)
class Timetable:
    """Minutes after the meeting's start: when each item and each break starts."""

    starts: tuple[int, ...]
    breaks: tuple[int, ...]
    ends: tuple[int, ...]
    length: int

    @property
    def planned(self) -> int:
        """When the timed items end, breaks between them included."""
        return max(self.ends, default=0)

    @property
    def overrun(self) -> int:
        """How many minutes the items run past the meeting's end (0 if they fit)."""
        return max(0, self.planned - self.length)

    @property
    def past_end(self) -> tuple[int, ...]:
        """The positions (from 0) of the items that end after the meeting does."""
        return tuple(i for i, end in enumerate(self.ends) if end > self.length)


def _break_before(at: int, took: int, due: int) -> bool:
    """Whether the break due at `due` goes at boundary `at`, before an item `took` long:
    its time has come, or this boundary is at least as near it as the next one."""
    return due <= at or (took > 0 and due - at <= at + took - due)


def timetable(minutes: Sequence[int | None], length: int, every: int | None) -> Timetable:
    """Place the items and the breaks of a meeting `length` minutes long (see the module)."""
    if not every:
        return _items_only(minutes, length)
    last_break_at = length - NO_BREAK_AT_END
    starts: list[int] = []
    ends: list[int] = []
    breaks: list[int] = []
    at, due = 0, every
    for m in minutes:
        took = m or 0
        soonest = due - every + max(every // 2, BREAK_LENGTH)
        if soonest <= at <= last_break_at and _break_before(at, took, due):
            breaks.append(at)
            due, at = at + every, at + BREAK_LENGTH
        starts.append(at)
        at += took
        ends.append(at)
    while 0 < max(at, due) <= last_break_at:
        at = max(at, due)
        breaks.append(at)
        due, at = at + every, at + BREAK_LENGTH
    return Timetable(tuple(starts), tuple(breaks), tuple(ends), length)


def _items_only(minutes: Sequence[int | None], length: int) -> Timetable:
    ends = tuple(itertools.accumulate(m or 0 for m in minutes))
    starts = tuple(end - (m or 0) for end, m in zip(ends, minutes, strict=True))
    return Timetable(starts, (), ends, length)


def length_of(o: Occurrence) -> int:
    """The meeting date's length in minutes."""
    return int((o.end - o.start).total_seconds() // 60)


async def agenda_times(
    uow: UnitOfWork, group: Group, o: Occurrence
) -> tuple[Sequence[AgendaItem], Timetable]:
    """One meeting date's agenda items and their timetable."""
    items = await uow.meetings.agenda(o.meeting.id, o.key)
    every = group.break_every_minutes or None
    return items, timetable([i.minutes for i in items], length_of(o), every)


def start_moments(o: Occurrence, table: Timetable) -> tuple[Moment, ...]:
    """Each agenda item's start time ('14:10') as a moment, in order, for the item lines."""
    return tuple(at_time(clock(o, start), o.zone) for start in table.starts)


def clock(o: Occurrence, minutes: int) -> datetime:
    """The local time `minutes` after the meeting date starts."""
    return (o.start + timedelta(minutes=minutes)).astimezone(o.zone)


def overrun_note(o: Occurrence, items: Sequence[AgendaItem], table: Timetable) -> Paragraph | None:
    """A plain note for facilitators when the agenda runs past the end (None if it fits)."""
    if not table.overrun:
        return None
    late = [f"item {i + 1}, {items[i].text[:60]}" for i in table.past_end]
    these = "This would" if len(late) == 1 else "These would"
    breaks = sum(b < table.planned for b in table.breaks)
    with_breaks = {0: "", 1: ", with a break"}.get(breaks, f", with {breaks} breaks")
    end = at_time(clock(o, table.length), o.zone)
    return Paragraph(
        f"The agenda for {o.meeting.title} ({o.when()}) runs "
        f"{describe_duration(timedelta(minutes=table.overrun))} past the end at {end.text}. "
        f"Its items take {describe_duration(timedelta(minutes=table.planned))}{with_breaks}. "
        f"{these} end after {end.text}: {'; '.join(late)}. You could give an item fewer "
        "minutes, take one off with /agenda remove, or put the ones that matter most first "
        "with /agenda move.",
        (end, end),
    )
