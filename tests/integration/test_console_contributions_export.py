"""The contribution log on the console: over two meetings, /contributions shows each member
their own record and the facilitator everyone's, privately; the export is saved as a CSV
file next to the database, with one row per person and meeting date, and totals."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.test_console_attendance import START, messages


def read(path: Path) -> str:
    """A saved file's text."""
    return path.read_text(encoding="utf-8")


async def test_records_are_private_and_the_export_is_a_csv_file(tmp_path: Path) -> None:
    clock = VirtualClock(START)
    app = await build_app(f"sqlite:///{tmp_path / 'group.db'}", clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)

    async def said(line: str) -> list[tuple[str, str]]:
        mark = len(out.getvalue())
        await console.line(line)
        return messages(out.getvalue()[mark:])

    try:
        for line in ("alice: /group setup Steering group", "bob: hello", "carol: hello"):
            await console.line(line)
        await console.line(f"alice: {MEETING}")
        await seed(app.db)
        clock.set(AFTER)  # after both meetings (time moved without the reminders on the way)

        [(where, bob)] = await said("bob: /contributions")
        assert where == "dm:bob"
        assert "You were at 2 meetings." in bob and "Your expenses come to £4.50:" in bob
        assert "You'd like to be paid for taking part." in bob

        [(where, carol)] = await said("carol@dm: /contributions")
        assert where == "dm:carol" and "You'd rather not be paid." in carol
        assert "bus fare" not in carol and "bob" not in carol

        [(where, alice)] = await said("alice: /contributions")
        assert where == "dm:alice"
        assert "- bob: at 2 meetings" in alice and "- carol: at 1 meeting" in alice

        [(where, refusal)] = await said("carol: /contributions export 2026-12")
        assert where == "dm:carol" and "Only the facilitators" in refusal
        assert not (tmp_path / "group-files").exists()

        [(where, sent)] = await said("alice: /contributions export December 2026")
        assert where == "dm:alice" and "Here is December 2026" in sent
        match = re.search(r"I've saved a file for you here: (\S+\.csv)", sent)
        assert match is not None, sent
        saved = Path(match.group(1))
        assert saved.parent == (tmp_path / "group-files").resolve()
        assert saved.name == "alice-steering-group-contributions-2026-12.csv"
        rows = list(csv.DictReader(io.StringIO(read(saved))))
        per_meeting = [
            (r["Person"], r["Meeting date"]) for r in rows if r["Meeting date"][:1] == "2"
        ]
        assert per_meeting == [
            (person, day)
            for person in ("alice", "bob", "carol")
            for day in ("2026-12-05", "2026-12-12")
        ]
        totals = {r["Person"]: r for r in rows if r["Meeting date"] == "Total"}
        assert totals["bob"]["Preparation minutes"] == "180"
        assert totals["bob"]["Expenses"] == "4.50" and totals["bob"]["Currency"] == "GBP"
        assert totals["carol"]["Payment choice"] == "no payment"
        assert totals["Everyone"]["Was there"] == "5"
        assert totals["Everyone"]["Expenses"] == "4.50"

        # A second export never overwrites the first.
        [(_, again)] = await said("alice: /contributions export 2026-12")
        assert "contributions-2026-12-2.csv" in again and read(saved) != ""
    finally:
        await app.close()
