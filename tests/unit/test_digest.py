"""Fewer, kinder messages: the daily round-up (`/prefs digest daily`) holds the news that can
wait and sends it once a day, exactly once, within quiet hours and away dates; reminders and
check-ins are never held; the channel gets one post for the hour after a meeting; and a
meeting week counted with and without the round-up."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.app import App
from bot.platforms.text import render_text
from handlers.core.messages import Addressed, Message
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Delivery, DigestItem
from storage.uow import UnitOfWork
from tests.readability import read
from tests.support import RecordingSender, all_refused, privately, say, sent_to, texts
from tests.unit.followup_support import AFTER_MEETING, MEETING, group_that_met

RECORD = "/decision Papers go out a week before each meeting owner @bob update in 2 weeks"
UPDATES = (
    "/update 1 in progress The print room is on it",
    "/update 1 blocked The printer is broken",
    "/update 1 in progress A new printer comes on Monday",
)
MINUTES = "/minutes We agreed papers go out a week before each meeting."
HELD = ("decisionupdate", "minutes")
ROUND_UP_AT = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)  # 18:00 London time (winter)


async def rows(app: App, model: type[DigestItem] | type[Delivery]) -> int:
    async with app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def news_week(app: App, clock: VirtualClock, sender: RecordingSender) -> None:
    """After the meeting: a decision, three updates on it and the minutes, all before 18:00."""
    engine = app.delivery(sender)
    await say(app, "alice", RECORD)
    for update in UPDATES:
        await say(app, "bob", update)
        await engine.deliver_due(clock.now())
        clock.set(clock.now() + timedelta(minutes=10))
    await say(app, "alice", MINUTES)


def texts_of(item: Addressed) -> str:
    return texts_of_message(item.message)


def texts_of_message(msg: Message) -> str:
    return render_text(msg)[0]


def held_kinds(sender: RecordingSender, where: str) -> list[str]:
    return [k for k in sender.kinds(where) if k in HELD]


async def test_one_round_up_with_the_updates_and_the_minutes_and_nothing_one_by_one(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    reply = privately(await say(app, "dan", "/prefs digest daily", dm=True), "dan")
    assert "Once a day, at 18:00, you'll get one round-up." in reply
    waits, on_time = reply.split("These still come on time:")
    assert "- updates on decisions\n- the minutes\n- replies to concerns" in waits
    assert "- reminders and packs\n- check-ins" in on_time and "/prefs digest off" in on_time
    assert not read(reply).problems()
    shown = texts(await say(app, "dan", "/prefs", dm=True))
    assert "Daily round-up: at 18:00" in shown
    await news_week(app, clock, sender)
    engine = app.delivery(sender)

    await fast_forward(engine, clock, ROUND_UP_AT - timedelta(minutes=1))
    assert held_kinds(sender, "dm:dan") == [] and "roundup" not in sender.kinds("dm:dan")
    assert held_kinds(sender, "dm:bob") == ["decisionupdate"] * 3 + ["minutes"]  # as today
    assert await rows(app, DigestItem) == 4

    await fast_forward(engine, clock, ROUND_UP_AT + timedelta(days=2))
    assert held_kinds(sender, "dm:dan") == []
    [round_up] = [r.text for r in sender.received if r.where == "dm:dan" and "roundup" in r.key]
    assert "Your daily round-up from Steering group" in round_up
    assert "since your last round-up:\n- 3 updates on decisions\n- the minutes\n" in round_up
    assert not read("\n".join(round_up.splitlines()[:4])).problems()  # the bot's own words
    for words in ("The print room is on it", "The printer is broken", "A new printer comes"):
        assert words in round_up
    assert "We agreed papers go out a week before each meeting." in round_up
    assert round_up.count("Type /decision to see all open decisions.") == 1  # said once
    assert round_up.index("print room") < round_up.index("We agreed papers")
    assert held_kinds(sender, "dm:bob") == ["decisionupdate"] * 3 + ["minutes"]  # no more
    assert [k for k in sender.kinds("dm:bob") if k == "roundup"] == []
    assert await rows(app, DigestItem) == 0  # forgotten once sent
    async with app.db.sessions() as session:
        found = select(Delivery).where(Delivery.key.like("roundup%"), Delivery.status == "sent")
        [sent] = (await session.scalars(found)).all()
    assert sent.status == "sent" and sent.done_at == ROUND_UP_AT  # at dan's time


class ArrivesThenFails(RecordingSender):
    """The message reaches the platform, but the bot never hears back (it stops mid-send)."""

    failing = True

    async def send(self, item: Addressed, key: str) -> None:
        await super().send(item, key)
        if self.failing and key.startswith("roundup"):
            self.failing = False
            raise ConnectionError("the bot stopped")


async def test_a_round_up_is_sent_once_after_a_failed_send_and_a_restart(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    await say(app, "dan", "/prefs digest daily at 6pm", dm=True)
    await news_week(app, clock, sender)
    await fast_forward(app.delivery(sender), clock, ROUND_UP_AT - timedelta(minutes=1))
    # The platform is down at 18:00: nothing is lost, and it goes once on the next run.
    sender.fail_times = 1
    clock.set(ROUND_UP_AT)
    report = await app.delivery(sender).deliver_due(clock.now())
    assert report.failed == 1 and "roundup" not in sender.kinds("dm:dan")
    assert await rows(app, DigestItem) == 4  # still held, marked for this round-up
    clock.set(ROUND_UP_AT + timedelta(minutes=5))
    await app.delivery(sender).deliver_due(clock.now())  # a new engine: a restart
    assert sender.kinds("dm:dan").count("roundup") == 1
    # It reached the platform but the bot stopped before it knew: never sent again.
    flaky = ArrivesThenFails()
    await say(app, "bob", "/update 1 done Papers went out five days before")
    await fast_forward(app.delivery(flaky), clock, ROUND_UP_AT + timedelta(days=1, minutes=1))
    for _ in range(3):
        clock.set(clock.now() + timedelta(minutes=10))
        await app.delivery(flaky).deliver_due(clock.now())
    assert flaky.kinds("dm:dan").count("roundup") == 1
    assert "five days before" in flaky.to("dm:dan")[-1]
    assert await rows(app, DigestItem) == 0


async def test_quiet_hours_and_away_dates_apply_to_the_round_up(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    await say(app, "dan", "/prefs quiet 17:30-08:00", dm=True)
    reply = privately(await say(app, "dan", "/prefs digest daily at 18:00", dm=True), "dan")
    assert "18:00 is in your quiet hours, so it will come at 08:00" in reply
    await news_week(app, clock, sender)
    engine = app.delivery(sender)
    next_morning = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    await fast_forward(engine, clock, next_morning - timedelta(minutes=1))
    assert "roundup" not in sender.kinds("dm:dan")
    await fast_forward(engine, clock, next_morning + timedelta(minutes=1))
    assert sender.kinds("dm:dan").count("roundup") == 1

    # Away on Monday: Monday's round-up comes on Tuesday morning, and only once.
    await say(app, "dan", "/prefs quiet off", dm=True)
    await say(app, "dan", "/prefs away 2026-12-07", dm=True)
    clock.set(datetime(2026, 12, 6, 19, 0, tzinfo=UTC))  # after Sunday's round-up
    await say(app, "bob", "/update 1 done Papers went out five days before")
    await fast_forward(engine, clock, datetime(2026, 12, 8, 8, 59, tzinfo=UTC))
    assert sender.kinds("dm:dan").count("roundup") == 1
    await fast_forward(engine, clock, datetime(2026, 12, 9, 9, 0, tzinfo=UTC))
    assert sender.kinds("dm:dan").count("roundup") == 2
    assert "five days before" in sender.to("dm:dan")[-1]


async def test_reminders_and_check_ins_are_never_held(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "dan"):
        await say(app, name, "hello")
    await say(app, "alice", "/checkin wellbeing Sam Reid, peer support, 07700 900123")
    await say(app, "alice", "/meeting new Steering 2026-12-03 14:00 for 2h")
    await say(app, "dan", "/prefs digest daily at 07:00", dm=True)
    await say(app, "dan", "/action Book the room by 2026-12-02")
    await say(app, "bob", "/action Book the hall by 2026-12-02")
    await fast_forward(engine, clock, datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    got = {who: Counter(sender.kinds(f"dm:{who}")) for who in ("bob", "dan")}
    for kind in ("pack", "daybefore", "hourbefore", "after", "actionbefore", "actionday"):
        assert got["dan"][kind] == 1, kind
    assert got["dan"] == got["bob"]  # the same reminders and check-ins, at the same times
    assert await rows(app, DigestItem) == 0
    async with app.db.sessions() as session:
        held = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == "digested")
        )
    assert held == 0


async def test_the_hour_after_a_meeting_makes_one_post(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol", "dan", "erin", "femi"):  # enough for a concern
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    await say(app, "bob", "/concern The room was too hot", dm=True)
    await fast_forward(engine, clock, MEETING + timedelta(hours=2, minutes=10))

    decided = await say(app, "alice", "/decision Open the windows at the break")
    assert all(item.address.user == "alice" for item in decided.sent)  # nothing in the channel
    assert "round-up after the meeting, at 17:00" in texts(decided)
    assert "Recorded as decision 1." in texts(decided) and "shared with" not in texts(decided)
    acted = await say(app, "alice", "/action Ask about the heating by 2026-12-10")
    assert [i.address.user for i in acted.sent] == ["alice", "alice"]
    responded = await say(app, "alice", "/concern respond 1 We asked for a cooler room.", dm=True)
    told = privately(responded, "alice")
    assert "at 17:00" in told and not read(told).problems()
    posts = len(sender.to("#group"))
    await fast_forward(engine, clock, AFTER_MEETING - timedelta(minutes=2))
    assert len(sender.to("#group")) == posts

    await fast_forward(engine, clock, AFTER_MEETING)
    [post] = [r.text for r in sender.received if r.key.startswith("afterroundup")]
    assert "After the meeting: Steering" in post
    assert "the hour after it:\n- a decision\n- an action\n- a reply to a concern\n" in post
    assert not read("\n".join(post.splitlines()[:5])).problems()
    assert "Open the windows at the break" in post and "Ask about the heating" in post
    assert "We asked for a cooler room." in post
    assert await rows(app, DigestItem) == 0

    # Outside the hour, they post at once, as before.
    late = await say(app, "alice", "/action Write to the landlord by 2026-12-10")
    assert any(i.address.channel == "group" and i.address.user is None for i in late.sent)
    assert "round-up" not in texts(late)


async def test_bad_input_changes_nothing_and_off_sends_what_waited(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    await say(app, "dan", "/prefs digest daily", dm=True)
    refusals = await all_refused(
        app,
        [
            ("dan", "/prefs digest weekly", "one message a day"),
            ("dan", "/prefs digest daily at 25:00", "as a time of day"),
            ("dan", "/prefs digest daily at teatime", "like 18:00 or 6pm"),
            ("dan", "/prefs digest", "/prefs digest off"),
        ],
        dm=True,
    )
    assert not [r for r in refusals if read(r).problems()]
    assert "Daily round-up: at 18:00" in texts(await say(app, "dan", "/prefs", dm=True))

    await news_week(app, clock, sender)
    await app.delivery(sender).deliver_due(clock.now())
    assert held_kinds(sender, "dm:dan") == []
    off = await say(app, "dan", "/prefs digest off", dm=True)
    [said_off] = [texts_of(i) for i in off.sent if texts_of(i).startswith("Done.")]
    assert "comes now, in one message" in said_off and not read(said_off).problems()
    [waited] = [i for i in off.sent if "News from Steering group" in texts_of(i)]
    assert "- 3 updates on decisions\n- the minutes" in texts_of(waited)
    assert await rows(app, DigestItem) == 0
    await say(app, "bob", "/update 1 done Papers went out five days before")
    await fast_forward(app.delivery(sender), clock, ROUND_UP_AT + timedelta(hours=1))
    assert held_kinds(sender, "dm:dan") == ["decisionupdate"]
    assert "roundup" not in sender.kinds("dm:dan")


async def test_a_meeting_change_waits_only_when_it_is_more_than_two_days_away(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    await say(app, "dan", "/prefs digest daily", dm=True)
    await say(app, "alice", "/meeting new Soon 2026-12-06 10:00 for 1h")
    await say(app, "alice", "/meeting new Later 2026-12-20 10:00 for 1h")
    soon = await say(app, "alice", "/meeting move 2 2026-12-06 11:00")
    assert "Soon has moved" in sent_to(soon, "dan") and "Soon has moved" in sent_to(soon, "bob")
    later = await say(app, "alice", "/meeting move 3 2026-12-21 10:00")
    assert sent_to(later, "dan") == "" and "Later has moved" in sent_to(later, "bob")
    await fast_forward(app.delivery(sender), clock, ROUND_UP_AT + timedelta(minutes=1))
    [round_up] = [r.text for r in sender.received if r.key.startswith("roundup")]
    assert "- a change to a meeting\n" in round_up and "Later has moved" in round_up


async def test_a_round_up_built_twice_is_the_same_one_and_goes_once(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    await say(app, "dan", "/prefs digest daily", dm=True)
    await news_week(app, clock, sender)
    engine = app.delivery(sender)
    await fast_forward(engine, clock, ROUND_UP_AT - timedelta(minutes=1))
    # The bot builds the round-up (marking what it holds), then stops before claiming it.
    [planned] = [p for p in await engine.pending(ROUND_UP_AT, ROUND_UP_AT) if p.person]
    async with UnitOfWork(app.db.sessions) as uow:
        first = await planned.due.build(uow, planned.person)
        await uow.commit()
    await say(app, "bob", "/update 1 done Papers went out five days before")
    await engine.deliver_due(clock.now())  # held for dan after the first build
    clock.set(ROUND_UP_AT)
    await engine.deliver_due(clock.now())
    [round_up] = [r.text for r in sender.received if r.key.startswith("roundup")]
    assert first is not None and "- 3 updates on decisions\n- the minutes" in texts_of_message(
        first
    )
    assert "- 4 updates on decisions\n- the minutes" in round_up  # the same rows, and the new one
    clock.set(ROUND_UP_AT + timedelta(minutes=10))
    await engine.deliver_due(clock.now())
    assert sender.kinds("dm:dan").count("roundup") == 1 and await rows(app, DigestItem) == 0
