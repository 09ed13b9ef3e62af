"""Sending to Slack: the message model as posts; the delivery engine's `Sender`.

Each post carries its delivery key in message metadata, which is how
`already_sent` finds it again after a crash.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
import structlog
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.platforms.slack.pacing import Pacer
from bot.platforms.slack.render import (
    MAX_BUTTON_VALUE,
    SlackMessage,
    presses,
    render,
    result_view,
    shorten,
    user_ids,
    with_names,
)
from bot.platforms.slack.retries import Sleep, retry_handlers
from handlers.core.messages import Addressed, Message, files_of, images_of, reword

log = structlog.get_logger(__name__)

Stash = Callable[[str], Awaitable[str]]

METADATA_TYPE = "alongside_delivery"
HISTORY_PAGES = 3
HISTORY_PAGE_SIZE = 100
#: Slack keeps at most this many characters of a picture's alt text.
MAX_ALT_TEXT = 1000
POST_ATTEMPTS = 4


class SlackSender:
    """Posts the message model to Slack; the delivery engine's Sender.

    channel only: a post in the channel. user only: their DM (conversations.open).
    both: an ephemeral message to that person in that channel.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        session: aiohttp.ClientSession,
        stash: Stash,
        pacer: Pacer | None = None,
        sleep: Sleep = asyncio.sleep,
        backoff: float = 0.5,
        name_of: Callable[[str, bool], Awaitable[str]] | None = None,
        shown: Callable[[str], str] | None = None,
    ) -> None:
        self.client = client
        self.name_of = name_of
        self.shown = shown  # commands as this workspace types them (naming.py)
        self.session = session
        self.stash = stash
        self.pacer = pacer or Pacer()
        self.sleep = sleep
        self.backoff = backoff
        self._dms: dict[str, str] = {}
        self._lanes: dict[str, asyncio.Lock] = {}

    async def refs(self, msg: Message) -> dict[str, str]:
        """Stash every button value in the message too long for Slack; value -> ref."""
        found: dict[str, str] = {}
        for press in presses(msg):
            value = press.encode()
            if len(value) > MAX_BUTTON_VALUE:
                found[value] = await self.stash(value)
        return found

    async def readable(self, msg: Message, ask: bool = True) -> Message:
        """The message with mentioned user ids (@U123) shown as people's names (@sam),
        and commands as this workspace types them.

        `ask`: look up names Slack hasn't told us yet (False where time is short: only
        names already known are used, and the rest stay as ids).
        """
        if self.shown is not None:
            msg = reword(msg, self.shown)
        ids = user_ids(msg)
        if not ids or self.name_of is None:
            return msg
        return with_names(msg, {user: await self.name_of(user, ask) for user in sorted(ids)})

    async def render(self, msg: Message) -> list[SlackMessage]:
        """Block Kit for a message (names for ids, long button values stashed)."""
        return render(await self.readable(msg), await self.refs(msg))

    async def result_view(self, title: str, msg: Message, ask: bool = True) -> dict[str, Any]:
        """A modal showing an answer in place of a form (names for ids, values stashed)."""
        return result_view(title, [await self.readable(msg, ask)], await self.refs(msg))

    async def dm(self, user: str) -> str:
        """The bot's direct conversation with a person (opened once, then remembered)."""
        if user not in self._dms:
            answer = await self.client.conversations_open(users=user)
            self._dms[user] = answer["channel"]["id"]
        return self._dms[user]

    def forget(self, user: str) -> None:
        """Someone asked to be forgotten: forget their DM's id (and its pace and order)."""
        channel = self._dms.pop(user, None)
        if channel is None:
            return
        lane = self._lanes.get(channel)
        if lane is not None and not lane.locked():
            del self._lanes[channel]
        self.pacer.forget(channel)

    async def send(self, item: Addressed, key: str | None = None, *, upload: bool = True) -> None:
        """Send one message where its address says; `key` goes into each post's metadata.

        Files it carries are uploaded first (`upload`), so the words that mention them
        never arrive without them.
        """
        if upload:
            await self.upload(item)
        parts = await self.render(item.message)
        await self._post(item, key, parts, range(len(parts)))

    async def upload(self, item: Addressed) -> None:
        """Upload each file and picture the message carries: to the person's DM when it is
        for one person (a file can't be ephemeral), else to the channel. A picture carries
        its alt text, which screen readers say in its place."""
        files = files_of(item.message)
        images = images_of(item.message)
        if not files and not images:
            return
        address = item.address
        channel = await self.dm(address.user) if address.user is not None else address.channel
        for file in files:
            await self.client.files_upload_v2(
                channel=channel, filename=file.name, title=file.name, content=file.content
            )
        for image in images:
            await self.client.files_upload_v2(
                channel=channel,
                filename=image.name,
                title=image.title,
                content=image.content,
                alt_txt=shorten(image.alt, MAX_ALT_TEXT),
            )
        log.info("slack.files_uploaded", files=len(files) + len(images))

    async def _post(
        self, item: Addressed, key: str | None, parts: Sequence[SlackMessage], which: Sequence[int]
    ) -> None:
        address = item.address
        if address.channel is not None and address.user is not None:
            for i in which:
                await self.client.chat_postEphemeral(
                    channel=address.channel,
                    user=address.user,
                    text=parts[i].text,
                    blocks=parts[i].blocks or None,
                )
            return
        channel = address.channel
        if channel is None:
            assert address.user is not None
            channel = await self.dm(address.user)
        for i in which:
            options: dict[str, Any] = {}
            if key is not None:
                options["metadata"] = {
                    "event_type": METADATA_TYPE,
                    "event_payload": {"key": key, "part": i, "parts": len(parts)},
                }
            async with self._lanes.setdefault(channel, asyncio.Lock()):  # in order, per channel
                await self._post_once(
                    channel, key, i, text=parts[i].text, blocks=parts[i].blocks or None, **options
                )

    async def _post_once(self, channel: str, key: str | None, part: int, **fields: Any) -> None:
        """chat.postMessage, retried after a server error or a lost connection only once the
        conversation's history shows the post did not arrive: Slack sometimes posts a
        message and then fails to say so, and a blind retry would post it twice."""
        for attempt in range(POST_ATTEMPTS):
            await self.pacer.wait(channel)
            try:
                await self.client.chat_postMessage(
                    channel=channel, unfurl_links=False, unfurl_media=False, **fields
                )
                return
            except SlackApiError as error:
                status = getattr(error.response, "status_code", 0)
                if status < 500 or key is None or attempt == POST_ATTEMPTS - 1:
                    raise
            except (aiohttp.ClientError, TimeoutError):
                if key is None or attempt == POST_ATTEMPTS - 1:
                    raise
            await self.sleep(self.backoff * 2**attempt * (1 + random.random()))
            if part in await self._parts_found(channel, key):
                log.info("slack.post_found_after_error")
                return

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether the post(s) with this key are in the conversation's recent history.

        If only some parts of a long message arrived before a crash, the missing
        parts are sent now and the answer is True, so nothing is doubled.
        """
        address = item.address
        if address.channel is not None and address.user is not None:
            return False  # ephemeral messages leave no history to look in
        channel = address.channel or await self.dm(address.user or "")
        found = await self._parts_found(channel, key)
        if not found:
            return False
        parts = await self.render(item.message)
        missing = [i for i in range(len(parts)) if i not in found]
        if missing:
            await self._post(item, key, parts, missing)
        return True

    async def _parts_found(self, channel: str, key: str) -> set[int]:
        found: set[int] = set()
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            answer = await self.client.conversations_history(
                channel=channel,
                limit=HISTORY_PAGE_SIZE,
                include_all_metadata=True,
                cursor=cursor,
            )
            messages: list[dict[str, Any]] = answer.get("messages", [])
            for msg in messages:
                metadata = msg.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == key:
                    found.add(int(payload.get("part", 0)))
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return found

    async def respond(self, url: str, msg: Message, replace: bool = False) -> bool:
        """Answer privately through a response_url ("only visible to you"); False if it failed."""
        parts = await self.render(msg)
        webhook = AsyncWebhookClient(
            url, session=self.session, retry_handlers=retry_handlers(self.sleep, self.backoff)
        )
        for number, part in enumerate(parts):
            try:
                answer = await webhook.send(
                    text=part.text,
                    blocks=part.blocks or None,
                    response_type="ephemeral",
                    replace_original=replace and number == 0,
                )
            except (aiohttp.ClientError, TimeoutError) as error:
                log.info("slack.response_url_failed", error=type(error).__name__)
                return False
            if answer.status_code != 200:
                log.info("slack.response_url_failed", status=answer.status_code)
                return number > 0  # the first part arrived: don't repeat it elsewhere
        return True

    async def update_view(self, view_id: str, view: dict[str, Any]) -> bool:
        """Show answers in the person's open modal; False if it is gone."""
        try:
            await self.client.views_update(view_id=view_id, view=view)
        except SlackApiError as error:
            log.info("slack.view_update_failed", error=error.response.get("error"))
            return False
        return True
