"""The contribution log on the console, over two meetings (Saturday and Monday) with the
virtual clock: after each one its chair (carol) is asked "Who was there?" once, privately;
she confirms the first with the button and corrects the second by naming people; bob adds
his reading time and a bus fare; dan says, privately, that he doesn't want to be paid."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.integration.test_console_attendance import messages

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def read(path: Path) -> str:
    """A saved file's text (the console saves files for people to open)."""
    return path.read_text(encoding="utf-8")


FIRST, SECOND = "Steering on Saturday 5 December", "Steering on Monday 7 December"

SETUP = (
    "alice: /group setup Steering group",
    "bob: hello",
    "carol: hello",
    "dan: hello",
    "carol: /roles willing chair",
    "alice: /meeting new Steering 2026-12-05 14:00 for 2h at Room 4",
    "alice: /meeting new Steering 2026-12-07 14:00 for 2h at Room 4",
    "alice: /rotate",
    "bob: /agenda add Crisis line waiting times minutes 20 lead @bob",
    "bob: /coming yes",
    "dan: /coming no",
)


async def test_who_was_there_time_expenses_and_payment_over_two_meetings(
    database_url: str,
) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)

    async def step(line: str) -> list[tuple[str, str]]:
        mark = len(out.getvalue())
        await console.line(line)
        return messages(out.getvalue()[mark:])

    def asked(said: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(w, t) for w, t in said if t.startswith("Who was there?")]

    try:
        for line in SETUP:
            await step(line)
        [(where, reply)] = await step("bob: /contributions add 2h reading papers")
        assert where == "dm:bob"
        assert reply.startswith("Thank you. I've added 2 hours: reading papers")
        assert f"It counts with the next meeting, {FIRST}." in reply

        [(where, question)] = asked(await step(":now 2026-12-05T16:01"))
        assert where == "dm:carol"
        assert "I think these people came: bob and carol. Is that right?" in question
        assert "Reply with a number:\n1. Yes, that's right" in question
        assert "/contributions there 5 December" in question and "You can skip this." in question

        [(where, reply)] = await step("carol@dm: 1")
        assert (where, reply.split("\n")[0]) == (
            "dm:carol",
            f"Thank you. I've noted who came to {FIRST}: bob and carol.",
        )

        [(where, reply)] = await step("bob: /expenses £4.50 bus fare")
        assert where == "dm:bob" and reply.startswith("Thank you. I've noted £4.50: bus fare")
        assert f"It counts with the last meeting, {FIRST}." in reply

        said = await step("dan: /contributions payment none")
        assert said == [
            (
                "dm:dan",
                "I haven't kept that, because others in this channel could see it.\n"
                "Please send /contributions to me in a direct message instead. "
                "Only I will see it there.",
            )
        ]
        [(where, reply)] = await step("dan@dm: /contributions payment no payment")
        assert where == "dm:dan"
        assert "I've noted that you don't want to be paid." in reply
        assert "You can still be paid for taking part if you get benefits." in reply
        assert "ask alice (the facilitator). Or ask a free adviser, like Citizens Advice." in reply
        [(_, shown)] = await step("dan@dm: /contributions payment")
        assert "You said you don't want to be paid." in shown

        later = await step(":now 2026-12-07T16:01")
        [(where, question)] = asked(later)
        assert where == "dm:carol" and f"{SECOND} has finished" in question
        [(where, reply)] = await step("carol: /contributions there last everyone except @dan")
        assert (where, reply.split("\n")[0]) == (
            "dm:carol",
            f"Thank you. I've noted who came to {SECOND}: alice, bob and carol.",
        )
        [(where, reply)] = await step("carol: /contributions there 7 December @bob @carol")
        assert reply.startswith(f"Thank you. I've changed who came to {SECOND}: bob and carol.")

        quiet = await step(":now 2026-12-08T10:00")
        assert asked(quiet) == []
        everyone = messages(out.getvalue())
        assert [w for w, t in asked(everyone)] == ["dm:carol", "dm:carol"]

        # What the log now holds, as the member and the facilitators see it, and in the export.
        [(where, record)] = await step("bob@dm: /contributions")
        assert where == "dm:bob" and "You were at 2 meetings." in record
        assert "You led 1 item on the agenda." in record
        assert "2 hours: reading papers" in record and "£4.50: bus fare" in record
        [(where, own)] = await step("dan@dm: /contributions")
        assert where == "dm:dan" and "You'd rather not be paid." in own
        assert "bus fare" not in own and "reading papers" not in own
        [(where, sent)] = await step("alice: /contributions export 2026-12")
        assert where == "dm:alice"
        found = re.search(r"I've saved a file for you here: (\S+\.csv)", sent)
        assert found is not None, sent
        rows = list(csv.DictReader(io.StringIO(read(Path(found.group(1))))))
        dated = [(r["Person"], r["Meeting date"]) for r in rows if r["Meeting date"][:1] == "2"]
        assert dated == [
            (person, day)
            for person in ("alice", "bob", "carol", "dan")
            for day in ("2026-12-05", "2026-12-07")
        ]
        row = {(r["Person"], r["Meeting date"]): r for r in rows}
        assert row["carol", "2026-12-05"]["Roles"] == "chair"
        assert row["bob", "2026-12-05"]["Items led"] == "1"
        assert [row["alice", day]["Was there"] for day in ("2026-12-05", "2026-12-07")] == [
            "no",
            "no",
        ]
        assert row["bob", "Total"]["Preparation minutes"] == "120"
        assert row["bob", "Total"]["Expenses"] == "4.50"
        assert row["bob", "Total"]["Was there"] == "2"
        assert row["dan", "Total"]["Payment choice"] == "no payment"
        assert row["Everyone", "Total"]["Was there"] == "4"
    finally:
        await app.close()
