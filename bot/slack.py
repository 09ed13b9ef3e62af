"""The Slack platform: a slack-bolt AsyncApp over HTTP (or Socket Mode).

What people do in Slack becomes the same `Incoming` the console makes; what the
bot answers is rendered to Block Kit (bot/slack_render.py) and sent by
`SlackSender` (bot/slack_client.py). Every request is written to the durable
inbox (bot/slack_inbox.py) before it is acknowledged, and worked from there.

Where answers go:
- to the person who asked: privately, through the request's response_url
  ("only visible to you"); inside the modal when they came from one, so
  nothing they wrote or were told sits in a conversation history;
- to a group: a post in its channel; to one person: their DM with the bot.

A slash command is never seen by others in Slack, so a private command
(`CommandSpec.private`) typed in a channel is handled as if said privately.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import re
import signal
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, cast

import aiohttp
import structlog
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.app import App, build_app
from bot.config import Settings, SlackSettings
from bot.slack_client import Pacer, SlackSender, Sleep, web_client
from bot.slack_inbox import Inbox
from bot.slack_render import (
    CHOICE,
    INPUT_ACTION,
    INPUT_BLOCK,
    MAX_PRIVATE_METADATA,
    MODAL,
    PRIVATE,
    REF,
    Press,
    from_slack,
    modal,
)
from handlers.core.inert import one_line
from handlers.core.messages import Address, Addressed, Message, Paragraph, from_json, to_json
from handlers.core.router import Incoming, parse
from scheduler.clock import Clock, SystemClock
from scheduler.wakeups import Wakeups
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

PLATFORM = "slack"
PATH = "/slack/events"
ACK_BUDGET = 2.0  # seconds a modal submission may take before it is answered by DM instead
SWEEP_EVERY = 30.0
NAME_TTL = 3600.0
MAX_ATTEMPTS = 20
SORRY_BUSY = (
    "Sorry, I couldn't take that just now. Nothing was changed. "
    "Please try again in a moment."
)
NOT_IN_CHANNEL = Message((
    Paragraph(
        "Done, but I couldn't post about it here because I'm not in this channel yet. "
        "Please add me with /invite @alongside, so everyone sees what I post here."
    ),
))
_TIMESTAMP = re.compile(r"^\d{1,12}$")
_NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")


class SlackSetupError(Exception):
    """The Slack settings are incomplete; the message says what to add."""


@dataclass
class Work:
    """What one Slack request asks for, as kept in the inbox while it is in flight."""

    kind: str  # command, choice, submit, message, joined
    user: str
    text: str = ""
    channel: str | None = None  # the Incoming's channel: None means privately
    conversation: str | None = None  # where in Slack it happened
    group_id: int | None = None
    response_url: str | None = None
    view_id: str | None = None  # the modal a button was pressed in
    title: str = ""  # that modal's title
    replace: bool = False  # pressed in an ephemeral message: answer in its place
    name: str | None = None  # the name Slack sent with the request, if any

    def dump(self) -> str:
        """As JSON for the inbox."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> Work:
        """From the inbox's JSON."""
        return cls(**raw)


def _is_dm(conversation: str | None) -> bool:
    return conversation is None or conversation.startswith("D")


def _merge(messages: list[Message]) -> Message:
    """Several private answers to one person as one message."""
    if len(messages) == 1:
        return messages[0]
    blocks = tuple(block for msg in messages for block in msg.blocks)
    return Message(blocks, summary=messages[0].text())


class SlackPlatform:
    """The bot on Slack: Bolt listeners, the inbox, replies and the delivery engine."""

    def __init__(
        self,
        app: App,
        client: AsyncWebClient,
        session: aiohttp.ClientSession,
        *,
        signing_secret: str | None,
        pacer: Pacer | None = None,
        sleep: Sleep = asyncio.sleep,
        backoff: float = 0.5,
        wall: Clock | None = None,
        ack_budget: float = ACK_BUDGET,
    ) -> None:
        self.app = app
        self.client = client
        self.inbox = Inbox(app.db.sessions, wall or SystemClock())
        self.sender = SlackSender(client, session, self._stash, pacer, sleep, backoff,
                                  name_of=self._name_of)
        self.engine = app.delivery(self.sender)
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.ack_budget = ack_budget
        self.bot_user: str | None = None
        self.on_change: Callable[[], None] | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._names: dict[str, tuple[str, bool, float]] = {}
        self.bolt = AsyncApp(
            client=client,
            signing_secret=signing_secret or None,
            request_verification_enabled=signing_secret is not None,
            process_before_response=True,
            name="alongside",
        )
        self.bolt.command(re.compile(r"^/"))(self._on_command)
        self.bolt.action(re.compile(f"^{CHOICE}:"))(self._on_choice)
        self.bolt.action(re.compile(f"^{PRIVATE}:"))(self._on_private_button)
        self.bolt.view(MODAL)(self._on_submit)
        self.bolt.event("member_joined_channel")(self._on_joined)
        self.bolt.event("message")(self._on_message)

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        """Learn who the bot is, finish what a previous run left undone, catch up on members."""
        who = await self.client.auth_test()
        self.bot_user = who.get("user_id")
        await self.inbox.prune(self.app.clock.now().date())
        await self.sweep()
        async with UnitOfWork(self.app.db.sessions) as uow:
            channels = [g.channel_ref for g in await uow.groups.all() if g.platform == PLATFORM]
        for channel in channels:
            try:
                await self.sync_members(channel)
            except SlackApiError as error:
                log.warning("slack.members_failed", error=error.response.get("error"))

    async def sweep(self) -> None:
        """Work every inbox row that is not done (left by a crash, or a failure)."""
        for key in await self.inbox.undone():
            await self.work(key)

    async def sweep_forever(self, every: float = SWEEP_EVERY) -> None:
        """Sweep now and then, so nothing waits for the next restart."""
        while True:
            await asyncio.sleep(every)
            try:
                await self.sweep()
                await self.inbox.prune(self.app.clock.now().date())
            except (SQLAlchemyError, OSError) as error:
                log.warning("slack.sweep_failed", error=type(error).__name__)

    async def idle(self) -> None:
        """Wait until every piece of work started by a request has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Finish what is running."""
        await self.idle()

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _stash(self, value: str) -> str:
        return await self.inbox.stash(value, self.app.clock.now().date())

    # ------------------------------------------------------------------ HTTP

    def web_app(self) -> web.Application:
        """The HTTP endpoint Slack posts to: POST /slack/events (and GET /healthz)."""
        application = web.Application(client_max_size=1024 * 1024)
        application.router.add_post(PATH, self._http)
        application.router.add_get("/healthz", self._health)
        return application

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    def _verified(self, body: bytes, headers: Mapping[str, str]) -> bool:
        if self.verifier is None:
            return True
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not _TIMESTAMP.match(timestamp) or not signature.startswith("v0="):
            return False
        try:
            return self.verifier.is_valid(body, timestamp, signature)
        except (ValueError, TypeError):
            return False

    async def _http(self, request: web.Request) -> web.StreamResponse:
        """Check the signature ourselves (any doubt: 401, never a 500), then let Bolt dispatch."""
        try:
            body = await request.read()
        except (aiohttp.ClientError, ValueError):
            return web.Response(status=400, text="unreadable request")
        if not self._verified(body, request.headers):
            log.info("slack.request_refused")
            return web.Response(status=401, text="invalid request")
        try:
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8"), query=request.query_string,
                headers={k: request.headers.getall(k) for k in request.headers},
            )
        except (UnicodeDecodeError, ValueError):
            return web.Response(status=400, text="unreadable request")
        answer = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(answer)

    # ------------------------------------------------------------------ listeners

    def _place(self, text: str, conversation: str | None, dm: bool = False) -> str | None:
        """The Incoming's channel: None in a DM, and for private commands and sub-commands
        (like /concern or /checkin pause): nobody else sees a slash command in Slack."""
        if dm or _is_dm(conversation):
            return None
        return None if self.app.router.is_private(text) else conversation

    async def _accept(self, key: str, kind: str, work: Work) -> bool:
        """Write the request down; False if it was already known."""
        return await self.inbox.add(key, kind, work.dump(), self.app.clock.now().date())

    async def _on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        name = str(body.get("command", "")).lstrip("/").lower()
        text = f"/{name} {from_slack(str(body.get('text', '')))}".strip()
        conversation = body.get("channel_id")
        dm = body.get("channel_name") == "directmessage"
        work = Work(
            kind="command", user=str(body.get("user_id")), text=text,
            channel=self._place(text, conversation, dm), conversation=conversation,
            response_url=body.get("response_url"), name=body.get("user_name"),
        )
        key = str(body.get("trigger_id") or f"command:{body.get('user_id')}:{time.time_ns()}")
        try:
            await self._accept(key, "command", work)
        except SQLAlchemyError as error:
            log.error("slack.inbox_failed", kind="command", error=type(error).__name__)
            await ack(text=SORRY_BUSY)
            return
        await ack()
        self._spawn(self.work(key))

    def _origin(self, body: dict[str, Any], press: Press, kind: str) -> Work:
        container = body.get("container") or {}
        view = body.get("view") or {}
        conversation = container.get("channel_id") or (body.get("channel") or {}).get("id")
        user = body.get("user") or {}
        return Work(
            kind=kind, user=str(user.get("id")), text=press.command,
            channel=None if view else self._place(press.command, conversation),
            conversation=conversation, group_id=press.group_id,
            response_url=body.get("response_url"),
            view_id=view.get("id") if view else None,
            title=((view.get("title") or {}).get("text") or "") if view else "",
            replace=bool(container.get("is_ephemeral")),
            name=user.get("name") or user.get("username"),
        )

    async def _press(self, body: dict[str, Any]) -> Press | None:
        actions = body.get("actions") or [{}]
        value = str(actions[0].get("value") or "")
        if value.startswith(REF):
            value = await self.inbox.unstash(value[len(REF):]) or ""
        return Press.decode(value)

    async def _on_choice(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        press = await self._press(body)
        if press is None:
            await ack()
            return
        work = self._origin(body, press, "choice")
        key = str(body.get("trigger_id") or f"choice:{work.user}:{time.time_ns()}")
        try:
            await self._accept(key, "choice", work)
        except SQLAlchemyError as error:
            log.error("slack.inbox_failed", kind="choice", error=type(error).__name__)
            await ack()
            return
        await ack()
        self._spawn(self.work(key))

    async def _on_private_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Open the form; nothing changes until it is sent, so there is nothing to record."""
        await ack()
        press = await self._press(body)
        trigger = body.get("trigger_id")
        if press is None or not trigger:
            return
        metadata = json.dumps({"c": press.command, "g": press.group_id})
        if len(metadata) > MAX_PRIVATE_METADATA:
            metadata = json.dumps({"r": await self._stash(metadata)})
        view = modal(press, metadata)
        self._spawn(self._open(trigger, view, inside=bool(body.get("view"))))

    async def _open(self, trigger: str, view: dict[str, Any], inside: bool) -> None:
        try:
            if inside:
                await self.client.views_push(trigger_id=trigger, view=view)
            else:
                await self.client.views_open(trigger_id=trigger, view=view)
        except SlackApiError as error:
            log.warning("slack.modal_failed", error=error.response.get("error"))

    async def _submitted(self, body: dict[str, Any]) -> Work | None:
        view = body.get("view") or {}
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            if "r" in meta:
                meta = json.loads(await self.inbox.unstash(str(meta["r"])) or "{}")
            command, group_id = str(meta["c"]), meta.get("g")
        except (ValueError, KeyError, TypeError):
            return None
        state = ((view.get("state") or {}).get("values") or {}).get(INPUT_BLOCK) or {}
        written = str((state.get(INPUT_ACTION) or {}).get("value") or "")
        user = body.get("user") or {}
        return Work(
            kind="submit", user=str(user.get("id")), text=f"{command} {written}".strip(),
            group_id=group_id if isinstance(group_id, int) else None,
            title=((view.get("title") or {}).get("text") or ""),
            name=user.get("name") or user.get("username"),
        )

    async def _on_submit(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Run the form's command privately; show the answer in the modal when it is quick."""
        work = await self._submitted(body)
        if work is None:
            await ack()
            return
        view = body.get("view") or {}
        key = str(body.get("trigger_id") or f"submit:{view.get('id')}:{view.get('hash')}")
        try:
            fresh = await self._accept(key, "submit", work)
            row = await self.inbox.claim(key) if fresh else None
        except SQLAlchemyError as error:
            log.error("slack.inbox_failed", kind="submit", error=type(error).__name__)
            await ack(response_action="errors", errors={INPUT_BLOCK: SORRY_BUSY})
            return
        if row is None:
            await ack()
            return
        deciding = asyncio.ensure_future(self._decide(row.key, work))
        done, _ = await asyncio.wait({deciding}, timeout=self.ack_budget)
        if not done:
            await ack()  # close the form; the answers follow by DM
            self._spawn(self._finish_after(key, deciding))
            return
        if deciding.exception() is not None:
            log.error("slack.work_failed", kind="submit",
                      error=type(deciding.exception()).__name__)
            with contextlib.suppress(SQLAlchemyError):
                await self.inbox.done(key, keep=False)  # they can send it again from the form
            await ack(response_action="errors", errors={INPUT_BLOCK: SORRY_BUSY})
            return
        replies = deciding.result()
        mine = replies[0] if replies and self._to_caller(work, replies[0]) else None
        if mine is not None:  # shown in the form, within Slack's 3 seconds: no lookups
            view = await self.sender.result_view(work.title, mine.message, ask=False)
            await self.inbox.sent(key, 1)
            await ack(response_action="update", view=view)
        else:
            await ack()
        self._spawn(self._finish(key))

    async def _on_joined(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        work = Work(kind="joined", user=str(event.get("user")),
                    conversation=event.get("channel"))
        await self._event(body, work)

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """What someone types in their DM with the bot (like !agenda); nothing else."""
        if (
            event.get("channel_type") != "im"
            or event.get("subtype")
            or event.get("bot_id")
            or not event.get("user")
            or event.get("user") == self.bot_user
            or not str(event.get("text") or "").strip()
        ):
            return
        work = Work(kind="message", user=str(event["user"]), text=from_slack(str(event["text"])),
                    conversation=event.get("channel"))
        await self._event(body, work)

    async def _event(self, body: dict[str, Any], work: Work) -> None:
        """Record an event under its event_id (a database failure answers 500: Slack retries)."""
        key = str(body.get("event_id") or f"event:{time.time_ns()}")
        if not await self._accept(key, "event", work):
            log.info("slack.event_repeated")
        self._spawn(self.work(key))

    # ------------------------------------------------------------------ working

    async def work(self, key: str) -> None:
        """Do one inbox row's work and send its replies, unless someone else holds it."""
        row = await self.inbox.claim(key)
        if row is None:
            return
        keep = row.kind == "event"
        try:
            if row.attempts > MAX_ATTEMPTS:
                log.error("slack.gave_up", kind=row.kind)
                await self.inbox.done(key, keep)
                return
            if row.status == "new":
                assert row.payload is not None
                await self._decide(key, Work.load(json.loads(row.payload)))
            await self._send_replies(key, row.attempts > 1)
        except Exception as error:  # kept undone: the next sweep tries again
            log.warning("slack.work_failed", kind=row.kind, error=type(error).__name__)
            await self.inbox.release(key)

    async def _finish(self, key: str) -> None:
        try:
            await self._send_replies(key, recheck=False)
        except Exception as error:
            log.warning("slack.work_failed", kind="submit", error=type(error).__name__)
            await self.inbox.release(key)

    async def _finish_after(self, key: str, deciding: asyncio.Future[list[Addressed]]) -> None:
        try:
            await deciding
        except Exception as error:
            log.warning("slack.work_failed", kind="submit", error=type(error).__name__)
            await self.inbox.release(key)
            return
        await self._finish(key)

    async def _decide(self, key: str, work: Work) -> list[Addressed]:
        """Run the request through the router and record its replies (first: the asker's)."""
        replies: list[Addressed] = []
        sync: str | None = None
        if work.kind == "joined":
            if work.user == self.bot_user:
                sync = work.conversation
            elif work.conversation:
                name, is_bot = await self._person(work.user, work.name)
                if not is_bot:
                    await self.app.router.join(PLATFORM, work.conversation, work.user, name,
                                               self.app.clock.now())
        else:
            name, _ = await self._person(work.user, work.name)
            group_id = work.group_id
            if group_id is None and work.channel is None and not _is_dm(work.conversation):
                group_id = await self._group_in(work.conversation, work.user, name)
            result = await self.app.handle(
                Incoming(PLATFORM, work.user, name, work.text, work.channel, group_id)
            )
            mine = [r for r in result.sent if self._to_caller(work, r)]
            others = [r for r in result.sent if not self._to_caller(work, r)]
            if mine:
                merged = Addressed(_merge([r.message for r in mine]), mine[0].address)
                replies = [merged, *others]
            else:
                replies = others
            parsed = parse(work.text)
            if parsed and parsed[0] == "group" and parsed[1].lower().startswith("setup"):
                sync = work.channel
            if self.on_change is not None:
                self.on_change()
        await self.inbox.handled(key, json.dumps({
            "work": asdict(work), "sync": sync,
            "replies": [{"m": to_json(r.message), "c": r.address.channel, "u": r.address.user}
                        for r in replies],
        }, ensure_ascii=False))
        return replies

    async def _group_in(self, channel: str | None, user: str, name: str) -> int | None:
        """A private command said in a group's channel is about that group (the person joins
        it, as anyone speaking there does, but dated by the day only: the moment would be
        when they wrote, say, a concern); None for any other channel."""
        group_id = None if channel is None else await self.app.router.group_in(PLATFORM, channel)
        if group_id is not None and channel is not None:
            today = self.app.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
            await self.app.router.join(PLATFORM, channel, user, name, today)
        return group_id

    @staticmethod
    def _to_caller(work: Work, item: Addressed) -> bool:
        return item.address.user == work.user and item.address.channel == work.channel

    async def _send_replies(self, key: str, recheck: bool) -> None:
        row = await self.inbox.get(key)
        if row is None or row.status != "handled" or row.replies is None:
            return
        data = json.loads(row.replies)
        work = Work.load(data["work"])
        items = [Addressed(from_json(r["m"]), Address(r["c"], r["u"])) for r in data["replies"]]
        reference = hashlib.sha256(key.encode()).hexdigest()[:20]  # unique, like Slack's id
        for i in range(row.sent, len(items)):
            await self._deliver(work, items[i], f"reply:{reference}:{i}",
                                recheck=recheck and i == row.sent)
            await self.inbox.sent(key, i + 1)
        if data.get("sync"):
            await self.sync_members(data["sync"])
        await self.inbox.done(key, keep=row.kind == "event")

    async def _deliver(self, work: Work, item: Addressed, key: str, recheck: bool) -> None:
        if self._to_caller(work, item):
            if work.view_id and await self.sender.update_view(
                work.view_id, await self.sender.result_view(work.title, item.message)
            ):
                return
            if work.response_url and await self.sender.respond(
                work.response_url, item.message, replace=work.replace
            ):
                return
            if item.address.channel is not None:
                await self.sender.send(item)  # ephemeral: nothing to look up afterwards
                return
        if recheck and await self.sender.already_sent(item, key):
            return
        try:
            await self.sender.send(item, key)
        except SlackApiError as error:
            if error.response.get("error") not in _NOT_THERE or not work.response_url:
                raise
            log.info("slack.not_in_channel")  # the bot must be invited to post there
            await self.sender.respond(work.response_url, NOT_IN_CHANNEL)

    # ------------------------------------------------------------------ people

    async def _name_of(self, user: str, ask: bool = True) -> str:
        """What to call someone mentioned by id: their name, or the id itself when Slack
        doesn't know it, can't be asked now (`ask` False and not known), or fails."""
        known = self._names.get(user)
        if not ask and (known is None or known[2] <= time.monotonic()):
            return user
        try:
            return one_line((await self._person(user, user))[0]) or user
        except Exception:  # a name is a nicety: never let it stop a message
            return user

    async def _person(self, user: str, fallback: str | None) -> tuple[str, bool]:
        """(display name, is a bot) from users.info, remembered for an hour."""
        known = self._names.get(user)
        if known is not None and known[2] > time.monotonic():
            return known[0], known[1]
        try:
            answer = await self.client.users_info(user=user)
        except SlackApiError as error:
            reason = error.response.get("error")
            log.info("slack.user_unknown", error=reason)
            if reason == "user_not_found":  # not someone: don't ask again for an hour
                self._names[user] = (fallback or user, False, time.monotonic() + NAME_TTL)
            return fallback or user, False
        info = answer.get("user") or {}
        profile = info.get("profile") or {}
        name = str(profile.get("display_name") or info.get("real_name")
                   or profile.get("real_name") or info.get("name") or fallback or user)
        is_bot = bool(info.get("is_bot") or info.get("deleted") or user == "USLACKBOT")
        self._names[user] = (name, is_bot, time.monotonic() + NAME_TTL)
        return name, is_bot

    async def sync_members(self, channel: str) -> None:
        """Everyone in a group's channel becomes a member of the group."""
        cursor: str | None = None
        members: list[str] = []
        while True:
            answer = await self.client.conversations_members(
                channel=channel, limit=200, cursor=cursor
            )
            page: list[str] = answer.get("members", [])
            members += [str(m) for m in page]
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        for member in members:
            if member == self.bot_user:
                continue
            name, is_bot = await self._person(member, None)
            if is_bot:
                continue
            if not await self.app.router.join(PLATFORM, channel, member, name,
                                              self.app.clock.now()):
                return  # not a group (any more)
        log.info("slack.members_synced", count=len(members))


# ---------------------------------------------------------------------- running


def check_settings(settings: Settings) -> None:
    """Refuse to start without what Slack needs, saying plainly what is missing."""
    slack = settings.slack
    missing = []
    if not slack.bot_token:
        missing.append("ALONGSIDE_SLACK__BOT_TOKEN (the Bot User OAuth Token, xoxb-...)")
    if not slack.app_token and not slack.signing_secret:
        missing.append(
            "ALONGSIDE_SLACK__SIGNING_SECRET (Basic Information > Signing Secret), "
            "or ALONGSIDE_SLACK__APP_TOKEN (xapp-...) for Socket Mode"
        )
    if missing:
        raise SlackSetupError("Slack needs " + " and ".join(missing) + ". See README: Slack.")


async def listen(platform: SlackPlatform, slack: SlackSettings) -> Callable[[], Awaitable[None]]:
    """Start taking requests from Slack: Socket Mode with an app token (no public URL
    needed), else HTTP on host:port at /slack/events. Returns what stops it."""
    if slack.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(platform.bolt, slack.app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack.started", mode="socket")
        return cast(Callable[[], Awaitable[None]], handler.close_async)
    runner = web.AppRunner(platform.web_app(), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, slack.host, slack.port).start()
    log.info("slack.started", mode="http", port=slack.port)
    return runner.cleanup


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run alongside on Slack until stopped (SIGINT/SIGTERM, or `stop` being set)."""
    check_settings(settings)
    slack = settings.slack
    assert slack.bot_token is not None
    clock = SystemClock()
    app = await build_app(settings.database_url, clock)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    cleanup: list[Callable[[], Any]] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
            cleanup.append(functools.partial(loop.remove_signal_handler, signum))
    session = aiohttp.ClientSession()
    try:
        client = web_client(slack.bot_token, session, base_url=slack.api_url)
        platform = SlackPlatform(
            app, client, session, signing_secret=None if slack.app_token else slack.signing_secret
        )
        try:
            await platform.start()
        except SlackApiError as error:
            raise SlackSetupError(
                f"Slack didn't accept the bot token ({error.response.get('error')}). "
                "Please check ALONGSIDE_SLACK__BOT_TOKEN (xoxb-...) and that the app is installed."
            ) from None
        wakeups = Wakeups(platform.engine, clock)
        platform.on_change = wakeups.poke
        await wakeups.start()
        cleanup.append(wakeups.stop)
        sweeper = asyncio.ensure_future(platform.sweep_forever())
        cleanup.append(sweeper.cancel)
        cleanup.append(await listen(platform, slack))
        await stop.wait()
        cleanup.append(platform.close)
    finally:
        for step in reversed(cleanup):
            outcome = step()
            if asyncio.iscoroutine(outcome):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(outcome, timeout=10)
        await session.close()
        await app.close()
