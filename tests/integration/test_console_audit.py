"""The audit log on the console: each facilitator action of a scripted session shows in
/group log, in order, for any member; a refused command logs nothing; a withheld
concern's entry never points to its writer."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from storage.models import AuditEntry
from tests.integration.test_console_attendance import START, messages

WRITER = "quentin"  # writes the concern, and does nothing else
CONCERN = "The room was too hot and nobody listened"

SESSION = (
    "alice: /group setup Steering group",
    "bob: hello",
    "carol: hello",
    f"{WRITER}: hello",
    "alice: /group aims Improve crisis care together",
    "alice: /group timezone Europe/Paris",
    "alice: /group facilitator add @carol",
    "alice: /meeting new Steering 2026-12-05 14:00 for 2h at Room 4",
    "bob: /agenda add Budget minutes 10",
    "alice: /agenda remove 1",
    "carol: /group breaks 45m",
    "alice: /rotate",
)

EXPECTED = [
    "Mon 30 Nov 10:00 — alice set up this group",
    "Mon 30 Nov 10:00 — alice changed the group's aims",
    "Mon 30 Nov 10:00 — alice changed the time zone to Europe/Paris",
    "Mon 30 Nov 10:00 — alice made carol a facilitator",
    "Mon 30 Nov 10:00 — alice planned Steering (meeting 1) for ",
    "Mon 30 Nov 10:00 — alice took bob's item off the agenda: Budget",
    "Mon 30 Nov 10:00 — carol set break reminders to every 45 minutes",
    "Mon 30 Nov 10:00 — alice gave out the roles for Steering on ",
    "Tue 1 Dec 16:00 — alice withheld a concern, reason: it names a person",
    "Tue 1 Dec 16:00 — carol moved Steering from ",
    "Tue 1 Dec 16:00 — alice removed carol as a facilitator",
]


async def test_group_log_shows_each_facilitator_action_in_order(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)

    async def say(line: str) -> list[tuple[str, str]]:
        mark = len(out.getvalue())
        await console.line(line)
        return messages(out.getvalue()[mark:])

    try:
        for line in SESSION:
            await console.line(line)
        await console.line(f"{WRITER}@dm: /concern {CONCERN}")
        [(_, receipt)] = await say(f"{WRITER}@dm: 1")  # send it anyway (a small group)
        code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt)
        assert code, receipt
        await console.line(":now 2026-12-01T15:00")
        [(_, pending)] = await say("alice@dm: /concern pending")
        handle = re.search(r"\[([0-9a-f]{6})\]", pending)
        assert handle, pending
        await console.line(f"alice@dm: /concern withhold {handle.group(1)} it names a person")
        await console.line("carol: /meeting move 1 2026-12-06 15:00")
        for refused in ("bob: /group timezone Europe/Rome", "alice: /group timezone Mars/Base"):
            [(_, reply)] = await say(refused)
            assert "Nothing was changed" in reply or "Only" in reply, reply
        await console.line("alice: /group facilitator remove @carol")

        [(where, shown)] = await say("bob: /group log")
        async with app.db.sessions() as session:
            rows = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    finally:
        await app.close()

    assert where == "dm:bob"
    assert "Newest last.\nTimes are in Paris time." in shown
    lines = [line.removeprefix("• ").removeprefix("- ") for line in shown.splitlines()[2:]]
    lines = [line for line in lines if "—" in line]
    assert len(lines) == len(EXPECTED), shown
    for line, start in zip(lines, EXPECTED, strict=True):
        assert line.strip().lstrip("•- ").startswith(start), (line, start)
    assert "Rome" not in shown and "Mars" not in shown  # refused: nothing logged

    withheld = [r.action for r in rows if "withheld" in r.action]
    assert withheld == ["withheld a concern, reason: it names a person"]
    everything = "\n".join([shown, *(r.action for r in rows)])
    for trace in (WRITER, code.group(0), handle.group(1), "too hot", "nobody listened"):
        assert trace.lower() not in everything.lower(), trace
