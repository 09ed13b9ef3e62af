"""The Slack platform: a slack-bolt AsyncApp over HTTP (or Socket Mode).

What people do in Slack becomes the same `Incoming` the console makes; what the
bot answers is rendered to Block Kit (render.py) and sent by `SlackSender`
(sender.py). Every request is written to the durable inbox (inbox.py) by the
listeners (listeners.py) before it is acknowledged, and worked from there
(worker.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import structlog
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.app import App
from bot.platforms.delivered import Telling
from bot.platforms.slack.home import HomeTab
from bot.platforms.slack.http import Endpoint, OnCommand
from bot.platforms.slack.inbox import Inbox
from bot.platforms.slack.installations import Installations, bolt_authorize
from bot.platforms.slack.listeners import ACK_BUDGET, Listeners
from bot.platforms.slack.naming import DEFAULT_NAMING, CommandNaming
from bot.platforms.slack.oauth import Installer
from bot.platforms.slack.pacing import Pacer
from bot.platforms.slack.people import People
from bot.platforms.slack.retries import Sleep
from bot.platforms.slack.sender import SlackSender
from bot.platforms.slack.team import in_team
from bot.platforms.slack.work import PLATFORM, Tasks, Turns
from bot.platforms.slack.worker import Worker
from bot.platforms.slack.workspaces import Uninstalls, Workspaces, WorkspaceSender, bare_client
from scheduler.clock import Clock, SystemClock
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

SWEEP_EVERY = 30.0
#: Said to someone whose workspace removed the app (several workspaces).
NOT_INSTALLED = (
    "alongside isn't in this Slack workspace any more, so nothing was changed. "
    "Someone who manages your Slack can add it again."
)
#: Acknowledged requests worked at once when no request is waiting for its
#: acknowledgement: enough to keep Slack's Web API busy.
WORKING_AT_ONCE = 8


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
        naming: CommandNaming = DEFAULT_NAMING,
        installations: Installations | None = None,
        installer: Installer | None = None,
    ) -> None:
        """With `installations`, several workspaces (OAuth): `client` is then a `TeamClient`,
        and `installer` serves the install pages."""
        self.app = app
        self.client = client
        self.installations = installations
        self.workspaces = Workspaces(app.db.sessions)
        self.inbox = Inbox(app.db.sessions, wall or SystemClock())
        self.people = People(app, client)
        if installations is not None:
            self.people.bots = installations.bot_user
            self.people.claim = self.workspaces.claim
        self.sender = SlackSender(
            client,
            session,
            self._stash,
            pacer,
            sleep,
            backoff,
            name_of=self.people.name_of,
            shown=naming.shown(app.catalog.commands),
        )
        self.turns = Turns(WORKING_AT_ONCE)
        self.tasks = Tasks()
        self.home = HomeTab(app, client, self.sender, self.tasks)
        telling = Telling(self.sender, self.home.delivered)
        self.engine = app.delivery(
            telling
            if installations is None
            else WorkspaceSender(telling, self.workspaces, installations)
        )
        self.worker = Worker(app, self.inbox, self.sender, self.people, self.turns)
        self.bolt = AsyncApp(
            client=client if installations is None else bare_client(client),
            signing_secret=signing_secret or None,
            request_verification_enabled=signing_secret is not None,
            process_before_response=True,
            name="alongside",
            authorize=None if installations is None else bolt_authorize(installations),
            user_facing_authorize_error_message=NOT_INSTALLED,
        )
        if installations is not None:
            Uninstalls(installations).register(self.bolt)
            self.workspaces.register(self.bolt, self.tasks)
        listeners = Listeners(
            app,
            client,
            self.inbox,
            self.worker,
            self.people,
            self.sender,
            self.tasks,
            ack_budget,
            naming,
        )
        listeners.register(self.bolt)
        self.home.register(self.bolt)
        self.worker.after = self.home.after
        self.endpoint = Endpoint(
            self.bolt,
            signing_secret,
            app.health,
            app.metrics,
            self.turns,
            app.feed,
            None if installer is None else installer.add_routes,
            on_command=listeners.on_command
            if installations is None
            else _in_workspace(installations, self.workspaces, listeners.on_command),
        )

    async def start(self) -> None:
        """Learn who the bot is, finish what a previous run left undone, catch up on members."""
        if self.installations is None:
            await self.people.learn_who_i_am()
        await self.inbox.prune(self.app.clock.now().date())
        await self.sweep()
        async with UnitOfWork(self.app.db.sessions) as uow:
            channels = await uow.slack_installs.groups_by_workspace(PLATFORM)
        for channel, team in channels:
            if self.installations is not None and await self.installations.bot(team) is None:
                continue  # not installed there (any more): nothing to catch up on
            try:
                with in_team(team):
                    await self.people.sync_members(channel)
            except SlackApiError as error:
                log.warning("slack.members_failed", error=error.response.get("error"))

    async def sweep(self) -> None:
        """Work every inbox row that is not done (left by a crash, or a failure)."""
        for key in await self.inbox.undone():
            await self.worker.work(key)

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
        await self.tasks.idle()

    async def close(self) -> None:
        """Finish what is running."""
        await self.idle()
        self.inbox.close()

    def web_app(self) -> web.Application:
        """The HTTP endpoint Slack posts to: POST /slack/events (and health and metrics)."""
        return self.endpoint.web_app()

    async def _stash(self, value: str) -> str:
        return await self.inbox.stash(value, self.app.clock.now().date())


def _in_workspace(
    installations: Installations, workspaces: Workspaces, on_command: OnCommand
) -> OnCommand:
    """With several workspaces, a slash command that skips Bolt's dispatch is still
    authorised: it is worked as its workspace's (its token from memory), and one from a
    workspace that removed the app gets the same kind answer Bolt gives, changing nothing."""

    async def command(ack: AsyncAck, body: dict[str, Any]) -> None:
        found = await installations.bot(body.get("team_id"))
        if found is None:
            await ack(text=NOT_INSTALLED)
            return
        workspaces.seen(found.team_id, body.get("channel_id"))
        with in_team(found.team_id):
            await on_command(ack, body)

    return command
