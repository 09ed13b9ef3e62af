"""The link to the homeserver every part of the Matrix platform shares: the logged-in
client, retried requests, and what the sync loop has seen so far."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from nio import AsyncClient, RoomMessagesResponse

from bot.config import MatrixSettings
from bot.platforms.matrix.calls import MatrixUnavailable, Requests, Stats, Tuning
from bot.platforms.matrix.login import log_in


class Connection:
    """One client for the whole platform, and the sync state others wait on."""

    def __init__(self, settings: MatrixSettings, tuning: Tuning) -> None:
        assert settings.user_id is not None
        self.settings = settings
        self.tuning = tuning
        self.stats = Stats()
        self.requests = Requests(tuning, self.stats)
        self.user_id: str = settings.user_id
        self.client: AsyncClient | None = None
        #: Held while sending (and for key chores), so sends wait out a rate limit together.
        self.send_lock = asyncio.Lock()
        self.synced = asyncio.Condition()
        self.first_sync = asyncio.Event()
        #: When the last sync batch was handled (time.monotonic()), for /readyz.
        self.last_sync: float | None = None
        self.stopping = False

    async def open(self) -> None:
        """Log in (keeping the device and its keys across restarts)."""
        self.client = await log_in(self.settings, self.tuning, self.requests)
        self.user_id = self.client.user_id
        self.stopping = False

    async def close(self) -> None:
        """Close the client's connections (the device stays logged in)."""
        if self.client is not None:
            await self.client.close()

    def live(self) -> AsyncClient:
        """The logged-in client."""
        if self.client is None:
            raise RuntimeError("The Matrix platform has not started.")
        return self.client

    async def batch_done(self) -> None:
        """A sync batch is fully handled: wake whoever waits for one."""
        async with self.synced:
            self.stats.batches += 1
            self.last_sync = time.monotonic()
            self.synced.notify_all()
        self.first_sync.set()

    async def wait_for_sync(self, count: int = 1) -> None:
        """Wait until `count` more sync batches are fully handled (wrap in asyncio.timeout)."""
        target = self.stats.batches + count
        async with self.synced:
            await self.synced.wait_for(lambda: self.stats.batches >= target)

    async def wait_for_room(self, room_id: str, member: str | None) -> None:
        """nio must know a room (from a sync) before it can send there with encryption on,
        and know the person in it: a new DM can sync half-made, before its invite, and
        keys shared then would leave the person out."""
        client = self.live()

        def known() -> bool:
            room = client.rooms.get(room_id)
            return room is not None and (member is None or member in room.users)

        if known():
            return
        async with self.synced:
            try:
                await asyncio.wait_for(self.synced.wait_for(known), self.tuning.room_wait)
            except TimeoutError:
                raise MatrixUnavailable("the room is not known yet") from None

    async def sent_recently(
        self, room_id: str, marker: dict[str, str], pages: int = 4
    ) -> str | None:
        """Look back through the bot's own recent messages in a room for one with `marker`:
        its event id, or None."""
        client = self.live()
        start = ""
        wanted = {"senders": [self.user_id]}
        for _ in range(pages):

            async def request(start: str = start) -> Any:
                return await client.room_messages(
                    room_id, start=start, limit=50, message_filter=wanted
                )

            page = await self.requests.call("history", request, RoomMessagesResponse)
            for event in page.chunk:
                content = event.source.get("content", {})
                if all(content.get(k) == v for k, v in marker.items()):
                    return str(event.event_id)
            if not page.chunk or not page.end:
                return None
            start = page.end
        return None
