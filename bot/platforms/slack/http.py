"""How requests reach the app: HTTP at /slack/events (signatures checked here), or
Socket Mode with an app token (no public address needed).

Over HTTP a slash command, the request that comes in bursts, goes straight to its
listener once its signature is checked: Bolt's dispatch (its own second signature check,
authorization, matching every listener in turn) would cost more than writing the
request down. Everything else goes through Bolt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast
from urllib.parse import parse_qsl

import aiohttp
import structlog
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.calendar_feed import CalendarFeed
from bot.config import SlackSettings
from bot.health import Health, add_routes
from bot.metrics import Metrics
from bot.platforms.slack.work import Turns

log = structlog.get_logger(__name__)

PATH = "/slack/events"
WINDOW = 5 * 60  # seconds a Slack signature stays valid
_TIMESTAMP = re.compile(r"^\d{1,12}$")
#: Parts of a request body that Slack always sends as objects, when it sends them.
_OBJECTS = ("event", "view", "user", "container", "channel", "team", "message")

Stop = Callable[[], Awaitable[None]]
#: Takes a slash command (its form fields) and acknowledges it.
OnCommand = Callable[[AsyncAck, dict[str, Any]], Awaitable[None]]


class Endpoint:
    """The HTTP endpoint Slack posts to: POST /slack/events (and GET /healthz, /readyz,
    /metrics and members' private calendar links)."""

    def __init__(
        self,
        bolt: AsyncApp,
        signing_secret: str | None,
        health: Health,
        metrics: Metrics,
        turns: Turns,
        feed: CalendarFeed | None = None,
        more_routes: Callable[[web.Application], None] | None = None,
        on_command: OnCommand | None = None,
    ) -> None:
        self.bolt = bolt
        #: Where slash commands go without Bolt's dispatch (None: through Bolt).
        self.on_command = on_command
        self.feed = feed
        self.more_routes = more_routes  # the install pages, with several workspaces
        #: Told when a request is being answered, so work already acknowledged waits.
        self.turns = turns
        self.secret = signing_secret.encode() if signing_secret else None
        self.health = health
        self.metrics = metrics
        #: Set by `listen`: the HTTP server is up, or the Socket Mode client in use.
        self.serving = False
        self.socket: Any = None

    def web_app(self) -> web.Application:
        """The aiohttp application serving the endpoint."""
        application = web.Application(client_max_size=1024 * 1024)
        application.router.add_post(PATH, self._http)
        add_routes(application, self.health, self.metrics, self.feed)
        if self.more_routes is not None:
            self.more_routes(application)
        return application

    async def connected(self) -> str | None:
        """Why requests can't reach us (no server, Socket Mode not connected), or None."""
        if self.socket is not None:
            return None if await self.socket.is_connected() else "Socket Mode not connected"
        return None if self.serving else "not listening"

    def _verified(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """Slack's v0 signature over the bytes as sent (whatever they hold), made within
        the last five minutes."""
        if self.secret is None:
            return True
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not _TIMESTAMP.match(timestamp) or abs(time.time() - int(timestamp)) > WINDOW:
            return False
        signed = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self.secret, signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))

    async def _http(self, request: web.Request) -> web.StreamResponse:
        """Answer a request from Slack (before any work already acknowledged)."""
        with self.turns.acknowledge():
            return await self._answer(request)

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        """Check the signature ourselves (any doubt: 401, never a 500); a signed body that
        isn't text or can't be read: 400. Then a slash command goes to its listener, and
        anything else to Bolt."""
        try:
            body = await request.read()
        except (aiohttp.ClientError, ValueError):
            return web.Response(status=400, text="unreadable request")
        if not self._verified(body, request.headers):
            log.info("slack.request_refused")
            return web.Response(status=401, text="invalid request")
        try:
            text = body.decode("utf-8")
        except ValueError:
            return web.Response(status=400, text="unreadable request")
        command = _slash_command(text, request.headers.get("Content-Type", ""))
        if command is not None and self.on_command is not None:
            if not _well_formed(command):
                return web.Response(status=400, text="unreadable request")
            ack = AsyncAck()  # type: ignore[no-untyped-call]
            await self.on_command(ack, command)
            return await to_aiohttp_response(ack.response or BoltResponse(status=200))
        try:
            bolt_request = AsyncBoltRequest(
                body=text,
                query=request.query_string,
                headers={k: request.headers.getall(k) for k in request.headers},
            )
        except (ValueError, AttributeError, TypeError):  # not UTF-8, not JSON, not an object
            return web.Response(status=400, text="unreadable request")
        if not _well_formed(bolt_request.body):
            return web.Response(status=400, text="unreadable request")
        answer = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(answer)


def _slash_command(text: str, content_type: str) -> dict[str, str] | None:
    """A slash command's form fields, as Bolt would read them; None for anything else
    (JSON, an interaction's payload, Slack's SSL check)."""
    if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
        return None
    if "command=" not in text:
        return None
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "command" not in fields or "payload" in fields or "ssl_check" in fields:
        return None
    return fields


def _well_formed(body: Any) -> bool:
    """Whether a request's body has the shape Slack gives it: an object whose parts are
    objects where Slack sends those, and a button press's actions a list of them."""
    if not isinstance(body, dict):
        return False
    if any(not isinstance(body.get(part), dict | None) for part in _OBJECTS):
        return False
    if body.get("type") != "block_actions":
        return True
    actions = body.get("actions")
    return (
        isinstance(actions, list)
        and bool(actions)
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    )


async def listen(endpoint: Endpoint, slack: SlackSettings) -> Stop:
    """Start taking requests from Slack: Socket Mode with an app token (no public URL
    needed), else HTTP on host:port at /slack/events. Returns what stops it."""
    if slack.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(endpoint.bolt, slack.app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        endpoint.socket = handler.client
        log.info("slack.started", mode="socket")
        return cast(Stop, handler.close_async)
    runner = web.AppRunner(endpoint.web_app(), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, slack.host, slack.port).start()
    endpoint.serving = True
    log.info("slack.started", mode="http", port=slack.port)

    async def stop() -> None:
        endpoint.serving = False
        await runner.cleanup()

    return stop
