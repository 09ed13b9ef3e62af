"""'Only the facilitators' is understood however people say it, and confirmed in plain words;
when the words mention facilitators or the chair but not who should see them, the writer is
asked before anything is kept. A concern that shows distress gets a crisis line at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Concern
from tests.support import RecordingSender, choose, options, say, snapshot, texts
from tests.unit.test_concerns import PACK_DUE, group

FOR_FACILITATORS = [
    "/concern to facilitators: the chair was rude to me",
    "/concern To the facilitators - the chair was rude to me",
    "/concern for facilitators only the chair was rude to me",
    "/concern For facilitators only: the chair was rude to me",
    "/concern private: the chair was rude to me",
    "/concern just the facilitators, the chair was rude to me",
    "/concern only facilitators. the chair was rude to me",
    "/concern FACILITATORS ONLY!! the chair was rude to me",
    "/concern the chair was rude to me (facilitators only)",
]


async def stored(app: App) -> list[Concern]:
    async with app.db.sessions() as session:
        return list((await session.scalars(select(Concern))).all())


@pytest.mark.parametrize("said", FOR_FACILITATORS)
async def test_only_the_facilitators_however_it_is_said(app: App, said: str) -> None:
    await group(app)
    reply = texts(await say(app, "bob", said, dm=True))
    assert "Only the facilitators will see it. The rest of the group won't." in reply
    [concern] = await stored(app)
    assert concern.audience == "facilitators"
    assert concern.text == "the chair was rude to me"


async def test_a_facilitators_only_concern_is_never_posted_in_the_channel(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    await say(app, "bob", "/concern to facilitators: the chair was rude to me", dm=True)
    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=1))
    assert not any("the chair was rude" in t for t in sender.to("#group"))
    assert any("the chair was rude" in t for t in sender.to("dm:alice"))


async def test_unclear_words_about_the_chair_are_asked_about_before_saving(app: App) -> None:
    await group(app)
    before = await snapshot(app.db)
    asked = await say(app, "bob", "/concern the chair keeps talking over me", dm=True)
    assert "Who should see this concern?" in texts(asked)
    labels = [o.label for o in options(asked, "bob")]
    assert labels == ["Everyone in the group", "Only the facilitators", "Don't send it"]
    assert await stored(app) == []
    assert (await snapshot(app.db))["concerns"] == before["concerns"]

    saved = await choose(app, "bob", options(asked, "bob")[1])
    assert "Only the facilitators will see it" in texts(saved)
    [concern] = await stored(app)
    assert (concern.audience, concern.text) == ("facilitators", "the chair keeps talking over me")


async def test_an_ordinary_concern_says_everyone_will_see_it(app: App) -> None:
    await group(app)
    reply = texts(await say(app, "bob", "/concern The room was too hot", dm=True))
    assert "Everyone in the group will see your words, but never your name." in reply


async def test_a_concern_that_shows_distress_gets_the_crisis_line_at_once(app: App) -> None:
    await group(app)
    await say(app, "alice", "/checkin wellbeing Sam Reid, 07700 900123")
    result = await say(app, "bob", "/concern I can't cope with these meetings any more", dm=True)
    assert {item.address.user for item in result.sent} == {"bob"}
    reply = texts(result)
    assert "116 123" in reply and "Sam Reid, 07700 900123" in reply
    assert "receipt code" in reply  # the concern is still taken
