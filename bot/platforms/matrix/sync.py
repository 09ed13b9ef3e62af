"""The sync loop: every event of a batch is handled before the batch counts as done.

The sync position is ours, kept in the database and saved only after every
event of a batch is handled (nio's own token store saves it before its
callbacks run, so a crash there would lose events). A restart carries on from
the last handled batch; a gap in a room's timeline is filled from its history.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from aiohttp import ClientError
from nio import LocalProtocolError, RoomMemberEvent, RoomMessagesResponse, SyncResponse

from bot.app import App
from bot.platforms.matrix.calls import MatrixUnavailable
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.events import Events
from bot.platforms.matrix.store import MatrixStore

log = structlog.get_logger(__name__)


def after_own_join(events: list[Any], own_id: str) -> list[Any]:
    """The events after the bot's own (latest) join: what came before is not ours to answer."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if (
            isinstance(event, RoomMemberEvent)
            and event.state_key == own_id
            and event.membership == "join"
            and event.prev_membership != "join"
        ):
            return events[index + 1 :]
    return events


class SyncLoop:
    """Syncs, hands each event to `Events`, then saves where it got to."""

    def __init__(self, app: App, conn: Connection, store: MatrixStore, events: Events) -> None:
        self.app = app
        self.conn = conn
        self.store = store
        self.events = events
        #: Set while no batch is half handled.
        self.idle = asyncio.Event()
        self.idle.set()

    def _filter(self) -> dict[str, Any]:
        return {
            "room": {"timeline": {"limit": self.conn.tuning.timeline_limit}},
            "presence": {"not_types": ["*"]},
        }

    async def run_forever(self) -> None:
        """Sync, handle and save, batch after batch, until the connection stops."""
        client = self.conn.live()
        tuning = self.conn.tuning
        token = await self.store.sync_token()
        fresh = token is None
        full_state = True
        while not self.conn.stopping:
            wait_ms = 0 if full_state else tuning.sync_timeout_ms
            since, first = token, full_state

            async def request(
                since: str | None = since, first: bool = first, wait_ms: int = wait_ms
            ) -> Any:
                return await client.sync(
                    timeout=wait_ms,
                    sync_filter=self._filter(),
                    since=since,
                    full_state=first or None,
                )

            response = await self.conn.requests.call("sync", request, SyncResponse, forever=True)
            self.idle.clear()
            try:
                await self._handle_batch(response, token, fresh)
                await self.store.save_sync_token(response.next_batch)
            finally:
                self.idle.set()
            token, fresh, full_state = response.next_batch, False, False
            await self._crypto_chores()
            if self.conn.stats.batches % 100 == 0:
                now = self.app.clock.now()
                await self.store.prune(now - tuning.keep_handled)
                await self.store.prune_options(now - tuning.keep_options)
            await self.conn.batch_done()
            await self.events.replies_tried()

    async def _handle_batch(self, response: SyncResponse, since: str | None, fresh: bool) -> None:
        """Handle every event of a batch, trying again (never skipping) while the server is away."""
        tuning = self.conn.tuning
        failures = 0
        while True:
            try:
                await self._handle_batch_once(response, since, fresh)
                return
            except (MatrixUnavailable, ClientError, OSError, TimeoutError) as error:
                failures += 1
                wait = min(tuning.backoff * 2**failures, tuning.backoff_cap)
                log.warning("matrix.batch_retry", error=type(error).__name__)
                await asyncio.sleep(wait)

    async def _handle_batch_once(
        self, response: SyncResponse, since: str | None, fresh: bool
    ) -> None:
        for room_id, invited in response.rooms.invite.items():
            await self.events.on_invite(room_id, invited.invite_state)
        if fresh:  # the very first start: what was said before is history, not for us
            return
        client = self.conn.live()
        for room_id, joined in response.rooms.join.items():
            events = list(joined.timeline.events)
            if joined.timeline.limited and since:
                events = await self._backfill(room_id, joined.timeline.prev_batch, since) + events
            room = client.rooms.get(room_id)
            if room is None:
                continue
            for event in after_own_join(events, self.conn.user_id):
                try:
                    await self.events.on_event(room, event)
                except (MatrixUnavailable, ClientError, OSError, TimeoutError):
                    raise  # the whole batch is tried again; handled events are skipped
                except Exception as error:  # a bug: skip this event, keep serving the rest
                    log.error("matrix.event_failed", error=type(error).__name__)

    async def _backfill(self, room_id: str, start: str, since: str) -> list[Any]:
        """The events a limited timeline left out, oldest first (back to where we were)."""
        client = self.conn.live()
        found: list[Any] = []
        for _ in range(50):

            async def request(start: str = start) -> Any:
                return await client.room_messages(room_id, start=start, end=since, limit=100)

            page = await self.conn.requests.call("backfill", request, RoomMessagesResponse)
            found.extend(page.chunk)
            if not page.chunk or not page.end or page.end == start:
                break
            start = page.end
        else:
            log.warning("matrix.backfill_truncated")
        found.reverse()
        if found:
            log.info("matrix.backfilled", events=len(found))
        return found

    async def _crypto_chores(self) -> None:
        """Keep keys flowing: upload ours, learn others', claim one-time keys, send to-device."""
        client = self.conn.live()
        if self.conn.send_lock.locked():  # a send is waiting out a rate limit: next time
            return
        try:
            async with self.conn.send_lock:
                if client.should_upload_keys:
                    await client.keys_upload()
                if client.should_query_keys:
                    await client.keys_query()
                if client.should_claim_keys:
                    await client.keys_claim(client.get_users_for_key_claiming())
                await client.send_to_device_messages()
        except (ClientError, OSError, TimeoutError, LocalProtocolError) as error:
            log.warning("matrix.crypto_chores_failed", error=type(error).__name__)
