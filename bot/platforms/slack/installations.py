"""Which Slack workspaces have the app, and with which bot token (several-workspaces mode).

Installations are rows of our own database (storage/models/slack_installs.py),
written by Bolt's OAuth flow through `Store` (a Bolt `AsyncInstallationStore`)
and read through `Installations`, which keeps each workspace's bot in memory: a
request's authorisation costs a dictionary look-up, not a database read.
Removing the app from a workspace (or revoking its token) deletes the row and
drops the memory of it at once.

The install `state` is kept in the database too (`States`), so the redirect may
reach another instance, or arrive after a restart.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import structlog
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.error import BoltError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot as SlackBot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.platforms.slack.team import use_team
from storage.models import SlackInstallation
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

#: Seconds a workspace found not installed is remembered as such (a reinstall through
#: another instance is seen after this long).
NOT_INSTALLED_TTL = 60.0
STATE_SECONDS = 600


@dataclass(frozen=True)
class WorkspaceBot:
    """The app's bot in one workspace."""

    team_id: str
    token: str
    bot_id: str | None
    user_id: str | None


class Installations:
    """Each workspace's bot, from the database once, then from memory."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._bots: dict[str, WorkspaceBot] = {}
        self._absent: dict[str, float] = {}  # team -> until when it is known not installed

    def known(self, team_id: str | None) -> WorkspaceBot | None:
        """The workspace's bot if it is in memory (no database read)."""
        return None if team_id is None else self._bots.get(team_id)

    def bot_user(self, team_id: str | None) -> str | None:
        """The bot's own user id in a workspace, if it is in memory."""
        found = self.known(team_id)
        return None if found is None else found.user_id

    async def bot(self, team_id: str | None) -> WorkspaceBot | None:
        """The workspace's bot, or None if the app is not installed there."""
        if team_id is None:
            return None
        found = self._bots.get(team_id)
        if found is not None or self._absent.get(team_id, 0.0) > time.monotonic():
            return found
        async with UnitOfWork(self.sessions) as uow:
            row = await uow.slack_installs.bot(team_id)
        if row is None:
            self._absent[team_id] = time.monotonic() + NOT_INSTALLED_TTL
            return None
        found = WorkspaceBot(row.team_id, row.bot_token, row.bot_id, row.bot_user_id)
        self._bots[team_id] = found
        self._absent.pop(team_id, None)
        return found

    def forget(self, team_id: str) -> None:
        """Drop what memory holds about a workspace (it was installed again, or removed)."""
        self._bots.pop(team_id, None)
        self._absent.pop(team_id, None)

    async def uninstalled(self, team_id: str) -> None:
        """The app was removed from a workspace (or its token revoked): delete its token.
        Its groups and records stay for their retention period."""
        self.forget(team_id)
        async with UnitOfWork(self.sessions) as uow:
            removed = await uow.slack_installs.uninstall(team_id)
            await uow.commit()
        self._absent[team_id] = time.monotonic() + NOT_INSTALLED_TTL
        log.info("slack.uninstalled", team=team_id, had_token=removed)

    async def authorize(self, team_id: str | None) -> AuthorizeResult | None:
        """Bolt's `authorize`: the workspace's bot for a request (from memory once seen).
        The request's work then speaks to Slack as that workspace's bot."""
        found = await self.bot(team_id)
        if found is None:
            return None
        use_team(found.team_id)
        return AuthorizeResult(
            enterprise_id=None,
            team_id=found.team_id,
            bot_token=found.token,
            bot_id=found.bot_id,
            bot_user_id=found.user_id,
        )


class Store(AsyncInstallationStore):
    """Bolt's installation store over our database; bot tokens only."""

    def __init__(self, installations: Installations) -> None:
        self.installations = installations
        self._logger = logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        """Bolt's logger for the store."""
        return self._logger

    async def async_save(self, installation: Installation) -> None:
        """Keep a workspace's bot token (a reinstall replaces the old one)."""
        if not installation.team_id or not installation.bot_token:
            raise BoltError("only workspace installs with a bot token are supported")
        row = SlackInstallation(
            team_id=installation.team_id,
            team_name=installation.team_name,
            enterprise_id=installation.enterprise_id,
            app_id=installation.app_id,
            bot_token=installation.bot_token,
            bot_id=installation.bot_id,
            bot_user_id=installation.bot_user_id,
            bot_scopes=",".join(installation.bot_scopes or []),
            installed_at=datetime.now(UTC),
        )
        async with UnitOfWork(self.installations.sessions) as uow:
            await uow.slack_installs.save(row)
            await uow.commit()
        self.installations.forget(installation.team_id)
        log.info("slack.installed", team=installation.team_id)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> SlackBot | None:
        """The workspace's bot, as Bolt sees it."""
        found = await self.installations.bot(team_id)
        if found is None:
            return None
        return SlackBot(
            team_id=found.team_id,
            bot_token=found.token,
            bot_id=found.bot_id or "",
            bot_user_id=found.user_id or "",
            installed_at=time.time(),
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The workspace's bot token was revoked."""
        if team_id is not None:
            await self.installations.uninstalled(team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Only bot tokens are kept: removing the whole installation removes the bot."""
        if team_id is not None and user_id is None:
            await self.installations.uninstalled(team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The app was removed from the workspace."""
        if team_id is not None:
            await self.installations.uninstalled(team_id)


class States(AsyncOAuthStateStore):
    """Install states in the database: each usable once, for ten minutes."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], seconds: int = STATE_SECONDS
    ) -> None:
        self.sessions = sessions
        self.seconds = seconds
        self._logger = logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        """Bolt's logger for the state store."""
        return self._logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new random state, kept until it is used or expires."""
        state = secrets.token_urlsafe(24)
        now = datetime.now(UTC)
        async with UnitOfWork(self.sessions) as uow:
            await uow.slack_installs.issue_state(state, now, now + timedelta(seconds=self.seconds))
            await uow.commit()
        return state

    async def async_consume(self, state: str) -> bool:
        """Whether the state was issued and not used or expired (it is used up now)."""
        if not state:
            return False
        async with UnitOfWork(self.sessions) as uow:
            used = await uow.slack_installs.consume_state(state, datetime.now(UTC))
            await uow.commit()
        return used


def bolt_authorize(installations: Installations) -> Callable[..., Awaitable[AuthorizeResult]]:
    """`Installations.authorize` as Bolt calls it (by the names of a plain function's
    arguments; None is allowed: Bolt then says the app is not installed there)."""

    async def authorize(team_id: str | None) -> AuthorizeResult | None:
        return await installations.authorize(team_id)

    return cast(Callable[..., Awaitable[AuthorizeResult]], authorize)
