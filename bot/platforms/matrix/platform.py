"""The Matrix platform on matrix-nio: what people say in rooms and DMs goes to the router;
what the bot says goes out as `m.notice` events.

How nothing is lost or said twice: the sync position is saved only after a
batch is handled (sync.py); each handled event is recorded with its replies,
which a small outbox loop sends, trying again while the homeserver is away
(outbox.py); every send carries a transaction id and a key the bot can look for
in the room (sending.py); requests are retried as the homeserver asks (calls.py).

End-to-end encryption: a persistent nio store under the bot's own secret
pickle key (login.py), keys uploaded after login, unverified devices are sent
keys (ignored, not verified), and a message the bot cannot decrypt gets a
plain-words reply (events.py).
"""

from __future__ import annotations

import asyncio

import structlog

from bot.app import App
from bot.config import MatrixSettings
from bot.platforms.delivered import Telling
from bot.platforms.matrix.calls import Stats, Tuning
from bot.platforms.matrix.choices import Choices
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.dms import DirectRooms
from bot.platforms.matrix.events import Events
from bot.platforms.matrix.outbox import Outbox
from bot.platforms.matrix.pinned import PinnedSummaries
from bot.platforms.matrix.sending import Sending
from bot.platforms.matrix.store import MatrixStore
from bot.platforms.matrix.sync import SyncLoop
from scheduler.delivery import DeliveryEngine

log = structlog.get_logger(__name__)


class AlongsideMatrix:
    """Runs the bot on Matrix: a sync loop that handles events, and an outbox loop for
    replies; `sending` is the delivery engine's `Sender`."""

    def __init__(self, app: App, settings: MatrixSettings, tuning: Tuning | None = None) -> None:
        if not settings.homeserver or not settings.user_id:
            raise ValueError("Matrix needs a homeserver and a user id.")
        if not (settings.password or settings.access_token):
            raise ValueError("Matrix needs a password or an access token.")
        self.app = app
        self.conn = Connection(settings, tuning or Tuning())
        self.conn.requests.on_error = lambda kind: app.metrics.platform_error("matrix", kind)
        self.conn.requests.on_retry = lambda reason: app.metrics.retry("matrix", reason)
        self.store = MatrixStore(app.db.sessions, app.clock)
        self.choices = Choices(app, self.store)
        dms = DirectRooms(self.conn, self.store)
        self.sending = Sending(self.conn, self.store, dms, self.choices)
        self.pinned = PinnedSummaries(app, self.conn, self.sending)
        self.engine: DeliveryEngine = app.delivery(Telling(self.sending, self.pinned.delivered))
        self.outbox = Outbox(self.conn, self.store, self.sending)
        self.events = Events(app, self.conn, self.store, dms, self.choices, self.outbox)
        self.sync = SyncLoop(app, self.conn, self.store, self.events)
        self.events.after = self.pinned.after
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def stats(self) -> Stats:
        """Counts for logs and tests."""
        return self.conn.stats

    async def start(self) -> None:
        """Log in, then sync once (so rooms are known) before returning; keep running after."""
        await self.conn.open()
        self._tasks = [
            asyncio.create_task(self.sync.run_forever(), name="matrix-sync"),
            asyncio.create_task(self.outbox.run_forever(), name="matrix-outbox"),
            asyncio.create_task(self.pinned.run_forever(), name="matrix-pinned"),
        ]
        first = asyncio.create_task(self.conn.first_sync.wait())
        sync = self._tasks[0]
        await asyncio.wait([first, sync], return_when=asyncio.FIRST_COMPLETED)
        if not first.done():
            first.cancel()
            error = sync.exception() if not sync.cancelled() else None
            await self.stop()
            raise error or RuntimeError("The Matrix sync loop stopped before its first sync.")
        log.info("matrix.started")

    async def stop(self) -> None:
        """Finish the batch in hand (so nothing is handled twice) and the reply being sent
        (so its options are kept), then stop and log nothing out."""
        self.conn.stopping = True
        try:
            await asyncio.wait_for(
                asyncio.gather(
                    self.sync.idle.wait(), self.outbox.idle.wait(), self.pinned.idle.wait()
                ),
                timeout=30,
            )
        except TimeoutError:
            log.warning("matrix.stop_while_busy")
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except BaseException as error:  # it already died; say so, keep stopping
                log.warning("matrix.task_died", task=task.get_name(), error=type(error).__name__)
        self._tasks = []
        await self.conn.close()
        log.info("matrix.stopped")

    async def wait(self) -> None:
        """Run until a loop stops for good (it only does on a bug: the error is raised).
        Cancelling this wait leaves the loops running: stop() ends them in order."""
        done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()

    async def wait_for_sync(self, count: int = 1) -> None:
        """Wait until `count` more sync batches are fully handled (wrap in asyncio.timeout)."""
        await self.conn.wait_for_sync(count)
