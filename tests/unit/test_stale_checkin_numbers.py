"""Issue 14, item 22: a check-in number from an old prompt still reaches the check-in open now.

The issue saw `/checkin need 1` said while the hour-before check-in asked for
`/checkin need 3`: "That check-in has closed", and the member's need was lost.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, options, privately, refused, say, texts

# Monday 30 November 2026 and Monday 7 December, 12:00 to 13:00 London time (= UTC).
FIRST = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)
NEED = "Could we have a break halfway?"


def numbers(sender: RecordingSender, where: str, verb: str) -> list[str]:
    """Every check-in number someone was given, in order."""
    return re.findall(rf"/checkin {verb} (\d+)", "\n".join(sender.to(where)))


async def two_meetings(app: App, clock: VirtualClock) -> tuple[RecordingSender, str, str, str]:
    """Two weekly meetings; the clock stops while the second one's check-in is open.

    Returns the platform and the numbers of the first meeting's check-ins (before,
    after) and of the one open now."""
    sender = RecordingSender()
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol", "dan"):
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-11-30 12:00 for 1h")
    await say(app, "alice", "/meeting new Steering 2026-12-07 12:00 for 1h")
    await fast_forward(app.delivery(sender), clock, SECOND - timedelta(minutes=55))
    [old_before, now_open] = numbers(sender, "dm:bob", "need")
    [old_after] = numbers(sender, "dm:bob", "add")
    return sender, old_before, old_after, now_open


async def test_a_closed_numbers_need_goes_to_the_open_checkin_and_says_so(
    app: App, clock: VirtualClock
) -> None:
    sender, old, _, now_open = await two_meetings(app, clock)
    assert old != now_open

    # What the issue saw was "That check-in has closed" and the need was gone. Now:
    said = await say(app, "bob", f"/checkin need {old} {NEED}", dm=True)
    kept = privately(said, "bob")
    assert (
        f"Check-in {old} has closed, so I've used the check-in open now instead: "
        f"number {now_open}, before Steering." in kept
    )
    assert "I'll pass this on to the facilitators without your name" in kept
    # the question about showing their name is about the open check-in too
    assert [o.command for o in options(said, "bob")] == [
        f"/checkin named {now_open}",
        f"/checkin unnamed {now_open}",
    ]
    answered = texts(await say(app, "carol", f"/checkin answer {old} amber", dm=True))
    assert f"used the check-in open now instead: number {now_open}" in answered
    assert "Take things at your own pace" in answered
    await say(app, "dan", f"/checkin answer {now_open} green", dm=True)
    await say(app, "alice", f"/checkin answer {now_open} green", dm=True)

    await fast_forward(app.delivery(sender), clock, SECOND)
    summary = [r.text for r in sender.received if r.key.startswith("checkin-summary-before")][-1]
    assert "3 people answered" in summary and "Amber (a harder day): 1" in summary
    assert f"- {NEED}" in summary and "bob" not in summary


async def test_an_after_meeting_number_goes_to_the_open_checkin_of_another_kind(
    app: App, clock: VirtualClock
) -> None:
    _, _, old_after, now_open = await two_meetings(app, clock)
    added = texts(await say(app, "bob", f"/checkin add {old_after} I'll be late", dm=True))
    assert f"Check-in {old_after} has closed" in added and f"number {now_open}, before" in added
    # A score for the old after-meeting question doesn't fit the open one: said plainly.
    reply = await refused(
        app,
        "bob",
        f"/checkin answer {old_after} 4",
        "Please answer with green, amber or red",
        dm=True,
    )
    assert f"Check-in {old_after} has closed" in reply


async def test_a_closed_number_with_nothing_open_is_still_refused(
    app: App, clock: VirtualClock
) -> None:
    _, old, _, now_open = await two_meetings(app, clock)
    clock.set(SECOND + timedelta(minutes=61))  # both meetings over; nothing open
    for said in (f"/checkin need {old} {NEED}", f"/checkin answer {now_open} green"):
        await refused(app, "bob", said, "That check-in has closed", dm=True)


async def test_naming_a_note_is_never_moved_to_another_checkin(
    app: App, clock: VirtualClock
) -> None:
    _, old, _, now_open = await two_meetings(app, clock)
    await say(app, "bob", f"/checkin need {now_open} {NEED}", dm=True)
    # The note was written for the open check-in; naming one on a closed check-in is not it.
    await refused(app, "bob", f"/checkin named {old}", "That check-in has closed", dm=True)
    named = texts(await say(app, "bob", f"/checkin named {now_open}", dm=True))
    assert "will see your name" in named
