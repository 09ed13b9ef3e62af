"""Who is who on Slack: the bot itself, people's display names, and a channel's members."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import structlog
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import App
from bot.platforms.slack.team import current_team
from bot.platforms.slack.work import PLATFORM
from handlers.core.inert import one_line

log = structlog.get_logger(__name__)

NAME_TTL = 3600.0


class People:
    """Names from users.info (remembered for an hour) and group channels' members."""

    def __init__(
        self,
        app: App,
        client: AsyncWebClient,
        bots: Callable[[str | None], str | None] | None = None,
        claim: Callable[[str, str], Awaitable[None]] | None = None,
    ) -> None:
        self.app = app
        self.client = client
        #: Several workspaces: the bot's user id in a workspace, and what notes a group's
        #: channel as being in one (bot/platforms/slack/workspaces.py).
        self.bots = bots
        self.claim = claim
        self.own_user: str | None = None
        self._names: dict[str, tuple[str, bool, float]] = {}
        #: (channel, user) of everyone seen leaving a channel and not seen joining it since.
        self._departed: set[tuple[str, str]] = set()

    @property
    def bot_user(self) -> str | None:
        """The bot's own user id (in the workspace in hand, with several)."""
        return self.own_user if self.bots is None else self.bots(current_team())

    def left(self, channel: str, user: str) -> None:
        """Someone left the channel: no member sync adds them back (Slack's member list
        can lag behind its events, and a sync may be half-way when they leave)."""
        self._departed.add((channel, user))

    def came_back(self, channel: str, user: str) -> None:
        """Someone joined the channel (again)."""
        self._departed.discard((channel, user))

    def forget(self, user: str) -> None:
        """Someone asked to be forgotten: keep nothing about them (their name, their leaving)."""
        self._names.pop(user, None)
        self._departed = {(c, u) for c, u in self._departed if u != user}

    async def learn_who_i_am(self) -> None:
        """Ask Slack for the bot's own user id (raises SlackApiError for a bad token)."""
        who = await self.client.auth_test()
        self.own_user = who.get("user_id")

    async def name_of(self, user: str, ask: bool = True) -> str:
        """What to call someone mentioned by id: their name, or the id itself when Slack
        doesn't know it, can't be asked now (`ask` False and not known), or fails."""
        known = self._names.get(user)
        if not ask and (known is None or known[2] <= time.monotonic()):
            return user
        try:
            return one_line((await self.person(user, user))[0]) or user
        except Exception:  # a name is a nicety: never let it stop a message
            return user

    async def person(self, user: str, fallback: str | None) -> tuple[str, bool]:
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
        name = str(
            profile.get("display_name")
            or info.get("real_name")
            or profile.get("real_name")
            or info.get("name")
            or fallback
            or user
        )
        is_bot = bool(info.get("is_bot") or info.get("deleted") or user == "USLACKBOT")
        self._names[user] = (name, is_bot, time.monotonic() + NAME_TTL)
        return name, is_bot

    async def sync_members(self, channel: str) -> None:
        """Everyone in a group's channel becomes a member of the group (not another bot,
        nor anyone seen leaving it). With several workspaces, the group's channel is
        noted as being in the workspace in hand."""
        team = current_team()
        if self.claim is not None and team is not None:
            await self.claim(channel, team)
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
            if member == self.bot_user or (channel, member) in self._departed:
                continue
            name, is_bot = await self.person(member, None)
            if is_bot:
                continue
            if not await self.app.router.join(
                PLATFORM, channel, member, name, self.app.clock.now(), catching_up=True
            ):
                return  # not a group (any more)
        log.info("slack.members_synced", count=len(members))
