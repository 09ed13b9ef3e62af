"""The ladder pulse end to end on Matrix, against a real Synapse.

A facilitator asks the ladder question in the group room; each member gets it in
their DM with numbered options (1 to 7 for the rungs, 8 Pass, 9 Not now), and four
answer with a bare number at known (virtual) times. At the close the room sees the
counts and the middle answer; then every table, every log line and every message
anyone received from the bot is searched for who answered, and when.

A round asked Monday 30 November 09:00 closes Monday 7 December 09:00 (London is on
UTC then).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.fast_forward import fast_forward
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import (
    START,
    dm_room,
    group_room,
    make_world,
    name,
    people,
    running_bot,
    settle,
)

pytestmark = pytest.mark.matrix

CLOSES = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
#: Who answers, and the number they reply with (4 Consulting, 5 Engaging, 6 Co-design).
ANSWERS = {"bronwen": 4, "caradoc": 5, "dilys": 4, "eirlys": 6}


async def test_four_answers_by_number_show_the_result_and_leave_no_trace(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", *ANSWERS)
    async with running_bot(world) as bot, people(world, "alice", *ANSWERS) as members:
        alice, *answering = members
        room = await group_room(world, alice, answering, "Steering group")
        await alice.say(room, "/ladder ask")
        await alice.hears("I'm asking each member, privately", room)
        await bot.engine.deliver_due(world.clock.now())  # the question goes to each privately
        dms = [await dm_room(member) for member in answering]
        for member, dm in zip(answering, dms, strict=True):
            asked = await member.hears("Where do you think this group stands?", dm)
            assert "3. Informing: we are told what has been decided." in asked.body
            assert "8. Pass" in asked.body and "9. Not now" in asked.body

        writers = []
        with captured_logs() as log_lines:
            for n, (member, dm, number) in enumerate(
                zip(answering, dms, ANSWERS.values(), strict=True)
            ):
                world.clock.set(START + timedelta(hours=1 + n, minutes=17 + n, seconds=23))
                writers.append(
                    Writer((member.user_id, name(member)), (name(member),), world.clock.now())
                )
                await member.say(dm, str(number))
                await member.hears("saved, without your name", dm)
            await fast_forward(bot.engine, world.clock, CLOSES + timedelta(minutes=1))
            result = await alice.hears("Where the group thinks it stands", room)
            await settle(*members)

        assert "4 people chose a rung." in result.body
        assert "Consulting: 2" in result.body and "Engaging: 1" in result.body
        assert "Co-design: 1" in result.body
        assert "The middle answer is Consulting" in result.body
        assert "delivery.run" in log_lines.getvalue()  # the logs were captured
        rows = await every_row(bot.app.db)
        received = [s.body + "\n" + s.html for m in members for s in m.from_bot()]
        assert traces(writers, rows, log_lines.getvalue(), received) == []
