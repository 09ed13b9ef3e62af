"""What the Slack integration tests share: the app under test and Slack's side of the talk.

`Bot` runs the Slack platform on 127.0.0.1 (port 0) in the test's own loop with a
virtual clock and a fresh SQLite file; every Web API call it makes goes to
`MockSlackAPI`. `Bot` also plays Slack posting to the app: slash commands,
button presses and form submissions, all signed, and reads back what members
would see. The `bot` fixture (conftest.py) builds one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import func, or_, select

from bot.app import App
from bot.platforms.slack.naming import DEFAULT_NAMING, CommandNaming
from bot.platforms.slack.pacing import Pacer
from bot.platforms.slack.platform import SlackPlatform
from bot.platforms.slack.render import MODAL, PRIVATE
from bot.platforms.slack.retries import web_client
from scheduler.clock import VirtualClock
from storage.models import SlackInbox
from tests.integration.slack import signing
from tests.integration.slack.mock_api import Message, MockSlackAPI, view_problems
from tests.support import text_objects

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)  # a Saturday, 14:00 London time
PACK_DUE = MEETING - timedelta(days=3)
JSONObj = dict[str, Any]


# --------------------------------------------------------------------------- reading blocks


@dataclass
class Waits:
    """A sleep for the retry handlers that returns at once and remembers what was asked.

    `then(n)` runs after the n-th wait (e.g. to end a 429 storm after a while).
    """

    asked: list[float] = field(default_factory=list)
    then: Callable[[int], None] | None = None

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        if self.then is not None:
            self.then(len(self.asked))
        await asyncio.sleep(0)


def words(blocks: list[JSONObj] | None) -> str:
    """All the text a person would read in some blocks, one piece per line (a Slack date
    as its fallback: the time in the group's zone)."""
    pieces = [str(t["text"]) for t in text_objects(blocks or [])]
    for block in blocks or []:
        if block.get("type") == "rich_text":
            pieces += [_rich_words(e) for e in block["elements"]]
    return "\n".join(pieces)


def _rich_words(element: JSONObj) -> str:
    """A rich_text section's or list's words: text as written, dates as their fallback."""
    if element["type"] == "text":
        return str(element["text"])
    if element["type"] == "date":
        return str(element["fallback"])
    glue = "\n" if element["type"] == "rich_text_list" else ""
    return glue.join(_rich_words(e) for e in element.get("elements", []))


def text_kinds(blocks: list[JSONObj] | None) -> set[str]:
    """The kinds of text object used anywhere in some blocks."""
    return {str(t["type"]) for t in text_objects(blocks or [])}


def buttons(blocks: list[JSONObj] | None) -> list[JSONObj]:
    """Every button in some blocks."""
    return [
        element
        for block in blocks or []
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") == "button"
    ]


def labels(blocks: list[JSONObj] | None) -> list[str]:
    """The words on every button in some blocks, in order."""
    return [b["text"]["text"] for b in buttons(blocks)]


def button(blocks: list[JSONObj] | None, label: str) -> JSONObj:
    """The one button reading `label` (the test fails if there isn't exactly one)."""
    found = [b for b in buttons(blocks) if b["text"]["text"] == label]
    assert len(found) == 1, f"no single {label!r} button among {labels(blocks)}"
    return found[0]


def delivered(mock: MockSlackAPI, channel: str) -> list[str]:
    """The kind (pack, daybefore, ...) of each scheduled delivery posted in a channel."""
    return [
        m.metadata["event_payload"]["key"].split(":")[0]
        for m in mock.messages(channel)
        if m.metadata
        and m.metadata.get("event_type") == "alongside_delivery"
        and not m.metadata["event_payload"]["key"].startswith("reply:")
    ]


def deliveries(mock: MockSlackAPI, channel: str, kind: str) -> list[Message]:
    """The scheduled deliveries of one kind (pack, hourbefore, ...) posted in a channel."""
    return [
        m
        for m in mock.messages(channel)
        if m.metadata
        and m.metadata.get("event_type") == "alongside_delivery"
        and m.metadata["event_payload"]["key"].split(":")[0] == kind
    ]


def meeting_cycle(mock: MockSlackAPI, channel: str) -> list[str]:
    """Packs, reminders, breaks, live meeting posts and thank-yous only (check-ins and roles
    have their own tests)."""
    kinds = {"pack", "daybefore", "hourbefore", "after"}
    return [k for k in delivered(mock, channel) if k in kinds or k.startswith(("break", "live-"))]


# --------------------------------------------------------------------------- the app


class Bot:
    """The Slack app under test, listening on 127.0.0.1, and Slack's side of the talk."""

    def __init__(
        self,
        mock: MockSlackAPI,
        app: App,
        clock: VirtualClock,
        waits: Waits,
        naming: CommandNaming = DEFAULT_NAMING,
    ) -> None:
        self.mock = mock
        self.naming = naming  # the workspace's command names (prefix or umbrella)
        self.app = app
        self.clock = clock
        self.waits = waits
        self.session = aiohttp.ClientSession()  # the app's one Web API session
        self.http = aiohttp.ClientSession()  # "Slack" posting to the app
        self.platform: SlackPlatform
        self.runner: web.AppRunner | None = None
        self.url = ""

    def make_platform(self, wall: VirtualClock | None = None) -> SlackPlatform:
        """A SlackPlatform on the shared app and session, as a (re)started process builds it."""
        client = web_client(
            BOT_TOKEN, self.session, base_url=self.mock.base_url, sleep=self.waits, backoff=0.01
        )
        return SlackPlatform(
            self.app,
            client,
            self.session,
            signing_secret=SIGNING_SECRET,
            pacer=Pacer(burst=4, per_second=8.0),
            sleep=self.waits,
            backoff=0.01,
            wall=wall,
            naming=self.naming,
        )

    async def start(self, wall: VirtualClock | None = None) -> None:
        """Start the platform and its HTTP endpoint on a free port."""
        self.platform = self.make_platform(wall)
        await self.platform.start()
        self.runner = web.AppRunner(self.platform.web_app(), access_log=None, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/slack/events"

    async def stop(self) -> None:
        """Stop listening (the database stays)."""
        await self.platform.close()
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def close(self) -> None:
        await self.stop()
        await self.session.close()
        await self.http.close()

    async def post(self, request: signing.SignedRequest) -> tuple[int, str, float]:
        """Send a request as Slack would; wait for the work it started. (status, body, secs)"""
        began = time.perf_counter()
        async with self.http.post(self.url, data=request.body, headers=request.headers) as r:
            status, body = r.status, await r.text()
        took = time.perf_counter() - began
        await self.platform.idle()
        return status, body, took

    async def command(self, user: str, text: str, channel: str = "CGROUP") -> list[str]:
        """Someone types a slash command; returns the private answers they see (as words)."""
        return [words(p.get("blocks")) for p in await self.command_posts(user, text, channel)]

    def typed(
        self, user: str, text: str, channel: str, url: str, team: str = signing.TEAM_ID
    ) -> signing.SignedRequest:
        """The signed request of `user` typing the slash command `text` in `channel`
        (a D... channel: their DM with the bot), answered through `url`."""
        name, _, rest = text.partition(" ")
        return signing.slash_command(
            SIGNING_SECRET,
            command=name,
            text=rest,
            user_id=user,
            user_name=user.lower().removeprefix("u"),
            channel_id=channel,
            channel_name="directmessage" if channel.startswith("D") else "group",
            response_url=url,
            team_id=team,
        )

    async def command_posts(self, user: str, text: str, channel: str = "CGROUP") -> list[JSONObj]:
        """Someone types a slash command; returns the private answers as raw payloads."""
        url = self.mock.response_url()
        status, body, took = await self.post(self.typed(user, text, channel, url))
        assert (status, body) == (200, "")
        assert took < 3.0
        return self.answer_posts(url)

    def answers(self, url: str) -> list[str]:
        """What arrived privately through one response_url, as words."""
        key = url.rsplit("/", 1)[1]
        return [words(r.blocks) for r in self.mock.responses if r.key == key]

    def answer_posts(self, url: str) -> list[JSONObj]:
        """The raw payloads posted to one response_url."""
        key = url.rsplit("/", 1)[1]
        return [r.payload for r in self.mock.responses if r.key == key]

    async def count(self, model: Any) -> int:
        """Rows in a table."""
        async with self.app.db.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    async def in_flight(self) -> int:
        """Inbox rows still to do or holding words (a finished one keeps only its bare key)."""
        held = or_(
            SlackInbox.status != "done",
            SlackInbox.payload.is_not(None),
            SlackInbox.replies.is_not(None),
        )
        async with self.app.db.sessions() as session:
            counted = select(func.count()).select_from(SlackInbox).where(held)
            return int(await session.scalar(counted) or 0)

    # ----------------------------------------------------------------- native controls

    def dm(self, user: str) -> str:
        """The id of a person's direct conversation with the bot."""
        return self.mock.dm_channel(user)

    async def press(
        self, user: str, pressed: JSONObj, channel: str, *, ephemeral: bool = False
    ) -> list[JSONObj]:
        """`user` presses a button in a message in `channel` (`ephemeral`: one only they
        see, like an answer to a slash command); returns the private answers (payloads)."""
        assert not pressed["action_id"].startswith(PRIVATE), "a form button: use open_form"
        url = self.mock.response_url()
        status, _, took = await self.post(
            signing.block_actions(
                SIGNING_SECRET,
                action_id=pressed["action_id"],
                value=pressed["value"],
                user_id=user,
                user_name=user.lower().removeprefix("u"),
                channel_id=channel,
                ephemeral=ephemeral,
                response_url=url,
            )
        )
        assert status == 200 and took < 3.0
        return self.answer_posts(url)

    async def open_form(
        self,
        user: str,
        pressed: JSONObj,
        channel: str | None,
        *,
        ephemeral: bool = False,
        inside: JSONObj | None = None,
    ) -> JSONObj:
        """`user` presses a button that opens a form (in a message, or `inside` a modal);
        returns the form Slack shows them."""
        assert pressed["action_id"].startswith(PRIVATE), "not a form button: use press"
        before = len(self.mock.calls)
        status, _, _ = await self.post(
            signing.block_actions(
                SIGNING_SECRET,
                action_id=pressed["action_id"],
                value=pressed["value"],
                user_id=user,
                user_name=user.lower().removeprefix("u"),
                channel_id=None if inside else channel,
                view=inside,
                ephemeral=ephemeral,
                trigger_id=signing.new_trigger_id(),
            )
        )
        assert status == 200
        opened = [
            c for c in self.mock.calls[before:] if c.method in ("views.open", "views.push") and c.ok
        ]
        assert len(opened) == 1, "the button opened no form"
        view: JSONObj = opened[0].response["view"]
        assert view["callback_id"] == MODAL
        return view

    async def submit(self, user: str, form: JSONObj, text: str) -> JSONObj | None:
        """`user` writes `text` in a form and sends it; the view Slack then shows (if any)."""
        status, body, took = await self.post(
            signing.view_submission(
                SIGNING_SECRET,
                callback_id=MODAL,
                private_metadata=form["private_metadata"],
                view_id=form["id"],
                values={"text": {"text": text}},
                user_id=user,
                user_name=user.lower().removeprefix("u"),
            )
        )
        assert status == 200 and took < 3.0
        if not body:
            return None
        answer = json.loads(body)
        assert answer["response_action"] == "update", answer
        assert view_problems(answer["view"]) == []  # Slack would refuse it otherwise
        shown: JSONObj = {**answer["view"], "id": form["id"]}
        return shown

    async def press_in_form(self, user: str, pressed: JSONObj, form: JSONObj) -> JSONObj:
        """`user` presses a button shown inside a modal; returns the modal as it then reads."""
        before = len(self.mock.calls)
        status, _, _ = await self.post(
            signing.block_actions(
                SIGNING_SECRET,
                action_id=pressed["action_id"],
                value=pressed["value"],
                user_id=user,
                user_name=user.lower().removeprefix("u"),
                channel_id=None,
                view=form,
            )
        )
        assert status == 200
        updated = [c for c in self.mock.calls[before:] if c.method == "views.update" and c.ok]
        assert len(updated) == 1, "the form did not change"
        view: JSONObj = updated[0].params["view"]
        return view

    def posts(self, channel: str, containing: str) -> list[str]:
        """The words of every message posted in `channel` that contains `containing`."""
        found = [words(m.blocks) for m in self.mock.messages(channel) if not m.ephemeral]
        return [w for w in found if containing in w]


async def group_with_meeting(bot: Bot) -> None:
    """alice facilitates; carol wants the channel; a 2-hour meeting in 5 days with an item."""
    await bot.command("UALICE", "/group setup Steering group")
    await bot.command("UCAROL", "/prefs reminders channel", channel="DUCAROL")
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    await bot.command("UBOB", "/agenda add Crisis line waiting times minutes 30")
