"""Charts on Matrix (issue 20), against a real Synapse: /checkin trend's chart arrives in
the member's DM as an `m.image` before the words, its `body` the alt text with the same
numbers, its `info` the PNG's type, size and pixels, and its mxc:// URL downloads from the
media repository as that PNG."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from nio import MemoryDownloadResponse
from PIL import Image as PILImage

from tests.heard_log import seed_heard
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import group_room, make_world, people, running_bot

pytestmark = pytest.mark.matrix


async def test_the_trend_chart_arrives_as_an_image(homeserver: Homeserver, tmp_path: Path) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        room = await group_room(world, alice, [bob, carol], "Steering group")
        for member in (bob, carol):
            await member.say(room, "hello")
        await alice.say(room, "/meeting new Steering 2026-12-03 14:00")
        await alice.hears("New meeting: Steering", room)
        await seed_heard(bot.app.db, world.clock.now(), [[5, 4, 3], [1, 2], [4, 4, 5, 5]])

        await bob.say(room, "/checkin trend")
        said = await bob.hears("Did people feel heard?", dm=True)
        assert "4.0 (3 answers)" in said.body and "4.5 (4 answers)" in said.body
        [image] = [s for s in bob.from_bot(said.room_id) if s.content.get("msgtype") == "m.image"]
        assert bob.seen.index(image) < bob.seen.index(said)
        alt = image.content["body"]
        assert alt.startswith("A line chart of how heard people felt at 2 meetings")
        assert "4.0 out of 5, from 3 answers." in alt and "4.5 out of 5, from 4 answers." in alt
        assert image.content["filename"] == "felt-heard-trend.png"
        info = image.content["info"]
        assert (info["mimetype"], info["w"], info["h"]) == ("image/png", 640, 360)
        url = image.content["url"]
        assert url.startswith("mxc://")
        downloaded = await bob.client.download(mxc=url)
        assert isinstance(downloaded, MemoryDownloadResponse), downloaded
        assert len(downloaded.body) == info["size"]
        with PILImage.open(io.BytesIO(downloaded.body)) as picture:
            assert picture.format == "PNG" and picture.size == (640, 360)
