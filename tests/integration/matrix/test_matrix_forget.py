"""/forget me on Matrix, against a real Synapse: a member of two groups asks to be forgotten.

The answer comes in the DM they typed in (no new room is opened), then the bot
leaves that room. Afterwards every table and every log line is searched for
their Matrix id and name: nothing is left but "a former member". The group's
decisions still read, another member's data is untouched, and nothing more
reaches the forgotten person (the clock goes past their action's reminders).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scheduler.fast_forward import fast_forward
from tests.anonymity import captured_logs, every_row
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import (
    group_room,
    make_world,
    name,
    people,
    running_bot,
    settle,
)

pytestmark = pytest.mark.matrix

AFTER_REMINDERS = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # the pack and both reminders


async def test_forget_me_leaves_only_a_former_member(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "morwenna")
    async with running_bot(world) as bot, people(world, "alice", "bob", "morwenna") as members:
        alice, bob, mor = members
        steering = await group_room(world, alice, [bob, mor], "Steering group")
        await alice.say(steering, "/meeting new Steering 2026-12-05 14:00 every week for 2h")
        await alice.hears("New meeting: Steering", steering)
        await mor.say(steering, "/agenda add Travel costs")
        dm = (await mor.hears("Added to the agenda", dm=True)).room_id
        await alice.say(
            steering, f"/decision Pay travel costs on the day owner {mor.user_id} update in 2 weeks"
        )
        await bob.hears("Decision 1", steering)
        await mor.say(
            steering, f"/action Ask finance about bus passes owner {mor.user_id} by 2026-12-03"
        )
        await bob.hears("Action 1: Ask finance about bus passes", steering)
        await bob.say(steering, "/contributions add 1h reading the papers")
        await bob.hears("reading the papers", dm=True)
        design = await group_room(world, alice, [mor], "Design group")
        await mor.say(design, "/contributions add 1h sketching")
        await mor.hears("sketching", dm=True)
        await mor.say(dm, "/prefs pronouns she/her")
        await mor.hears("I've saved your pronouns", dm)
        rows = await every_row(bot.app.db)
        assert any(mor.user_id in r for rs in rows.values() for r in rs)

        with captured_logs("DEBUG") as log_lines:
            await mor.say(dm, "/forget me")
            await mor.hears("Do you want me to forget you?", dm)
            await mor.say(dm, "1")
            done = await mor.hears("Done. I've forgotten you, in every group.", dm=True)
            assert done.room_id == dm  # answered where they asked: no room was opened
            for group in ("Design group", "Steering group"):
                await alice.hears(f"Someone has left {group}.", dm=True)
            await mor.until(lambda: not mor.in_room(dm, world.bot.user_id), "the bot to leave")
            told = len(mor.from_bot(dm=True))

            await alice.say(steering, "/decision all")
            decisions = await alice.hears("All decisions", dm=True)
            await fast_forward(bot.engine, world.clock, AFTER_REMINDERS)
            await settle(*members)
        rows = await every_row(bot.app.db)

    assert "Decision 1: Pay travel costs on the day (a former member;" in decisions.body
    assert len(mor.from_bot(dm=True)) == told and mor.dm_rooms == {dm}
    assert any("Pack for Steering" in s.body for s in bob.from_bot(dm=True))
    needles = [mor.user_id.lower(), name(mor).lower()]
    found = [f"{t}: {r}" for t, rs in rows.items() for r in rs for n in needles if n in r.lower()]
    assert found == [], found
    logged = log_lines.getvalue().lower()
    assert [n for n in needles if n in logged] == []
    assert sum("a former member" in p for p in rows["people"]) == 1
    assert any(bob.user_id in p for p in rows["people"])
    assert any("reading the papers" in c for c in rows["contributions"])
    assert not any("sketching" in c for c in rows["contributions"])
    assert not any("she/her" in p for p in rows["preferences"])
