"""When each agenda item and break comes in a live meeting, after the chair's moves.

A pure function of the planned timetable (handlers/timekeeping.py) and the
chair's latest move (`Steer`): the item they moved to, when it starts, and
the minutes they added to it. Every later item and break keeps its planned
place relative to that item's end, so `/more 10m` moves the rest 10 minutes
later and `/next` early brings the rest forward. Items and breaks before the
chair's item are over. Without a move, everything is as planned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from handlers.timekeeping import BREAK_LENGTH, Timetable

#: The chair's private note comes this long before an item's time is up...
WARNING = timedelta(minutes=5)
#: ...for items at least this long (a 5-minute item needs no 5-minute warning).
WARN_FROM = 10

Kind = Literal["open", "call", "warn", "break"]


@dataclass(frozen=True)
class Steer:
    """The chair's latest move: `item` (from 0) starts at `start`, with `extra` minutes."""

    item: int
    start: datetime
    extra: int
    changed_at: datetime


@dataclass(frozen=True)
class Event:
    """Something the bot says in the meeting: the opening agenda, an item's call, the
    chair's 5-minute note, or a break. `item` is the item it is about (the next
    item, for a break; None for a break once the items are done)."""

    kind: Kind
    at: datetime
    item: int | None


@dataclass(frozen=True)
class Live:
    """Where every item and break falls now. Items before the chair's item have no time."""

    starts: tuple[datetime | None, ...]
    ends: tuple[datetime | None, ...]
    breaks: tuple[datetime, ...]
    first: int

    def current(self, now: datetime) -> int:
        """The item under way at `now` (the last one started); -1 before the first."""
        started = [i for i, s in enumerate(self.starts) if s is not None and s <= now]
        return max(started, default=self.first - 1)

    def break_before(self, item: int, now: datetime) -> bool:
        """Whether a break that hasn't started by `now` comes before `item` starts."""
        start = self.starts[item] if item < len(self.starts) else None
        return start is not None and any(now < b < start for b in self.breaks)


def place(start: datetime, minutes: Sequence[int], table: Timetable, steer: Steer | None) -> Live:
    """Every item's start and end, and every break, after the chair's latest move."""
    starts = [start + timedelta(minutes=m) for m in table.starts]
    ends = [start + timedelta(minutes=m) for m in table.ends]
    breaks = [start + timedelta(minutes=m) for m in table.breaks]
    if steer is None or not 0 <= steer.item < len(minutes):
        return Live(tuple(starts), tuple(ends), tuple(breaks), 0)
    i = steer.item
    end = steer.start + timedelta(minutes=minutes[i] + steer.extra)
    shift = end - ends[i]
    moved_breaks = [b + shift for b in breaks if b >= ends[i]]
    before = steer.start - timedelta(minutes=BREAK_LENGTH)
    if before >= steer.changed_at and any(
        b + timedelta(minutes=BREAK_LENGTH) == starts[i] for b in breaks
    ):
        moved_breaks.insert(0, before)
    new_starts: list[datetime | None] = [None] * i + [steer.start]
    new_ends: list[datetime | None] = [None] * i + [end]
    new_starts += [s + shift for s in starts[i + 1 :]]
    new_ends += [e + shift for e in ends[i + 1 :]]
    return Live(tuple(new_starts), tuple(new_ends), tuple(moved_breaks), i)


def events(live: Live, minutes: Sequence[int], opening: datetime, steered: bool) -> list[Event]:
    """What the bot says, in time order: the opening agenda at the start (unless the
    chair has already moved things on), each timed item's call (and the item the
    chair moved to, timed or not), the chair's note before a long item's time is
    up, and the breaks. Items that start with the meeting are called in the opening."""
    found: list[Event] = []
    if not steered:
        found.append(Event("open", opening, None))
    for i, (start, end) in enumerate(zip(live.starts, live.ends, strict=True)):
        if start is None or end is None:
            continue
        anchored = steered and i == live.first
        if (minutes[i] > 0 or anchored) and (steered or start != opening):
            found.append(Event("call", start, i))
        if minutes[i] >= WARN_FROM or (anchored and end - start >= timedelta(minutes=WARN_FROM)):
            found.append(Event("warn", end - WARNING, i))
    for b in live.breaks:
        after = [i for i, s in enumerate(live.starts) if s is not None and s > b]
        found.append(Event("break", b, min(after, default=None)))
    return sorted(found, key=lambda e: (e.at, e.kind != "break"))
