"""Cancel and move notices reach everyone the way they get packs (issue 14, item 16).

What was seen: `/meeting cancel` and `/meeting move` were posted only in the channel, so
members who get packs and reminders by direct message heard nothing. Now each of them is
sent the notice too, at a kind time (quiet hours hold it), and the channel still hears.

The clock starts on Monday 30 November 2026, 09:00 UTC (09:00 in London).
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, say, sent_to, sent_to_all, texts

LATE_EVENING = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
NEXT_MORNING = datetime(2026, 12, 1, 8, 1, tzinfo=UTC)


async def group(app: App) -> None:
    """alice facilitates; bob and erin get packs by DM (erin is quiet 21:00-08:00); carol
    reads the channel; two meetings are planned."""
    await say(app, "alice", "/group setup Steering group")
    for member in ("bob", "carol", "erin"):
        await say(app, member, "hello")
    await say(app, "carol", "/prefs reminders channel", dm=True)
    await say(app, "erin", "/prefs quiet 21:00-08:00", dm=True)
    await say(app, "alice", "/meeting new Steering 2026-12-10 14:00 at Room 4")
    await say(app, "alice", "/meeting new Planning 2026-12-08 10:00 every week")


def direct(sender: RecordingSender, who: str) -> list[str]:
    return [r.text for r in sender.received if r.where == f"dm:{who}" and r.key[:7] == "direct:"]


async def test_a_cancelled_meeting_is_told_to_those_who_get_packs_by_dm(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    clock.set(LATE_EVENING)
    result = await say(app, "alice", "/meeting cancel 1")
    post = sent_to_all(result)
    assert post.startswith("Steering (meeting 1) is cancelled.")
    assert sent_to(result, "bob") == post  # before: bob, who gets packs by DM, heard nothing
    assert sent_to(result, "carol") == ""  # carol reads the channel
    assert sent_to(result, "erin") == ""  # erin's quiet hours: it waits
    assert sent_to(result, "alice") == ""  # alice made the change and sees the post

    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, NEXT_MORNING)
    assert direct(sender, "erin") == [post]
    assert direct(sender, "bob") == [] and direct(sender, "carol") == []


async def test_a_moved_date_and_a_cancelled_date_are_told_the_same_way(app: App) -> None:
    await group(app)
    moved = await say(app, "alice", "/meeting move 1 2026-12-11 10:00")
    post = sent_to_all(moved)
    assert "Steering has moved from Thursday 10 December" in post
    assert "to Friday 11 December, 10:00 to 11:30" in post
    assert sent_to(moved, "bob") == post and sent_to(moved, "erin") == post
    assert sent_to(moved, "carol") == ""

    one_date = await say(app, "alice", "/meeting cancel 2 15 December")
    post = sent_to_all(one_date)
    assert "Planning on Tuesday 15 December" in post and "other dates stay the same" in post
    assert sent_to(one_date, "bob") == post and sent_to(one_date, "erin") == post


async def test_a_change_made_in_a_direct_message_is_confirmed_there(app: App) -> None:
    await group(app)
    result = await say(app, "alice", "/meeting cancel 1", dm=True, group_id=1)
    post = sent_to_all(result)
    assert "Steering (meeting 1) is cancelled." in post
    assert sent_to(result, "alice") == post, texts(result)
