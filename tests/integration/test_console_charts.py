"""Charts on the console (issue 20): /checkin trend saves the chart as a PNG next to the
database, and shows its path and, in words, what it shows; with /prefs pictures off only
the words come, and no file is saved."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image as PILImage

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.heard_log import seed_heard
from tests.integration.test_console_attendance import START, messages


async def test_the_trend_chart_is_saved_and_described(tmp_path: Path) -> None:
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
            "alice: /meeting new Steering 2026-12-03 14:00",
        ):
            await console.line(line)
        await seed_heard(app.db, clock.now(), [[5, 4, 3], [4, 4, 5, 5]])

        [(where, sent)] = await said("bob: /checkin trend")
        assert where == "dm:bob"
        assert "- Monday 16 November: 4.0 (3 answers)" in sent
        match = re.search(r"I've saved a chart for you here: (\S+\.png)", sent)
        assert match is not None, sent
        saved = Path(match.group(1))
        assert saved.parent == (tmp_path / "group-files").resolve()
        assert saved.name == "bob-felt-heard-trend.png"
        with PILImage.open(saved) as picture:
            assert picture.format == "PNG" and picture.size == (640, 360)
        assert (
            "What it shows: A line chart of how heard people felt at 2 meetings, oldest first."
            in sent
        )
        assert "Monday 23 November: 4.5 out of 5, from 4 answers." in sent

        await console.line("bob@dm: /prefs pictures off")
        [(where, plain)] = await said("bob: /checkin trend")
        assert "- Monday 23 November: 4.5 (4 answers)" in plain
        assert "chart" not in plain and "What it shows" not in plain
        assert sorted(p.name for p in saved.parent.iterdir()) == [saved.name]
    finally:
        await app.close()
