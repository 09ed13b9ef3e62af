"""Direct rooms: each person's private room with the bot, opened by the bot when it
first needs one (end-to-end encrypted, like Element's, unless told otherwise)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import structlog
from nio import MatrixRoom, Response, RoomCreateResponse, RoomPreset

from bot.platforms.matrix.calls import MatrixRefused
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.store import MatrixStore

log = structlog.get_logger(__name__)

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


class DirectRooms:
    """Finds, checks and opens people's direct rooms with the bot."""

    def __init__(self, conn: Connection, store: MatrixStore) -> None:
        self.conn = conn
        self.store = store
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._created: set[str] = set()

    async def room_of(self, user_id: str, create: bool) -> str | None:
        """The person's direct room; with `create`, open one (and invite them) if they have none."""
        async with self._locks[user_id]:
            room_id = await self.store.direct_room(user_id)
            if room_id is not None and self.still_direct(room_id, user_id):
                return room_id
            if not create:
                return None
            client = self.conn.live()
            encrypt = self.conn.settings.encrypt_dms
            state = [ENCRYPTION_STATE] if encrypt else []

            async def request() -> Any:
                return await client.room_create(
                    is_direct=True,
                    invite=[user_id],
                    preset=RoomPreset.private_chat,
                    initial_state=state,
                )

            created = await self.conn.requests.call(
                "create a direct room", request, RoomCreateResponse
            )
            self._created.add(created.room_id)
            await self.store.remember_direct(created.room_id, user_id)
            log.info("matrix.direct_room_created", encrypted=encrypt)
            return str(created.room_id)

    async def forget(self, user_id: str) -> None:
        """Someone was forgotten: leave every room where only the two of us are (their
        direct rooms), so nothing they say there later reaches the bot as theirs."""
        client = self.conn.live()
        rooms = [r for r in list(client.rooms.values()) if only(r, self.conn.user_id, user_id)]
        for room in rooms:
            room_id = room.room_id

            async def request(room_id: str = room_id) -> Any:
                return await client.room_leave(room_id)

            try:
                await self.conn.requests.call("leave a direct room", request, Response)
            except MatrixRefused as error:
                log.info("matrix.direct_room_not_left", errcode=error.errcode)
                continue
            self._created.discard(room_id)
            log.info("matrix.direct_room_left")
        self._locks.pop(user_id, None)

    def still_direct(self, room_id: str, user_id: str) -> bool:
        """Only the two of us are in it (after the first, full sync nio knows every room
        we're in, so an unknown room is one we left, unless we have only just made it)."""
        room = self.conn.live().rooms.get(room_id)
        if room is None:
            return room_id in self._created
        return only(room, self.conn.user_id, user_id)

    async def is_dm(self, room: MatrixRoom, sender: str) -> bool:
        """A message is private only in the sender's direct room while nobody else is in it
        (someone invited in later would see it)."""
        return await self.store.direct_user(room.room_id) == sender and only(
            room, self.conn.user_id, sender
        )


def only(room: MatrixRoom, bot: str, person: str) -> bool:
    """Whether `person` is in the room and nobody but the bot is there with them (joined
    or invited)."""
    present = set(room.users) | set(room.invited_users)
    return person in present and present <= {bot, person}
