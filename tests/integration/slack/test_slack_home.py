"""The bot's Home tab: published on app_home_opened, refreshed after a change in the
person's group, and its Done buttons work like any other button."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from scheduler.fast_forward import fast_forward
from tests.integration.slack import signing
from tests.integration.slack.harness import (
    PACK_DUE,
    SIGNING_SECRET,
    Bot,
    button,
    group_with_meeting,
    labels,
    words,
)
from tests.integration.slack.mock_api import view_problems

pytestmark = pytest.mark.slack


def homes(bot: Bot, user: str) -> list[dict[str, Any]]:
    """Every Home view published for `user`, checked against slack_sdk's Block Kit models."""
    found = []
    for call in bot.mock.calls_to("views.publish", ok=True):
        if call.params["user_id"] != user:
            continue
        view = call.params["view"]
        assert view["type"] == "home" and view_problems(view) == []
        View(**view).validate_json()
        assert [b.to_dict() for b in Block.parse_all(view["blocks"])] == view["blocks"]
        found.append(view)
    return found


async def open_home(bot: Bot, user: str) -> None:
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
    status, _, _ = await bot.post(signing.event(SIGNING_SECRET, event))
    assert status == 200


async def test_home_is_published_when_opened_and_again_after_a_change(bot: Bot) -> None:
    await group_with_meeting(bot)
    bot.platform.home.pause = 0.0
    await open_home(bot, "UBOB")
    [first] = homes(bot, "UBOB")
    shown = words(first["blocks"])
    assert "Next meeting: Steering" in shown and "Crisis line waiting times" in shown
    assert "Budget for 2027" not in shown

    await bot.command("UCAROL", "/agenda add Budget for 2027")
    assert "Budget for 2027" in words(homes(bot, "UBOB")[-1]["blocks"])
    assert homes(bot, "UCAROL") == []  # carol never opened Home: nothing is sent for her

    await bot.command("UALICE", "/action Book a bigger room owner <@UBOB|bob> by 10 December")
    latest = homes(bot, "UBOB")[-1]
    assert "Action 1: Book a bigger room" in words(latest["blocks"])
    done = button(latest["blocks"], "Action 1 is done")
    stored = bot.mock.views["VHOMEUBOB"]
    status, _, _ = await bot.post(
        signing.block_actions(
            SIGNING_SECRET,
            action_id=done["action_id"],
            value=done["value"],
            user_id="UBOB",
            user_name="bob",
            channel_id=None,
            view=stored,
        )
    )
    assert status == 200
    told = [words(m.blocks) for m in bot.mock.messages(bot.dm("UBOB"))]
    assert any("told the group that action 1 is done" in t for t in told), told
    assert bot.posts("CGROUP", "Action 1 is done: Book a bigger room")
    after = homes(bot, "UBOB")[-1]
    assert "Book a bigger room" not in words(after["blocks"])
    assert "Action 1 is done" not in labels(after["blocks"])

    await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    await bot.platform.idle()
    assert "The pack for this meeting has gone out." in words(homes(bot, "UBOB")[-1]["blocks"])
