"""Each feature end to end on Matrix, with Matrix's own controls: numbered replies in DMs.

Rotation (/roles, /rotate), anonymous concerns (/concern), icebreakers and
check-ins (/icebreaker, /checkin), and decisions, actions and minutes
(/decision, /update, /action, /minutes), each driven by real matrix-nio members
against a real Synapse, asserting what people see: the words, in which room or
DM, exactly once, and pinging nobody. Time moves with fast_forward on the
bot's virtual clock: nothing here sleeps to wait for a reminder.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nio import RoomInviteResponse
from sqlalchemy import text

from scheduler.fast_forward import fast_forward
from tests.integration.matrix.homeserver import Homeserver
from tests.integration.matrix.members import Member
from tests.integration.matrix.world import (
    dm_room,
    group_room,
    make_world,
    name,
    never,
    once,
    open_dm,
    people,
    quiet,
    running_bot,
    settle,
)

pytestmark = pytest.mark.matrix

MEETING = "/meeting new Steering group meeting 2026-12-05 14:00 for 2h at Room 4, Town Hall"
WHEN = "Steering group meeting (Saturday 5 December, 14:00 to 16:00)"
PACK_TIME = datetime(2026, 12, 2, 14, 1, tzinfo=UTC)
RECEIPT = re.compile(r"receipt code is ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in December 2026 (London is on UTC then)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


async def plan_meeting(facilitator: Member, room: str) -> None:
    """Saturday's meeting, with an item on its agenda (so no empty-agenda note goes out)."""
    await facilitator.say(room, MEETING)
    await facilitator.hears("New meeting: Steering group meeting", room)
    await facilitator.say(room, "/agenda add Welcome and introductions")
    await facilitator.hears("Added to the agenda", dm=True)


async def choose(member: Member, room: str, number: int) -> None:
    """Answer the options the bot last showed this member, the Matrix way: just the number."""
    await member.say(room, str(number))


async def receipt(member: Member, room: str, count: int = 1) -> str:
    saved = await member.hears("Your concern is saved, without your name", room, count=count)
    found = RECEIPT.search(saved.body)
    assert found, saved.body
    return found.group(1)


# -- rotation ------------------------------------------------------------------


async def test_rotation_swaps_and_cover_answered_with_numbers(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol", "dan")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol", "dan") as members:
        alice, bob, carol, dan = members
        a, b, c, d = (name(m) for m in members)
        room = await group_room(world, alice, [bob, carol, dan], "Steering group")
        await plan_meeting(alice, room)
        await bob.say(room, "/roles willing chair")
        await bob.hears("You've offered to chair", dm=True)
        await carol.say(room, "/roles willing minutes")
        await carol.hears("You've offered to take the minutes", dm=True)

        # A member can't give out roles: told kindly and privately; nothing changes.
        await bob.say(room, "/rotate")
        refused = await bob.hears(
            "(the people who run the group) can use /rotate. Nothing was changed.", dm=True
        )
        assert f"Here, that's {a}." in refused.body

        # The facilitator gives them out, and the group hears who and why.
        await alice.say(room, "/rotate")
        roles = await dan.hears("Roles for Steering group meeting", room)
        assert f"Chair: {b}. Minute-taker: {c}." in roles.body
        assert f"{b} offered to chair and was the only one free who had." in roles.body
        assert f"{c} offered to take the minutes and was the only one free who had." in roles.body
        assert f"{a} gave out these roles with /rotate." in roles.body
        assert "<h4>Roles for Steering group meeting" in roles.html and "<ul>" in roles.html

        # Bob asks Carol to swap; she says yes with a number in her DM; the group is told.
        bob_dm, carol_dm = await dm_room(bob), await dm_room(carol)
        await bob.say(bob_dm, f"/roles swap {carol.user_id}")
        await bob.hears(f"I've asked {c}. I'll let you know what they say.", bob_dm)
        ask = await carol.hears(f"{b} asks if you'd swap roles at Steering group meeting", carol_dm)
        assert "you would chair, and" in ask.body
        assert "1. Yes, swap" in ask.body and "2. No, thank you" in ask.body
        assert '<ol start="1"><li>Yes, swap</li><li>No, thank you</li></ol>' in ask.html
        await choose(carol, carol_dm, 1)
        swapped = f"Change of roles for {WHEN}: {c} will chair, and {b} will take the minutes."
        await dan.hears(swapped, room)

        # Carol, now chairing, drops out. The next willing person is asked, and says yes
        # with a number; the group is told once.
        await dan.say(room, "/roles willing chair")
        dan_dm = await dm_room(dan)
        await dan.hears("You've offered to chair", dan_dm)
        await carol.say(carol_dm, "/roles pass")
        await carol.hears(
            f"Thank you for letting me know. I'll find someone else for {WHEN}", carol_dm
        )
        offer = await dan.hears("Would you like to chair at Steering group meeting", dan_dm)
        assert (
            "The person who was going to can't now. It's completely fine to say no." in offer.body
        )
        assert "1. Yes, I'll do it" in offer.body and "2. No, thank you" in offer.body
        await choose(dan, dan_dm, 1)
        covered = f"Change of roles for {WHEN}: {d} will chair. Thank you, {d}."
        await alice.hears(covered, room)

        # The pack shows the roles as they are now, to everyone, once.
        report = await fast_forward(bot.engine, world.clock, PACK_TIME)
        assert report.failed == 0
        for member in members:
            await member.until(lambda m=member: m.kinds(dm=True) == ["pack"], "the pack")
        await settle(*members)
        for member in members:
            pack = once(member, "Pack for Steering group meeting", dm=True)
            assert f"Roles: Chair: {d}. Minute-taker: {b}." in pack.body
            assert member.kinds(dm=True) == ["pack"]
            once(member, swapped, room)
            once(member, covered, room)
            once(member, "Roles for Steering group meeting", room)
        once(dan, "Would you like to chair", dan_dm)
        for member in (alice, bob, carol):
            never(member, "Would you like to chair")
        once(carol, "asks if you'd swap roles", carol_dm)
        quiet(*members)


# -- anonymous concerns --------------------------------------------------------------


async def test_concerns_stay_private_and_go_out_in_a_batch_with_the_pack(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    names = ("alice", "bob", "carol", "dan", "eve", "frank")
    world = await make_world(homeserver, tmp_path, *names)
    async with running_bot(world) as bot, people(world, *names) as members:
        alice, bob, carol, dan, eve, frank = members
        a = name(alice)
        steering = await group_room(
            world, alice, [bob, carol, dan, eve], "Steering group", power={world.bot.user_id: 50}
        )
        board = await group_room(world, alice, [bob, frank], "Board")
        await plan_meeting(alice, steering)

        # Said in the group room, a concern is not kept: the bot removes it, and says why.
        typed = await bob.say(steering, "/concern The papers came too late to read")
        await bob.hears("I haven't kept that, because others in this channel could see it", dm=True)
        await bob.until(lambda: typed in bob.redacted, "the concern to be redacted")
        for member in (alice, carol):
            await member.until(lambda m=member: typed in m.redacted, "the redaction")

        # In the DM: Bob is in two groups, so he chooses which one by number.
        bob_dm = await dm_room(bob)
        await bob.say(bob_dm, "/concern The papers came too late to read")
        which = await bob.hears("Which group is this concern for?", bob_dm)
        assert "1. Steering group" in which.body and "2. Board" in which.body
        assert "3. Don't send it" in which.body
        await choose(bob, bob_dm, 1)
        bob_code = await receipt(bob, bob_dm)
        saved = bob.bot_said("Your concern is saved", bob_dm)[0]
        assert "shared with everyone in the group on Wednesday 2 December at 14:00" in saved.body

        # Others in the five-person group send theirs straight away; one is taken back.
        carol_dm, dan_dm, eve_dm = [await open_dm(world, m) for m in (carol, dan, eve)]
        await eve.say(eve_dm, "/concern")
        form = await eve.hears("Raise a concern anonymously", eve_dm)
        assert "Send it to me in our direct message: <code>/concern ...</code>" in form.html
        assert "gentle warning" not in form.body
        await eve.say(eve_dm, "/concern The room is too cold in the mornings")
        await receipt(eve, eve_dm)
        await carol.say(carol_dm, "/concern Dr Smith shouts at people")
        carol_code = await receipt(carol, carol_dm)
        await dan.say(dan_dm, "/concern I'm not sure about this one")
        dan_code = await receipt(dan, dan_dm)
        await dan.say(dan_dm, f"/concern withdraw {dan_code}")
        await dan.hears("Done. I've taken your concern back and removed its words.", dan_dm)

        # Frank is only in the three-person Board: a gentle warning, answered by number.
        frank_dm = await open_dm(world, frank)
        await frank.say(frank_dm, "/concern The agenda is always too long")
        warning = await frank.hears("A gentle warning: this group has 3 members.", frank_dm)
        assert "1. Send it anyway" in warning.body and "2. Don't send it" in warning.body
        await choose(frank, frank_dm, 1)
        await receipt(frank, frank_dm)
        assert (
            "at the next meeting, once one is planned"
            in frank.bot_said("Your concern is saved", frank_dm)[0].body
        )

        # Days before they are shared, a facilitator can't see them come in (nor time them).
        alice_dm = await dm_room(alice)
        await alice.say(alice_dm, "/concern pending")
        await alice.hears("Which group is this for?", alice_dm)
        await choose(alice, alice_dm, 1)
        await alice.hears("Concerns are shown here from the day before they are shared", alice_dm)

        # From the day before, she withholds one (choosing the group by number), with a reason.
        await fast_forward(bot.engine, world.clock, PACK_TIME - timedelta(days=1))
        await alice.say(alice_dm, "/concern pending")
        await alice.hears("Which group is this for?", alice_dm, count=2)
        await choose(alice, alice_dm, 1)
        pending = await alice.hears("Concerns to be shared next", alice_dm)
        assert "I'm not sure about this one" not in pending.body  # withdrawn
        assert "The agenda is always too long" not in pending.body  # another group's
        handle = re.search(r"\[([0-9a-f]{6})\] Dr Smith shouts at people", pending.body)
        assert handle, pending.body
        await alice.say(alice_dm, f"/concern withhold {handle.group(1)} it names a person")
        await alice.hears("Which group is this for?", alice_dm, count=3)
        await choose(alice, alice_dm, 1)
        await alice.hears("Done. It won't be shared.", alice_dm)

        # The pack goes out, and the concerns with it, together, in the room, once.
        report = await fast_forward(bot.engine, world.clock, PACK_TIME)
        assert report.failed == 0
        shared = await carol.hears("New concerns, shared without names", steering)
        numbers = dict(re.findall(r"Concern (\d+): ([^\n]+)", shared.body))
        assert sorted(numbers.values()) == [
            "The papers came too late to read",
            "The room is too cold in the mornings",
        ]
        assert (
            f"{a} withheld one concern: they held it back, so it isn't shared. "
            "The reason they gave: it names a person" in shared.body
        )
        assert "Dr Smith" not in shared.body and "not sure about this one" not in shared.body
        for member in (alice, bob, carol, dan, eve):
            await member.until(lambda m=member: "pack" in m.kinds(dm=True), "the pack")
        never(frank, "New concerns, shared without names")

        # The facilitator responds (to Bob's, by its number); the group sees it.
        bobs = next(n for n, text in numbers.items() if text.startswith("The papers"))
        await alice.say(alice_dm, f"/concern respond {bobs} Papers will go out a week ahead.")
        await alice.hears("Which group is this for?", alice_dm, count=4)
        await choose(alice, alice_dm, 1)
        response = await eve.hears(f"A reply to concern {bobs}", steering)
        assert "The concern was: The papers came too late to read" in response.body
        assert f"Here is what {a} said back: Papers will go out a week ahead." in response.body

        # Each writer follows theirs by receipt code, privately.
        await bob.say(bob_dm, f"/concern status {bob_code}")
        status = await bob.hears(f"Your concern was shared as concern {bobs}.", bob_dm)
        assert f"Response from {a}: Papers will go out a week ahead." in status.body
        await carol.say(carol_dm, f"/concern status {carol_code}")
        await carol.hears(
            f"A facilitator ({a}) withheld it: they held it back, so it wasn't shared. "
            "The reason they gave: it names a "
            "person. The group was told this.",
            carol_dm,
        )
        await dan.say(dan_dm, f"/concern status {dan_code}")
        await dan.hears("You took this concern back. It was never shared.", dan_dm)

        await settle(*members)
        for member in (alice, bob, carol, dan, eve):
            once(member, "New concerns, shared without names", steering)
            once(member, f"A reply to concern {bobs}", steering)
            never(member, "Dr Smith", steering)
            never(member, "The papers came too late", board)
        for member in members:
            never(member, "New concerns, shared without names", dm=True)
        quiet(*members)


# -- icebreakers and check-ins ----------------------------------------------------------


async def test_checkins_and_icebreakers_through_a_meeting(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        a, b, c = (name(m) for m in members)
        room = await group_room(world, alice, [bob, carol], "Steering group")
        await plan_meeting(alice, room)
        contact = "Sam Reid, peer support, 07700 900123"
        await alice.say(room, f"/group wellbeing {contact}")
        await bob.hears(f"{a} named the group's wellbeing contact: {contact}.", room)
        await carol.say(room, "/roles willing chair")
        await carol.hears("You've offered to chair", dm=True)
        await alice.say(room, "/rotate")
        await bob.hears(f"Chair: {c}.", room)

        # The pack shows the icebreaker; Bob answers ahead, privately.
        await fast_forward(bot.engine, world.clock, PACK_TIME)
        pack = await bob.hears("Pack for Steering group meeting", dm=True)
        alice_dm, bob_dm, carol_dm = [await dm_room(m) for m in members]
        prompt = re.search(r"Icebreaker at the start: ([^\n]+)", pack.body)
        number = re.search(r"/icebreaker answer (\d+)", pack.body)
        assert prompt and number, pack.body
        icebreaker = number.group(1)
        await bob.say(bob_dm, f"/icebreaker answer {icebreaker} My cat, Mabel")
        await bob.hears(
            "Thank you. I'll show your answer along with the rest when the meeting starts.",
            bob_dm,
        )

        # An hour before: each member is asked how they're arriving, privately, once.
        await fast_forward(bot.engine, world.clock, at(5, 13, 1))
        for member in members:
            asked = await member.hears("Check-in before Steering group meeting", dm=True)
            assert "1. Green: I'm doing okay" in asked.body and "4. Pass" in asked.body
            assert "Send it to me in our direct message: <code>/checkin need" in asked.html
        await choose(alice, alice_dm, 1)
        await alice.hears("Thank you. I'm glad you're here.", alice_dm)
        await choose(bob, bob_dm, 3)
        red = await bob.hears("Thank you for telling me. I'm sorry today is hard.", bob_dm)
        assert f"Steering group's wellbeing contact is {contact}." in red.body
        await choose(carol, carol_dm, 4)
        await carol.hears("That's fine. Thank you. You don't need to do anything else.", carol_dm)

        # Before the start the facilitator gets the summary: no names, and no counts from
        # only 2 answers (with so few, people could be recognised).
        await fast_forward(bot.engine, world.clock, at(5, 13, 55))
        summary = await alice.hears("How people are arriving: Steering group meeting", alice_dm)
        assert "Fewer than 3 people answered" in summary.body
        assert "Red (struggling today)" not in summary.body
        assert "Someone is finding today hard" not in summary.body
        assert b not in summary.body and c not in summary.body

        # At the start: the icebreaker, with the answer given ahead; the rest answer or pass,
        # and the answers are shown together once everyone has.
        await fast_forward(bot.engine, world.clock, at(5, 14, 1))
        started = await carol.hears("Answers given ahead:", room)
        assert prompt.group(1) in started.body and f"- {b}: My cat, Mabel" in started.body
        assert "1. Pass" in started.body
        await alice.say(alice_dm, f"/icebreaker answer {icebreaker} Storms, with a blanket")
        await alice.hears(
            "Thank you. I'll show your answer along with the rest when all have answered or passed",
            alice_dm,
        )
        await carol.say(carol_dm, f"/icebreaker pass {icebreaker}")
        await carol.hears("You can always pass, and nobody keeps count.", carol_dm)
        shown = await bob.hears("Icebreaker answers", room)
        # Everyone's answers together, the one given ahead too; a pass is never shown.
        assert f"- {a}: Storms, with a blanket" in shown.body
        assert "My cat, Mabel" in shown.body and f"{name(carol)}:" not in shown.body

        # During the meeting Bob needs a pause: the chair hears, without his name.
        await bob.say(bob_dm, "/checkin pause")
        await bob.hears("I can tell the chair privately that someone needs a pause.", bob_dm)
        await choose(bob, bob_dm, 1)
        await bob.hears("Done. I've told the chair privately, without your name.", bob_dm)
        await carol.hears("Someone in Steering group meeting needs a pause.", carol_dm)

        # After the meeting: did you feel heard? Answered by number, or passed.
        await fast_forward(bot.engine, world.clock, at(5, 17, 1))
        for member in members:
            after = await member.hears("After Steering group meeting", dm=True)
            assert "5. Yes, fully" in after.body and "6. Pass" in after.body
        await choose(bob, bob_dm, 4)
        await bob.hears("Thank you. I've kept your answer without your name.", bob_dm)
        await choose(carol, carol_dm, 6)
        await carol.hears("That's fine. Thank you.", carol_dm, count=2)

        await settle(*members)
        for member in members:
            once(member, "Check-in before Steering group meeting", dm=True)
            once(member, "After Steering group meeting", dm=True)
            once(member, "Answers given ahead:", room)
            once(member, "Icebreaker answers", room)
            never(member, "Check-in before", room)
            never(member, "wellbeing contact is", room)
        once(alice, "How people are arriving", alice_dm)
        for member in (bob, carol):
            never(member, "How people are arriving")
        for member in (alice, bob):
            never(member, "in Steering group meeting needs a pause")
        once(carol, "Someone in Steering group meeting needs a pause.", carol_dm)
        once(bob, "I'm sorry today is hard", bob_dm)
        quiet(*members)


# -- decisions, actions and minutes ------------------------------------------------------


async def test_decisions_actions_and_minutes_close_the_loop(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        a, b, _ = (name(m) for m in members)
        room = await group_room(world, alice, [bob, carol], "Steering group")
        await plan_meeting(alice, room)
        for off in ("/checkin before off", "/checkin after off", "/icebreaker meetings off"):
            await alice.say(room, off)
        await bob.hears("set meetings to start without an icebreaker", room)
        carol_dm = await open_dm(world, carol)
        await carol.say(carol_dm, "/prefs reminders channel")  # the room, for everyone's items
        await carol.hears("Reminders and packs will come in the group's channel", carol_dm)
        await fast_forward(bot.engine, world.clock, at(5, 18))
        alice_dm, bob_dm = await dm_room(alice), await dm_room(bob)

        # After the meeting: a decision with an owner and a follow-up in two weeks.
        await alice.say(
            room,
            "/decision Papers go out a week before each meeting owner "
            f"{bob.user_id} update in 2 weeks",
        )
        decided = await carol.hears("Decision 1", room)
        assert "Papers go out a week before each meeting" in decided.body
        assert "From: Steering group meeting on Saturday 5 December." in decided.body
        assert (
            f"{b} is looking after it. On Saturday 19 December I'll ask {b} how it is going"
            in decided.body
        )
        lived = await alice.hears("Recorded as decision 1, and shared with the group.", alice_dm)
        assert "1. Yes" in lived.body and "3. Not sure" in lived.body
        await choose(alice, alice_dm, 1)
        await alice.hears(
            "I've saved that for decision 1. People with lived experience helped to make it.",
            alice_dm,
        )
        await alice.say(
            room, f"/action Ask the print room for a date owner {bob.user_id} by 2026-12-10"
        )
        await carol.hears("Action 1: Ask the print room for a date", room)

        # Two days on, the minutes aren't in: a reminder. Then they go to everyone once.
        await fast_forward(bot.engine, world.clock, at(7, 16, 1))
        await alice.hears("aren't in yet. Nobody was down as the minute-taker", alice_dm)
        await alice.say(
            room, "/minutes Papers will go out a week ahead. Notes: https://example.org/5-dec"
        )
        await alice.hears(
            "Thank you. I'm sending the minutes of Steering group meeting on "
            "Saturday 5 December to everyone now",
            alice_dm,
        )
        await bot.engine.deliver_due(world.clock.now())
        for member, where in ((alice, alice_dm), (bob, bob_dm), (carol, room)):
            minutes = await member.hears(
                "Minutes: Steering group meeting on Saturday 5 December", where
            )
            assert "https://example.org/5-dec" in minutes.body
            assert f"Sent in by {a}." in minutes.body

        # The action's owner is reminded privately, and marks it done with a number.
        await fast_forward(bot.engine, world.clock, at(10, 10, 1))
        await bob.hears("A gentle reminder: action 1 is due tomorrow", bob_dm)
        reminder = await bob.hears("A gentle reminder: action 1 is due today", bob_dm)
        assert "1. Done" in reminder.body
        await choose(bob, bob_dm, 1)
        await carol.hears("Action 1 is done: Ask the print room for a date", room)
        await bob.hears("Thank you. I've told the group that action 1 is done.", bob_dm)

        # Two weeks on, the owner is asked privately, once more three days later; after a
        # week the facilitators are told it is waiting.
        await fast_forward(bot.engine, world.clock, at(26, 10, 1))
        asked = await bob.hears("It's time for an update on decision 1", bob_dm)
        assert "1. Done" in asked.body and "2. Still in progress" in asked.body
        await bob.hears("A gentle reminder: I'd still love an update on decision 1", bob_dm)
        waiting = await alice.hears(
            "The update on decision 1 (Papers go out a week before "
            "each meeting) was due on Saturday 19 December",
            alice_dm,
        )
        assert f"I asked {b} that day and again three days later." in waiting.body

        # Bob answers the latest question with a number: everyone hears "you said, we did".
        await choose(bob, bob_dm, 1)
        await bob.hears(
            "Thank you. I'm sharing your update on decision 1 with everyone now", bob_dm
        )
        await bot.engine.deliver_due(world.clock.now())
        for member, where in ((alice, alice_dm), (bob, bob_dm), (carol, room)):
            said = await member.hears("You said → we did", where)
            assert "You said (decision 1): Papers go out a week before each meeting" in said.body
            assert f"Update from {b}." in said.body
            assert "<h4>You said → we did</h4>" in said.html

        await settle(*members)
        for member in members:
            once(member, "You said → we did", room)
            once(member, "Minutes: Steering group meeting", room)
            once(member, "Action 1 is done", room)
            once(member, "Decision 1", room)
        for member in (alice, bob):
            once(member, "You said → we did", dm=True)
            once(member, "Minutes: Steering group meeting", dm=True)
        once(bob, "It's time for an update on decision 1", bob_dm)
        once(bob, "A gentle reminder: action 1 is due today", bob_dm)
        once(alice, "hasn't come in yet", alice_dm)
        never(bob, "hasn't come in yet")
        never(carol, "hasn't come in yet")
        never(carol, "You said", dm=True)
        quiet(*members)


# -- choices that last: a restart keeps them, and reactions choose too ----------------------

NOT_A_COMMAND = "Hello. I understand commands that start with a slash, like /help."


async def test_numbered_choices_survive_a_restart_and_reactions_choose(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        _, b, c = (name(m) for m in members)
        async with running_bot(world) as bot:
            room = await group_room(world, alice, [bob, carol], "Steering group")
            await plan_meeting(alice, room)
            await bob.say(room, "/roles willing chair")
            await carol.say(room, "/roles willing minutes")
            await carol.hears("You've offered to take the minutes", dm=True)
            await alice.say(room, "/rotate")
            await carol.hears(f"Chair: {b}. Minute-taker: {c}.", room)
            bob_dm, carol_dm = await dm_room(bob), await dm_room(carol)

            # Carol is asked to swap, then (later, a newer question) how she's arriving.
            await bob.say(bob_dm, f"/roles swap {carol.user_id}")
            offer = await carol.hears(f"{b} asks if you'd swap roles", carol_dm)
            await fast_forward(bot.engine, world.clock, at(5, 13, 1))
            await carol.hears("Check-in before Steering group meeting", carol_dm)
            await bob.hears("Check-in before Steering group meeting", bob_dm)
            # Bob's newest options are about a concern: those are never written down.
            await bob.say(bob_dm, "/concern The chairs are uncomfortable")
            await bob.hears("A gentle warning: this group has 3 members.", bob_dm)

        async with running_bot(world) as bot:  # a restart: only the database remains
            # A bare number answers the latest options Carol was shown: the check-in.
            await choose(carol, carol_dm, 3)
            await carol.hears("Thank you for telling me. I'm sorry today is hard.", carol_dm)
            # Carol invites Alice into her DM. Alice can't answer what was asked of Carol...
            invited = await carol.client.room_invite(carol_dm, alice.user_id)
            assert isinstance(invited, RoomInviteResponse), invited
            await alice.join(carol_dm)
            await alice.react(carol_dm, offer.event_id, "2\ufe0f\u20e3")
            # ...but Carol's own reaction chooses, from an older message: yes to the swap.
            await carol.react(carol_dm, offer.event_id, "1\ufe0f\u20e3")
            await alice.hears(
                f"Change of roles for {WHEN}: {c} will chair, and {b} will take the minutes.", room
            )
            # With Alice there it isn't private any more: Carol's private answers now come
            # in a new DM, where her used-up number chooses nothing.
            await carol.say(carol_dm, "/prefs")
            await carol.until(lambda: len(carol.dm_rooms) == 2, "a new DM with the bot")
            (fresh_dm,) = carol.dm_rooms - {carol_dm}
            await carol.hears("Your preferences", fresh_dm)
            await choose(carol, fresh_dm, 3)
            await carol.hears(NOT_A_COMMAND, fresh_dm)
            # Bob's concern options were kept in memory only, so after the restart his
            # number answers nothing (not the older check-in), and nothing was sent.
            await choose(bob, bob_dm, 1)
            await bob.hears(NOT_A_COMMAND, bob_dm)
            async with bot.app.db.engine.connect() as connection:
                kept = [
                    " ".join(map(str, row))
                    for row in await connection.execute(text("SELECT * FROM choice_messages"))
                ]
            assert kept and not any("/concern" in row for row in kept)
            assert not any(m.user_id in row or name(m) in row for row in kept for m in members)

            # In the group room, a member's number reaction chooses: Bob passes.
            await fast_forward(bot.engine, world.clock, at(5, 14, 1))
            icebreaker = await bob.hears("React with a number to choose:", room)
            assert "1. Pass" in icebreaker.body
            assert "<p>React with a number to choose:</p>" in icebreaker.html
            for key in ("\N{THUMBS UP SIGN}", "2\ufe0f\u20e3"):  # not an option: nothing
                await alice.react(room, icebreaker.event_id, key)
            await bob.react(room, icebreaker.event_id, "1\ufe0f\u20e3")
            await bob.hears("That's fine. You can always pass", bob_dm)
            await alice.say(room, "/grup")  # a marker: the reactions before it are handled
            await alice.hears("Did you mean /group?", dm=True)

        await settle(*members)
        once(bob, "That's fine. You can always pass", bob_dm)
        never(alice, "You can always pass")
        never(bob, "Your concern is saved")
        once(carol, "I'm sorry today is hard", carol_dm)
        once(alice, "will chair, and", room)
        never(bob, "can't swap this time")
        never(alice, "That's fine. Thank you for letting me know.")
        assert len(carol.bot_said(NOT_A_COMMAND, fresh_dm)) == 1
        never(alice, "Your preferences")  # nothing private went where Alice could see it
        quiet(*members)
