"""Reading dates and times the way people write them, in the group's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import dateparser

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _settings(base: datetime) -> dict[str, object]:
    return {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }


def parse_day(text: str, today: date) -> date | None:
    """'2026-12-20', '20 December', 'next Tuesday', 'tomorrow' -> date; None if unclear."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if _ISO_DAY.match(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            return None
    parsed = dateparser.parse(
        cleaned, languages=["en"], settings=_settings(datetime.combine(today, time(12)))
    )
    return parsed.date() if parsed else None


def parse_local_datetime(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """'2026-12-03 14:00', 'next Tuesday 2pm', 'tomorrow 10:30' -> naive local datetime."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    base = now.astimezone(zone)
    parsed = dateparser.parse(cleaned, languages=["en"], settings=_settings(base))
    if parsed is None:
        return None
    return parsed.replace(second=0, microsecond=0)
