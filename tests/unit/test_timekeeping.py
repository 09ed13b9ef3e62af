"""Timekeeping (issue 14, item 18): breaks go between agenda items, never in the last 15
minutes, and facilitators hear, privately, when the agenda runs past the end.

What was seen: in a 2-hour meeting with items of 10, 20 and 30 minutes (the last with a
content note), the break came at 14:50, in the middle of that item; in a 60-minute
meeting a break at minute 50 said "we'll carry on in about 10 minutes" as it ended; and
items planned past the end were listed as if nothing was wrong.

The clock starts on Monday 30 November 2026, 09:00 UTC (09:00 in London).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import App
from handlers.timekeeping import BREAK_LENGTH, NO_BREAK_AT_END, timetable
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, privately, say, sent_to

MEETING = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)  # a Thursday; London = UTC in winter
PACK_DUE = MEETING - timedelta(days=3)


async def group(app: App, length: str = "2h") -> None:
    """alice facilitates; bob and carol are members; a meeting on Thursday 10 December."""
    await say(app, "alice", "/group setup Steering")
    for member in ("bob", "carol"):
        await say(app, member, "hello")
    await say(app, "alice", f"/meeting new Steering 2026-12-10 14:00 for {length} at Room 4")


async def items(app: App) -> None:
    """The items that put the break inside the third one."""
    await say(app, "alice", "/agenda add Welcome minutes 10")
    await say(app, "alice", "/agenda add Budget minutes 20")
    await say(app, "carol", "/agenda add Crisis care stories minutes 30 note talks about self-harm")
    await say(app, "carol", "/agenda add Any other business")


def breaks(sender: RecordingSender) -> list[str]:
    return [r.text for r in sender.received if r.key.startswith(("break", "live-break"))]


async def test_a_break_comes_between_items_not_inside_one_with_a_content_note(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await items(app)
    shown = privately(await say(app, "bob", "/agenda"), "bob")
    assert "- 3. 14:30 Crisis care stories (30 min) [Content note: talks about self-harm]" in shown
    assert "- 4. 15:10 Any other business" in shown  # after a 10-minute break at 15:00

    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, MEETING + timedelta(minutes=59))
    assert "Breaks: at 15:00. You can take one any time." in sender.to("dm:bob")[0]
    assert breaks(sender) == []  # before: a break at 14:50, inside the content-noted item
    await fast_forward(app.delivery(sender), clock, MEETING + timedelta(minutes=61))
    [now] = breaks(sender)
    assert "Time for a break" in now and "carry on in about 10 minutes" in now
    await fast_forward(app.delivery(sender), clock, MEETING + timedelta(hours=3))
    assert len(breaks(sender)) == 1  # none in the last 15 minutes


async def test_a_60_minute_meeting_has_no_break_as_it_ends(app: App, clock: VirtualClock) -> None:
    await group(app, length="60m")
    await say(app, "alice", "/agenda add Updates minutes 30")
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, MEETING + timedelta(hours=2))
    assert breaks(sender) == []  # before: "we'll carry on in 10 minutes" at 14:50
    assert "Breaks:" not in sender.to("dm:bob")[0]


async def test_a_facilitator_who_overruns_the_agenda_is_told_in_their_reply(app: App) -> None:
    await group(app)
    await items(app)
    fits = privately(await say(app, "alice", "/agenda add Next steps minutes 20"), "alice")
    assert "past the end" not in fits  # 10 + 20 + 30, a break, then 20: ends at 15:30
    # 40 more: a second break at 15:30 (between items) and the last item ends at 16:20.

    over = privately(await say(app, "alice", "/agenda add Big plans minutes 40"), "alice")
    assert (
        "The agenda for Steering (Thursday 10 December, 14:00 to 16:00) runs 20 minutes past "
        "the end at 16:00. Its items take 2 hours 20 minutes, with 2 breaks. This would end "
        "after 16:00: item 6, Big plans."
    ) in over
    assert "/agenda remove" in over and "/agenda move" in over

    shown = privately(await say(app, "alice", "/agenda"), "alice")
    assert "runs 20 minutes past the end at 16:00" in shown
    assert "past the end" not in privately(await say(app, "bob", "/agenda"), "bob")

    # Moving the long item first changes which item runs late: alice hears again.
    moved = privately(await say(app, "alice", "/agenda move 6 1"), "alice")
    assert "This would end after 16:00: item 6, Next steps." in moved
    removed = privately(await say(app, "alice", "/agenda remove 1"), "alice")
    assert "past the end" not in removed


async def test_when_a_member_overruns_the_agenda_the_facilitators_hear_privately(
    app: App,
) -> None:
    await group(app)
    await items(app)
    result = await say(app, "bob", "/agenda add Long story minutes 90")
    reply = privately(result, "bob", also_told=["alice"])
    assert "the agenda runs past the end at 16:00" in reply
    assert "I've let the facilitators know" in reply
    note = sent_to(result, "alice")
    assert note.startswith("bob added 'Long story' on the agenda.")
    assert "runs 40 minutes past the end at 16:00" in note
    # Another item that adds no time tells nobody again.
    privately(await say(app, "carol", "/agenda add Thanks"), "carol")


async def test_facilitators_alone_get_a_note_before_the_pack_when_the_agenda_overruns(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await items(app)
    await say(app, "bob", "/agenda add Long story minutes 90")
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    [note, _pack] = [r.text for r in sender.received if r.where == "dm:alice"]
    assert "runs 40 minutes past the end at 16:00" in note
    assert "The pack goes to everyone on Monday at 14:00. Only facilitators get this note." in note
    assert [k for k in sender.kinds("dm:bob")] == ["pack"]
    assert "past the end" not in sender.to("dm:bob")[0]


# --- the timetable on its own --------------------------------------------------------------

minutes_st = st.lists(st.one_of(st.none(), st.integers(1, 120)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(minutes_st, st.integers(10, 480), st.one_of(st.none(), st.integers(20, 240)))
def test_breaks_never_fall_inside_an_item_or_in_the_last_15_minutes(
    minutes: Sequence[int | None], length: int, every: int | None
) -> None:
    table = timetable(minutes, length, every)
    assert len(table.starts) == len(table.ends) == len(minutes)
    for at in table.breaks:
        assert 0 < at <= length - NO_BREAK_AT_END
        for start, end in zip(table.starts, table.ends, strict=True):
            assert not start < at < end  # never inside an item
            assert not at < start < at + BREAK_LENGTH  # no item starts during a break
    assert list(table.breaks) == sorted(set(table.breaks))
    if not every:
        assert table.breaks == ()
    # Items follow each other in order; only a break comes between them.
    previous_end = 0
    for start, end, m in zip(table.starts, table.ends, minutes, strict=True):
        assert end - start == (m or 0)
        assert start in (previous_end, previous_end + BREAK_LENGTH)
        previous_end = end
    assert table.overrun == max(0, table.planned - length)


def test_a_break_goes_to_the_nearest_boundary_and_every_interval_after_it() -> None:
    # 10 + 20 + 30 minutes in 2 hours, breaks every 50: 14:50 is inside the third item,
    # whose end (60) is nearer than its start (30).
    assert timetable([10, 20, 30, None], 120, 50).breaks == (60,)
    # Two items of 40 in 90 minutes, breaks every 45: between them, at 40.
    table = timetable([40, 40], 90, 45)
    assert table.breaks == (40,) and table.starts == (0, 50) and table.overrun == 0
    # No items: every 50 minutes, but not in the last 15.
    assert timetable([], 180, 50).breaks == (50, 100, 150)
    assert timetable([], 60, 50).breaks == ()
    # One long item: no break inside it, and none at its very start.
    assert timetable([120], 120, 50).breaks == ()
    # Two hours of items in a 2-hour meeting, with a break between them: 10 minutes over.
    over = timetable([60, 60], 120, 50)
    assert over.breaks == (60,) and over.overrun == 10 and over.past_end == (1,)
