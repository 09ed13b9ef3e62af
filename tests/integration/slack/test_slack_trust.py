"""Safe, private and kind on Slack, over signed HTTP: distress typed to the bot gets a
crisis line at once and nobody else hears; "to facilitators:" keeps a concern to them;
access needs reach the facilitators only; a request from someone else waits for the end
of quiet hours.

Everyone in the channel CGROUP: alice (the facilitator), bob, carol (who reads the
channel), dan and erin. The meeting is on Saturday 5 December 2026, 14:00 London time
(UTC); its pack goes out on Wednesday 2 December at 14:00.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scheduler.fast_forward import fast_forward
from tests.integration.slack import signing
from tests.integration.slack.harness import PACK_DUE, SIGNING_SECRET, Bot, group_with_meeting, words

pytestmark = pytest.mark.slack

ALICE, BOB, CAROL, ERIN = "UALICE", "UBOB", "UCAROL", "UERIN"
CHANNEL = "CGROUP"
NEEDS = "Papers a week ahead, large print"


async def five_of_us(bot: Bot) -> None:
    """Five people in the channel (no small-group warning), a meeting planned."""
    bot.mock.add_user(ERIN, "erin")
    bot.mock.set_members(CHANNEL, [ALICE, BOB, CAROL, "UDAN", ERIN, "UBOT"])
    await group_with_meeting(bot)


async def until(bot: Bot, when: datetime) -> None:
    """Let time pass until `when`, delivering everything due on the way."""
    await fast_forward(bot.platform.engine, bot.clock, when)


async def test_distress_gets_a_crisis_line_and_a_concern_stays_with_the_facilitators(
    bot: Bot,
) -> None:
    mock = bot.mock
    await five_of_us(bot)
    before = len(mock.messages())

    typed = signing.message_event(
        "I want to kill myself", user=BOB, channel=bot.dm(BOB), channel_type="im"
    )
    assert (await bot.post(signing.event(SIGNING_SECRET, typed)))[0] == 200
    (answer,) = mock.messages()[before:]  # at once, and only to bob
    assert answer.channel == bot.dm(BOB) and "116 123" in words(answer.blocks)
    assert "commands that start with a slash" not in words(answer.blocks)

    (saved,) = await bot.command(
        BOB, "/concern to facilitators: the chair was rude to me", bot.dm(BOB)
    )
    assert "Only the facilitators will see it. The rest of the group won't." in saved
    await until(bot, PACK_DUE + timedelta(minutes=1))
    assert not bot.posts(CHANNEL, "the chair was rude")
    assert bot.posts(bot.dm(ALICE), "the chair was rude")
    assert not bot.posts(bot.dm(CAROL), "the chair was rude")


async def test_access_needs_reach_facilitators_and_a_request_waits_for_quiet_hours(
    bot: Bot,
) -> None:
    mock = bot.mock
    await five_of_us(bot)
    await bot.command(BOB, f"/prefs access {NEEDS}", bot.dm(BOB))
    (for_alice,) = await bot.command(ALICE, "/group")
    assert f"bob: {NEEDS}" in for_alice
    (for_carol,) = await bot.command(CAROL, "/group")
    assert NEEDS not in for_carol

    await bot.command(ERIN, "/prefs quiet 21:00-08:00", bot.dm(ERIN))
    await bot.command(BOB, "/roles willing chair")
    await bot.command(ALICE, "/rotate")
    await until(bot, datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    (asked,) = await bot.command(BOB, "/roles swap <@UERIN|erin>")
    assert asked.startswith("I've asked erin.")  # bob hears at once
    await until(bot, datetime(2026, 12, 1, 7, 59, tzinfo=UTC))
    assert mock.messages(bot.dm(ERIN)) == []  # nothing in erin's quiet hours
    await until(bot, datetime(2026, 12, 1, 8, 1, tzinfo=UTC))
    (question,) = mock.messages(bot.dm(ERIN))
    assert "bob asks if you'd" in words(question.blocks)
