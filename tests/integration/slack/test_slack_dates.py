"""Meeting times on Slack are Slack dates, shown in each reader's own time zone: the
/meeting list and the "New meeting" post carry the right moment, across a clock change,
and the list doesn't name the group's time zone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.slack.harness import Bot, words

pytestmark = pytest.mark.slack

ALICE, BOB = "UALICE", "UBOB"
DECEMBER = [1796479200, 1796486400]  # 14:00 to 16:00 UK time is 14:00 to 16:00 UTC
APRIL = [1806757200, 1806764400]  # after the clocks go forward: 13:00 to 15:00 UTC


def dates(blocks: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Every date element in some rich_text blocks, in order."""

    def walk(node: Any) -> list[dict[str, Any]]:
        if isinstance(node, list):
            return [d for item in node for d in walk(item)]
        if isinstance(node, dict):
            found = [node] if node.get("type") == "date" else []
            return found + walk(node.get("elements", []))
        return []

    return walk([b for b in blocks or [] if b["type"] == "rich_text"])


async def test_meeting_times_are_slack_dates_at_the_right_moment(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/meeting new Steering *bold* @here 2026-12-05 14:00 for 2h")
    await bot.command(ALICE, "/meeting new Spring review 2027-04-03 14:00 for 2h")

    [post] = [m for m in bot.mock.messages("CGROUP") if "New meeting: Steering" in (m.text or "")]
    assert [d["timestamp"] for d in dates(post.blocks)] == DECEMBER

    [answer] = await bot.command_posts(BOB, "/meeting")
    listed = dates(answer["blocks"])
    assert [d["timestamp"] for d in listed] == DECEMBER + APRIL
    assert listed[0]["format"] == "{date_long_pretty} at {time}"
    assert listed[0]["fallback"] == "Saturday 5 December, 14:00"
    # The title a member wrote is literal text next to the date, never a mention.
    [rich] = [b for b in answer["blocks"] if b["type"] == "rich_text"]
    first = rich["elements"][0]["elements"][0]["elements"][0]
    assert first == {"type": "text", "text": "1. Steering *bold* @here: "}
    # Each reader sees their own time zone, so the group's zone isn't named (it is elsewhere).
    shown = words(answer["blocks"])
    assert "Times are in" not in shown and "The number is the meeting's number." in shown
