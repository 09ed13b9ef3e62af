"""Each group's next due time: a wake-up plans only the groups with something to do,
and nothing that used to arrive is missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from handlers.core.due import Due
from handlers.core.messages import Addressed
from scheduler.clock import VirtualClock
from scheduler.delivery import LOOKAHEAD, DeliveryEngine
from scheduler.fast_forward import fast_forward
from scheduler.wakeups import Wakeups
from storage.models import Group
from storage.uow import UnitOfWork
from tests.support import RecordingSender, say

MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)
HOUR_BEFORE = MEETING - timedelta(hours=1)


class CountingEngine:
    """The app's engine, with a count of the groups each run planned."""

    def __init__(self, app: App, sender: RecordingSender) -> None:
        self.planned: list[int] = []
        engine = app.delivery(sender)

        async def counted(
            uow: UnitOfWork, group: Group, start: datetime, end: datetime
        ) -> list[Due]:
            self.planned.append(group.id)
            return []

        self.engine = DeliveryEngine(
            app.db.sessions, sender, [*engine.planners, counted], engine.housekeeping
        )


async def two_groups(app: App) -> None:
    await say(app, "alice", "/group setup Steering group", channel="steering")
    await say(app, "bob", "hello", channel="steering")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h", channel="steering")
    await say(app, "carol", "/group setup Research group", channel="research")
    await say(app, "carol", "/meeting new Research 2026-12-09 10:00 for 1h", channel="research")


async def test_a_wake_up_with_nothing_due_plans_no_group(app: App, clock: VirtualClock) -> None:
    await two_groups(app)
    counting = CountingEngine(app, RecordingSender())
    await counting.engine.deliver_due(clock.now())
    assert sorted(counting.planned) == [1, 2]  # new groups are planned once

    counting.planned.clear()
    clock.set(clock.now() + timedelta(minutes=1))
    await counting.engine.deliver_due(clock.now())
    assert counting.planned == []
    # The next wake-up is read from what was stored, without planning.
    assert clock.now() < await counting.engine.next_due(clock.now()) <= PACK_DUE - timedelta(days=1)
    assert counting.planned == []

    await say(app, "carol", "/agenda add Budget", channel="research")  # saved something
    await counting.engine.deliver_due(clock.now())
    assert counting.planned == [2]  # only the group the command changed


async def test_someone_joining_gets_the_pack_at_once(app: App, clock: VirtualClock) -> None:
    """A pack catches up with someone who joins after it went out: their joining asks
    for a new plan, so it is not left until the group's next due time."""
    await two_groups(app)
    sender = RecordingSender()
    engine = app.delivery(sender)
    await fast_forward(engine, clock, PACK_DUE + timedelta(hours=1))
    assert "pack" in sender.kinds("dm:bob")

    await say(app, "dan", "hello", channel="steering")
    await engine.deliver_due(clock.now())
    assert sender.kinds("dm:dan") == ["pack"]


async def test_a_change_in_a_dm_counts_in_every_group_of_the_person(
    app: App, clock: VirtualClock
) -> None:
    """Quiet hours set in a DM move what is due in each of the person's groups."""
    await two_groups(app)
    await say(app, "bob", "hello", channel="research")
    sender = RecordingSender()
    engine = app.delivery(sender)
    await engine.deliver_due(clock.now())
    await say(app, "bob", "/prefs quiet 07:00-09:00", dm=True)
    async with UnitOfWork(app.db.sessions) as uow:
        groups = {g.id: g.next_due_at for g in await uow.groups.all()}
    assert groups == {1: None, 2: None}  # both planned again at the next wake-up


async def test_what_is_further_ahead_than_the_look_ahead_still_arrives(
    app: App, clock: VirtualClock
) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Far 2027-01-20 14:00 for 1h")
    sender = RecordingSender()
    engine = app.delivery(sender)
    await engine.deliver_due(clock.now())
    async with UnitOfWork(app.db.sessions) as uow:  # it looks again within the look-ahead
        [group] = await uow.groups.all()
    assert group.next_due_at is not None and group.next_due_at <= clock.now() + LOOKAHEAD

    pack = datetime(2027, 1, 17, 14, 0, tzinfo=UTC)
    await fast_forward(engine, clock, pack - timedelta(minutes=1))
    assert "pack" not in sender.kinds("dm:alice")
    await fast_forward(engine, clock, pack + timedelta(minutes=1))
    assert sender.kinds("dm:alice").count("pack") == 1


async def test_reminders_falling_due_go_before_any_group_is_planned_again(
    app: App, clock: VirtualClock
) -> None:
    """A burst waits on its sends, not on planning: what each group's last plan had due
    then is sent first, and the groups are planned again after."""
    await two_groups(app)
    counting = CountingEngine(app, RecordingSender())
    await fast_forward(counting.engine, clock, HOUR_BEFORE - timedelta(minutes=1))
    sent_unplanned: list[str] = []

    class Watching(RecordingSender):
        async def send(self, item: Addressed, key: str) -> None:
            if not counting.planned:
                sent_unplanned.append(key.split(":")[0])
            await super().send(item, key)

    counting.engine.sender = sender = Watching()
    counting.planned.clear()
    clock.set(HOUR_BEFORE)
    await counting.engine.deliver_due(clock.now())
    assert sender.kinds("dm:alice") == sender.kinds("dm:bob") == ["hourbefore"]
    assert sent_unplanned == ["hourbefore", "hourbefore"]
    assert counting.planned == [1]  # planned again once they were sent


async def test_a_change_just_before_a_reminder_is_never_hidden_by_the_last_plan(
    app: App, clock: VirtualClock
) -> None:
    await two_groups(app)
    sender = RecordingSender()
    engine = app.delivery(sender)
    await fast_forward(engine, clock, HOUR_BEFORE - timedelta(minutes=1))
    await say(app, "bob", "/prefs reminders channel", dm=True)
    clock.set(HOUR_BEFORE)  # no wake-up in between
    await engine.deliver_due(clock.now())
    assert "hourbefore" not in sender.kinds("dm:bob")
    assert "hourbefore" in sender.kinds("#steering")  # bob's choice, as he asked
    assert sender.kinds("dm:alice")[-1:] == ["hourbefore"]


async def test_a_plan_from_older_data_never_hides_a_newer_change(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    later = datetime(2026, 12, 20, tzinfo=UTC)
    async with UnitOfWork(app.db.sessions) as engine_side:
        read = await engine_side.groups.get(1)  # the engine reads the group, then plans
        assert read is not None
        async with UnitOfWork(app.db.sessions) as command:  # meanwhile a command saves
            await command.plans.replan(1)
            await command.commit()
        assert not await engine_side.plans.planned(read, later, later)
        await engine_side.commit()
    async with UnitOfWork(app.db.sessions) as uow:
        assert [g.id for g in await uow.plans.due(datetime(2026, 12, 1, tzinfo=UTC))] == [1]


async def test_every_group_is_planned_again_after_a_start_a_few_at_a_time(
    app: App, clock: VirtualClock
) -> None:
    await two_groups(app)
    counting = CountingEngine(app, RecordingSender())
    await counting.engine.deliver_due(clock.now())
    await counting.engine.start()
    counting.planned.clear()
    assert await counting.engine.refresh(clock.now(), 1) == 1
    assert await counting.engine.refresh(clock.now(), 5) == 1
    assert await counting.engine.refresh(clock.now(), 5) == 0  # all planned since the start
    assert sorted(counting.planned) == [1, 2]
    clock.set(clock.now() + timedelta(hours=1, minutes=1))
    assert await counting.engine.refresh(clock.now(), 5) == 2  # and at least hourly


async def test_after_a_start_the_group_with_something_due_soonest_is_planned_first(
    app: App, clock: VirtualClock
) -> None:
    await say(app, "carol", "/group setup Research group", channel="research")
    await say(app, "carol", "/meeting new Research 2026-12-09 10:00 for 1h", channel="research")
    await say(app, "alice", "/group setup Steering group", channel="steering")
    await say(app, "alice", "/meeting new Steering 2026-11-30 16:00 for 1h", channel="steering")
    counting = CountingEngine(app, RecordingSender())
    await counting.engine.deliver_due(clock.now())
    await counting.engine.start()
    counting.planned.clear()
    assert await counting.engine.refresh(clock.now(), 1) == 1
    assert counting.planned == [2]  # Steering meets today: first, though set up second


async def test_the_refresh_job_plans_a_few_groups_at_a_time(app: App, clock: VirtualClock) -> None:
    await two_groups(app)
    counting = CountingEngine(app, RecordingSender())
    await counting.engine.deliver_due(clock.now())
    wakeups = Wakeups(counting.engine, clock)
    await wakeups.start()  # nothing was due: no group is planned, all are to refresh
    try:
        assert counting.planned.count(1) == 1
        assert await wakeups.refresh_some() == 2
        assert await wakeups.refresh_some() == 0
    finally:
        await wakeups.stop()
