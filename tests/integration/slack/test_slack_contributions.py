"""The contribution export on Slack, over real signed HTTP with the mock Web API: the
facilitator's /contributions export arrives as a file uploaded to their DM (Slack's three
upload steps), and the private answer in the channel says where it is.

Everyone in the channel CGROUP: alice (the facilitator), bob and carol; the log over two
meetings is written straight into the tables (tests/contributions_log.py).
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.slack.harness import Bot

pytestmark = pytest.mark.slack

ALICE, CHANNEL = "UALICE", "CGROUP"


async def test_the_export_arrives_as_a_file_in_the_facilitators_dm(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, MEETING)
    await seed(bot.app.db, platform="slack", channel=CHANNEL)
    bot.clock.set(AFTER)

    [answer] = await bot.command(ALICE, "/contributions export 2026-12")
    name = "steering-group-contributions-2026-12.csv"
    assert "Here is December 2026 for Steering group" in answer
    assert f"I've sent you a file: {name}. It's in our direct messages." in answer

    [shared] = bot.mock.files
    assert shared.channel == bot.dm(ALICE)
    assert (shared.filename, shared.title) == (name, name)
    steps = [c.method for c in bot.mock.calls if "upload" in c.method.lower()]
    assert steps == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert all(c.ok for c in bot.mock.calls_to("files.completeUploadExternal"))
    rows = list(csv.DictReader(io.StringIO(shared.text)))
    dated = [(r["Person"], r["Meeting date"]) for r in rows if r["Meeting date"][:1] == "2"]
    assert dated == [
        (person, day)
        for person in ("alice", "bob", "carol")
        for day in ("2026-12-05", "2026-12-12")
    ]
    totals = {r["Person"]: r for r in rows if r["Meeting date"] == "Total"}
    assert totals["bob"]["Expenses"] == "4.50" and totals["Everyone"]["Was there"] == "5"
    assert not [
        m for m in bot.mock.messages(CHANNEL) if not m.ephemeral and "Here is" in (m.text or "")
    ]

    # Members can't export, and get no file.
    [refusal] = await bot.command("UCAROL", "/contributions export 2026-12")
    assert "Only the facilitators" in refusal
    assert len(bot.mock.files) == 1
