"""The outbox: replies recorded with the events they answer, sent by a small loop that
keeps trying while the homeserver is away, so a crash or an outage loses none.

The first try goes out as soon as the command has answered, while the event and its
replies are being recorded: each reply's transaction id comes from the event, so if
the bot stops before the record is saved, the same reply sent again after the
restart is dropped by the homeserver (it keeps transaction ids for a day)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, replace

import structlog
from nio import Response

from bot.platforms.matrix.calls import MatrixRefused
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.render import REPLY_FIELD
from bot.platforms.matrix.sending import Sending, transaction_id
from bot.platforms.matrix.store import MatrixStore, Pending, Redaction
from handlers.core.messages import Address, Addressed, message

log = structlog.get_logger(__name__)

REDACT_REASON = "Removed to keep it private. I've answered in a direct message."

STILL_VISIBLE = message(
    "I couldn't remove your message from the room, so others there can still see it.",
    "You can remove it yourself. In Element, hover over your message, choose ... "
    "(Options), then Remove. In other apps, look for Remove or Delete on the message.",
    summary="Your message is still visible in the room",
)


@dataclass
class Queued:
    """Replies waiting to be sent, and the recording of their event (None: it is recorded)."""

    item: Pending
    recorded: asyncio.Future[bool] | None = None


class Outbox:
    """Sends every recorded reply, in order, and removes what was asked to be removed.

    Replies of an event just handled are handed over in memory and go out at once,
    while the event is still being recorded; what is recorded but not sent (after a
    restart, or a failed send) is read back from the database."""

    def __init__(self, conn: Connection, store: MatrixStore, sending: Sending) -> None:
        self.conn = conn
        self.store = store
        self.sending = sending
        self._queue: dict[str, Queued] = {}
        self._reload = True
        self._wake = asyncio.Event()
        #: Set while no reply handed over in memory is waiting for its first try.
        self._tried = asyncio.Event()
        self._tried.set()
        #: Set while no reply is half sent.
        self.idle = asyncio.Event()
        self.idle.set()

    def send(self, item: Pending, recorded: asyncio.Future[bool]) -> None:
        """Send an event's replies now; `recorded` says when (and whether) the event and
        its replies are saved (True), so sending is never noted before they are."""
        if item.replies or item.redact is not None or item.forget:
            self._queue[item.event_id] = Queued(item, recorded)
            self._tried.clear()
            self._wake.set()

    async def tried(self, limit: float) -> None:
        """Wait (at most `limit` seconds) until the replies handed over have been tried."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._tried.wait(), limit)

    def wake(self) -> None:
        """New replies were recorded: read them back and send them."""
        self._reload = True
        self._wake.set()

    async def run_forever(self) -> None:
        """Send what is pending whenever woken, retrying with backoff while sends fail."""
        await self.conn.first_sync.wait()  # until then nio doesn't know our rooms
        tuning = self.conn.tuning
        failures = 0
        while not self.conn.stopping:
            self._wake.clear()
            self.idle.clear()
            try:
                if self._reload:
                    self._reload = False
                    await self._read_back()
                while self._queue:
                    event_id, queued = next(iter(self._queue.items()))
                    await self._send_replies(queued)
                    del self._queue[event_id]
                failures = 0
                self._tried.set()
            except Exception as error:  # never give up on a reply: wait, then try again
                self._reload = True
                self._tried.set()
                self.idle.set()
                failures += 1
                wait = min(tuning.backoff * 2**failures, tuning.backoff_cap)
                log.warning("matrix.outbox_retry", error=type(error).__name__)
                await asyncio.sleep(wait)
                continue
            self.idle.set()
            await self._wake.wait()

    async def _read_back(self) -> None:
        """Queue what the database holds unsent, oldest first, before what is in hand."""
        found = {
            p.event_id: self._queue.get(p.event_id, Queued(p)) for p in await self.store.pending()
        }
        self._queue = found | {k: v for k, v in self._queue.items() if k not in found}

    async def _send_replies(self, queued: Queued) -> None:
        item = queued.item
        last = len(item.replies) - 1
        for index in range(item.sent, len(item.replies)):
            reply = item.replies[index]
            txn = transaction_id("reply", f"{item.event_id}:{index}")
            room = item.dm[0] if item.dm and reply.address.user == item.dm[1] else None
            try:
                await self.sending.send_item(reply, {REPLY_FIELD: txn}, txn, dm_room=room)
            except MatrixRefused as error:  # it can never arrive: say so in the log
                log.warning("matrix.reply_refused", errcode=error.errcode)
            item = queued.item = replace(item, sent=index + 1)
            more = index < last or item.redact is not None or bool(item.forget)
            if more and await self._recorded(queued):  # note it, so it isn't sent again
                await self.store.progress(item, index + 1)
        if item.redact is not None:
            await self._redact(item.redact)
        for user_id in item.forget:  # their last words are sent: let go of them
            await self.sending.forget(user_id)
        if await self._recorded(queued):
            await self.store.done(item.event_id)

    @staticmethod
    async def _recorded(queued: Queued) -> bool:
        """Wait until the event is recorded; False if it was not (its row is not ours)."""
        if queued.recorded is None:
            return True
        try:
            return await queued.recorded
        except Exception:  # the handler logs it; the replies still go out
            return False

    async def _redact(self, redaction: Redaction) -> None:
        """Remove the words from the room; if the bot may not, tell the writer how to."""
        client = self.conn.live()
        try:
            await self.conn.requests.call(
                "redact",
                lambda: client.room_redact(
                    redaction.room_id, redaction.event_id, reason=REDACT_REASON
                ),
                Response,
            )
            log.info("matrix.redacted")
            return
        except MatrixRefused as error:  # the bot has no power here
            log.info("matrix.redact_refused", errcode=error.errcode)
        if redaction.writer is None:
            return
        txn = transaction_id("still-visible", redaction.event_id)
        note = Addressed(STILL_VISIBLE, Address(user=redaction.writer))
        try:
            await self.sending.send_item(note, {REPLY_FIELD: txn}, txn)
        except MatrixRefused as error:
            log.warning("matrix.reply_refused", errcode=error.errcode)
