"""Direct messages caused by other people's commands wait for quiet hours and away days.

The clock starts on Monday 30 November 2026, 09:00 UTC (London is on UTC in winter).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App, build_app
from handlers.core.keyed import Keys
from handlers.core.kind_times import in_quiet_hours
from handlers.core.messages import Addressed
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.conftest import START
from tests.support import say


@dataclass
class TimedSender:
    """A platform that notes when each message arrived, by the virtual clock."""

    clock: VirtualClock
    got: list[tuple[str, datetime, str]] = field(default_factory=list)

    async def send(self, item: Addressed, key: str) -> None:
        self.got.append((item.address.user or "#", self.clock.now(), key))

    async def already_sent(self, item: Addressed, key: str) -> bool:
        return any(k == key for _, _, k in self.got)

    def direct_to(self, user: str) -> list[datetime]:
        """When each direct message to `user` arrived: at once, or from the engine."""
        return [at for who, at, key in self.got if who == user and key.startswith("direct:")]


async def setup(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "erin", "hello")


async def test_a_request_at_night_waits_for_the_end_of_quiet_hours(
    app: App, clock: VirtualClock
) -> None:
    await setup(app)
    await say(app, "alice", "/prefs quiet 21:00-08:00", dm=True)
    sender = TimedSender(clock)
    engine = app.delivery(sender)
    clock.set(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    asked = await say(app, "bob", "/support tell", dm=True)
    assert [item.address.user for item in asked.sent] == ["bob"]  # bob's own answer, now
    await fast_forward(engine, clock, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert sender.direct_to("alice") == [datetime(2026, 12, 1, 8, 0, tzinfo=UTC)]


async def test_a_request_on_away_days_waits_for_the_first_morning_back(
    app: App, clock: VirtualClock
) -> None:
    await setup(app)
    await say(app, "alice", "/prefs away 2026-11-30 to 2026-12-02", dm=True)
    sender = TimedSender(clock)
    engine = app.delivery(sender)
    await say(app, "bob", "/support tell", dm=True)
    await fast_forward(engine, clock, datetime(2026, 12, 5, tzinfo=UTC))
    assert sender.direct_to("alice") == [datetime(2026, 12, 3, 9, 0, tzinfo=UTC)]


async def test_a_request_outside_quiet_hours_arrives_at_once(app: App, clock: VirtualClock) -> None:
    await setup(app)
    await say(app, "alice", "/prefs quiet 21:00-08:00", dm=True)
    result = await say(app, "bob", "/support tell", dm=True)
    assert {item.address.user for item in result.sent} == {"alice", "bob"}


HOURS = st.integers(min_value=0, max_value=23)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quiet=st.one_of(st.none(), st.tuples(HOURS, HOURS).filter(lambda q: q[0] != q[1])),
    away=st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(0, 3))),
    asked_at=st.lists(st.integers(0, 4 * 24 * 60 - 1), min_size=1, max_size=4),
)
async def test_no_direct_message_arrives_in_quiet_hours_or_away_days_and_none_is_lost(
    tmp_path: Path,
    quiet: tuple[int, int] | None,
    away: tuple[int, int] | None,
    asked_at: list[int],
) -> None:
    clock = VirtualClock(START)
    app = await build_app(f"sqlite:///{tmp_path / uuid.uuid4().hex}.db", clock, Keys.random())
    try:
        await setup(app)
        first_day = START.date()
        if quiet:
            await say(app, "alice", f"/prefs quiet {quiet[0]:02}:00-{quiet[1]:02}:00", dm=True)
        away_days: tuple[date, date] | None = None
        if away:
            first, last = sorted(away)
            away_days = (first_day + timedelta(days=first), first_day + timedelta(days=last))
            await say(app, "alice", f"/prefs away {away_days[0]} to {away_days[1]}", dm=True)
        sender = TimedSender(clock)
        engine = app.delivery(sender)
        for minute in sorted(asked_at):
            await fast_forward(engine, clock, START + timedelta(minutes=minute))
            told = await app.handle(Incoming("console", "bob", "bob", "/support tell"))
            for item in told.sent:  # what goes at once, with bob's own answer
                await sender.send(item, f"direct:now:{minute}")
        await fast_forward(engine, clock, START + timedelta(days=8))
        arrived = sender.direct_to("alice")
        assert len(arrived) == len(asked_at)  # none lost, none twice
        if not quiet and not away:
            assert arrived == [START + timedelta(minutes=m) for m in sorted(asked_at)]
        for at in arrived:
            if quiet:
                assert not in_quiet_hours(at.time(), time(quiet[0]), time(quiet[1])), at
            if away_days:
                assert not away_days[0] <= at.date() <= away_days[1], at
    finally:
        await app.close()
