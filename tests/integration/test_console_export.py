"""/prefs export on the console: a member's two files (JSON and a plain summary) are saved
next to the database, the JSON parses and holds their record, and only they are told."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from storage.repositories.personal_export import COVERS
from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.test_console_attendance import START, messages
from tests.integration.test_console_contributions_export import read


async def test_the_export_is_saved_parses_and_is_private(tmp_path: Path) -> None:
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
        await console.line("bob@dm: /prefs pronouns he/him")
        await seed(app.db)
        clock.set(AFTER)

        # Asked for in the channel, it still comes only to bob (nothing is posted there).
        [(where, _)] = await said("bob: /prefs export")
        assert where == "dm:bob"

        [(where, sent)] = await said("bob@dm: /prefs export")
        assert where == "dm:bob", where
        assert "Everything I hold about you" in sent
        assert "I can't tell which are yours" in sent and "/forget me" in sent
        paths = re.findall(r"I've saved a file for you here: (\S+)", sent)
        assert [Path(p).name for p in paths] == [  # the second export today: never overwritten
            "bob-alongside-export-2026-12-13-2.json",
            "bob-alongside-export-2026-12-13-2.txt",
        ]
        for path in paths:
            assert Path(path).parent == (tmp_path / "group-files").resolve()
        data = json.loads(read(Path(paths[0])))
        assert set(data) == {"about", *COVERS}
        assert data["person"]["name"] == "bob"
        assert data["preferences"]["pronouns"] == "he/him"
        assert [m["group"] for m in data["memberships"]] == ["Steering group"]
        assert len(data["role_turns"]) == 2 and len(data["was_there"]) == 2
        assert [e["what"] for e in data["expenses"]] == ["bus fare"]
        summary = read(Path(paths[1]))
        assert "Your expenses:\n- Group: Steering group. Amount in pence or cents: 450." in summary
        assert "Text: We agreed the budget. Sent: 5 December 2026, 14:00 UTC." in summary
        assert "carol" not in json.dumps(data["expenses"])
    finally:
        await app.close()
