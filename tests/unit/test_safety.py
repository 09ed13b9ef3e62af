"""Distress in plain words gets a warm answer at once, with a number to call; nobody is told."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.safety.distress import shows_distress
from handlers.safety.words import DEFAULT_CRISIS_LINE
from tests.support import say, snapshot, texts

CONTACT = "Sam Reid, peer support, 07700 900123"

DISTRESSED = [
    "I want to kill myself",
    "i want to die",
    "I'm struggling",
    "I’m really struggling today",
    "I can't cope",
    "I cannot cope any more",
    "cant go on",
    "I just want to end it all",
    "I've been self-harming again",
    "I keep hurting myself",
    "Feeling suicidal",
    "everyone would be better off without me",
    "I don't want to be here anymore",
    "I'm not okay",
    "help me",
    "I'M NOT OK!!!",
]
EVERYDAY = [
    "hello",
    "thanks!",
    "Budget for 2027",
    "the room was too hot",
    "Crisis line waiting times",
    "see you on Tuesday",
    "kill the lights please",
]


@pytest.mark.parametrize("said", DISTRESSED)
def test_distress_is_noticed_however_it_is_written(said: str) -> None:
    assert shows_distress(said)


@pytest.mark.parametrize("said", EVERYDAY)
def test_everyday_words_are_not_distress(said: str) -> None:
    assert not shows_distress(said)


async def setup(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello everyone")
    await say(app, "alice", f"/checkin wellbeing {CONTACT}")


async def test_distress_in_a_dm_gets_the_contact_and_a_crisis_line_and_tells_nobody(
    app: App,
) -> None:
    await setup(app)
    result = await say(app, "bob", "I want to kill myself", dm=True)
    assert [item.address.user for item in result.sent] == ["bob"]
    reply = texts(result)
    assert CONTACT in reply
    assert "116 123" in reply and "999" in reply
    assert "I haven't told anyone" in reply
    assert "I understand commands" not in reply


async def test_someone_in_no_group_still_gets_a_crisis_line(app: App) -> None:
    reply = texts(await say(app, "zoe", "I can't cope", dm=True))
    assert "116 123" in reply


async def test_help_gets_the_short_help_and_other_words_a_plain_hint(app: App) -> None:
    await setup(app)
    assert "What I can do" in texts(await say(app, "bob", "help", dm=True))
    assert "What I can do" in texts(await say(app, "bob", "Help?", dm=True))
    hint = texts(await say(app, "bob", "hi there", dm=True))
    assert "I understand commands that start with a slash" in hint
    assert "/support" in hint


async def test_asking_for_contact_tells_facilitators_only_that_they_asked(app: App) -> None:
    await setup(app)
    secret = "I want to kill myself"
    await say(app, "bob", secret, dm=True)
    result = await say(app, "bob", "/support tell", dm=True)
    by_person = {item.address.user: item for item in result.sent}
    assert set(by_person) == {"alice", "bob"}
    told = texts(result)
    assert "bob from Steering group asked for someone to get in touch" in told
    assert secret not in told


async def test_a_group_sets_its_own_crisis_line_and_can_go_back(app: App) -> None:
    await setup(app)
    line = "Breathing Space: call 0800 83 85 87"
    await say(app, "alice", f"/support line {line}")
    assert line in texts(await say(app, "bob", "I'm struggling", dm=True))
    await say(app, "alice", "/support line default")
    assert DEFAULT_CRISIS_LINE in texts(await say(app, "bob", "I'm struggling", dm=True))


async def test_only_facilitators_set_the_crisis_line(app: App) -> None:
    await setup(app)
    before = await snapshot(app.db)
    reply = texts(await say(app, "bob", "/support line call me"))
    assert "facilitator" in reply
    assert await snapshot(app.db) == before
