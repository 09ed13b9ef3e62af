"""What broke trust when the bot was tried on Matrix, now on a real Synapse: distress in a DM
gets a crisis line at once, "to facilitators:" keeps a concern to the facilitators, a
mention pill names the person it links to; a concern the bot can't redact is followed by how
to remove it; other bots and leavers are not members; only facilitators see access needs; a
swap request waits for the end of quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from nio import RoomLeaveResponse

from scheduler.fast_forward import fast_forward
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.world import (
    dm_room,
    group_room,
    make_world,
    name,
    never,
    once,
    people,
    quiet,
    running_bot,
    settle,
)

pytestmark = pytest.mark.matrix

NEEDS = "Papers a week ahead, large print"


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


async def test_no_power_to_redact_other_bots_leavers_and_access_needs(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    names = ("alice", "bob", "carol", "helper", "reminder-bot")
    world = await make_world(homeserver, tmp_path, *names)
    async with running_bot(world), people(world, *names) as members:
        alice, bob, carol, helper, reminder = members
        # The room's default power levels: the bot may not redact anyone's message.
        room = await group_room(world, alice, [bob, carol, helper, reminder], "Steering group")

        # A concern said in the room stays there: bob is told so, privately, and how to
        # remove it himself.
        said = await bob.say(room, "/concern the chair talks over people")
        await bob.hears("I haven't kept that", dm=True)
        note = await bob.hears("I couldn't remove your message from the room", dm=True)
        assert "others there can still see it" in note.body
        assert "hover over your message, choose ... (Options), then Remove" in note.body
        assert said not in bob.redacted

        # Another bot: one sends notices, as bots do (it is never answered); one is named
        # as a bot.
        await helper.say(room, "!help", msgtype="m.notice")
        # Bob writes his access needs; carol leaves the room and is told what that means.
        bob_dm = await dm_room(bob)
        await bob.say(bob_dm, f"/prefs access {NEEDS}")
        await bob.hears("I've saved your access needs", bob_dm)
        left = await carol.client.room_leave(room)
        assert isinstance(left, RoomLeaveResponse), left
        goodbye = await carol.hears("You've left Steering group", dm=True)
        assert "say something in its channel again" in goodbye.body

        # The facilitator's /group lists the people, and their access needs; a member's
        # lists the people only. Neither lists the bots, or carol.
        await alice.say(room, "!group")
        shown = await alice.hears("Members (2)", dm=True)
        assert f"{name(bob)}: {NEEDS}" in shown.body
        await bob.say(room, "!group")
        seen = await bob.hears("Members (2)", dm=True)
        assert NEEDS not in seen.body
        for listing in (shown.body, seen.body):
            assert all(name(m) not in listing for m in (carol, helper, reminder)), listing

        await settle(*members)
        never(alice, "I couldn't remove")
        never(alice, NEEDS, room)
        assert not helper.from_bot(dm=True) and not reminder.from_bot(dm=True)
        quiet(*members)


async def test_a_swap_request_waits_for_the_end_of_quiet_hours(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "erin")
    async with running_bot(world) as bot, people(world, "alice", "bob", "erin") as members:
        alice, bob, erin = members
        room = await group_room(world, alice, [bob, erin], "Steering group")
        await alice.say(room, "/meeting new Steering 2026-12-05 14:00 for 2h")
        await alice.hears("New meeting: Steering", room)
        await bob.say(room, "/roles willing chair")
        await bob.hears("You've offered to chair", dm=True)
        await alice.say(room, "/rotate")
        roles = await alice.hears("Roles for Steering", room)
        assert f"Chair: {name(bob)}." in roles.body
        await erin.say(room, "/prefs quiet 21:00-08:00")  # not private: said in the room
        erin_dm = await dm_room(erin)
        await erin.hears("Anything due then waits until your quiet hours end", erin_dm)

        # At 22:30 bob asks erin to take the chair: he is answered, she is not woken.
        world.clock.set(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
        bob_dm = await dm_room(bob)
        await bob.say(bob_dm, f"/roles swap {erin.user_id} chair")
        await bob.hears(f"I've asked {name(erin)}", bob_dm)
        asks = f"{name(bob)} asks if you'd"
        await settle(erin)
        never(erin, asks)

        # In the morning, when her quiet hours end, the request reaches her, once.
        await fast_forward(bot.engine, world.clock, datetime(2026, 12, 1, 7, 59, tzinfo=UTC))
        await settle(erin)
        never(erin, asks)
        await fast_forward(bot.engine, world.clock, datetime(2026, 12, 1, 8, 1, tzinfo=UTC))
        await erin.hears(asks, erin_dm)
        await settle(erin)
        once(erin, asks, erin_dm)
        quiet(*members)
