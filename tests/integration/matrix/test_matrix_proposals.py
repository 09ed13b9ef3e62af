"""Proposals end to end on Matrix, against a real Synapse, with Matrix's own controls.

A named proposal is answered with keycap reactions on its post in the group
room and, by one member, with a bare number in reply to the nudge in their DM
(a Block, with a reason added by /proposal why). It closes on time with the
counts, the reasons and the lived-experience line, and one reaction on the
outcome makes it decision 1. An anonymous proposal is answered by number in
DMs at known (virtual) times; then every table, every log line and every
message anyone received from the bot is searched for who answered, and when.

"closes in 3 days" from Monday 30 November 09:00 is Thursday 3 December 09:00
(London is on UTC then). Waiting on Synapse is kept to what the story needs:
everyone acts first, then each waits for the bot's answer.
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
    once,
    people,
    running_bot,
    settle,
)

pytestmark = pytest.mark.matrix

CLOSES = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
NOTE = CLOSES - timedelta(days=1)


def keycap(number: int) -> str:
    """The reaction that means a number: 1️⃣, 2️⃣, ..."""
    return f"{number}\ufe0f\u20e3"


async def test_a_proposal_answered_by_reactions_and_a_number_becomes_a_decision(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    names = ("alice", "bob", "carol", "dan", "erin")
    world = await make_world(homeserver, tmp_path, *names)
    async with running_bot(world) as bot, people(world, *names) as members:
        alice, bob, carol, dan, erin = members
        a, _, _, d, e = (name(m) for m in members)
        room = await group_room(world, alice, [bob, carol, dan, erin], "Steering group")
        await alice.say(room, "/propose Papers go out a week before each meeting closes in 3 days")
        post = await bob.hears(f"Proposal 1, from {a}", room)
        assert "open until Thursday 3 December at 09:00" in post.body
        assert "4. Block" in post.body

        # bob and carol react 1️⃣ (Agree) on the post in the room; dan reacts 3️⃣ (Disagree).
        for member, number in ((bob, 1), (carol, 1), (dan, 3)):
            await member.react(room, post.event_id, keycap(number))
        for member, answer in ((bob, "Agree"), (carol, "Agree"), (dan, "Disagree")):
            await member.hears(f"you answered {answer} to proposal 1", dm=True)
        # They describe their perspective privately (only ever counted).
        for member, words in ((bob, "lived experience"), (carol, "peer worker"), (dan, "NHS")):
            await member.say(await dm_room(member), f"/prefs perspective {words}")
        for member in (bob, carol, dan):
            await member.hears("Done. I've saved", dm=True)

        # A day before the close: a note in the room, and a nudge to each who hasn't answered.
        report = await fast_forward(bot.engine, world.clock, NOTE + timedelta(minutes=1))
        assert report.failed == 0
        assert sorted(k.split(":")[0] for k in report.keys if "proposal" in k) == [
            "proposalnote",
            "proposalnudge",
            "proposalnudge",
        ]
        erin_dm = await dm_room(erin)
        nudge = await erin.hears("you haven't answered yet", erin_dm)
        assert "4. Block" in nudge.body
        await erin.say(erin_dm, "4")  # a bare number answers the latest options shown
        await erin.hears("you answered Block to proposal 1", erin_dm)
        await erin.say(erin_dm, "/proposal why 1 The budget isn't there yet")
        await erin.hears("Your reason for proposal 1 is saved", erin_dm)

        # Nothing closes early; at its time, the outcome goes to the room, once.
        report = await fast_forward(bot.engine, world.clock, CLOSES - timedelta(minutes=1))
        assert not any(k.startswith("proposaloutcome") for k in report.keys)
        report = await fast_forward(bot.engine, world.clock, CLOSES + timedelta(minutes=1))
        assert [k for k in report.keys if k.startswith("proposaloutcome")] == [
            "proposaloutcome:p1:channel"
        ]
        outcome = await alice.hears("Proposal 1 has closed", room)
        assert "Answers: Agree 2, Abstain 0, Disagree 1, Block 1." in outcome.body
        assert "1 person blocked it" in outcome.body
        assert f"{e} (Block): The budget isn't there yet" in outcome.body
        assert f"Disagree: {d}" in outcome.body
        assert "4 of 5 members answered. 2 of them have lived experience" in outcome.body
        assert "1. Record it as a decision" in outcome.body

        # One reaction by the person who proposed it makes it decision 1.
        await alice.react(room, outcome.event_id, keycap(1))
        decision = await carol.hears("Decision 1", room)
        assert "Papers go out a week before each meeting" in decision.body
        tally = "Agree 2, Abstain 0, Disagree 1, Block 1"
        assert f"It came from proposal 1. The answers were: {tally}." in decision.body
        await alice.hears("Recorded as decision 1, and shared with the group.", dm=True)
        await bob.say(room, "/decision 1")
        shown = await bob.hears("Papers go out a week before each meeting", dm=True)
        assert "From proposal 1" in shown.body

        await settle(*members)
        for member in members:
            once(member, "Proposal 1 has closed", room)
            once(member, "Decision 1", room)
            once(member, "Proposal 1 closes on Thursday 3 December", room)
        once(erin, "you haven't answered yet", erin_dm)
        once(alice, "you haven't answered yet", dm=True)
        for member in (bob, carol, dan):
            assert member.bot_said("you haven't answered yet") == []


async def test_anonymous_answers_given_by_number_leave_no_trace(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    writing = {"bronwen": "service user", "caradoc": "carer", "dilys": "NHS psychologist"}
    world = await make_world(homeserver, tmp_path, "alice", *writing)
    async with running_bot(world) as bot, people(world, "alice", *writing) as members:
        alice, *writers_ = members
        room = await group_room(world, alice, writers_, "Steering group")
        await alice.say(room, "/propose We try a shorter meeting closes in 3 days anonymous")
        post = await alice.hears("Proposal 1, from", room)
        assert "Answers to this one are anonymous" in post.body and "1. Agree" not in post.body
        await bot.engine.deliver_due(world.clock.now())  # the choices go to each privately
        dms = [await dm_room(member) for member in writers_]
        for member, dm, words in zip(writers_, dms, writing.values(), strict=True):
            invited = await member.hears("is open for answers", dm)
            assert "4. Block" in invited.body and "5. Not now" in invited.body
            await member.say(dm, f"/prefs perspective {words}")
        for member, dm in zip(writers_, dms, strict=True):
            await member.hears("Done. I've saved", dm)

        writers = []
        with captured_logs() as log_lines:
            for n, (member, dm, number) in enumerate(zip(writers_, dms, (1, 4, 2), strict=True)):
                world.clock.set(START + timedelta(hours=1 + n, minutes=17 + n, seconds=23))
                writers.append(
                    Writer((member.user_id, name(member)), (name(member),), world.clock.now())
                )
                await member.say(dm, str(number))
                await member.hears("saved, without your name", dm)
                if number == 4:  # a Block, with a reason
                    await member.say(dm, "/proposal why 1 It costs too much")
                    await member.hears("Your reason for proposal 1 is saved", dm)
            await fast_forward(bot.engine, world.clock, CLOSES + timedelta(minutes=1))
            outcome = await alice.hears("Proposal 1 has closed", room)
            await settle(*members)

        assert "Answers: Agree 1, Abstain 1, Disagree 0, Block 1." in outcome.body
        assert "Reasons people gave, without names:" in outcome.body
        assert "It costs too much" in outcome.body
        assert "3 of 4 members answered. 2 of them have lived experience" in outcome.body
        assert "delivery.run" in log_lines.getvalue()  # the logs were captured
        rows = await every_row(bot.app.db)
        received = [s.body + "\n" + s.html for m in members for s in m.from_bot()]
        assert traces(writers, rows, log_lines.getvalue(), received) == []
