"""Sending to Matrix as `m.notice` events; the delivery engine's `Sender`.

Every send carries a transaction id made from the delivery key (or the event
it answers), so the homeserver drops a retried send from this device, and the
key is in the content, so `already_sent` can look for it in the room.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from typing import Any

import structlog
from aiohttp import ClientError
from nio import RoomSendResponse

from bot.platforms.matrix.calls import AlreadyDone, MatrixRefused, MatrixUnavailable
from bot.platforms.matrix.choices import Choices
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.dms import DirectRooms
from bot.platforms.matrix.files import FILE_FIELD, upload
from bot.platforms.matrix.render import DELIVERY_FIELD, render
from bot.platforms.matrix.store import MatrixStore
from handlers.core.messages import Addressed, File, Image, files_of, images_of

log = structlog.get_logger(__name__)


def transaction_id(kind: str, key: str) -> str:
    """A transaction id made from a delivery key or event id: the same send, the same id."""
    return f"alongside-{kind}-{hashlib.sha256(key.encode()).hexdigest()[:40]}"


class Sending:
    """Sends messages to rooms and DMs, keeping the options each one offers."""

    def __init__(
        self, conn: Connection, store: MatrixStore, dms: DirectRooms, choices: Choices
    ) -> None:
        self.conn = conn
        self.store = store
        self.dms = dms
        self.choices = choices
        self._sending_to: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def send(self, item: Addressed, key: str) -> None:
        """Send one delivery; raises if it could not be sent (the engine tries again later)."""
        await self.send_item(item, {DELIVERY_FIELD: key}, transaction_id("delivery", key))

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether the room's recent history holds a message of ours with this key."""
        await self.conn.first_sync.wait()
        if item.address.user is not None:
            room_id = await self.dms.room_of(item.address.user, create=False)
        else:
            room_id = item.address.channel
        if room_id is None:
            return False
        event_id = await self.conn.sent_recently(room_id, {DELIVERY_FIELD: key})
        if event_id is None:
            return False
        options = render(item.message).options  # it went out before a crash: keep them
        await self.choices.remember(event_id, item.address.user, options)
        return True

    async def send_item(
        self, item: Addressed, marker: dict[str, str], txn: str, dm_room: str | None = None
    ) -> None:
        """Send a message where its address says, with our `marker` fields in its content.

        `dm_room`: the direct room a private reply answers; it goes there while only the two
        of us are in it (so a reply never opens a room, even to someone just forgotten)."""
        await self.conn.first_sync.wait()
        address = item.address
        rendered = render(item.message, marker, in_room=address.user is None)
        files: list[File | Image] = [*files_of(item.message), *images_of(item.message)]
        if address.user is None:
            assert address.channel is not None
            for number, file in enumerate(files):
                await self._send_file(address.channel, None, file, f"{txn}:{number}")
            event_id = await self._room_send(address.channel, rendered.content, txn, marker)
            await self.choices.remember(event_id, None, rendered.options)
        else:
            # One at a time per person, so the options a bare number answers are always
            # those of the message they saw last.
            async with self._sending_to[address.user]:
                for number, file in enumerate(files):  # first: the words say it was sent
                    await self._send_file(None, address.user, file, f"{txn}:{number}", dm_room)
                event_id = await self._send_direct(
                    address.user, rendered.content, txn, marker, dm_room
                )
                await self.choices.remember(event_id, address.user, rendered.options)
        self.conn.stats.sent += 1

    async def forget(self, user_id: str) -> None:
        """Someone was forgotten and their last words are sent: keep nothing more that ties
        them to the bot (their direct rooms, the options shown to them), and leave their
        direct rooms."""
        self.choices.forget(user_id)
        await self.store.forget_person(user_id, self.choices.person(user_id))
        await self.dms.forget(user_id)
        self._sending_to.pop(user_id, None)

    async def _send_file(
        self,
        room_id: str | None,
        user: str | None,
        file: File | Image,
        key: str,
        dm_room: str | None = None,
    ) -> None:
        """Upload a file (or picture) and share it as an `m.file` (`m.image`) in a room,
        or in the person's DM.

        Its transaction id comes from the message's, so sending the message again after a
        crash doesn't show the file twice."""
        if user is not None:
            room_id = await self._direct_room(user, dm_room)
        assert room_id is not None
        await self.conn.wait_for_room(room_id, user)
        content = await upload(self.conn, room_id, file)
        txn = transaction_id("file", key)
        mark = {FILE_FIELD: txn}
        content.update(mark)
        if user is None:
            await self._room_send(room_id, content, txn, mark)
        else:
            await self._send_direct(user, content, txn, mark, dm_room)

    async def _direct_room(self, user: str, dm_room: str | None) -> str:
        """The room a private message goes to: the DM it answers, else the person's own."""
        if dm_room is not None and self.dms.still_direct(dm_room, user):
            return dm_room
        room_id = await self.dms.room_of(user, create=True)
        assert room_id is not None
        return room_id

    async def _send_direct(
        self,
        user: str,
        content: dict[str, Any],
        txn: str,
        marker: dict[str, str],
        dm_room: str | None = None,
    ) -> str:
        room_id = await self._direct_room(user, dm_room)
        try:
            return await self._room_send(room_id, content, txn, marker, user)
        except MatrixRefused as error:
            if error.errcode != "M_FORBIDDEN":
                raise
            await self.store.forget_direct(room_id)  # removed from it: open a new one
            new_room = await self.dms.room_of(user, create=True)
            assert new_room is not None
            return await self._room_send(new_room, content, txn, marker, user)

    async def _room_send(
        self,
        room_id: str,
        content: dict[str, Any],
        txn: str,
        marker: dict[str, str],
        member: str | None = None,
    ) -> str:
        """Send, retrying; the event id of the message in the room."""
        client = self.conn.live()
        await self.conn.wait_for_room(room_id, member)
        found: list[str] = []

        async def request() -> Any:
            return await client.room_send(
                room_id, "m.room.message", content, tx_id=txn, ignore_unverified_devices=True
            )

        async def arrived() -> bool:
            try:
                event_id = await self.conn.sent_recently(room_id, marker)
            except (MatrixUnavailable, MatrixRefused, ClientError, OSError, TimeoutError):
                return False
            if event_id is None:
                return False
            found.append(event_id)
            return True

        async with self.conn.send_lock:
            try:
                sent = await self.conn.requests.call(
                    "send", request, RoomSendResponse, before_retry=arrived
                )
            except AlreadyDone:
                log.info("matrix.send_found_after_retry")
                return found[-1]
            return str(sent.event_id)
