"""The delivery engine: packs and reminders arrive on time, once, the way people asked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from handlers.core.due import Due
from scheduler.clock import VirtualClock
from scheduler.delivery import DeliveryEngine, Unreachable
from scheduler.fast_forward import fast_forward
from scheduler.wakeups import Wakeups
from storage.models import Delivery
from tests.support import RecordingSender, say

# The meeting: Saturday 5 December 2026, 14:00 London time (= 14:00 UTC in winter).
MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)


async def group_with_meeting(app: App, agenda: bool = True) -> None:
    """alice facilitates; bob wants DMs; carol wants the channel; a 2-hour meeting in 5 days."""
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "carol", "hi")
    await say(app, "carol", "/prefs reminders channel", dm=True)
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    if agenda:
        await say(app, "bob", "/agenda add Crisis line waiting times minutes 30")


MEETING_KINDS = {"pack", "emptyagenda", "daybefore", "hourbefore", "lead", "after", "late"}


def kinds(sender: RecordingSender, where: str) -> list[str]:
    """The meeting-cycle messages (this engine's subject) received at one place, in order.

    Other features (check-ins, roles, concerns) add their own messages to the
    same cycle; their tests check those.
    """
    return [k for k in sender.kinds(where) if k in MEETING_KINDS or k.startswith(_DURING)]


#: What is said during a meeting: break reminders, and live meeting mode's posts.
_DURING = ("break", "live-")


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def engine(app: App, sender: RecordingSender) -> DeliveryEngine:
    return app.delivery(sender)


async def test_whole_meeting_cycle_arrives_once_each_in_order(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    await fast_forward(engine, clock, PACK_DUE - timedelta(minutes=1))
    assert sender.received == []

    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=1))
    assert kinds(sender, "dm:alice") == ["pack"]
    assert kinds(sender, "dm:bob") == ["pack"]
    assert kinds(sender, "#group") == ["pack"]  # carol asked for the channel
    assert sender.to("dm:carol") == []
    pack = sender.to("dm:bob")[0]
    assert "Crisis line waiting times" in pack and "14:00" in pack and "Room 4" in pack
    assert "Nobody ever has to share their own story" in pack

    await fast_forward(engine, clock, MEETING + timedelta(days=1))
    expected = ["pack", "daybefore", "hourbefore", "after"]
    # Nobody chairs it, so alice, the facilitator, hears when the item has 5 minutes left.
    assert kinds(sender, "dm:alice") == ["pack", "daybefore", "hourbefore", "live-warn0", "after"]
    assert kinds(sender, "dm:bob") == expected
    assert kinds(sender, "#group") == [
        "pack",
        "daybefore",
        "hourbefore",
        "live-openNone",  # the agenda for today, as it starts (live meeting mode)
        "live-breakNone",  # the breaks, after the only item
        "live-breakNone",
        "after",
    ]
    keys = [r.key for r in sender.received]
    assert len(keys) == len(set(keys))
    report = await engine.deliver_due(clock.now())
    assert report.sent == 0 and kinds(sender, "dm:bob") == expected


async def test_reminder_times_and_no_late_messages_in_a_fast_forward(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    await fast_forward(engine, clock, MEETING + timedelta(days=1))
    assert not any("Sorry, this is late" in r.text for r in sender.received)
    async with app.db.sessions() as session:
        rows = {
            d.key.split(":")[0]: d.due_at
            for d in await session.scalars(select(Delivery).where(Delivery.key.like("%:p2")))
        }
    assert rows["pack"] == PACK_DUE
    assert rows["daybefore"] == MEETING - timedelta(days=1)
    assert rows["hourbefore"] == MEETING - timedelta(hours=1)
    assert rows["after"] == MEETING + timedelta(hours=3)


async def test_quiet_hours_hold_messages_until_they_end(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    await say(app, "bob", "/prefs quiet 13:00-15:00", dm=True)
    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=30))
    assert kinds(sender, "dm:alice") == ["pack"]
    assert kinds(sender, "dm:bob") == []
    await fast_forward(engine, clock, PACK_DUE + timedelta(hours=1, minutes=1))
    assert kinds(sender, "dm:bob") == ["pack"]
    async with app.db.sessions() as session:
        held = await session.scalar(select(Delivery.due_at).where(Delivery.key.like("pack:%:p2")))
    assert held == PACK_DUE + timedelta(hours=1)
    # The hour-before reminder (13:00) falls in quiet hours and would only arrive
    # after the meeting started, so it is not sent at all.
    await fast_forward(engine, clock, MEETING + timedelta(hours=4))
    assert "hourbefore" not in kinds(sender, "dm:bob")


async def test_away_dates_mean_no_reminders(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    await say(app, "bob", "/prefs away 2026-12-04 to 2026-12-06", dm=True)
    await fast_forward(engine, clock, MEETING + timedelta(days=1))
    assert kinds(sender, "dm:bob") == ["pack"]
    # alice facilitates and nobody chairs: she hears when the item has 5 minutes left.
    assert kinds(sender, "dm:alice") == ["pack", "daybefore", "hourbefore", "live-warn0", "after"]


async def test_empty_agenda_warns_facilitators_a_day_before_the_pack(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app, agenda=False)
    await fast_forward(engine, clock, PACK_DUE - timedelta(hours=1))
    assert kinds(sender, "dm:alice") == ["emptyagenda"]
    assert "agenda for Steering" in sender.to("dm:alice")[0]
    assert sender.to("dm:bob") == []


async def test_no_warning_when_the_agenda_has_items(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app, agenda=True)
    await fast_forward(engine, clock, PACK_DUE - timedelta(hours=1))
    assert sender.received == []


async def test_meeting_planned_late_sends_the_pack_at_once_but_no_past_reminders(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    clock.set(MEETING - timedelta(hours=20))
    await group_with_meeting(app)
    await engine.deliver_due(clock.now())
    assert kinds(sender, "dm:bob") == ["pack"]
    await fast_forward(engine, clock, MEETING + timedelta(days=1))
    assert kinds(sender, "dm:bob") == ["pack", "hourbefore", "after"]


async def test_someone_joining_after_the_pack_gets_it_when_they_join(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    await fast_forward(engine, clock, PACK_DUE + timedelta(hours=2))
    await say(app, "dan", "hello, I'm new")
    await engine.deliver_due(clock.now())
    assert kinds(sender, "dm:dan") == ["pack"]


async def test_cancelled_meeting_sends_nothing_more(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=1))
    await say(app, "alice", "/meeting cancel 1")
    await fast_forward(engine, clock, MEETING + timedelta(days=1))
    assert kinds(sender, "dm:bob") == ["pack"]


async def test_downtime_within_grace_sends_each_once_then_summarises_the_rest_once(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    # The bot is down from before the pack until 1 hour after it was due (grace is 2 hours).
    clock.set(PACK_DUE + timedelta(hours=1))
    wakeups = Wakeups(engine, clock)
    await wakeups.start()
    await wakeups.stop()
    assert kinds(sender, "dm:bob") == ["pack"]
    assert not any("Sorry" in r.text for r in sender.received)

    # Down again, across the day-before and hour-before reminders and the meeting itself.
    clock.set(MEETING + timedelta(hours=2, minutes=30))
    fresh = Wakeups(app.delivery(sender), clock)  # an empty job store
    await fresh.start()
    await fresh.stop()
    late = [t for t in sender.to("dm:bob") if "Sorry, this is late" in t]
    assert len(late) == 1
    assert "a reminder for Steering" in late[0]
    assert kinds(sender, "dm:bob") == ["pack", "late"]
    again = Wakeups(app.delivery(sender), clock)
    await again.start()
    await again.stop()
    assert kinds(sender, "dm:bob") == ["pack", "late"]


async def test_a_failed_send_is_retried_not_lost(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    sender.fail_times = 2
    clock.set(PACK_DUE)
    first = await engine.deliver_due(clock.now())
    assert first.failed == 2
    await engine.deliver_due(clock.now())
    assert kinds(sender, "dm:alice") == ["pack"]
    assert kinds(sender, "dm:bob") == ["pack"]
    assert kinds(sender, "#group") == ["pack"]


async def test_in_doubt_delivery_is_checked_with_the_platform(
    app: App, clock: VirtualClock, sender: RecordingSender
) -> None:
    """A crash after the platform got the message but before it was marked sent."""
    await group_with_meeting(app)

    class DiesAfterSending(RecordingSender):
        async def send(self, item, key):  # type: ignore[no-untyped-def]
            await sender.send(item, key)
            raise ConnectionError("died before the reply came back")

    clock.set(PACK_DUE)
    await app.delivery(DiesAfterSending()).deliver_due(clock.now())
    assert len(sender.received) == 3
    report = await app.delivery(sender).deliver_due(clock.now())
    assert report.recovered == 3
    assert len(sender.received) == 3


async def test_a_message_the_platform_can_never_take_is_recorded_and_not_tried_again(
    app: App, clock: VirtualClock, sender: RecordingSender
) -> None:
    """Say the app was removed from a Slack workspace: its sends, new or in doubt, stop."""
    await group_with_meeting(app)

    class NoAnswer(RecordingSender):
        async def send(self, item, key):  # type: ignore[no-untyped-def]
            raise ConnectionError("no answer")

    class Removed(RecordingSender):
        async def send(self, item, key):  # type: ignore[no-untyped-def]
            raise Unreachable("the app was removed from that workspace")

        async def already_sent(self, item, key):  # type: ignore[no-untyped-def]
            raise Unreachable("the app was removed from that workspace")

    clock.set(PACK_DUE)
    assert (await app.delivery(NoAnswer()).deliver_due(clock.now())).failed == 3  # in doubt
    removed = await app.delivery(Removed()).deliver_due(clock.now())
    assert (removed.failed, removed.sent, removed.skipped) == (0, 0, 3)
    clock.set(MEETING - timedelta(hours=23))
    later = await app.delivery(Removed()).deliver_due(clock.now())
    assert later.failed == 0 and later.skipped >= 3  # the day-before reminders, new ones
    again = await app.delivery(sender).deliver_due(clock.now())
    assert again.sent == again.recovered == 0 and sender.received == []
    async with app.db.sessions() as session:
        statuses = set(await session.scalars(select(Delivery.status)))
    assert "sending" not in statuses and "unreachable" in statuses


async def test_a_run_stopped_mid_burst_marks_what_went_and_the_next_sends_the_rest(
    app: App, clock: VirtualClock, sender: RecordingSender
) -> None:
    """Shutdown mid-burst: sent deliveries are marked sent together, so they are still
    marked; the next run sends the rest, and nobody gets anything twice."""
    await group_with_meeting(app)

    class StoppedAtTheSecond(RecordingSender):
        async def send(self, item, key):  # type: ignore[no-untyped-def]
            if sender.received:
                raise asyncio.CancelledError  # the bot is shutting down
            await sender.send(item, key)

    clock.set(PACK_DUE)
    with pytest.raises(asyncio.CancelledError):
        await app.delivery(StoppedAtTheSecond()).deliver_due(clock.now())
    [first] = sender.received
    async with app.db.sessions() as session:
        statuses = dict((await session.execute(select(Delivery.key, Delivery.status))).all())
    assert statuses[first.key] == "sent"
    # The second: claimed, in doubt (the rest had nothing to say, or were never reached).
    assert sorted(v for v in statuses.values() if v != "skipped") == ["sending", "sent"]
    report = await app.delivery(sender).deliver_due(clock.now())
    assert report.recovered == 1 and report.sent == 1
    assert kinds(sender, "dm:alice") == kinds(sender, "dm:bob") == kinds(sender, "#group")
    assert kinds(sender, "#group") == ["pack"]


async def test_two_instances_never_send_the_same_thing_twice(
    app: App, clock: VirtualClock, sender: RecordingSender
) -> None:
    await group_with_meeting(app)
    clock.set(MEETING + timedelta(days=1))
    await asyncio.gather(
        fast_forward(
            app.delivery(sender), VirtualClock(datetime(2026, 11, 30, 9, tzinfo=UTC)), clock.now()
        ),
        fast_forward(
            app.delivery(sender), VirtualClock(datetime(2026, 11, 30, 9, tzinfo=UTC)), clock.now()
        ),
    )
    keys = [r.key for r in sender.received]
    assert len(keys) == len(set(keys))
    assert sum(kinds(sender, where) != [] for where in ("dm:alice", "dm:bob", "#group")) == 3
    # alice 5 (with the 5-minute note), bob 4, the channel 7 (with the agenda and 2 breaks).
    assert sum(len(kinds(sender, w)) for w in ("dm:alice", "dm:bob", "#group")) == 16
    async with app.db.sessions() as session:
        statuses = (await session.scalars(select(Delivery.status))).all()
    # Each sent once; the rest had nothing to say (the agenda was not empty, no concerns).
    assert statuses.count("sent") == len(keys)
    assert set(statuses) <= {"sent", "skipped"}


async def test_a_long_quiet_stretch_is_stepped_through_not_skipped(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Spring review 2027-02-15 14:00")
    await fast_forward(engine, clock, datetime(2027, 2, 16, tzinfo=UTC))
    assert kinds(sender, "dm:alice") == ["emptyagenda", "pack", "daybefore", "hourbefore", "after"]


async def test_wakeups_are_rebuilt_from_the_rows_at_the_next_due_time(
    app: App, clock: VirtualClock, engine: DeliveryEngine, sender: RecordingSender
) -> None:
    await group_with_meeting(app, agenda=False)
    wakeups = Wakeups(engine, clock)
    await wakeups.start()
    try:
        jobs = {job.id: job for job in wakeups.scheduler.get_jobs()}
        assert set(jobs) == {"catch-up", "next", "refresh"}
        # The next wake-up is the earliest due time in the rows: no later than the
        # empty-agenda note a day before the pack.
        expected = await engine.next_due(clock.now())
        assert jobs["next"].trigger.run_date == expected
        assert clock.now() < expected <= PACK_DUE - timedelta(days=1)
        assert jobs["next"].misfire_grace_time is None  # late wake-ups still run
    finally:
        await wakeups.stop()


async def test_one_features_failure_does_not_stop_the_others(
    app: App, clock: VirtualClock, sender: RecordingSender
) -> None:
    """A planner, an upkeep or a message that fails is logged and retried; the rest go out."""
    await group_with_meeting(app)

    async def broken_planner(*_args: object) -> list[Due]:
        raise RuntimeError("a bug in one feature")

    async def broken_upkeep(*_args: object) -> None:
        raise RuntimeError("another bug")

    engine = DeliveryEngine(
        app.db.sessions,
        sender,
        [*app.catalog.planners, broken_planner],
        [*app.catalog.housekeeping, broken_upkeep],
    )
    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=1))
    assert kinds(sender, "dm:bob") == ["pack"]
