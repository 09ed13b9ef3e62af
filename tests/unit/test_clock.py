"""The injected clock, and reading durations, times of day and dates as people write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.core.parsing import describe_duration, parse_duration, parse_time_of_day
from handlers.core.when import parse_day, parse_local_datetime
from scheduler.clock import SystemClock, VirtualClock

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


# --- VirtualClock ----------------------------------------------------------------------


def test_virtual_clock_stands_still_until_moved() -> None:
    clock = VirtualClock(START)
    assert clock.now() == START
    assert clock.now() == START


def test_virtual_clock_advances() -> None:
    clock = VirtualClock(START)
    clock.advance(timedelta(days=2, hours=3))
    assert clock.now() == datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    clock.advance(timedelta(0))
    assert clock.now() == datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_virtual_clock_moves_forward_to_a_time() -> None:
    clock = VirtualClock(START)
    later = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    clock.set(later)
    assert clock.now() == later
    clock.set(later)  # staying put is allowed
    assert clock.now() == later


def test_virtual_clock_never_goes_back() -> None:
    clock = VirtualClock(START)
    with pytest.raises(ValueError, match="never goes backwards"):
        clock.set(START - timedelta(seconds=1))
    with pytest.raises(ValueError, match="never goes backwards"):
        clock.advance(timedelta(minutes=-1))
    assert clock.now() == START


def test_virtual_clock_needs_aware_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        VirtualClock(datetime(2026, 11, 30, 9, 0))
    clock = VirtualClock(START)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2027, 1, 1, 9, 0))
    assert clock.now() == START


def test_virtual_clock_keeps_utc_whatever_zone_it_is_given() -> None:
    clock = VirtualClock(datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    assert clock.now() == START
    assert clock.now().utcoffset() == timedelta(0)
    assert clock.now().tzinfo == UTC
    clock.set(datetime(2026, 11, 30, 5, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert clock.now() == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo == UTC
    # an earlier instant written in a later-looking zone is still refused
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 11, 30, 11, 0, tzinfo=timezone(timedelta(hours=2))))


def test_system_clock_is_aware_utc_and_real() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    after = datetime.now(UTC)
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert before <= now <= after


# --- durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("90 minutes", timedelta(minutes=90)),
        ("2 days", timedelta(days=2)),
        ("2d3h", timedelta(days=2, hours=3)),
        ("1 hour and 30 minutes", timedelta(hours=1, minutes=30)),
        ("1 day, 2 hours", timedelta(days=1, hours=2)),
        ("45 mins", timedelta(minutes=45)),
        ("3 hrs", timedelta(hours=3)),
        ("1HR", timedelta(hours=1)),
        ("0m", timedelta(0)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "90",
        "1 month",
        "1h soon",
        "-2h",
        "h",
        "and",
        "2 weeks",
        "1.5h",
        "99999999999999999999d",
    ],
)
def test_parse_duration_refuses_what_is_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(minutes=90), "1 hour 30 minutes"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=1, minutes=1), "2 days 1 hour 1 minute"),
        (timedelta(minutes=10), "10 minutes"),
        (timedelta(0), "0 minutes"),
        (timedelta(seconds=59), "0 minutes"),
    ],
)
def test_describe_duration(delta: timedelta, words: str) -> None:
    assert describe_duration(delta) == words


# --- times of day ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:00", time(21, 0)),
        ("08:00", time(8, 0)),
        ("9pm", time(21, 0)),
        ("7:30am", time(7, 30)),
        ("7:30 AM", time(7, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0:05", time(0, 5)),
        (" 23:59 ", time(23, 59)),
        ("7", time(7, 0)),
    ],
)
def test_parse_time_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text", ["", "24:00", "21:60", "13pm", "0am", "noonish", "9 o'clock", "21:0", "-1:00"]
)
def test_parse_time_of_day_refuses_what_is_not_a_time(text: str) -> None:
    assert parse_time_of_day(text) is None


# --- days and local date-times ---------------------------------------------------------

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-20", date(2026, 12, 20)),
        ("20 December", date(2026, 12, 20)),
        ("3 January", date(2027, 1, 3)),  # the next one, not the one just gone
        ("tomorrow", date(2026, 12, 1)),
        ("Tuesday", date(2026, 12, 1)),
        ("1/2/2027", date(2027, 2, 1)),  # day first, as in the UK
        ("  24   Dec ", date(2026, 12, 24)),
    ],
)
def test_parse_day(text: str, expected: date) -> None:
    assert parse_day(text, MONDAY) == expected


@pytest.mark.parametrize("text", ["", "   ", "banana", "2026-02-30", "2026-13-01"])
def test_parse_day_refuses_what_is_not_a_day(text: str) -> None:
    assert parse_day(text, MONDAY) is None


def test_parse_local_datetime_reads_local_wall_clock_time() -> None:
    london = ZoneInfo("Europe/London")
    assert parse_local_datetime("2026-12-03 14:00", START, london) == datetime(2026, 12, 3, 14, 0)
    assert parse_local_datetime("3 Dec 9am", START, london) == datetime(2026, 12, 3, 9, 0)
    assert parse_local_datetime("tomorrow 10:30", START, london) == datetime(2026, 12, 1, 10, 30)
    assert parse_local_datetime("banana", START, london) is None
    assert parse_local_datetime("  ", START, london) is None


def test_parse_local_datetime_counts_days_in_the_groups_zone() -> None:
    late_monday_utc = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    # In Auckland it is already 12:30 on Tuesday 1 December, so "tomorrow" is the 2nd.
    auckland = parse_local_datetime("tomorrow 10:30", late_monday_utc, ZoneInfo("Pacific/Auckland"))
    assert auckland == datetime(2026, 12, 2, 10, 30)
    london = parse_local_datetime("tomorrow 10:30", late_monday_utc, ZoneInfo("Europe/London"))
    assert london == datetime(2026, 12, 1, 10, 30)
    assert auckland is not None and auckland.tzinfo is None
