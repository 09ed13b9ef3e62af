"""Adding the app to a Slack workspace ("Add to Slack"), for a deployment serving several.

GET /slack/install sends the browser to Slack's consent page with a fresh `state`
(kept in the database, and in a cookie, so only the browser that started may finish);
Slack sends it back to GET /slack/oauth_redirect with a `code`, which Bolt's OAuth
flow trades for the workspace's bot token (oauth.v2.access, through the same Web API
address as everything else) and keeps in our database (installations.py). Both pages
are on the same listener as /slack/events. A cancelled or failed install gets a short
page saying what to do, and changes nothing.
"""

from __future__ import annotations

import html
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackSettings
from bot.platforms.slack.http import PATH
from bot.platforms.slack.installations import Installations, States, Store
from bot.platforms.slack.manifest import SCOPES

INSTALLED = (
    "alongside is now in your Slack workspace.",
    "Go back to Slack and add it to your group's channel with /invite @alongside.",
    "Then type /help there to see what it can do.",
)
CANCELLED = (
    "You didn't add alongside to Slack. Nothing was changed.",
    "If you want to add it later, start again here:",
)
EXPIRED = (
    "This link has run out, or was opened in a different browser. Nothing was changed.",
    "Please start again here, in the browser you use for Slack:",
)
FAILED = (
    "Slack didn't finish adding alongside. Nothing was changed.",
    "Please wait a minute, then try again here:",
    "If it still goes wrong, tell the person who set up alongside for you.",
)


def oauth_problem(slack: SlackSettings) -> str | None:
    """What stops serving several workspaces with these settings, in plain words."""
    if not (slack.client_id and slack.client_secret):
        return (
            "To serve several workspaces, Slack needs both ALONGSIDE_SLACK__CLIENT_ID and "
            "ALONGSIDE_SLACK__CLIENT_SECRET (Basic Information > App Credentials)."
        )
    if slack.bot_token:
        return (
            "ALONGSIDE_SLACK__BOT_TOKEN is for one workspace. ALONGSIDE_SLACK__CLIENT_ID and "
            "ALONGSIDE_SLACK__CLIENT_SECRET are for several. Please set only one of them."
        )
    if not slack.signing_secret:
        return (
            "To serve several workspaces, Slack needs ALONGSIDE_SLACK__SIGNING_SECRET "
            "(Basic Information > Signing Secret)."
        )
    if slack.app_token:
        return (
            "Several workspaces are served over HTTP, where the install page is. "
            "Please remove ALONGSIDE_SLACK__APP_TOKEN (Socket Mode)."
        )
    paths = (slack.install_path, slack.redirect_path)
    if any(not p.startswith("/") or p == PATH for p in paths) or len(set(paths)) < 2:
        return (
            "ALONGSIDE_SLACK__INSTALL_PATH and ALONGSIDE_SLACK__REDIRECT_PATH must be two "
            f"different paths starting with /, other than {PATH}."
        )
    return None


class Installer:
    """The install and redirect pages, over Bolt's OAuth flow."""

    def __init__(
        self,
        slack: SlackSettings,
        installations: Installations,
        session: aiohttp.ClientSession,
        public_url: str | None = None,
    ) -> None:
        options: dict[str, Any] = {"base_url": slack.api_url} if slack.api_url else {}
        redirect = public_url.rstrip("/") + slack.redirect_path if public_url else None
        self.install_path = slack.install_path
        self.redirect_path = slack.redirect_path
        self.flow = AsyncOAuthFlow(
            client=AsyncWebClient(session=session, timeout=30, **options),
            settings=AsyncOAuthSettings(
                client_id=slack.client_id,
                client_secret=slack.client_secret,
                scopes=list(slack.scopes if slack.scopes is not None else SCOPES),
                redirect_uri=redirect,
                install_path=slack.install_path,
                install_page_rendering_enabled=False,
                redirect_uri_path=slack.redirect_path,
                callback_options=AsyncCallbackOptions(self._installed, self._failed),
                installation_store=Store(installations),
                installation_store_bot_only=True,
                state_store=States(installations.sessions),
            ),
        )

    def add_routes(self, application: web.Application) -> None:
        """GET the install page and the redirect page."""
        application.router.add_get(self.install_path, self._install)
        application.router.add_get(self.redirect_path, self._redirect)

    async def _install(self, request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await self.flow.handle_installation(_bolt(request)))

    async def _redirect(self, request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await self.flow.handle_callback(_bolt(request)))

    async def _installed(self, args: AsyncSuccessArgs) -> BoltResponse:
        return self._page(200, INSTALLED, link=False)

    async def _failed(self, args: AsyncFailureArgs) -> BoltResponse:
        if args.reason == "access_denied":
            return self._page(200, CANCELLED)
        if args.reason in ("invalid_state", "invalid_browser"):
            return self._page(args.suggested_status_code, EXPIRED)
        return self._page(args.suggested_status_code, FAILED)

    def _page(self, status: int, lines: tuple[str, ...], link: bool = True) -> BoltResponse:
        """A short page in plain words (with a link to start again), clearing the state cookie."""
        paragraphs = [f"<p>{html.escape(line, quote=False)}</p>" for line in lines]
        if link:
            where = html.escape(self.install_path)
            paragraphs.insert(2, f'<p><a href="{where}">Add alongside to Slack</a></p>')
        body = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>alongside</title></head><body>" + "".join(paragraphs) + "</body></html>"
        )
        cookie = self.flow.settings.state_utils.build_set_cookie_for_deletion()
        headers = {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": [cookie]}
        return BoltResponse(status=status, body=body, headers=headers)


def _bolt(request: web.Request) -> AsyncBoltRequest:
    """The browser's GET as Bolt's request (its query and cookies are what count)."""
    return AsyncBoltRequest(
        body="",
        query=request.query_string,
        headers={k: request.headers.getall(k) for k in request.headers},
    )
