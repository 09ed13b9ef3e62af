"""The bot's Home tab in Slack: each person's own home (handlers/home), published with
`views.publish` when they open the tab, and again after a command changes something in
one of their groups.

Scheduled messages (bot/platforms/delivered.py) republish the Home of whoever they went to.

Who has opened Home is kept in memory only (a Slack user id, nothing else): only their
views are republished, so a change in a big group costs a few calls, not one a member.
Republishing goes one view at a time, `pause` seconds apart (views.publish is Tier 4,
about 100 a minute), and a person waiting twice is published once, with the latest.
After a restart, a person's Home is published again when they next open it.

Buttons on the Home tab are ordinary button presses (listeners.py): their answers go to
the person's direct messages, and the Home tab is then refreshed like after any command.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import App
from bot.platforms.effects import changed_groups, forgotten
from bot.platforms.slack.render import MAX_MODAL_BLOCKS, blocks_of, plain
from bot.platforms.slack.sender import SlackSender
from bot.platforms.slack.team import current_team, in_team
from bot.platforms.slack.work import PLATFORM, Tasks
from handlers.core.messages import Addressed, Message, message
from handlers.core.router import Result
from handlers.home.view import NO_GROUPS, home
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

#: Seconds between two republished Home tabs (Tier 4 allows about 100 a minute).
PAUSE = 0.6
NOT_MET = message(
    "Hello. I'm alongside, the group's helper.",
    NO_GROUPS,
    "Type /help to see what I can do.",
    summary="Your home",
)


class HomeTab:
    """Publishes each person's Home tab, and keeps the open ones up to date."""

    def __init__(self, app: App, client: AsyncWebClient, sender: SlackSender, tasks: Tasks) -> None:
        self.app = app
        self.client = client
        self.sender = sender
        self.tasks = tasks
        self.pause = PAUSE
        #: Slack user ids of people who have opened Home since this process started.
        self.opened: set[str] = set()
        #: Who waits for their Home, in order, each once, with their workspace.
        self._waiting: dict[str, str | None] = {}
        self._draining = False

    def register(self, bolt: AsyncApp) -> None:
        """Listen for people opening the Home tab."""
        bolt.event("app_home_opened")(self._on_opened)

    async def _on_opened(self, event: dict[str, Any]) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return
        user = str(event["user"])
        self.opened.add(user)
        self.tasks.spawn(self.publish(user))

    def after(self, user: str, result: Result) -> None:
        """A command was handled: republish the Home of whoever it changed things for."""
        gone = [person for person in forgotten(result) if person in self.opened]
        self.opened.difference_update(forgotten(result))
        if not result.changes_schedule and not gone:
            return
        groups = changed_groups(result)
        self.tasks.spawn(self._refresh(user, groups, gone))

    def delivered(self, item: Addressed) -> None:
        """A scheduled message went out: republish the Home of whoever it went to (everyone
        in the group who opened Home, for a post in a group's channel)."""
        address = item.address
        if address.user is not None and address.user in self.opened:
            self._queue([address.user])
        elif address.user is None and address.channel is not None and self.opened:
            self.tasks.spawn(self._channel(address.channel))

    async def _channel(self, channel: str) -> None:
        async with UnitOfWork(self.app.db.sessions) as uow:
            group = await uow.groups.in_channel(PLATFORM, channel)
        if group is not None:
            await self._refresh("", [group.id], [])

    def _queue(self, users: list[str]) -> None:
        for person in users:
            self._waiting[person] = current_team()
        if self._waiting and not self._draining:
            self._draining = True
            self.tasks.spawn(self._drain())

    async def _refresh(self, user: str, groups: list[int], gone: list[str]) -> None:
        users = [user] if user in self.opened else []
        if groups and self.opened:
            async with UnitOfWork(self.app.db.sessions) as uow:
                for group_id in groups:
                    for m in await uow.groups.members(group_id):
                        if m.person.platform == PLATFORM and m.person.external_id in self.opened:
                            users.append(m.person.external_id)
        for person in gone:  # a forgotten person's open Home shows nothing about them now
            await self._publish(person, NOT_MET)
        self._queue(users)

    async def _drain(self) -> None:
        try:
            first = True
            while self._waiting:
                if not first:
                    await asyncio.sleep(self.pause)
                first = False
                user = next(iter(self._waiting))
                team = self._waiting.pop(user)
                with in_team(team):
                    await self.publish(user)
        finally:
            self._draining = False

    async def publish(self, user: str) -> None:
        """Publish one person's Home as it stands now."""
        async with UnitOfWork(self.app.db.sessions) as uow:
            person = await uow.people.find(PLATFORM, user)
            if person is None or person.forgotten_at is not None or person.is_bot:
                msg = NOT_MET
            else:
                msg = await home(uow, person, self.app.clock.now())
        await self._publish(user, msg)

    async def _publish(self, user: str, msg: Message) -> None:
        try:
            await self.client.views_publish(user_id=user, view=await self.view(msg))
        except SlackApiError as error:
            log.warning("slack.home_failed", error=error.response.get("error"))

    async def view(self, msg: Message) -> dict[str, Any]:
        """A Home tab view showing the message (names for ids, long button values stashed)."""
        blocks = blocks_of(await self.sender.readable(msg), await self.sender.refs(msg))
        if len(blocks) > MAX_MODAL_BLOCKS:
            blocks = blocks[: MAX_MODAL_BLOCKS - 1]
            blocks.append({"type": "section", "text": plain("(There is more. Type /home.)")})
        return {"type": "home", "blocks": blocks}
