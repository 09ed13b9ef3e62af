"""When a message may reach someone: after their quiet hours, and after their away dates.

Pure functions of (time, the person's settings, the group's time zone), so
the rules read and test on their own, across midnight and daylight saving.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models import Preferences


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    """Whether a local time falls in quiet hours (which may run past midnight)."""
    if start < end:
        return start <= local < end
    return local >= start or local < end


def after_quiet_hours(when: datetime, prefs: Preferences, zone: ZoneInfo) -> datetime:
    """`when`, or the end of the recipient's quiet hours if it falls inside them."""
    if prefs.quiet_start is None or prefs.quiet_end is None:
        return when
    local = when.astimezone(zone)
    if not in_quiet_hours(local.time(), prefs.quiet_start, prefs.quiet_end):
        return when
    end = local.replace(
        hour=prefs.quiet_end.hour, minute=prefs.quiet_end.minute, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(UTC)


#: A message that waited for someone to come back goes out at this local time.
BACK_AT = time(9, 0)


def back_from_away(when: datetime, away: Sequence[tuple[date, date]], zone: ZoneInfo) -> datetime:
    """`when`, or the first morning after the away dates it falls in."""
    local = when.astimezone(zone)
    day = local.date()
    moved = False
    while any(first <= day <= last for first, last in away):
        day = max(last for first, last in away if first <= day <= last) + timedelta(days=1)
        moved = True
    if not moved:
        return when
    return datetime.combine(day, BACK_AT, tzinfo=zone).astimezone(UTC)
