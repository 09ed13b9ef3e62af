"""/forget me on the console: a member with data in two groups asks to be forgotten.

Afterwards every table, every log line and every later message is searched for
their id and name (the same word on the console): only "a former member" is
left. The group's decisions, actions and minutes still read; other members'
data is untouched; nothing more reaches the forgotten person.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from bot.app import build_app
from bot.platforms.console.platform import Console
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from tests.anonymity import captured_logs, every_row

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NAME = "morwenna"


def messages(out: str) -> list[tuple[str, str]]:
    """Each message the console showed as (where, text), time stamps left out."""
    found: list[tuple[str, str]] = []
    for line in out.splitlines():
        if line.startswith("  ") and found:
            found[-1] = (found[-1][0], f"{found[-1][1]}\n{line[2:]}")
        else:
            match = re.match(r"^\[([^\]]*)\] (.*)$", line)
            assert match is not None, line
            found.append((match.group(1), match.group(2)))
    return [(where, text) for where, text in found if where != "console"]


async def test_forget_me_leaves_only_a_former_member(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)

    async def in_design_group(user: str, said: str) -> None:
        """The console has one group channel: the second group's channel is spoken to here."""
        incoming = Incoming("console", user, user, said, channel="design")
        result = await app.handle(incoming)
        for item in result.sent:
            await console.send(item)
        await console.deliver()

    try:
        for line in (
            "alice: /group setup Steering group",
            f"{NAME}: hello",
            "bob: hello",
            f"alice: /group facilitator add @{NAME}",
            "alice: /meeting new Steering 2026-12-05 14:00 every week for 2h",
            f"{NAME}: /agenda add Travel costs",
            f"alice: /decision Pay travel costs on the day owner @{NAME} update in 2 weeks",
            f"{NAME}: /action Ask finance about bus passes by 2026-12-08",
            f"{NAME}: /contributions add 2h reading the papers",
            "bob: /contributions add 1h reading the papers",
            f"{NAME}: /expenses 4.50 bus fare",
            f"{NAME}: /coming yes",
            f"{NAME}@dm: /prefs quiet 22:00-07:00",
            ":now 2026-12-05T17:00",
            f"{NAME}: /minutes We agreed to pay travel costs on the day.",
        ):
            await console.line(line)
        await in_design_group("alice", "/group setup Design group")
        await in_design_group(NAME, "/contributions add 1h sketching")
        assert any(NAME in row for rows in (await every_row(app.db)).values() for row in rows)

        mark = len(out.getvalue())
        await console.line(f"{NAME}@dm: /forget me")
        [(where, ask)] = messages(out.getvalue()[mark:])
        assert where == f"dm:{NAME}" and "can't be undone" in ask and "/prefs export" in ask
        with captured_logs("DEBUG") as log_lines:
            mark = len(out.getvalue())
            await console.line(f"{NAME}@dm: 1")
            said = messages(out.getvalue()[mark:])
            assert said[-1] == (
                f"dm:{NAME}",
                "Done. I've forgotten you, in every group.\n"
                "If you talk to me again, I'll meet you as someone new.",
            )
            told = sorted(t for w, t in said if w == "dm:alice")
            assert told == ["Someone has left Design group.", "Someone has left Steering group."]

            mark = len(out.getvalue())
            for line in (
                "alice: /decision all",
                "alice: /minutes",
                "alice: /action",
                "alice: /group log",
                "bob: /contributions",
                ":now 2026-12-09T15:00",  # past the action's reminders and the next pack
            ):
                await console.line(line)
        later = messages(out.getvalue()[mark:])
        rows = await every_row(app.db)
    finally:
        await app.close()

    shown = "\n".join(f"[{w}] {t}" for w, t in later)
    assert NAME not in shown.lower(), shown
    assert NAME not in log_lines.getvalue().lower()
    found = [f"{t}: {r}" for t, rs in rows.items() for r in rs if NAME in r.lower()]
    assert found == [], found
    assert [w for w, _ in later if w == f"dm:{NAME}"] == []

    decisions = next(t for w, t in later if t.startswith("** All decisions"))
    assert "Decision 1: Pay travel costs on the day (a former member;" in decisions
    minutes = next(t for w, t in later if "We agreed to pay travel costs" in t)
    assert "a former member" in minutes
    actions = next(t for w, t in later if t.startswith("** Open actions"))
    assert "Ask finance about bus passes (a former member" in actions
    bob = next(t for w, t in later if w == "dm:bob")
    assert "reading the papers" in bob
    assert any("Pack for Steering" in t for w, t in later if w == "dm:bob")
    people = rows["people"]
    assert sum("a former member" in p for p in people) == 1
    assert rows["preferences"] == [] or all("22:00" not in p for p in rows["preferences"])
    assert not any("bus fare" in r or "sketching" in r for r in rows["expenses"])
