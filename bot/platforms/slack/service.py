"""Slack as the runtime runs it: settings checked first, one Web API session, the platform,
its inbox sweeper and the way requests come in (HTTP or Socket Mode)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable

import aiohttp
from slack_sdk.errors import SlackApiError

from bot import runtime
from bot.app import App
from bot.config import Settings, SlackSettings
from bot.health import DEFAULT_PORT, port_for
from bot.platforms.effects import Wake
from bot.platforms.slack.http import Stop, listen
from bot.platforms.slack.installations import Installations
from bot.platforms.slack.naming import CommandNaming
from bot.platforms.slack.oauth import Installer, oauth_problem
from bot.platforms.slack.platform import SlackPlatform
from bot.platforms.slack.retries import web_client
from scheduler.delivery import DeliveryEngine

#: How long each step of stopping may take.
STEP_SECONDS = 10.0


class SlackSetupError(Exception):
    """The Slack settings are incomplete or refused; the message says what to change."""


def check_settings(settings: Settings) -> None:
    """Refuse to start without what Slack needs, saying plainly what is missing."""
    slack = settings.slack
    problem = oauth_problem(slack) if slack.client_id or slack.client_secret else None
    if problem:
        raise SlackSetupError(problem)
    missing = []
    if not slack.bot_token and not slack.oauth:
        missing.append(
            "ALONGSIDE_SLACK__BOT_TOKEN (the Bot User OAuth Token, xoxb-...) for one workspace, "
            "or ALONGSIDE_SLACK__CLIENT_ID and ALONGSIDE_SLACK__CLIENT_SECRET for several"
        )
    if not slack.app_token and not slack.signing_secret:
        missing.append(
            "ALONGSIDE_SLACK__SIGNING_SECRET (Basic Information > Signing Secret), "
            "or ALONGSIDE_SLACK__APP_TOKEN (xapp-...) for Socket Mode"
        )
    if missing:
        raise SlackSetupError("Slack needs " + " and ".join(missing) + ". See README: Slack.")
    naming = CommandNaming.from_settings(slack).problem()
    if naming:
        raise SlackSetupError(naming)


class SlackService:
    """The Slack platform with its own Web API session, sweeper and listener."""

    def __init__(self, app: App, slack: SlackSettings, public_url: str | None = None) -> None:
        """One bot token (one workspace), or OAuth (several: `slack.oauth`)."""
        self.slack = slack
        self.session = aiohttp.ClientSession()
        installations = Installations(app.db.sessions) if slack.oauth else None
        client = web_client(
            slack.bot_token,
            self.session,
            base_url=slack.api_url,
            metrics=app.metrics,
            installations=installations,
        )
        self.platform = SlackPlatform(
            app,
            client,
            self.session,
            signing_secret=None if slack.app_token else slack.signing_secret,
            naming=CommandNaming.from_settings(slack),
            installations=installations,
            installer=(
                None
                if installations is None
                else Installer(slack, installations, self.session, public_url)
            ),
        )
        app.health.platform = self.platform.endpoint.connected
        self._sweeper: asyncio.Future[None] | None = None
        self._stop_listening: Stop | None = None

    @property
    def engine(self) -> DeliveryEngine:
        """The delivery engine posting to Slack."""
        return self.platform.engine

    async def start(self, wake: Wake) -> None:
        """Check the token, finish what a previous run left, then take requests."""
        self.platform.worker.wake = wake
        try:
            await self.platform.start()
        except SlackApiError as error:
            raise SlackSetupError(
                f"Slack didn't accept the bot token ({error.response.get('error')}). "
                "Please check ALONGSIDE_SLACK__BOT_TOKEN (xoxb-...) and that the app is installed."
            ) from None
        self._sweeper = asyncio.ensure_future(self.platform.sweep_forever())
        self._stop_listening = await listen(self.platform.endpoint, self.slack)

    async def wait(self) -> None:
        """Slack's side never stops by itself: wait until the runtime stops it."""
        await asyncio.Event().wait()

    async def stop(self) -> None:
        """Take no more requests, stop sweeping, finish the work in hand, close the session."""
        if self._stop_listening is not None:
            await _step(self._stop_listening())
        if self._sweeper is not None:
            self._sweeper.cancel()
        await _step(self.platform.close())
        await self.session.close()


async def _step(step: Awaitable[None]) -> None:
    """One step of stopping: bounded in time, and never stopping the rest."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(step, timeout=STEP_SECONDS)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run alongside on Slack until stopped (SIGINT/SIGTERM, or `stop` being set)."""
    check_settings(settings)
    # Over HTTP, Slack's own port serves health and metrics too; a port of their own only if set.
    port = port_for(settings.health, DEFAULT_PORT if settings.slack.app_token else None)
    await runtime.serve(
        settings.database_url,
        lambda app: SlackService(app, settings.slack, settings.public_url),
        stop,
        listen=(settings.health.host, port) if port is not None else None,
        instances=settings.instances,
    )
