"""Turning meetings (one-off or recurring) into dated occurrences, in UTC and local time.

A series is expanded in the group's local wall-clock time and only then given
its zone, so a fortnightly 14:00 meeting stays at 14:00 across clock changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from storage.models import Group, Meeting, OccurrenceChange
from storage.uow import UnitOfWork

KEY_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class Occurrence:
    """One date of a meeting. `key` is its original local start and never changes.

    `ended_at` is when the chair said /end in a live meeting, if they did.
    """

    meeting: Meeting
    key: str
    start: datetime
    zone: ZoneInfo
    ended_at: datetime | None = None

    @property
    def end(self) -> datetime:
        """When it finishes (or finished, if the chair ended it), in UTC."""
        return self.ended_at or self.planned_end

    @property
    def planned_end(self) -> datetime:
        """When it is planned to finish, in UTC."""
        return self.start + timedelta(minutes=self.meeting.duration_minutes)

    @property
    def local_start(self) -> datetime:
        """The start in the group's time zone."""
        return self.start.astimezone(self.zone)

    def when(self) -> str:
        """'Thursday 3 December, 14:00 to 15:30' in local time."""
        start, end = self.local_start, self.end.astimezone(self.zone)
        return f"{start:%A} {start.day} {start:%B}, {start:%H:%M} to {end:%H:%M}"


def localise(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive local time in `zone` as an aware UTC time (earlier of two on fall-back)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def exists_locally(local: datetime, zone: ZoneInfo) -> bool:
    """False for times skipped when clocks go forward (like 01:30 on spring-forward day)."""
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def expand(
    meeting: Meeting,
    changes: Iterable[OccurrenceChange],
    start: datetime,
    end: datetime,
) -> list[Occurrence]:
    """The meeting's occurrences that start in [start, end), with moves and cancellations."""
    if meeting.cancelled:
        return []
    zone = ZoneInfo(meeting.timezone)
    by_key = {c.occurrence: c for c in changes if c.meeting_id == meeting.id}
    margin = timedelta(days=32)
    local_from = start.astimezone(zone).replace(tzinfo=None) - margin
    local_to = end.astimezone(zone).replace(tzinfo=None) + margin
    if meeting.rrule:
        rule = rrulestr(meeting.rrule, dtstart=meeting.local_start)
        originals: Sequence[datetime] = rule.between(local_from, local_to, inc=True)
        # A date moved further than the margin still counts where it is now.
        moved_here = [
            datetime.strptime(c.occurrence, KEY_FORMAT)
            for c in by_key.values()
            if c.new_local_start is not None and local_from <= c.new_local_start <= local_to
        ]
        real = [m for m in moved_here if rule.between(m, m, inc=True)]
        originals = sorted(set(originals) | set(real))
    else:
        originals = [meeting.local_start]
    found = []
    for original in originals:
        key = original.strftime(KEY_FORMAT)
        change = by_key.get(key)
        if change is not None and change.cancelled:
            continue
        local = change.new_local_start if change and change.new_local_start else original
        when = localise(local, zone)
        if start <= when < end:
            found.append(Occurrence(meeting, key, when, zone))
    return sorted(found, key=lambda o: o.start)


async def between(
    uow: UnitOfWork, group: Group, start: datetime, end: datetime
) -> list[Occurrence]:
    """Every occurrence of the group's meetings starting in [start, end), in order."""
    return await _of(uow, await uow.meetings.of_group(group.id), start, end)


async def _of(
    uow: UnitOfWork, meetings: Sequence[Meeting], start: datetime, end: datetime
) -> list[Occurrence]:
    """Every occurrence of these meetings starting in [start, end), in order."""
    changes = await uow.meetings.changes([m.id for m in meetings])
    found = [o for m in meetings for o in expand(m, changes, start, end)]
    return sorted(await _with_real_ends(uow, found), key=lambda o: (o.start, o.meeting.id))


async def _with_real_ends(uow: UnitOfWork, found: list[Occurrence]) -> list[Occurrence]:
    """The occurrences, each with the time the chair ended it, where they did."""
    ended = await uow.live.ended(sorted({o.meeting.id for o in found}))
    return [replace(o, ended_at=ended.get((o.meeting.id, o.key))) for o in found]


async def upcoming(
    uow: UnitOfWork, group: Group, now: datetime, limit: int = 5
) -> list[Occurrence]:
    """The next occurrences that have not finished yet (a meeting in progress counts)."""
    meetings = await uow.meetings.of_group(group.id)
    longest = max((m.duration_minutes for m in meetings), default=0)
    found = await _of(uow, meetings, now - timedelta(minutes=longest), now + timedelta(days=400))
    return [o for o in found if o.end > now][:limit]


async def of_meeting(
    uow: UnitOfWork, meeting: Meeting, now: datetime, limit: int = 1
) -> list[Occurrence]:
    """The next unfinished occurrences of one meeting."""
    changes = await uow.meetings.changes([meeting.id])
    start = now - timedelta(minutes=meeting.duration_minutes)
    found = await _with_real_ends(uow, expand(meeting, changes, start, now + timedelta(days=400)))
    return [o for o in found if o.end > now][:limit]
