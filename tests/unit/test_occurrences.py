"""Meeting dates across clock changes: series keep their local time, reminders their offsets.

The pure tests build meetings by hand and expand them; the last ones plan reminders and
packs from a real database for a series that spans a clock change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from handlers import live, packs, reminders
from handlers.core.occurrences import Occurrence, exists_locally, expand, localise
from scheduler.clock import VirtualClock
from storage.models import Group, Meeting, OccurrenceChange
from storage.uow import UnitOfWork
from tests.support import GROUP, say

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
CREATED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def meeting(
    first: datetime,
    zone: str = "Europe/London",
    rrule: str | None = "FREQ=WEEKLY;INTERVAL=2",
    minutes: int = 90,
    meeting_id: int = 1,
) -> Meeting:
    """A meeting built by hand, never stored."""
    return Meeting(
        id=meeting_id,
        group_id=1,
        title="Steering group",
        local_start=first,
        timezone=zone,
        rrule=rrule,
        duration_minutes=minutes,
        place=None,
        cancelled=False,
        created_at=CREATED,
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def starts(found: list[Occurrence]) -> list[datetime]:
    return [o.start for o in found]


def local_times(found: list[Occurrence]) -> set[str]:
    return {f"{o.local_start:%H:%M}" for o in found}


# --- series keep their local time across clock changes ---------------------------------


def test_fortnightly_london_meeting_stays_at_two_in_the_afternoon_all_year() -> None:
    # Sundays, so dates fall on the change days themselves: 25 Oct 2026 (back) and
    # 28 Mar 2027 (forward). 31 Oct 2027 (back) falls between two dates.
    series = meeting(datetime(2026, 10, 11, 14, 0))
    found = expand(series, [], utc(2026, 10, 1), utc(2027, 11, 15))
    assert len(found) == 29
    assert local_times(found) == {"14:00"}
    assert {o.local_start.strftime("%A") for o in found} == {"Sunday"}
    by_key = {o.key: o.start for o in found}
    assert by_key["2026-10-11T14:00"] == utc(2026, 10, 11, 13, 0)  # BST, UTC+1
    assert by_key["2026-10-25T14:00"] == utc(2026, 10, 25, 14, 0)  # clocks went back at 02:00
    assert by_key["2027-03-14T14:00"] == utc(2027, 3, 14, 14, 0)  # GMT
    assert by_key["2027-03-28T14:00"] == utc(2027, 3, 28, 13, 0)  # clocks went forward at 01:00
    assert by_key["2027-10-24T14:00"] == utc(2027, 10, 24, 13, 0)
    assert by_key["2027-11-07T14:00"] == utc(2027, 11, 7, 14, 0)
    gaps = {b - a for a, b in zip(starts(found), starts(found)[1:], strict=False)}
    assert gaps == {timedelta(days=14), timedelta(days=14, hours=1), timedelta(days=14, hours=-1)}


def test_weekly_london_meeting_moves_in_utc_only_over_each_change() -> None:
    series = meeting(datetime(2027, 10, 17, 14, 0), rrule="FREQ=WEEKLY")
    found = expand(series, [], utc(2027, 10, 1), utc(2027, 11, 8))
    assert starts(found) == [
        utc(2027, 10, 17, 13, 0),
        utc(2027, 10, 24, 13, 0),
        utc(2027, 10, 31, 14, 0),  # last Sunday of October 2027
        utc(2027, 11, 7, 14, 0),
    ]
    assert local_times(found) == {"14:00"}


def test_new_york_meeting_keeps_its_local_time_on_american_change_dates() -> None:
    # The US changes on other Sundays: 1 Nov 2026 (back) and 14 Mar 2027 (forward).
    series = meeting(datetime(2026, 10, 25, 14, 0), zone="America/New_York", rrule="FREQ=WEEKLY")
    autumn = expand(series, [], utc(2026, 10, 20), utc(2026, 11, 10))
    assert starts(autumn) == [
        utc(2026, 10, 25, 18, 0),  # EDT, UTC-4
        utc(2026, 11, 1, 19, 0),  # EST, UTC-5
        utc(2026, 11, 8, 19, 0),
    ]
    spring = expand(series, [], utc(2027, 3, 5), utc(2027, 3, 22))
    assert starts(spring) == [
        utc(2027, 3, 7, 19, 0),
        utc(2027, 3, 14, 18, 0),
        utc(2027, 3, 21, 18, 0),
    ]
    assert local_times(autumn + spring) == {"14:00"}


def test_sydney_meeting_keeps_its_local_time_on_southern_change_dates() -> None:
    # Sydney's summer time ends on 4 Apr 2027 and starts again on 3 Oct 2027.
    series = meeting(datetime(2027, 3, 28, 14, 0), zone="Australia/Sydney", rrule="FREQ=WEEKLY")
    autumn = expand(series, [], utc(2027, 3, 27), utc(2027, 4, 12))
    assert starts(autumn) == [
        utc(2027, 3, 28, 3, 0),  # AEDT, UTC+11
        utc(2027, 4, 4, 4, 0),  # AEST, UTC+10
        utc(2027, 4, 11, 4, 0),
    ]
    spring = expand(series, [], utc(2027, 9, 25), utc(2027, 10, 11))
    assert starts(spring) == [
        utc(2027, 9, 26, 4, 0),
        utc(2027, 10, 3, 3, 0),  # AEDT again
        utc(2027, 10, 10, 3, 0),
    ]
    assert local_times(autumn + spring) == {"14:00"}


def test_monthly_series_keeps_its_day_and_time() -> None:
    series = meeting(datetime(2027, 1, 5, 18, 30), rrule="FREQ=MONTHLY")
    found = expand(series, [], utc(2027, 1, 1), utc(2027, 6, 1))
    assert [f"{o.local_start:%d %b %H:%M}" for o in found] == [
        "05 Jan 18:30",
        "05 Feb 18:30",
        "05 Mar 18:30",
        "05 Apr 18:30",
        "05 May 18:30",
    ]
    assert found[3].start == utc(2027, 4, 5, 17, 30)


def test_a_date_in_the_skipped_hour_happens_an_hour_later_by_the_clock() -> None:
    # A weekly 01:30 series meets the spring-forward night: 01:30 doesn't exist that
    # day, so it is read with the offset from before the gap (01:30 GMT = 02:30 BST).
    series = meeting(datetime(2027, 3, 21, 1, 30), rrule="FREQ=WEEKLY", minutes=60)
    found = expand(series, [], utc(2027, 3, 20), utc(2027, 4, 5))
    assert [f"{o.local_start:%d %H:%M}" for o in found] == ["21 01:30", "28 02:30", "04 01:30"]
    assert [o.key for o in found][1] == "2027-03-28T01:30"


def test_a_date_in_the_repeated_hour_is_the_first_of_the_two() -> None:
    # 01:30 happens twice on 25 Oct 2026 in London; the meeting is at the first (BST).
    series = meeting(datetime(2026, 10, 18, 1, 30), rrule="FREQ=WEEKLY", minutes=30)
    found = expand(series, [], utc(2026, 10, 24), utc(2026, 11, 2))
    assert starts(found) == [utc(2026, 10, 25, 0, 30), utc(2026, 11, 1, 1, 30)]
    assert found[0].local_start.utcoffset() == timedelta(hours=1)
    assert localise(datetime(2026, 10, 25, 1, 30), LONDON) == utc(2026, 10, 25, 0, 30)
    assert localise(datetime(2026, 11, 1, 1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_a_meeting_across_the_change_lasts_its_real_length() -> None:
    # On the night the clocks go back, a two-hour meeting from 00:30 ends at 01:30 by
    # the clock: it still lasts the two hours it was planned for.
    one_off = meeting(datetime(2026, 10, 25, 0, 30), rrule=None, minutes=120)
    [found] = expand(one_off, [], utc(2026, 10, 1), utc(2026, 11, 1))
    assert found.end - found.start == timedelta(hours=2)
    assert found.when() == "Sunday 25 October, 00:30 to 01:30"


# --- window, moves, cancellations -----------------------------------------------------


def test_window_includes_its_start_and_excludes_its_end() -> None:
    series = meeting(datetime(2027, 1, 7, 14, 0), rrule="FREQ=WEEKLY")
    found = expand(series, [], utc(2027, 1, 14, 14, 0), utc(2027, 1, 28, 14, 0))
    assert [o.key for o in found] == ["2027-01-14T14:00", "2027-01-21T14:00"]


def test_one_off_meeting_has_a_single_date_and_a_cancelled_one_has_none() -> None:
    one_off = meeting(datetime(2026, 12, 3, 14, 0), rrule=None)
    [found] = expand(one_off, [], utc(2026, 11, 1), utc(2027, 12, 1))
    assert (found.key, found.start) == ("2026-12-03T14:00", utc(2026, 12, 3, 14, 0))
    assert found.when() == "Thursday 3 December, 14:00 to 15:30"
    one_off.cancelled = True
    assert expand(one_off, [], utc(2026, 11, 1), utc(2027, 12, 1)) == []


def test_moved_and_cancelled_dates_keep_their_original_key() -> None:
    series = meeting(datetime(2027, 3, 7, 14, 0))  # 7, 21 Mar, 4, 18 Apr
    changes = [
        # 21 Mar (GMT) moves to Tuesday 30 Mar 10:00, after the clocks went forward.
        OccurrenceChange(
            meeting_id=1,
            occurrence="2027-03-21T14:00",
            new_local_start=datetime(2027, 3, 30, 10, 0),
            cancelled=False,
        ),
        OccurrenceChange(meeting_id=1, occurrence="2027-04-04T14:00", cancelled=True),
        # A change to another meeting with the same key is not this meeting's.
        OccurrenceChange(meeting_id=2, occurrence="2027-04-18T14:00", cancelled=True),
    ]
    found = expand(series, changes, utc(2027, 3, 1), utc(2027, 4, 30))
    assert [(o.key, o.start) for o in found] == [
        ("2027-03-07T14:00", utc(2027, 3, 7, 14, 0)),
        ("2027-03-21T14:00", utc(2027, 3, 30, 9, 0)),
        ("2027-04-18T14:00", utc(2027, 4, 18, 13, 0)),
    ]
    assert found[1].when() == "Tuesday 30 March, 10:00 to 11:30"


def test_a_moved_date_is_found_where_it_went_not_where_it_was() -> None:
    series = meeting(datetime(2027, 3, 7, 14, 0))
    moved = OccurrenceChange(
        meeting_id=1,
        occurrence="2027-03-21T14:00",
        new_local_start=datetime(2027, 3, 30, 10, 0),
        cancelled=False,
    )
    around_old = expand(series, [moved], utc(2027, 3, 20), utc(2027, 3, 22))
    assert around_old == []
    [around_new] = expand(series, [moved], utc(2027, 3, 30), utc(2027, 3, 31))
    assert around_new.key == "2027-03-21T14:00"


def test_a_date_moved_months_away_is_still_found() -> None:
    # The next date of a fortnightly series put off until spring.
    series = meeting(datetime(2026, 12, 6, 14, 0))
    moved = OccurrenceChange(
        meeting_id=1,
        occurrence="2026-12-06T14:00",
        new_local_start=datetime(2027, 4, 14, 14, 0),
        cancelled=False,
    )
    found = expand(series, [moved], utc(2027, 4, 13), utc(2027, 4, 16))
    assert [(o.key, o.start) for o in found] == [("2026-12-06T14:00", utc(2027, 4, 14, 13, 0))]
    early = expand(series, [moved], utc(2026, 12, 1), utc(2026, 12, 15))
    assert early == []


def test_a_moved_one_off_keeps_its_key() -> None:
    one_off = meeting(datetime(2026, 12, 3, 14, 0), rrule=None)
    moved = OccurrenceChange(
        meeting_id=1,
        occurrence="2026-12-03T14:00",
        new_local_start=datetime(2026, 12, 10, 11, 0),
        cancelled=False,
    )
    [found] = expand(one_off, [moved], utc(2026, 11, 1), utc(2027, 1, 1))
    assert (found.key, found.start) == ("2026-12-03T14:00", utc(2026, 12, 10, 11, 0))


# --- times that don't exist -----------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "zone", "exists"),
    [
        (datetime(2027, 3, 28, 1, 30), LONDON, False),  # clocks jump 01:00 -> 02:00
        (datetime(2027, 3, 28, 1, 0), LONDON, False),
        (datetime(2027, 3, 28, 0, 59), LONDON, True),
        (datetime(2027, 3, 28, 2, 0), LONDON, True),
        (datetime(2027, 3, 28, 14, 0), LONDON, True),
        (datetime(2026, 10, 25, 1, 30), LONDON, True),  # happens twice, but it happens
        (datetime(2027, 3, 14, 2, 30), NEW_YORK, False),  # clocks jump 02:00 -> 03:00
        (datetime(2027, 3, 14, 3, 0), NEW_YORK, True),
        (datetime(2027, 3, 28, 1, 30), NEW_YORK, True),  # London's gap, not New York's
        (datetime(2026, 11, 1, 1, 30), NEW_YORK, True),
        (datetime(2026, 10, 4, 2, 30), SYDNEY, False),  # clocks jump 02:00 -> 03:00
        (datetime(2026, 12, 3, 14, 0), LONDON, True),
    ],
)
def test_exists_locally(local: datetime, zone: ZoneInfo, exists: bool) -> None:
    assert exists_locally(local, zone) is exists


# --- reminders and packs keep their offsets across the change -------------------------


async def _series_group(app: App, zone: str | None, new: str) -> tuple[Group, int]:
    """A group (in `zone`, if given) with one meeting planned by `new`; and its number."""
    for said in ["/group setup Steering", *([f"/group timezone {zone}"] if zone else []), new]:
        result = await say(app, "alice", said)
        assert result.sent and result.sent[0].address.user is None, said
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", GROUP)
        assert group is not None
        [meeting] = await uow.meetings.of_group(group.id)
        return group, meeting.id


async def _due_times(app: App, group: Group, start: datetime, end: datetime) -> dict[str, datetime]:
    async with UnitOfWork(app.db.sessions) as uow:
        dues = await reminders.plan(uow, group, start, end) + await packs.planner(())(
            uow, group, start, end
        )
        dues += await live.plan(uow, group, start, end)
    return {d.key: d.due_at for d in dues}


async def test_reminders_and_packs_keep_their_offsets_over_spring_forward(app: App) -> None:
    group, n = await _series_group(app, None, "/meeting new Steering 2027-03-21 14:00 every week")
    due = await _due_times(app, group, utc(2027, 3, 17), utc(2027, 4, 1))
    before, on_the_day = f"m{n}:2027-03-21T14:00", f"m{n}:2027-03-28T14:00"
    # 21 March is in GMT: 14:00 local is 14:00 UTC.
    assert due[f"daybefore:{before}"] == utc(2027, 3, 20, 14, 0)
    assert due[f"hourbefore:{before}"] == utc(2027, 3, 21, 13, 0)
    assert due[f"pack:{before}"] == utc(2027, 3, 18, 14, 0)
    # 28 March starts at 13:00 UTC (14:00 BST). Each reminder is the same length of
    # time before it, even though the day before was still on GMT.
    start = utc(2027, 3, 28, 13, 0)
    assert due[f"daybefore:{on_the_day}"] == start - timedelta(days=1)
    assert due[f"hourbefore:{on_the_day}"] == start - timedelta(hours=1)
    assert due[f"pack:{on_the_day}"] == start - timedelta(days=3)
    breaks = [at for key, at in due.items() if key.startswith(f"live-breakNone:{on_the_day}")]
    assert min(breaks) == start + timedelta(minutes=50)  # live meeting mode places the breaks
    assert due[f"after:{on_the_day}"] == start + timedelta(minutes=90 + 60)


async def test_reminders_keep_their_offsets_over_fall_back_in_new_york(
    app: App, clock: VirtualClock
) -> None:
    clock.set(utc(2027, 10, 1))
    group, n = await _series_group(
        app, "America/New_York", "/meeting new Steering 2027-10-31 10:30 every week for 1h"
    )
    due = await _due_times(app, group, utc(2027, 10, 27), utc(2027, 11, 9))
    edt, est = utc(2027, 10, 31, 14, 30), utc(2027, 11, 7, 15, 30)  # 10:30 local both
    first, second = f"m{n}:2027-10-31T10:30", f"m{n}:2027-11-07T10:30"
    assert due[f"daybefore:{first}"] == edt - timedelta(days=1)
    assert due[f"daybefore:{second}"] == est - timedelta(days=1)
    assert due[f"hourbefore:{second}"] == est - timedelta(hours=1)
    assert due[f"pack:{second}"] == est - timedelta(days=3)
    assert due[f"after:{second}"] == est + timedelta(hours=2)
