"""Who is coming on the console: "I can't make it" chosen by number from the day-before
reminder reaches the facilitators' count before the meeting and the minutes' apologies."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def messages(out: str) -> list[tuple[str, str]]:
    """Each message the console showed as (where, text), the time stamps left out."""
    found: list[tuple[str, str]] = []
    for line in out.splitlines():
        if line.startswith("  ") and found:
            found[-1] = (found[-1][0], f"{found[-1][1]}\n{line[2:]}")
        else:
            match = re.match(r"^\[([^\]]*)\] (.*)$", line)
            assert match is not None, line
            found.append((match.group(1), match.group(2)))
    return [(where, text) for where, text in found if where != "console"]


async def test_i_cant_make_it_from_a_console_reminder(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)
    try:
        for line in (
            "alice: /group setup Steering group",
            "bob: hello",
            "carol: hello",
            "alice: /meeting new Steering 2026-12-05 14:00 for 2h at Room 4",
            ":now 2026-12-04T14:01",
        ):
            await console.line(line)
        [reminder] = [t for w, t in messages(out.getvalue()) if w == "dm:bob" and "tomorrow" in t]
        assert "Reply with a number:\n1. I'll be there\n2. I can't make it this time" in reminder

        mark = len(out.getvalue())
        await console.line("bob@dm: 2")
        [(where, reply)] = messages(out.getvalue()[mark:])
        assert where == "dm:bob" and "I've noted that you can't make it" in reply

        mark = len(out.getvalue())
        await console.line(":now 2026-12-05T12:01")
        [note] = [t for w, t in messages(out.getvalue()[mark:]) if w == "dm:alice"]
        assert "0 coming, 1 can't make it, 0 not sure, 2 didn't say." in note
        assert "Apologies: bob." in note
        later = messages(out.getvalue()[mark:])
        assert [w for w, t in later if "Who is coming" in t] == ["dm:alice"]

        await console.line(":now 2026-12-05T17:30")
        mark = len(out.getvalue())
        await console.line("alice: /minutes We agreed the budget.")
        minutes = [t for w, t in messages(out.getvalue()[mark:]) if t.startswith("** Minutes")]
        assert len(minutes) == 3  # alice, bob and carol, each by DM
        assert all("Apologies: bob." in t for t in minutes)
    finally:
        await app.close()
