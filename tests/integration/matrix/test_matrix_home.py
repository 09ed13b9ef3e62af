"""The group room's pinned summary, edited in place (never posted again) as the group
changes, and !home in a direct message."""

from __future__ import annotations

from pathlib import Path

import pytest
from nio import RoomGetStateEventResponse

from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.members import Member, Seen
from tests.integration.matrix.world import group_room, make_world, people, quiet, running_bot

pytestmark = pytest.mark.matrix

GLANCE = "Steering group: at a glance"


def summaries(member: Member, room: str) -> list[Seen]:
    """The summary messages the bot posted in the room (edits are not new messages)."""
    return [
        s
        for s in member.bot_said(GLANCE, room)
        if "m.relates_to" not in s.content and "m.new_content" not in s.content
    ]


def edits(member: Member, room: str, event_id: str) -> list[Seen]:
    """The bot's edits of one message, oldest first."""
    return [
        s
        for s in member.from_bot(room)
        if s.content.get("m.relates_to") == {"rel_type": "m.replace", "event_id": event_id}
    ]


async def pins(member: Member, room: str) -> list[str]:
    """What is pinned in the room, once something is (the bot pins just after posting)."""
    found = await member.client.room_get_state_event(room, "m.room.pinned_events")
    for _ in range(50):
        if isinstance(found, RoomGetStateEventResponse):
            break
        await member.sync(wait_ms=200)
        found = await member.client.room_get_state_event(room, "m.room.pinned_events")
    assert isinstance(found, RoomGetStateEventResponse), found
    return list(found.content["pinned"])


async def test_the_summary_is_pinned_then_edited_in_place_and_home_answers_in_a_dm(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob")
    async with running_bot(world), people(world, "alice", "bob") as (alice, bob):
        power = {world.bot.user_id: 50}  # a moderator: it may pin messages
        room = await group_room(world, alice, [bob], "Steering group", power=power)
        await alice.say(room, "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
        await alice.until(lambda: len(summaries(alice, room)) == 1, "the summary")
        [summary] = summaries(alice, room)
        assert "Next meeting: Steering, Saturday 5 December, 14:00 to 16:00" in summary.body
        assert "Where: Room 4" in summary.body
        assert await pins(alice, room) == [summary.event_id]

        await bob.say(room, "!agenda add Budget for 2027")
        await bob.hears("Added to the agenda", dm=True)
        await alice.until(lambda: bool(edits(alice, room, summary.event_id)), "the edit")
        [edit] = edits(alice, room, summary.event_id)
        assert "Budget for 2027" in edit.content["m.new_content"]["body"]
        assert "Budget for 2027" not in summary.body
        assert len(summaries(alice, room)) == 1  # edited, never posted again
        assert await pins(alice, room) == [summary.event_id]

        dm = next(s.room_id for s in bob.bot_said("Added to the agenda", dm=True))
        await bob.say(dm, "!home")
        home = await bob.hears("Your home", dm)
        assert "Next meeting: Steering" in home.body and "Budget for 2027" in home.body
        assert "Quiet hours: none." in home.body

        # Without the power to pin, the summary is still posted and kept up to date, and the
        # facilitator is told so once.
        design = await group_room(world, alice, [bob], "Design group")
        await alice.say(design, "/meeting new Design 2026-12-07 10:00 for 1h")
        await alice.hears("Design group: at a glance", design)
        await alice.hears("I couldn't pin it", dm=True)
        await alice.say(design, "/agenda add Leaflets")
        await alice.until(
            lambda: any("Leaflets" in str(s.content.get("m.new_content")) for s in alice.seen),
            "the edit in the design room",
        )
        assert len(alice.bot_said("I couldn't pin it", dm=True)) == 1
        assert len(bob.bot_said("I couldn't pin it", dm=True)) == 0  # bob isn't a facilitator
        quiet(alice, bob)
