"""/meeting calendar on the console (issue 18): the .ics file is saved next to the database,
its path is shown privately, and it reads back with a second iCalendar library (vobject);
an unknown meeting number gets a kind refusal and no file."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import vobject

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.integration.test_console_attendance import START, messages


def read(path: Path) -> str:
    """A saved file's text."""
    return path.read_text(encoding="utf-8")


async def test_the_calendar_file_is_saved_and_reads_back(tmp_path: Path) -> None:
    clock = VirtualClock(START)
    app = await build_app(f"sqlite:///{tmp_path / 'group.db'}", clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)

    async def said(line: str) -> list[tuple[str, str]]:
        mark = len(out.getvalue())
        await console.line(line)
        return messages(out.getvalue()[mark:])

    try:
        for line in (
            "alice: /group setup Steering group",
            "bob: hello",
            "alice: /meeting new Steering 2026-12-03 14:00 every 2 weeks at Room 4",
            "alice: /meeting cancel 1 17 December",
        ):
            await console.line(line)

        [(where, refusal)] = await said("bob: /meeting calendar 12")
        assert where == "dm:bob" and "I can't find meeting 12 in this group." in refusal
        assert "Nothing was changed." in refusal and "/meeting" in refusal
        assert not (tmp_path / "group-files").exists()

        [(where, sent)] = await said("bob: /meeting calendar")
        assert where == "dm:bob" and "Here are the meetings of Steering group" in sent
        match = re.search(r"I've saved a file for you here: (\S+\.ics)", sent)
        assert match is not None, sent
        saved = Path(match.group(1))
        assert saved.parent == (tmp_path / "group-files").resolve()
        assert saved.name == "bob-steering-group-meetings.ics"

        [event] = vobject.readOne(read(saved)).vevent_list
        assert event.summary.value == "Steering" and event.location.value == "Room 4"
        assert event.uid.value == "meeting-1@group-1.alongside"
        assert event.dtstart.value.replace(tzinfo=None) == datetime(2026, 12, 3, 14, 0)
        assert event.dtend.value - event.dtstart.value == timedelta(minutes=90)
        assert event.rrule.value == "FREQ=WEEKLY;INTERVAL=2"
        [cancelled] = event.exdate.value
        assert cancelled.replace(tzinfo=None) == datetime(2026, 12, 17, 14, 0)
    finally:
        await app.close()
