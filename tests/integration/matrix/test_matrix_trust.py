"""What broke trust when the bot was tried on Matrix, now on a real Synapse: distress in a DM
gets a crisis line at once, "to facilitators:" keeps a concern to the facilitators, and a
mention pill names the person it links to."""

from __future__ import annotations

from pathlib import Path

import pytest

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


async def test_distress_concerns_for_facilitators_and_mention_pills(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "dan")
    async with running_bot(world), people(world, "alice", "bob", "dan") as members:
        alice, bob, dan = members
        room = await group_room(world, alice, [bob, dan], "Steering group")
        await alice.say(room, "/meeting new Steering 2026-12-05 14:00 for 2h")
        await alice.hears("New meeting: Steering", room)

        # A mention pill as the owner: the decision goes to dan, and his name is not in
        # the decision's words.
        pill = f'<a href="https://matrix.to/#/{dan.user_id}">{name(dan)}</a>'
        await alice.say(
            room,
            f"!decision Book a bigger room owner {name(dan)}",
            html=f"!decision Book a bigger room owner {pill}",
        )
        decided = await dan.hears("Decision 1", room)
        assert f"{name(dan)} is looking after it" in decided.body
        assert "Book a bigger room\n" in decided.body + "\n"

        # Distress in plain words, in a DM: a crisis line at once, and nobody else told.
        await bob.say(room, "/concern help")
        bob_dm = await dm_room(bob)
        await bob.say(bob_dm, "I want to kill myself")
        answer = await bob.hears("Thank you for telling me", bob_dm)
        assert "116 123" in answer.body
        assert not alice.bot_said("kill", None, True)

        # "to facilitators:" keeps the concern to the facilitators, and the receipt says so.
        await bob.say(bob_dm, "/concern to facilitators: the chair was rude to me")
        await bob.hears("A gentle warning", bob_dm)
        await bob.say(bob_dm, "1")
        saved = await bob.hears("Your concern is saved", bob_dm)
        assert "Only the facilitators will see it. The rest of the group won't." in saved.body
