"""An online meeting's link in "Where:" opens with a button on Slack; the text stays plain,
and pressing the button changes nothing and says nothing (Slack opens the address)."""

from __future__ import annotations

import pytest

from bot.platforms.slack.render import LINK
from tests.integration.slack.harness import Bot

pytestmark = pytest.mark.slack

ALICE, BOB = "UALICE", "UBOB"
LINK_URL = "https://meet.example.org/steering-group?pwd=abc"


async def test_a_where_link_gets_a_button_that_opens_it(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, f"/meeting new Steering 2026-12-05 14:00 for 2h at {LINK_URL}.")
    [post] = [m for m in bot.mock.messages("CGROUP") if "New meeting" in (m.text or "")]
    sections = [b for b in post.blocks or [] if b["type"] == "section"]  # the times: rich_text
    [where] = [b for b in sections if b["text"]["text"].startswith("Where:")]
    assert where["text"]["type"] == "plain_text"  # the words stay inert
    assert where["accessory"]["url"] == LINK_URL  # the full stop is not part of it
    assert where["accessory"]["action_id"] == LINK

    before = len(bot.mock.messages())
    answers = await bot.press(BOB, {**where["accessory"], "value": ""}, "CGROUP")
    assert answers == [] and len(bot.mock.messages()) == before  # no "out of date" reply


async def test_a_place_without_a_link_has_no_button(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    [post] = [m for m in bot.mock.messages("CGROUP") if "New meeting" in (m.text or "")]
    assert all("accessory" not in b for b in post.blocks or [])
