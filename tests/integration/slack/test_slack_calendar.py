"""/meeting calendar on Slack, over real signed HTTP with the mock Web API: the .ics file is
uploaded to the member's DM, the private answer names it, and nothing is posted in the channel.
"""

from __future__ import annotations

import pytest

from tests.integration.slack.harness import Bot

pytestmark = pytest.mark.slack

ALICE, BOB, CHANNEL = "UALICE", "UBOB", "CGROUP"


async def test_the_calendar_file_arrives_as_an_upload(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/meeting new Steering 2026-12-03 14:00 every 2 weeks at Room 4")

    [answer] = await bot.command(BOB, "/meeting calendar 1")
    name = "steering-group-meeting-1.ics"
    assert "Here is meeting 1, Steering, as a calendar file." in answer
    assert f"I've sent you a file: {name}." in answer

    [upload] = bot.mock.files
    assert upload.filename == name and upload.channel == bot.dm(BOB)
    assert upload.text.startswith("BEGIN:VCALENDAR")
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2" in upload.text
    assert "DTSTART;TZID=Europe/London:20261203T140000" in upload.text
    assert not [
        m
        for m in bot.mock.messages(CHANNEL)
        if not m.ephemeral and "calendar file" in (m.text or "")
    ]
