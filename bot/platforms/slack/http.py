"""How requests reach the app: HTTP at /slack/events (signatures checked here), or
Socket Mode with an app token (no public address needed)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import cast

import aiohttp
import structlog
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.config import SlackSettings

log = structlog.get_logger(__name__)

PATH = "/slack/events"
_TIMESTAMP = re.compile(r"^\d{1,12}$")

Stop = Callable[[], Awaitable[None]]


class Endpoint:
    """The HTTP endpoint Slack posts to: POST /slack/events (and GET /healthz)."""

    def __init__(self, bolt: AsyncApp, signing_secret: str | None) -> None:
        self.bolt = bolt
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def web_app(self) -> web.Application:
        """The aiohttp application serving the endpoint."""
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
                body=body.decode("utf-8"),
                query=request.query_string,
                headers={k: request.headers.getall(k) for k in request.headers},
            )
        except (UnicodeDecodeError, ValueError):
            return web.Response(status=400, text="unreadable request")
        answer = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(answer)


async def listen(endpoint: Endpoint, slack: SlackSettings) -> Stop:
    """Start taking requests from Slack: Socket Mode with an app token (no public URL
    needed), else HTTP on host:port at /slack/events. Returns what stops it."""
    if slack.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(endpoint.bolt, slack.app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack.started", mode="socket")
        return cast(Stop, handler.close_async)
    runner = web.AppRunner(endpoint.web_app(), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, slack.host, slack.port).start()
    log.info("slack.started", mode="http", port=slack.port)
    return runner.cleanup
