"""Reading dates and times the way people write them, in the group's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import dateparser

from handlers.core.messages import Moment, Paragraph
from handlers.core.occurrences import Occurrence

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_12 = re.compile(r"(?<![\d.:])(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)\b", re.I)
_TIME_24 = re.compile(r"(?<![\d.:])(\d{1,2}):(\d{2})(?![\d:])")
_NOON = re.compile(r"\b(?:noon|midday)\b", re.I)
_MONTH = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b", re.I)


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


def _written_times(text: str) -> tuple[list[time | None], str]:
    """Each time of day written in `text` (None for one that can't exist, like 25:00),
    and the text without them."""
    found: list[time | None] = []

    def take(match: re.Match[str]) -> str:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        half = match.group(3) if match.re is _TIME_12 else None
        if half and not 1 <= hour <= 12:
            hour = 99  # like 13pm or 0am
        elif half:
            hour = hour % 12 + (12 if half.lower() == "pm" else 0)
        found.append(time(hour, minute) if hour <= 23 and minute <= 59 else None)
        return " "

    rest = _TIME_24.sub(take, _TIME_12.sub(take, text))
    found += [time(12)] * len(_NOON.findall(rest))
    return found, _NOON.sub(" ", rest)


def parse_local_datetime(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """'2026-12-03 14:00', 'next Tuesday 2pm', 'tomorrow 10:30' -> naive local datetime.

    None when unclear: the date parser quietly drops what it can't read (it takes
    'tomorrow 25:00' as tomorrow at the current time), so the time it returns must be
    the one written, and a month needs a day ('February 2pm' is not a date).
    """
    cleaned = " ".join(_NOON.sub("noon", text).split())
    if not cleaned:
        return None
    times, rest = _written_times(cleaned)
    if None in times or len(set(times)) > 1:
        return None
    if _MONTH.search(rest) and not _DAY_NUMBER.search(rest):
        return None
    base = now.astimezone(zone)
    parsed: datetime | None = dateparser.parse(cleaned, languages=["en"], settings=_settings(base))
    if parsed is None:
        return None
    parsed = parsed.replace(second=0, microsecond=0)
    if times and parsed.time() != times[0]:
        return None
    return parsed


#: What people call the time in a zone, where it isn't just the city's name.
_ZONE_NAMES = {
    "Europe/London": "UK time",
    "Europe/Belfast": "UK time",
    "GB": "UK time",
    "Europe/Dublin": "Irish time",
    "Europe/Guernsey": "UK time",
    "Europe/Isle_of_Man": "UK time",
    "Europe/Jersey": "UK time",
    "UTC": "world time (UTC)",
    "Etc/UTC": "world time (UTC)",
}


def zone_name(key: str) -> str:
    """How people say a time zone: 'Europe/London' -> 'UK time', 'America/New_York' ->
    'New York time' (the city's name for any zone without a common one)."""
    if key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time"


def when_shown(o: Occurrence, zone_words: str = "") -> tuple[str, tuple[Moment, ...]]:
    """`o.when()` followed by `zone_words` (like ', UK time'), and its start and end
    as moments, so Slack can show them in each reader's own time zone."""
    start, end = o.local_start, o.end.astimezone(o.zone)
    day_time, finish = f"{start:%A} {start.day} {start:%B}, {start:%H:%M}", f"{end:%H:%M}"
    return f"{day_time} to {finish}{zone_words}", (
        Moment(day_time, o.start, "day_time"),
        Moment(finish, o.end, "time", zone_words),
    )


def at_time(at: datetime, zone: ZoneInfo, zone_words: str = "") -> Moment:
    """'14:00': the time of day `at` shows in `zone`, as a moment (followed by
    `zone_words`, if given), so Slack can show it in each reader's own zone."""
    return Moment(f"{at.astimezone(zone):%H:%M}", at, "time", zone_words)


def on_day_at(at: datetime, zone: ZoneInfo) -> Moment:
    """'Saturday 5 December at 14:00' in `zone`, as a moment."""
    local = at.astimezone(zone)
    return Moment(f"{local:%A} {local.day} {local:%B} at {local:%H:%M}", at, "day_time")


def said_at(before: str, at: datetime, zone: ZoneInfo | str, after: str = "") -> Paragraph:
    """A paragraph with the day and time `at` ('Friday 4 December at 17:00' in `zone`)
    between `before` and `after`, marked so Slack shows it in each reader's zone."""
    moment = on_day_at(at, zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))
    return Paragraph(f"{before}{moment.text}{after}", (moment,))
