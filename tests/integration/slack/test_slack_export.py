"""/prefs export on Slack, over real signed HTTP with the mock Web API: both files (the JSON
and the plain summary) are uploaded to the member's DM, and the private answer says so.

Everyone in the channel CGROUP: alice (the facilitator), bob and carol; the contribution
log over two meetings is written straight into the tables (tests/contributions_log.py).
A second test gives bob data in two channels (two groups), made with commands, and checks
his JSON is complete and holds nothing of alice's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from storage.repositories.personal_export import COVERS
from tests.contributions_log import AFTER, MEETING, seed
from tests.integration.slack.harness import Bot

pytestmark = pytest.mark.slack

ALICE, BOB, CHANNEL = "UALICE", "UBOB", "CGROUP"
DESIGN = "CDESIGN"  # a second channel: a second group


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


LABELS = ("text", "what", "role", "choice", "meeting_date")  # what a row is, first found
ALICES = ("alice", "Room booking", "planning the day", "Keep the old room", "parking")


async def test_a_member_of_two_groups_gets_all_of_it_and_only_theirs(bot: Bot) -> None:
    """bob has an agenda item and time in Steering, a decision and an expense in Design;
    alice has her own in both. bob's JSON holds every area, his rows in the right group,
    and nothing of alice's."""
    bot.mock.add_channel(DESIGN, "design", members=[ALICE, BOB, "UBOT"])
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/group setup Design group", channel=DESIGN)
    await bot.command(ALICE, "/meeting new Steering 2026-12-19 14:00 every week for 2h")
    await bot.command(BOB, "/agenda add Travel costs")
    await bot.command(ALICE, "/agenda add Room booking")
    await bot.command(BOB, "/contributions add 2h reading the papers")
    await bot.command(ALICE, "/contributions add 1h planning the day")
    await bot.command(
        ALICE, f"/decision Try the library owner <@{BOB}|bob> update in 2 weeks", channel=DESIGN
    )
    await bot.command(ALICE, "/decision Keep the old room", channel=DESIGN)
    await bot.command(BOB, "/expenses £4.50 bus fare", channel=DESIGN)
    await bot.command(ALICE, "/expenses £3 parking", channel=DESIGN)
    mine = bot.dm(BOB)
    await bot.command(BOB, "/prefs pronouns he/him", channel=mine)

    [answer] = await bot.command(BOB, "/prefs export", channel=mine)
    assert "Everything I hold about you" in answer
    assert {f.channel for f in bot.mock.files} == {mine} and len(bot.mock.files) == 2
    [upload] = [f for f in bot.mock.files if f.filename.endswith(".json")]
    data = json.loads(upload.text)
    assert set(data) == {"about", *COVERS}
    assert data["person"]["name"] == "bob" and data["preferences"]["pronouns"] == "he/him"
    assert held(data) == {
        "memberships": [("Steering group", None), ("Design group", None)],
        "agenda_items": [("Steering group", "Travel costs")],
        "contributions": [("Steering group", "reading the papers")],
        "decisions": [("Design group", "Try the library")],
        "expenses": [("Design group", "bus fare")],
    }
    assert [m["facilitator"] for m in data["memberships"]] == [False, False]
    assert data["agenda_items"][0]["you_added_it"] is True
    assert data["contributions"][0]["time_in_minutes"] == 120
    assert data["decisions"][0]["you_look_after_it"] is True
    assert data["decisions"][0]["you_recorded_it"] is False
    assert (data["expenses"][0]["amount_in_pence_or_cents"], data["expenses"][0]["currency"]) == (
        450,
        "GBP",
    )
    everything = json.dumps(data).lower()
    assert [w for w in ALICES if w.lower() in everything] == []


def held(data: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    """Each group's rows in each list area that has any, as (group, what the row is)."""
    return {
        area: [(row["group"], next((row[k] for k in LABELS if k in row), None)) for row in rows]
        for area, rows in data.items()
        if isinstance(rows, list) and rows and "group" in rows[0]
    }
