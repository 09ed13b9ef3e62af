"""/prefs export on Matrix, against a real Synapse: both files (the JSON and the plain
summary) arrive in the member's DM as `m.file` events, before the words about them, and
the JSON downloads from the media repository and parses.

The contribution log over two meetings is written straight into the tables
(tests/contributions_log.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nio import MemoryDownloadResponse

from bot.platforms.matrix.store import PLATFORM
from storage.repositories.personal_export import COVERS
from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import (
    group_room,
    make_world,
    name,
    open_dm,
    people,
    running_bot,
)

pytestmark = pytest.mark.matrix


async def test_both_files_arrive_in_the_members_dm(homeserver: Homeserver, tmp_path: Path) -> None:
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

        dm = await open_dm(world, bob)
        await bob.say(dm, "/prefs export")
        said = await bob.hears("Everything I hold about you", dm=True)
        assert said.room_id == dm and "I can't tell which are yours" in said.body
        files = [s for s in bob.from_bot(dm) if s.content.get("msgtype") == "m.file"]
        assert [f.body for f in files] == [
            "alongside-export-2026-12-13.json",
            "alongside-export-2026-12-13.txt",
        ]
        assert all(bob.seen.index(f) < bob.seen.index(said) for f in files)
        downloaded = await bob.client.download(mxc=files[0].content["url"])
        assert isinstance(downloaded, MemoryDownloadResponse), downloaded
        data = json.loads(downloaded.body.decode("utf-8"))
        assert set(data) == {"about", *COVERS}
        assert [e["what"] for e in data["expenses"]] == ["bus fare"]
        assert not [s for s in bob.from_bot(room) if s.content.get("msgtype") == "m.file"]
