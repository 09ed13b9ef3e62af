"""/prefs export on Matrix, against a real Synapse: both files (the JSON and the plain
summary) arrive in the member's DM as `m.file` events, before the words about them, and
the JSON downloads from the media repository and parses.

bob has data in two groups: the contribution log over two meetings of the steering
group, written straight into the tables (tests/contributions_log.py), and an expense and
a decision he looks after in a design group, made with commands. His JSON holds every
area, each group's rows where they belong, and nothing of alice's or carol's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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

STEERING, DESIGN = "Steering group", "Design group"
LABELS = ("text", "what", "role", "choice", "meeting_date")  # what a row is, first found


async def test_both_files_arrive_in_the_members_dm(homeserver: Homeserver, tmp_path: Path) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        room = await group_room(world, alice, [bob, carol], STEERING)
        for member in (bob, carol):
            await member.say(room, "hello")
        await alice.say(room, MEETING)
        await alice.hears("New meeting: Steering", room)
        await seed(bot.app.db, PLATFORM, room, (name(alice), name(bob), name(carol)))
        world.clock.set(AFTER)

        dm = await open_dm(world, bob)
        await bob.say(dm, "/prefs pronouns he/him")
        await bob.hears("I've saved your pronouns", dm)
        design = await group_room(world, alice, [bob], DESIGN)
        await bob.say(design, "/expenses £3 parking")
        await bob.hears("parking", dm=True)
        await alice.say(design, "/expenses £12 taxi")
        await alice.hears("taxi", dm=True)
        await alice.say(design, f"/decision Try the library owner {bob.user_id} update in 2 weeks")
        await bob.hears("Decision 1", design)
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
        assert data["person"]["name"] == name(bob) and data["preferences"]["pronouns"] == "he/him"
        assert held(data) == {
            "memberships": [(STEERING, None), (DESIGN, None)],
            "role_turns": [(STEERING, "minutes"), (STEERING, "chair")],
            "agenda_items": [(STEERING, "Budget"), (STEERING, "Crisis line")],
            "decisions": [(DESIGN, "Try the library")],
            "minutes_sent": [(STEERING, "We agreed the budget.")],
            "was_there": [(STEERING, "2026-12-05T14:00"), (STEERING, "2026-12-12T14:00")],
            "contributions": [(STEERING, "reading papers"), (STEERING, "a call with the chair")],
            "expenses": [(STEERING, "bus fare"), (DESIGN, "parking")],
            "payment_choices": [(STEERING, "paid")],
        }
        assert data["decisions"][0]["you_look_after_it"] is True
        assert [c["conversation"] for c in data["direct_conversations"]] == [dm]
        everything = json.dumps(data).lower()
        assert [w for w in (name(alice), name(carol), "taxi") if w in everything] == []
        assert not [s for s in bob.from_bot(room) if s.content.get("msgtype") == "m.file"]


def held(data: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    """Each group's rows in each list area that has any, as (group, what the row is)."""
    return {
        area: [(row["group"], next((row[k] for k in LABELS if k in row), None)) for row in rows]
        for area, rows in data.items()
        if isinstance(rows, list) and rows and "group" in rows[0]
    }
