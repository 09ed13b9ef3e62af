"""/prefs export on Slack, over real signed HTTP with the mock Web API: both files (the JSON
and the plain summary) are uploaded to the member's DM, and the private answer says so.

Everyone in the channel CGROUP: alice (the facilitator), bob and carol; the contribution
log over two meetings is written straight into the tables (tests/contributions_log.py).
"""

from __future__ import annotations

import json

import pytest

from storage.repositories.personal_export import COVERS
from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.slack.harness import Bot

pytestmark = pytest.mark.slack

ALICE, BOB, CHANNEL = "UALICE", "UBOB", "CGROUP"


async def test_both_files_arrive_in_the_members_dm(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, MEETING)
    await seed(bot.app.db, platform="slack", channel=CHANNEL)
    bot.clock.set(AFTER)

    [answer] = await bot.command(BOB, "/prefs export")
    names = ["alongside-export-2026-12-13.json", "alongside-export-2026-12-13.txt"]
    assert "Everything I hold about you" in answer
    for name in names:
        assert f"I've sent you a file: {name}." in answer
    assert "I can't tell which are yours" in answer

    assert [f.filename for f in bot.mock.files] == names
    assert {f.channel for f in bot.mock.files} == {bot.dm(BOB)}
    data = json.loads(bot.mock.files[0].text)
    assert set(data) == {"about", *COVERS}
    assert [m["group"] for m in data["memberships"]] == ["Steering group"]
    assert [e["what"] for e in data["expenses"]] == ["bus fare"]
    assert "Your expenses:" in bot.mock.files[1].text
    assert not [
        m
        for m in bot.mock.messages(CHANNEL)
        if not m.ephemeral and "hold about you" in (m.text or "")
    ]
