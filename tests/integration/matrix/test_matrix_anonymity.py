"""Anonymous concerns on Matrix: no trace of who wrote them, or when.

Known people write concerns at known (virtual) times in their DMs with the
bot, against a real Synapse. Then every table, every log line and every
message anyone received from the bot is searched for their ids, names and
those times.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.fast_forward import fast_forward
from tests.anonymity import Writer, captured_logs, every_row, release_order, traces
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import (
    START,
    group_room,
    make_world,
    name,
    open_dm,
    people,
    running_bot,
    settle,
)

pytestmark = pytest.mark.matrix

MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)
NAMES = ("bronwen", "caradoc", "dilys", "eluned")


async def test_matrix_concerns_leave_no_trace_and_come_out_shuffled(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", *NAMES)
    async with running_bot(world) as bot, people(world, "alice", *NAMES) as members:
        alice, *writing = members
        room = await group_room(
            world, alice, writing, "Steering group", power={world.bot.user_id: 50}
        )
        await alice.say(room, "/meeting new Steering 2026-12-05 14:00 for 2h")
        await alice.hears("New meeting: Steering", room)
        dms = [await open_dm(world, member) for member in writing]
        alice_dm = await open_dm(world, alice)

        writers = []
        with captured_logs() as log_lines:
            # Said in the room by mistake: not kept, and taken out of the room.
            mistake = await writing[0].say(room, "/concern I said this in the room")
            await writing[0].hears("I haven't kept that", dm=True)
            await writing[0].until(lambda: mistake in writing[0].redacted, "the redaction")
            for n in range(8):  # two each, in a known order, at known minutes
                member, dm = writing[n % 4], dms[n % 4]
                world.clock.set(START + timedelta(hours=n, minutes=17 + n, seconds=23))
                writers.append(
                    Writer((member.user_id, name(member)), (name(member),), world.clock.now())
                )
                await member.say(dm, f"/concern Concern {n} about the room")
                await member.hears("Your receipt code is", dm, count=n // 4 + 1)
            await fast_forward(bot.engine, world.clock, PACK_DUE + timedelta(minutes=1))
            await alice.say(alice_dm, "/concern respond 1 We asked for a cooler room.")
            await alice.hears("We asked for a cooler room", room)
            await fast_forward(bot.engine, world.clock, MEETING + timedelta(hours=3))
            await settle(*members)

        rows = await every_row(bot.app.db)
        received = [s.body + "\n" + s.html for m in members for s in m.from_bot()]
        assert traces(writers, rows, log_lines.getvalue(), received) == []
        assert not any("I said this in the room" in row for r in rows.values() for row in r)

        order = release_order(s.body for s in alice.from_bot(room))
        assert sorted(order) == list(range(8))
        # Released in a shuffled order: the writing order comes back 1 time in 40,320.
        assert order != list(range(8))
