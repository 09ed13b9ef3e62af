"""Several instances: none takes another's send in progress for a crash; one leads at a time."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.leadership import AlreadyRunning, Leadership, sole_instance
from handlers.core.messages import Addressed, message, to_json
from scheduler.clock import VirtualClock
from scheduler.delivery import DeliveryEngine
from scheduler.instance import Instance
from scheduler.wakeups import Wakeups
from storage.models import Delivery
from storage.uow import UnitOfWork
from tests.support import RecordingSender, say

T = datetime.fromisoformat("2026-11-30T09:00:00+00:00")


async def a_message_due(app: App) -> None:
    """alice's group, and a direct message to her falling due now."""
    await say(app, "alice", "/group setup Steering group")
    async with UnitOfWork(app.db.sessions) as uow:
        group = (await uow.groups.all())[0]
        [alice] = await uow.groups.members(group.id)
        payload = to_json(message("The room has changed to Room 4."))
        await uow.deliveries.queue(group.id, alice.person_id, payload, app.clock.now())
        await uow.commit()


def instance(name: str, wall: datetime) -> Instance:
    """An instance that shares the database with others, its wall clock stopped at `wall`."""
    return Instance(id=name, sole=False, wall=lambda: wall)


def engine(app: App, sender: RecordingSender, who: Instance) -> DeliveryEngine:
    return DeliveryEngine(app.db.sessions, sender, app.catalog.planners, instance=who)


class DiesMidSend(RecordingSender):
    """The platform gets the message (or not), then the instance is gone before it hears back."""

    def __init__(self, platform: RecordingSender, arrives: bool) -> None:
        super().__init__()
        self.platform, self.arrives = platform, arrives

    async def send(self, item: Addressed, key: str) -> None:
        if self.arrives:
            await self.platform.send(item, key)
        raise ConnectionError("gone before the answer came back")


class OverANetwork(RecordingSender):
    """A platform a little way off: a message takes a moment to arrive."""

    async def send(self, item: Addressed, key: str) -> None:
        await asyncio.sleep(0.1)
        await super().send(item, key)


async def sending(app: App) -> list[tuple[str | None, str]]:
    async with app.db.sessions() as session:
        rows = await session.execute(select(Delivery.owner, Delivery.status))
        return [(owner, status) for owner, status in rows.all()]


@pytest.mark.parametrize("arrived", [True, False])
async def test_another_instance_finishes_a_send_only_once_its_deadline_has_passed(
    app: App, clock: VirtualClock, arrived: bool
) -> None:
    platform = RecordingSender()
    await a_message_due(app)
    await engine(app, DiesMidSend(platform, arrived), instance("a", T)).deliver_due(clock.now())
    assert await sending(app) == [("a", "sending")]

    # Within a's deadline, b leaves it alone: a may still be sending it.
    early = await engine(app, platform, instance("b", T + timedelta(minutes=1))).deliver_due(
        clock.now()
    )
    assert early.recovered == 0
    assert await sending(app) == [("a", "sending")]
    assert len(platform.received) == int(arrived)

    # Past it, a is surely gone: b asks the platform, and sends only if it never arrived.
    late = await engine(app, platform, instance("b", T + timedelta(minutes=3))).deliver_due(
        clock.now()
    )
    assert late.recovered == 1
    assert len(platform.received) == 1
    assert await sending(app) == [(None, "sent")]


async def test_an_instance_finishes_its_own_send_at_once(app: App, clock: VirtualClock) -> None:
    platform = RecordingSender()
    await a_message_due(app)
    await engine(app, DiesMidSend(platform, False), instance("a", T)).deliver_due(clock.now())
    report = await engine(app, platform, instance("a", T)).deliver_due(clock.now())
    assert report.recovered == 1
    assert len(platform.received) == 1


async def test_two_instances_finishing_the_same_dead_send_send_it_once(
    app: App, clock: VirtualClock
) -> None:
    platform = OverANetwork()
    await a_message_due(app)
    await engine(app, DiesMidSend(platform, False), instance("a", T)).deliver_due(clock.now())
    later = T + timedelta(minutes=3)
    async with app.db.engine.connect(), app.db.engine.connect():
        pass  # two connections ready, so both instances read the row before either sends
    reports = await asyncio.gather(
        engine(app, platform, instance("b", later)).deliver_due(clock.now()),
        engine(app, platform, instance("c", later)).deliver_due(clock.now()),
    )
    assert sorted(r.recovered for r in reports) == [0, 1]
    assert len(platform.received) == 1


async def test_only_the_leader_delivers(app: App, clock: VirtualClock) -> None:
    platform = RecordingSender()
    await a_message_due(app)
    leading = False
    wakeups = Wakeups(app.delivery(platform), clock, leads=lambda: leading)
    await wakeups.run_once()
    assert platform.received == []
    assert wakeups.last_wake == clock.now()  # a follower still wakes: it stays ready
    leading = True
    await wakeups.run_once()
    assert len(platform.received) == 1


async def test_one_leader_at_a_time_and_the_next_takes_over(app: App) -> None:
    took_over = asyncio.Event()
    first = Leadership(app.db, check=0.05)
    second = Leadership(app.db, check=0.05, changed=lambda leading: took_over.set())
    await first.start()
    await second.start()
    try:
        if app.db.engine.dialect.name == "sqlite":
            assert first.leads() and second.leads()  # the file lock keeps it to one instance
            return
        assert first.leads() and not second.leads()
        await first.stop()
        await asyncio.wait_for(took_over.wait(), 5)
        assert second.leads() and not first.leads()
    finally:
        await first.stop()
        await second.stop()


async def test_a_schedule_change_on_a_follower_wakes_the_leader(app: App) -> None:
    leader_looks = asyncio.Event()
    leader, follower = Leadership(app.db, check=0.05), Leadership(app.db, check=0.05)
    leader.poke = leader_looks.set
    follower.poke = lambda: pytest.fail("a follower delivers nothing")
    await leader.start()
    await follower.start()
    try:
        if app.db.engine.dialect.name == "sqlite":
            follower.poke = leader_looks.set  # the only instance looks again itself
        follower.wake()
        await asyncio.wait_for(leader_looks.wait(), 5)
    finally:
        await leader.stop()
        await follower.stop()


def test_one_sqlite_file_is_held_by_one_instance(tmp_path: Path) -> None:
    database = str(tmp_path / "alongside.db")
    with (
        sole_instance(database),
        pytest.raises(AlreadyRunning, match="Stop the other one first"),
        sole_instance(f"sqlite:///{database}"),
    ):
        pass
    with sole_instance(database):  # free again once the first has let go
        pass
