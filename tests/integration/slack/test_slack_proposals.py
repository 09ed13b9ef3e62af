"""Proposals end to end on Slack, over real signed HTTP with the mock Web API.

A named proposal is answered by four members with the buttons on its channel
post (one Block, with a reason typed as a slash command; one reason given in
the "Why?" form), closes on time with the counts, the reasons and the
lived-experience line, and becomes decision 1 with one press. An anonymous
proposal is answered privately, with the buttons in each member's DM, at
known (virtual) times; then every table, every log line and everything sent
to Slack is searched for who answered, and when.

Everyone in the channel CGROUP: alice (the facilitator, who proposes), bob,
carol, dan and erin. "closes in 3 days" from Monday 30 November 09:00 is
Thursday 3 December 09:00 (London is on UTC then).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.fast_forward import fast_forward
from storage.models import ProposalAnswer
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.integration.slack.harness import START, Bot, JSONObj, button, labels, words
from tests.integration.slack.test_slack_anonymity import everything_sent

pytestmark = pytest.mark.slack

ALICE, BOB, CAROL, DAN, ERIN = "UALICE", "UBOB", "UCAROL", "UDAN", "UERIN"
CHANNEL = "CGROUP"
CLOSES = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ANSWERS = ["Agree", "Abstain", "Disagree", "Block"]


def said(payloads: list[JSONObj]) -> str:
    """The words of the one private answer."""
    assert len(payloads) == 1, [words(p.get("blocks")) for p in payloads]
    return words(payloads[0].get("blocks"))


def one_post(bot: Bot, channel: str, containing: str) -> JSONObj:
    """The blocks of the one message in `channel` whose words contain `containing`."""
    found = [m for m in bot.mock.messages(channel) if containing in words(m.blocks)]
    assert len(found) == 1, [words(m.blocks)[:80] for m in found]
    return {"blocks": found[0].blocks}


async def until(bot: Bot, when: datetime) -> None:
    """Let time pass until `when`, delivering everything due on the way."""
    await fast_forward(bot.platform.engine, bot.clock, when)


async def group_of_five(bot: Bot, perspectives: dict[str, str]) -> None:
    """alice sets up the group; some members describe their perspective, privately."""
    bot.mock.add_user(ERIN, "erin")
    bot.mock.set_members(CHANNEL, [ALICE, BOB, CAROL, DAN, ERIN, "UBOT"])
    await bot.command(ALICE, "/group setup Steering group")
    for user, perspective in perspectives.items():
        done = await bot.command(user, f"/prefs perspective {perspective}", bot.dm(user))
        assert len(done) == 1 and done[0].startswith("Done."), done


async def test_a_proposal_answered_with_buttons_closes_on_time_and_becomes_a_decision(
    bot: Bot,
) -> None:
    await group_of_five(
        bot, {BOB: "lived experience", CAROL: "peer worker", DAN: "council manager"}
    )
    made = said(
        await bot.command_posts(
            ALICE, "/propose Papers go out a week before each meeting closes in 3 days"
        )
    )
    assert "Proposal 1 is posted. It closes on Thursday 3 December at 09:00." in made
    post = one_post(bot, CHANNEL, "Proposal 1, from alice")
    shown = words(post["blocks"])
    assert "Papers go out a week before each meeting" in shown
    assert "Block: I have a serious objection, and I'm not OK with this going ahead." in shown
    assert labels(post["blocks"]) == ANSWERS

    # bob and carol press Agree on the channel post; dan presses Disagree.
    for user in (BOB, CAROL):
        thanks = said(await bot.press(user, button(post["blocks"], "Agree"), CHANNEL))
        assert "you answered Agree to proposal 1" in thanks
    pressed = await bot.press(DAN, button(post["blocks"], "Disagree"), CHANNEL)
    assert "you answered Disagree to proposal 1" in said(pressed)
    # dan gives his reason in the form the answer offers (/proposal why, privately).
    form = await bot.open_form(DAN, button(pressed[0]["blocks"], "Why?"), CHANNEL, ephemeral=True)
    kept = await bot.submit(DAN, form, "Too soon for the printers")
    assert kept is not None and "Your reason for proposal 1 is saved" in words(kept["blocks"])
    # erin blocks, with a reason, typed as a slash command.
    blocked = said(
        await bot.command_posts(ERIN, "/proposal answer 1 block The budget isn't there yet")
    )
    assert "you answered Block to proposal 1" in blocked and "Why?" not in blocked
    # Pressing again changes nothing.
    again = said(await bot.press(BOB, button(post["blocks"], "Block"), CHANNEL))
    assert "You've already answered proposal 1" in again
    # The owner sees the count while it is open.
    running = said(await bot.command_posts(ALICE, "/proposal show 1", bot.dm(ALICE)))
    assert "So far: Agree 2, Abstain 0, Disagree 1, Block 1." in running

    # A day before: the note in the channel; then nothing more until the close.
    await until(bot, CLOSES - timedelta(minutes=1))
    note = one_post(bot, CHANNEL, "Proposal 1 closes on Thursday 3 December at 09:00")
    assert "4 of 5 members have answered. 2 of them have lived experience" in words(note["blocks"])
    assert bot.posts(CHANNEL, "has closed") == []

    await until(bot, CLOSES + timedelta(minutes=1))
    outcome = one_post(bot, CHANNEL, "Proposal 1 has closed")
    seen = words(outcome["blocks"])
    assert "Answers: Agree 2, Abstain 0, Disagree 1, Block 1." in seen
    assert "1 person blocked it" in seen
    assert "erin (Block): The budget isn't there yet" in seen
    assert "dan (Disagree): Too soon for the printers" in seen
    assert "4 of 5 members answered. 2 of them have lived experience" in seen
    late = said(await bot.press(ALICE, button(post["blocks"], "Agree"), CHANNEL))
    assert "Proposal 1 has closed" in late and "Nothing was changed." in late

    # One press records it as decision 1 (only for whoever proposed it, or a facilitator).
    record = button(outcome["blocks"], "Record it as a decision")
    refused = said(await bot.press(BOB, record, CHANNEL))
    assert "Only alice, who proposed it" in refused and bot.posts(CHANNEL, "Decision 1") == []
    recorded = said(await bot.press(ALICE, record, CHANNEL))
    assert "Recorded as decision 1, and shared with the group." in recorded
    (decision,) = bot.posts(CHANNEL, "Decision 1")
    assert "Papers go out a week before each meeting" in decision
    assert (
        "It came from proposal 1. The answers were: Agree 2, Abstain 0, Disagree 1, Block 1."
        in decision
    )
    looked_up = said(await bot.command_posts(BOB, "/decision 1"))
    assert "From proposal 1" in looked_up
    twice = said(await bot.press(ALICE, record, CHANNEL))
    assert "already recorded as decision 1" in twice
    assert len(bot.posts(CHANNEL, "Decision 1")) == 1


#: Who answers the anonymous proposal: their Slack id, name, perspective and answer.
WRITERS = (
    ("UBRONWEN", "Bronwen Pryce", "service user", "Agree"),
    ("UCARADOC", "Caradoc Bell", "carer", "Block"),
    ("UDILYS", "Dilys Moss", "NHS psychologist", "Abstain"),
)


async def test_anonymous_answers_given_with_buttons_leave_no_trace(bot: Bot) -> None:
    mock = bot.mock
    for user, person, _, _ in WRITERS:
        mock.add_user(user, person)
    mock.set_members(CHANNEL, [ALICE, BOB, *(w[0] for w in WRITERS), "UBOT"])
    await bot.command(ALICE, "/group setup Steering group")
    for user, _, perspective, _ in WRITERS:
        await bot.command(user, f"/prefs perspective {perspective}", bot.dm(user))
    await bot.command_posts(ALICE, "/propose We try a shorter meeting closes in 3 days anonymous")
    post = one_post(bot, CHANNEL, "Proposal 1, from alice")
    assert "Answers to this one are anonymous" in words(post["blocks"])
    assert labels(post["blocks"]) == []  # a press in the channel could be seen: none there
    await until(bot, START)  # the choices go to each member privately

    writers = []
    with captured_logs() as log_lines:
        for n, (user, person, _, answer) in enumerate(WRITERS):
            bot.clock.set(START + timedelta(hours=1 + n, minutes=17 + n, seconds=23))
            writers.append(Writer((user, user.lower()), (person,), bot.clock.now()))
            (invited,) = [m for m in mock.messages(bot.dm(user)) if "Proposal 1" in words(m.blocks)]
            assert labels(invited.blocks) == [*ANSWERS, "Not now"]
            pressed = await bot.press(user, button(invited.blocks, answer), bot.dm(user))
            assert "saved, without your name" in said(pressed)
            if answer == "Block":  # the reason, through the form the answer offers
                form = await bot.open_form(
                    user, button(pressed[0]["blocks"], "Why?"), bot.dm(user), ephemeral=True
                )
                kept = await bot.submit(user, form, "It costs too much")
                assert kept is not None and "without your name" in words(kept["blocks"])
        typed = await bot.command("UDILYS", "/proposal privately 1 agree", bot.dm("UDILYS"))
        assert "already answered" in typed[0]
        await until(bot, CLOSES + timedelta(minutes=1))

    outcome = words(one_post(bot, CHANNEL, "Proposal 1 has closed")["blocks"])
    assert "Answers: Agree 1, Abstain 1, Disagree 0, Block 1." in outcome
    assert "Reasons people gave, without names:" in outcome and "It costs too much" in outcome
    assert "3 of 5 members answered. 2 of them have lived experience" in outcome
    assert not re.search(r"Bronwen|Caradoc|Dilys", outcome)
    assert await bot.count(ProposalAnswer) == 4
    assert await bot.in_flight() == 0
    assert "delivery.run" in log_lines.getvalue()  # the logs were captured
    rows = await every_row(bot.app.db)
    assert traces(writers, rows, log_lines.getvalue(), everything_sent(bot)) == []
