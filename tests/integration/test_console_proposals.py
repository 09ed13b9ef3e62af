"""A proposal on the console: answered by four members (one by number from the nudge, one
block with a reason), closed on time with the counts, reasons and lived-experience line,
and made decision 1 in one step."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.integration.test_console_attendance import messages

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def test_a_proposal_answered_closed_and_decided(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
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
            "carol: hello",
            "dan: hello",
            "femi: hello",
            "bob@dm: /prefs perspective lived experience",
            "carol@dm: /prefs perspective peer worker",
        ):
            await console.line(line)
        posted = await said("alice: /propose Papers go out a week before each meeting")
        [post] = [t for w, t in posted if w == "#group"]
        assert "Block: I have a serious objection" in post
        assert "open until Wednesday 2 December at 09:00" in post
        assert "- Agree: say /proposal answer 1 agree" in post
        assert "answered Agree" in (await said("bob: /proposal answer 1 agree"))[0][1]
        assert "answered Agree" in (await said("carol@dm: /proposal answer 1 agree"))[0][1]

        halfway = await said(":now 2026-12-01T09:01")
        assert [w for w, t in halfway if "you haven't answered yet" in t] == [
            "dm:alice",
            "dm:dan",
            "dm:femi",
        ]
        [note] = [t for w, t in halfway if w == "#group"]
        assert "2 of 5 members have answered." in note
        assert "answered Disagree" in (await said("dan@dm: 3"))[0][1]
        assert "answered Block" in (await said("femi@dm: 4"))[0][1]
        await console.line("femi@dm: /proposal why 1 The budget isn't there yet")

        [(where, outcome)] = await said(":now 2026-12-02T09:30")
        assert where == "#group" and "Proposal 1 has closed" in outcome
        assert "Answers: Agree 2, Abstain 0, Disagree 1, Block 1." in outcome
        assert "1 person blocked it" in outcome
        assert "- femi (Block): The budget isn't there yet" in outcome
        assert "4 of 5 members answered. 2 of them have lived experience" in outcome
        assert "- Record it as a decision: say /proposal decide 1" in outcome

        decided = await said("alice: /proposal decide 1")
        [decision] = [t for w, t in decided if w == "#group"]
        assert "Decision 1" in decision and "It came from proposal 1" in decision
        refused = await said("alice: /proposal decide 1")
        assert "already recorded as decision 1" in refused[0][1]
    finally:
        await app.close()
