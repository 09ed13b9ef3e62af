"""One deployment, several Slack workspaces: each speaks to Slack with its own bot token.

- `TeamClient` is the Web API client the platform uses: each call goes out with the
  bot token of the workspace in hand (bot/platforms/slack/team.py).
- `Workspaces` knows which workspace a scheduled message is for: a group's channel
  belongs to the workspace it was set up in (`groups.workspace`); a person to the
  workspace of their groups. Slack's channel and user ids are unique across
  workspaces, so groups and people keep their ids; the workspace only picks the token.
- `WorkspaceSender` is the delivery engine's sender: it sends each message as its
  workspace's bot, and refuses (`Unreachable`: recorded, never retried) anything for a
  workspace that removed the app, so nothing goes out with another workspace's token.
- `Uninstalls` listens for `app_uninstalled` and `tokens_revoked`: the workspace's
  token is deleted at once; its groups and records stay for their retention period.
  Installing the app again there resumes sending for what falls due after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.platforms.slack.installations import Installations
from bot.platforms.slack.team import current_team, in_team
from bot.platforms.slack.work import PLATFORM, Tasks, is_dm
from handlers.core.messages import Address, Addressed
from scheduler.delivery import Sender, Unreachable
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

#: What Slack answers when a workspace's token no longer works.
REVOKED = frozenset({"token_revoked", "account_inactive", "invalid_auth", "not_authed"})


class WorkspaceGone(Unreachable):
    """The app is not installed in that workspace (any more): nothing can be sent there."""


class TeamClient(AsyncWebClient):
    """The Web API client speaking as the bot of the workspace in hand."""

    def __init__(self, installations: Installations, **options: Any) -> None:
        self.installations = installations
        super().__init__(**options)

    @property
    def token(self) -> str | None:
        """The bot token of the workspace in hand (looked up by `api_call` first)."""
        found = self.installations.known(current_team())
        if found is None:
            raise WorkspaceGone(f"alongside is not installed in workspace {current_team()}")
        return found.token

    @token.setter
    def token(self, value: str | None) -> None:
        """Tokens come from the installations; one given to the client is not used."""

    async def api_call(self, api_method: str, **options: Any) -> AsyncSlackResponse:
        """One Web API call, as the workspace's bot."""
        if await self.installations.bot(current_team()) is None:
            raise WorkspaceGone(f"alongside is not installed in workspace {current_team()}")
        return await super().api_call(api_method, **options)


class Workspaces:
    """Which workspace a channel or person belongs to (remembered once found)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._channels: dict[str, str] = {}
        self._people: dict[str, str] = {}
        self._noted: set[str] = set()  # channels a request came from since the start
        self._tasks: Tasks | None = None  # where noting runs (set by `register`)

    def register(self, bolt: AsyncApp, tasks: Tasks) -> None:
        """Note the workspace of each channel requests come from, once a process (in the
        background: a group set up before there were several workspaces gets its own)."""

        self._tasks = tasks

        async def seen(context: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> None:
            self.seen(context.get("team_id"), context.get("channel_id"))
            await next()

        bolt.use(seen)

    def seen(self, team: str | None, channel: str | None) -> None:
        """A request came from this workspace's channel: note it (once a process, in the
        background), so a group set up before there were several workspaces gets its own."""
        if team and channel and not is_dm(channel) and channel not in self._noted:
            self._noted.add(channel)
            if self._tasks is not None:
                self._tasks.spawn(self._claim_quietly(channel, team))

    async def _claim_quietly(self, channel: str, team: str) -> None:
        try:
            await self.claim(channel, team)
        except SQLAlchemyError as error:
            self._noted.discard(channel)  # noted again with the next request
            log.warning("slack.workspace_not_noted", error=type(error).__name__)

    async def of(self, address: Address) -> str | None:
        """The workspace a message to this address is for; None if that isn't known."""
        if address.channel is not None and not is_dm(address.channel):
            return await self._of_channel(address.channel)
        if address.user is not None:
            return await self._of_person(address.user)
        return None

    async def claim(self, channel: str, team: str) -> None:
        """A group's channel is in this workspace (set once, when the group is set up or
        its members are first added)."""
        async with UnitOfWork(self.sessions) as uow:
            await uow.slack_installs.claim_channel(PLATFORM, channel, team)
            await uow.commit()

    async def _of_channel(self, channel: str) -> str | None:
        found = self._channels.get(channel)
        if found is None:
            async with UnitOfWork(self.sessions) as uow:
                found = await uow.slack_installs.workspace_of_channel(PLATFORM, channel)
            if found is not None:
                self._channels[channel] = found
        return found

    async def _of_person(self, user: str) -> str | None:
        found = self._people.get(user)
        if found is None:
            async with UnitOfWork(self.sessions) as uow:
                found = await uow.slack_installs.workspace_of_person(PLATFORM, user)
            if found is not None:
                self._people[user] = found
        return found


class WorkspaceSender:
    """The delivery engine's sender: each message as its own workspace's bot."""

    def __init__(
        self, sender: Sender, workspaces: Workspaces, installations: Installations
    ) -> None:
        self.sender = sender
        self.workspaces = workspaces
        self.installations = installations

    async def send(self, item: Addressed, key: str) -> None:
        """Send one delivery as its workspace's bot (`Unreachable` if it has none)."""
        team = await self._team(item)
        with in_team(team):
            try:
                await self.sender.send(item, key)
            except SlackApiError as error:
                await self._check(team, error)
                raise

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether it went out already, asking as its workspace's bot."""
        team = await self._team(item)
        with in_team(team):
            try:
                return await self.sender.already_sent(item, key)
            except SlackApiError as error:
                await self._check(team, error)
                raise

    async def _team(self, item: Addressed) -> str:
        team = await self.workspaces.of(item.address)
        if team is None:
            raise WorkspaceGone("the workspace of this message is not known")
        if await self.installations.bot(team) is None:
            raise WorkspaceGone(f"alongside is not installed in workspace {team}")
        return team

    async def _check(self, team: str, error: SlackApiError) -> None:
        """Slack refused the token: if the app was removed there (seen by another
        instance, say), nothing more is sent; otherwise the send is tried again later."""
        if error.response.get("error") not in REVOKED:
            return
        self.installations.forget(team)
        if await self.installations.bot(team) is None:
            raise WorkspaceGone(f"alongside was removed from workspace {team}") from error


class Uninstalls:
    """`app_uninstalled` and `tokens_revoked`: stop speaking to that workspace."""

    def __init__(self, installations: Installations) -> None:
        self.installations = installations

    def register(self, bolt: AsyncApp) -> None:
        """Listen for the app being removed, or its bot token revoked."""
        bolt.event("app_uninstalled")(self._on_uninstalled)
        bolt.event("tokens_revoked")(self._on_revoked)

    async def _on_uninstalled(self, body: dict[str, Any]) -> None:
        team = body.get("team_id")
        if isinstance(team, str) and team:
            await self.installations.uninstalled(team)

    async def _on_revoked(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        team = body.get("team_id")
        bots = (event.get("tokens") or {}).get("bot") or []
        if isinstance(team, str) and team and bots:  # user tokens: the app keeps none
            await self.installations.uninstalled(team)


def bare_client(client: AsyncWebClient) -> AsyncWebClient:
    """A client on the same session and address with no token, for Bolt: it makes each
    request's client itself, with the token its `authorize` finds."""
    return AsyncWebClient(session=client.session, base_url=client.base_url, timeout=client.timeout)
