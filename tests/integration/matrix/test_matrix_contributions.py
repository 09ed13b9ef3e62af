"""The contribution export on Matrix, against a real Synapse: the facilitator's
/contributions export arrives in their DM as an `m.file` with an mxc:// address, which
downloads from the media repository to the month's CSV.

The log over two meetings is written straight into the tables (tests/contributions_log.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from nio import MemoryDownloadResponse

from bot.platforms.matrix.store import PLATFORM
from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import (
    dm_room,
    group_room,
    make_world,
    name,
    people,
    running_bot,
)

pytestmark = pytest.mark.matrix


async def test_the_export_arrives_as_a_file_in_the_facilitators_dm(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        room = await group_room(world, alice, [bob, carol], "Steering group")
        for member in (bob, carol):
            await member.say(room, "hello")
        await alice.say(room, MEETING)
        await alice.hears("New meeting: Steering", room)
        await seed(bot.app.db, PLATFORM, room, (name(alice), name(bob), name(carol)))
        world.clock.set(AFTER)

        await alice.say(room, "/contributions export 2026-12")
        csv_name = "steering-group-contributions-2026-12.csv"
        said = await alice.hears(f"I've sent you a file: {csv_name}.", dm=True)
        dm = await dm_room(alice)
        assert said.room_id == dm and "Here is December 2026" in said.body
        [shared] = [s for s in alice.from_bot(dm) if s.content.get("msgtype") == "m.file"]
        assert shared.body == csv_name and shared.content["info"]["mimetype"] == "text/csv"
        url = shared.content["url"]
        assert url.startswith("mxc://")
        assert shared.event_id != said.event_id and alice.seen.index(shared) < alice.seen.index(
            said
        )  # the file first, then the words about it

        downloaded = await alice.client.download(mxc=url)
        assert isinstance(downloaded, MemoryDownloadResponse), downloaded
        rows = list(csv.DictReader(io.StringIO(downloaded.body.decode("utf-8"))))
        people_rows = {r["Person"] for r in rows if r["Meeting date"] == "2026-12-12"}
        assert people_rows == {name(alice), name(bob), name(carol)}
        totals = {r["Person"]: r for r in rows if r["Meeting date"] == "Total"}
        assert totals[name(bob)]["Expenses"] == "4.50"
        assert totals["Everyone"]["Was there"] == "5"
        assert not [s for s in alice.from_bot(room) if s.content.get("msgtype") == "m.file"]
