"""Who is a member on Slack, over signed HTTP: someone who leaves the group's channel stops
being one after a kind goodbye by DM (and no member sync adds them back); another bot in
the channel never is one.

alice facilitates; bob and carol are in the channel CGROUP; the meeting is on Saturday
5 December 2026 and its pack goes out on Wednesday 2 December at 14:00.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from scheduler.fast_forward import fast_forward
from tests.integration.slack import signing
from tests.integration.slack.harness import (
    PACK_DUE,
    SIGNING_SECRET,
    Bot,
    deliveries,
    group_with_meeting,
    words,
)

pytestmark = pytest.mark.slack

ALICE, BOB, CAROL, BOT = "UALICE", "UBOB", "UCAROL", "UBOT"
CHANNEL = "CGROUP"


def membership(kind: str, user: str) -> dict[str, Any]:
    """A member_joined_channel or member_left_channel event in the group's channel."""
    return {"type": kind, "user": user, "channel": CHANNEL, "channel_type": "C", "team": "T0TEST"}


async def members(bot: Bot) -> str:
    """What alice's /group says about who is in the group."""
    (shown,) = await bot.command(ALICE, "/group")
    return shown


async def test_someone_who_leaves_the_channel_gets_a_goodbye_and_nothing_more(bot: Bot) -> None:
    mock = bot.mock
    await group_with_meeting(bot)
    assert "• bob" in await members(bot)

    mock.set_members(CHANNEL, [ALICE, CAROL, BOT])
    before = len(mock.messages())
    for retry in (None, 1):  # Slack's retry of the same event changes nothing more
        left = membership("member_left_channel", BOB)
        request = signing.event(SIGNING_SECRET, left, event_id="EvLEFT", retry_num=retry)
        assert (await bot.post(request))[0] == 200
    (goodbye,) = mock.messages(bot.dm(BOB))
    said = words(goodbye.blocks)
    assert said.startswith("You've left Steering group, so I won't send you its packs")
    assert "If you'd like to come back" in said and "stays with the group" in said
    assert "• bob" not in await members(bot)
    assert [m.channel for m in mock.messages()[before:]] == [bot.dm(BOB)]  # nobody else told

    # The bot itself taken out of the channel takes nobody out of the group.
    await bot.post(signing.event(SIGNING_SECRET, membership("member_left_channel", BOT)))
    shown = await members(bot)
    assert "• alice" in shown and "• carol" in shown

    # Slack's member list can lag behind: a sync then still doesn't bring bob back...
    mock.set_members(CHANNEL, [ALICE, BOB, CAROL, BOT])
    await bot.post(signing.event(SIGNING_SECRET, membership("member_joined_channel", BOT)))
    assert "• bob" not in await members(bot)
    # ...nor does the sync of a restart, once the list is right.
    mock.set_members(CHANNEL, [ALICE, CAROL, BOT])
    await bot.stop()
    await bot.start()
    assert "• bob" not in await members(bot)

    await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    assert deliveries(mock, bot.dm(BOB), "pack") == []
    assert len(deliveries(mock, bot.dm(ALICE), "pack")) == 1
    assert len(mock.messages(bot.dm(BOB))) == 1  # the goodbye, and nothing since

    # Coming back into the channel makes him a member again.
    await bot.post(signing.event(SIGNING_SECRET, membership("member_joined_channel", BOB)))
    assert "• bob" in await members(bot)


async def test_another_bot_in_the_channel_is_never_a_member(bot: Bot) -> None:
    mock = bot.mock
    mock.add_user("UHELPER", "Helper", is_bot=True)
    mock.add_user("UPOLLY", "Polly", is_bot=True)
    mock.set_members(CHANNEL, [ALICE, BOB, CAROL, "UHELPER", BOT])
    await group_with_meeting(bot)
    await bot.post(signing.event(SIGNING_SECRET, membership("member_joined_channel", "UPOLLY")))

    shown = await members(bot)
    assert "Members (3)" in shown and "Helper" not in shown and "Polly" not in shown
    await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    assert mock.messages(bot.dm("UHELPER")) == [] and mock.messages(bot.dm("UPOLLY")) == []
