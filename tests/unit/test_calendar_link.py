"""Private calendar links (issue 18): /meeting calendar subscribe gives a member, privately,
a link that the bot's HTTP listener serves as an iCalendar feed; a stopped, replaced,
unknown or left-behind link gets a bare 404; only a keyed hash of the token is stored."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from icalendar import Calendar
from sqlalchemy import text

from bot import health
from bot.app import App
from handlers.core.messages import files_of
from tests.support import changes_nothing, choose, options, privately, say

LINK = re.compile(r"http://\S+/calendar/[A-Za-z0-9_-]+\.ics")


@pytest.fixture
async def served(app: App) -> AsyncIterator[str]:
    """The app's HTTP listener on a free port; the bot says links start with its address."""
    listener = await health.listen(app.health, app.metrics, "127.0.0.1", 0, app.feed)
    app.router.public_url = listener.url
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 every 2 weeks at Room 4")
    yield listener.url
    await listener.stop()


async def get(url: str) -> tuple[int, str, str]:
    """GET a URL: (status, content type, body)."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.content_type, await response.text()


async def subscribe(app: App, who: str) -> tuple[str, str]:
    """`who` asks for a link: (the private reply, the link in it)."""
    reply = privately(await say(app, who, "/meeting calendar subscribe"), who)
    [url] = LINK.findall(reply)
    return reply, url


async def test_a_member_gets_a_private_link_that_serves_the_meetings(app: App, served: str) -> None:
    reply, url = await subscribe(app, "bob")
    assert url.startswith(f"{served}/calendar/")
    assert "Anyone with the link can see" in reply and "/meeting calendar stop" in reply
    status, kind, body = await get(url)
    assert (status, kind) == (200, "text/calendar")
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert (
        str(event["SUMMARY"]) == "Steering" and "FREQ=WEEKLY" in event["RRULE"].to_ical().decode()
    )
    assert event.decoded("DTSTART").hour == 14
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    async with app.db.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT token_hash FROM calendar_links"))).all()
    assert len(stored) == 1 and token not in stored[0][0]  # only a keyed hash is kept

    # A moved meeting shows in the feed the next time the calendar looks.
    await say(app, "alice", "/meeting move 1 2026-12-05 16:00")
    assert "T160000" in (await get(url))[2]


async def test_stopped_replaced_and_unknown_links_get_a_bare_404(app: App, served: str) -> None:
    _, first = await subscribe(app, "bob")
    reply, second = await subscribe(app, "bob")
    assert "old link has stopped working" in reply
    assert (await get(first))[0] == 404
    assert (await get(second))[0] == 200
    stopped = privately(await say(app, "bob", "/meeting calendar stop"), "bob")
    assert "stopped working" in stopped
    for url in (second, f"{served}/calendar/{'x' * 43}.ics", f"{served}/calendar/nothing"):
        status, _, body = await get(url)
        assert (status, body) == (404, "Not found")
    again = privately(await say(app, "bob", "/meeting calendar stop"), "bob")
    assert "nothing to stop" in again


async def test_leaving_or_being_forgotten_stops_the_link(app: App, served: str) -> None:
    _, bobs = await subscribe(app, "bob")
    _, alices = await subscribe(app, "alice")
    [sent] = (await say(app, "alice", "/prefs export", dm=True)).sent
    [data] = [json.loads(f.content) for f in files_of(sent.message) if f.name.endswith(".json")]
    [link] = data["calendar_links"]
    assert set(link) == {"group", "made"}  # that there is one, never the link itself
    [yes, _] = options(await say(app, "bob", "/leave"), "bob")
    await choose(app, "bob", yes)
    assert (await get(bobs))[0] == 404
    assert (await get(alices))[0] == 200
    [yes, _] = options(await say(app, "alice", "/forget me", dm=True), "alice")
    await choose(app, "alice", yes)
    assert (await get(alices))[0] == 404


async def test_leaving_the_channel_stops_the_link(app: App, served: str) -> None:
    _, url = await subscribe(app, "bob")
    await app.router.leave("console", "group", "bob")
    assert (await get(url))[0] == 404
    await say(app, "bob", "I'm back")  # a member again, but the old link stays stopped
    assert (await get(url))[0] == 404


async def test_without_a_public_address_the_reply_says_links_are_off(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    app.router.public_url = None
    async with changes_nothing(app.db, "subscribe"):
        reply = privately(await say(app, "alice", "/meeting calendar subscribe"), "alice")
    assert "not turned on" in reply and "/meeting calendar" in reply
