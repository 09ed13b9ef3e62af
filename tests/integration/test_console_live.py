"""Live meeting mode on the console, stepped through with :now, across a restart.

Four timed items (10, 20, 30 and 20 minutes) in a 2-hour meeting on Saturday 5
December 2026 at 14:00 in London (UTC in winter). The break is planned at 15:00,
between the third and the fourth. carol chairs.
"""

from __future__ import annotations

import io

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.integration.test_console_attendance import START, messages

SETUP = (
    "alice: /group setup Steering group",
    "bob: hello",
    "carol: hello",
    "carol: /roles willing chair",
    "alice: /meeting new Steering 2026-12-05 14:00 for 2h at Room 4",
    "alice: /agenda add Welcome minutes 10",
    "bob: /agenda add Crisis line waiting times minutes 20 lead @bob note mentions self-harm",
    "alice: /agenda add Budget minutes 30",
    "alice: /agenda add Next steps minutes 20",
    "alice: /rotate",
)


async def test_a_live_meeting_is_called_item_by_item_and_survives_a_restart(
    database_url: str,
) -> None:
    clock = VirtualClock(START)
    first = io.StringIO()
    app = await build_app(database_url, clock)
    console = Console(app, clock, out=first)
    said: list[tuple[str, str]] = []

    async def step(line: str, out: io.StringIO) -> list[tuple[str, str]]:
        mark = len(out.getvalue())
        await console.line(line)
        new = messages(out.getvalue()[mark:])
        said.extend(new)
        return new

    try:
        for line in SETUP:
            await console.line(line)
        start = await step(":now 2026-12-05T14:01", first)
        [opening] = [t for w, t in start if "Today's agenda" in t]
        assert "Now: 1. Welcome, 10 minutes." in opening

        [(where, note)] = [(w, t) for w, t in await step(":now 2026-12-05T14:06", first)]
        assert where == "dm:carol" and note.startswith("5 minutes left on 1. Welcome.")

        [(where, call)] = await step(":now 2026-12-05T14:11", first)
        assert where == "#group" and "Now: 2. Crisis line waiting times, led by bob" in call
        assert call.startswith("A gentle note before the next item.")

        [(where, more)] = await step("carol: /more 10m", first)
        assert where == "#group"
        assert "The next item now starts at about 14:40." in more
    finally:
        await app.close()

    # The bot restarts at 14:12, mid-meeting, on the same database.
    second = io.StringIO()
    app = await build_app(database_url, clock)
    console = Console(app, clock, out=second)
    try:
        assert await step(":now 2026-12-05T14:34", second) == []  # 14:30 moved to 14:40
        [(where, note)] = await step(":now 2026-12-05T14:36", second)
        assert where == "dm:carol" and "5 minutes left on 2. Crisis line waiting times" in note
        [(_, budget)] = await step(":now 2026-12-05T14:41", second)
        assert "Now: 3. Budget, 30 minutes." in budget

        later = await step(":now 2026-12-05T15:21", second)
        texts = [t for _, t in later]
        assert [t.split(".")[0] for t in texts] == [
            "5 minutes left on 3",  # 15:05, to carol
            "Time for a break",  # 15:10, between Budget and Next steps
            "Now: 4",  # 15:20
        ]
        assert "Next: 4. Next steps, at 15:20." in texts[1]

        after_end = await step("carol: /end", second)
        [ended] = [t for w, t in after_end if w == "#group"]
        assert "That's the end of Steering" in ended
        [asked] = [t for w, t in after_end if w == "dm:carol"]  # the chair: who came?
        assert asked.startswith("Who was there? Steering on Saturday 5 December has finished.")
        assert await step(":now 2026-12-05T16:20", second) == []  # no 5-minute note at 15:35
        thanks = await step(":now 2026-12-05T16:22", second)
        assert thanks and all("Thank you for being part of Steering" in t for _, t in thanks)
    finally:
        await app.close()

    # Each message once: nothing said before the restart was said again after it.
    live = [t for w, t in said if w == "#group" and t.startswith(("Now:", "A gentle", "Time for"))]
    assert len(live) == len(set(live)) == 4
