"""Live meeting mode (issue 15): the bot calls each agenda item at its time, tells the
chair privately when an item has 5 minutes left, places the break between items, and
follows the chair's /next, /more, /back, /pause and /end.

The meeting: Thursday 10 December 2026, 14:00 to 16:00 in London (UTC in winter).
Its items take 10, 20, 30 and 20 minutes; the break falls at 15:00, between the third
and the fourth. carol chairs it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import App
from handlers.live.schedule import Steer, events, place
from handlers.timekeeping import timetable
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, all_refused, posted, privately, say, sent_to

MEETING = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)


def at(hh: int, mm: int) -> datetime:
    return MEETING.replace(hour=hh, minute=mm)


async def meeting(app: App) -> None:
    """alice facilitates; bob, carol and dan are members; carol chairs; four timed items."""
    await say(app, "alice", "/group setup Steering")
    for member in ("bob", "carol", "dan"):
        await say(app, member, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-10 14:00 for 2h at Room 4")
    await say(app, "alice", "/agenda add Welcome minutes 10")
    await say(
        app,
        "bob",
        "/agenda add Crisis line waiting times minutes 20 lead @bob note waiting in crisis",
    )
    await say(app, "alice", "/agenda add Budget minutes 30")
    await say(app, "alice", "/agenda add Next steps minutes 20")
    await say(app, "carol", "/roles willing chair")
    await say(app, "alice", "/rotate")


def live(sender: RecordingSender) -> list[tuple[str, str, str]]:
    """Every live-meeting message: (kind, where, text)."""
    return [
        (r.key.split(":")[0], r.where, r.text) for r in sender.received if r.key.startswith("live-")
    ]


async def forward(app: App, clock: VirtualClock, sender: RecordingSender, to: datetime) -> None:
    await fast_forward(app.delivery(sender), clock, to)


async def test_each_item_is_called_at_its_time_and_the_chair_steers(
    app: App, clock: VirtualClock
) -> None:
    await meeting(app)
    sender = RecordingSender()
    await forward(app, clock, sender, at(14, 1))
    [(kind, where, opening)] = live(sender)
    assert (kind, where) == ("live-openNone", "#group")
    assert "Today's agenda: Steering" in opening
    assert "2. 14:10 Crisis line waiting times (20 min) - led by bob" in opening
    assert "Breaks: at about 15:00." in opening
    assert "Now: 1. Welcome, 10 minutes." in opening

    await forward(app, clock, sender, at(14, 6))
    kind, where, note = live(sender)[-1]
    assert (kind, where) == ("live-warn0", "dm:carol")  # the chair, privately
    assert "5 minutes left on 1. Welcome." in note and "/more 10m" in note

    await forward(app, clock, sender, at(14, 11))
    kind, where, call = live(sender)[-1]
    assert (kind, where) == ("live-call1", "#group")
    assert call.index("A gentle note") < call.index("Now: 2. Crisis line waiting times")
    assert "Now: 2. Crisis line waiting times, led by bob, 20 minutes." in call

    # The chair gives it 10 more minutes: Budget moves from 14:30 to 14:40.
    await forward(app, clock, sender, at(14, 28))
    more = posted(await say(app, "carol", "/more 10m"), "group")
    assert "10 more minutes" in more and "next item now starts at about 14:40" in more
    await forward(app, clock, sender, at(14, 39))
    assert [k for k, _, _ in live(sender)][-2:] == ["live-warn1", "live-warn1"]
    await forward(app, clock, sender, at(14, 41))
    assert "Now: 3. Budget, 30 minutes." in live(sender)[-1][2]

    # The break moves with it: 15:10, between Budget and Next steps, which starts at 15:20.
    await forward(app, clock, sender, at(15, 9))
    assert "live-break" not in {k[:10] for k, _, _ in live(sender)}
    await forward(app, clock, sender, at(15, 11))
    kind, _, pause = live(sender)[-1]
    assert kind == "live-break3" and "Next: 4. Next steps, at 15:20." in pause
    await forward(app, clock, sender, at(15, 21))
    assert "Now: 4. Next steps" in live(sender)[-1][2]

    # /end: nothing more is called, and the thank-you comes an hour after the real end.
    before_end = len(live(sender))
    ended = posted(await say(app, "carol", "/end"), "group")
    assert "That's the end of Steering" in ended
    await forward(app, clock, sender, at(16, 20))
    assert len(live(sender)) == before_end  # no 5-minute note for Next steps at 15:35
    assert not [r for r in sender.received if r.key.startswith("after")]
    await forward(app, clock, sender, at(16, 22))
    thanks = [r for r in sender.received if r.key.startswith("after")]
    assert thanks and "Thank you for being part of Steering today" in thanks[0].text

    # Each message once.
    keys = [r.key for r in sender.received]
    assert len(keys) == len(set(keys))


async def test_next_back_and_a_planned_break_come_in_order(app: App, clock: VirtualClock) -> None:
    await meeting(app)
    sender = RecordingSender()
    await forward(app, clock, sender, at(14, 3))
    reply = privately(await say(app, "carol", "/next"), "carol")
    assert "item 2 starts now" in reply
    await forward(app, clock, sender, at(14, 3))
    assert "Now: 2. Crisis line waiting times" in live(sender)[-1][2]

    privately(await say(app, "carol", "/back"), "carol")
    await forward(app, clock, sender, at(14, 3) + timedelta(seconds=30))
    assert "Now: 1. Welcome" in live(sender)[-1][2]

    # At 14:50 Budget is under way (it started at 14:23:30, after /back and /next at
    # 14:03:30) and the break is planned after it: moving on, the break comes first.
    await say(app, "carol", "/next")
    await forward(app, clock, sender, at(14, 50))
    reply = privately(await say(app, "carol", "/next"), "carol")
    assert "item 4 starts after a 10-minute break, at 15:00" in reply
    await forward(app, clock, sender, at(15, 1))
    kinds = [k for k, _, _ in live(sender)]
    assert kinds[-2:] == ["live-break3", "live-call3"]


async def test_a_restart_during_the_meeting_sends_nothing_twice(
    app: App, clock: VirtualClock
) -> None:
    await meeting(app)
    sender = RecordingSender()
    await forward(app, clock, sender, at(14, 12))
    await say(app, "carol", "/more 5m")
    # A new delivery engine (as after a restart) on the same database and platform.
    await fast_forward(app.delivery(sender), clock, at(15, 40))
    keys = [r.key for r in sender.received]
    assert len(keys) == len(set(keys))
    calls = [text for kind, _, text in live(sender) if kind.startswith("live-call")]
    assert [c.split("Now: ")[1][:2] for c in calls] == ["2.", "3.", "4."]


async def test_a_call_missed_while_the_bot_was_down_is_not_sent_late(
    app: App, clock: VirtualClock
) -> None:
    await meeting(app)
    sender = RecordingSender()
    await forward(app, clock, sender, at(13, 59))
    clock.set(at(14, 35))  # the bot was down from 13:59 to 14:35
    await app.delivery(sender).deliver_due(clock.now())
    assert [k for k, _, _ in live(sender)] == ["live-call2"]  # Budget, under way since 14:30
    clock.set(at(14, 58))  # down again: Budget's 5-minute note (14:55) is still some use
    await app.delivery(sender).deliver_due(clock.now())
    assert [k for k, _, _ in live(sender)][-1] == "live-warn2"


async def test_only_the_chair_or_a_facilitator_steers_and_bad_input_changes_nothing(
    app: App, clock: VirtualClock
) -> None:
    await meeting(app)
    await all_refused(
        app,
        [("carol", "/next", "no meeting on right now"), ("carol", "/end", "no meeting on")],
    )
    await forward(app, clock, app_sender := RecordingSender(), at(14, 15))
    assert app_sender.received
    await all_refused(
        app,
        [
            ("bob", "/next", "/next is for the chair"),
            ("dan", "/more 10m", "/more is for the chair"),
            ("carol", "/more -5m", "Try a number of minutes up to 60"),
            ("carol", "/more lots", "Try a number of minutes up to 60"),
            ("carol", "/more 3h", "Try a number of minutes up to 60"),
        ],
    )
    await say(app, "carol", "/back")
    await all_refused(app, [("carol", "/back", "We're on the first item")])
    for _ in range(4):  # the third waits for the break; the fourth ends it early
        await say(app, "alice", "/next")  # a facilitator may steer too
    await all_refused(app, [("alice", "/next", "That was the last item")])


async def test_a_member_asking_for_a_pause_asks_the_chair_privately(
    app: App, clock: VirtualClock
) -> None:
    await meeting(app)
    await forward(app, clock, RecordingSender(), at(14, 20))
    asked = privately(await say(app, "dan", "/pause"), "dan")
    assert "I can tell the chair privately that someone needs a pause" in asked
    told = await say(app, "dan", "/checkin pause anon", dm=True)
    privately(told, "dan", also_told=["carol"])
    assert "Someone in Steering needs a pause." in sent_to(told, "carol")
    paused = posted(await say(app, "carol", "/pause"), "group")
    assert "Let's pause for 10 minutes. We'll carry on at 14:30." in paused


async def test_live_mode_can_be_turned_off_and_then_only_breaks_come(
    app: App, clock: VirtualClock
) -> None:
    await meeting(app)
    refusal = privately(await say(app, "bob", "/meeting live off"), "bob")
    assert "Only a facilitator" in refusal
    posted(await say(app, "alice", "/meeting live off"), "group")
    sender = RecordingSender()
    await forward(app, clock, sender, at(16, 0))
    assert not [k for k, _, _ in live(sender)]
    assert [r for r in sender.received if r.key.startswith("break")]
    await all_refused(app, [("carol", "/next", "Live meeting mode is off")])


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6),
    moves=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 120), st.integers(0, 30)), max_size=4
    ),
)
def test_calls_come_in_agenda_order_and_never_twice_at_once(
    minutes: list[int], moves: list[tuple[int, int, int]]
) -> None:
    table = timetable(minutes, 120, 50)
    steer = None
    for item, after, extra in moves:
        if item < len(minutes):
            start = MEETING + timedelta(minutes=after)
            steer = Steer(item, start, extra, start)
    live = place(MEETING, minutes, table, steer)
    said = events(live, minutes, MEETING, steer is not None)
    calls = [e for e in said if e.kind == "call"]
    assert [e.item for e in calls] == sorted(e.item for e in calls)  # in agenda order
    assert len({e.at for e in calls}) == len(calls) or 0 in minutes  # one call a moment
    for pause in (e.at for e in said if e.kind == "break"):
        for s, e in zip(live.starts, live.ends, strict=True):
            assert s is None or e is None or not s < pause < e  # never inside an item
