"""What a check-in round is: its two kinds, and when each opens and closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.due import DAY_BEFORE, HOUR_AFTER, HOUR_BEFORE
from handlers.core.occurrences import Occurrence
from storage.models import CheckinSettings

BEFORE, AFTER = "before", "after"
AFTER_OPEN = timedelta(days=1)  # how long the after-meeting check-in takes answers


def windows(settings: CheckinSettings, o: Occurrence) -> list[tuple[str, datetime, datetime]]:
    """(kind, opens, closes) for each check-in that is on."""
    found = []
    if settings.before_minutes is not None:
        found.append((BEFORE, o.start - timedelta(minutes=settings.before_minutes), o.end))
    if settings.after_minutes is not None:
        opens = o.end + timedelta(minutes=settings.after_minutes)
        found.append((AFTER, opens, opens + AFTER_OPEN))
    return found


def with_reminder(kind: str, o: Occurrence, opens: datetime) -> bool:
    """Whether this check-in opens just as a meeting reminder goes (and so goes in it)."""
    if kind == BEFORE:
        return o.start - opens in (DAY_BEFORE, HOUR_BEFORE)
    return opens - o.end == HOUR_AFTER
