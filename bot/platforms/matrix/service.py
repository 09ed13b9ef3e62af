"""Matrix as the runtime runs it: settings checked first, then the platform.

On a shared PostgreSQL database only one instance at a time syncs and answers
(the sync owner, which is also the delivery leader: bot/ownership.py); the
others stand by and one takes over when it ends. Each time this instance
becomes the owner it runs a fresh platform, as a restart would: it logs in
again from the saved session and opens the end-to-end store afresh (the old
owner may have changed both), and carries on from the stored sync position.
The delivery engine stays the same across terms and sends through the
platform of the current one.

End-to-end encryption and several instances: every instance must use the same
`store_path` (a volume they all reach, if they run on several machines) and the
same pickle key, so that all of them are one device of the bot's account.
That device's keys, its Olm sessions and the room keys people sent it are in
that store, and only the owner opens it. Separate stores would make separate
devices: people's clients would see the bot's devices change, the room keys
sent to one device while another synced would be lost to it (the sync position
is shared, and the homeserver drops a device's key messages older than the
position it syncs from), and a reply resent by a new device would not be
dropped as a repeat (transaction ids are per device). The owner notes its
device next to the sync position and warns when it changes.
"""

from __future__ import annotations

import asyncio
import time

import structlog

from bot import runtime
from bot.app import App
from bot.config import MatrixSettings, Settings
from bot.health import DEFAULT_PORT, port_for
from bot.platforms.delivered import Telling
from bot.platforms.effects import Wake
from bot.platforms.matrix.calls import MatrixRefused, MatrixUnavailable, Tuning
from bot.platforms.matrix.platform import AlongsideMatrix
from bot.platforms.matrix.sending import Sending
from bot.platforms.matrix.store import MatrixStore
from handlers.core.messages import Addressed
from scheduler.delivery import DeliveryEngine

log = structlog.get_logger(__name__)


class MatrixSetupError(Exception):
    """The bot can't start on Matrix as configured (the message says what to change)."""


def check_settings(settings: Settings) -> None:
    """Refuse to start without what Matrix needs, saying plainly what is missing."""
    matrix = settings.matrix
    if not matrix.homeserver or not matrix.user_id:
        raise MatrixSetupError(
            "Matrix needs a homeserver and the bot's user id: set matrix.homeserver and "
            "matrix.user_id (or ALONGSIDE_MATRIX__HOMESERVER and ALONGSIDE_MATRIX__USER_ID)."
        )
    if not (matrix.password or matrix.access_token):
        raise MatrixSetupError(
            "Matrix needs the bot's password or an access token: set matrix.password or "
            "matrix.access_token (with matrix.device_id)."
        )


class MatrixService:
    """The Matrix platform, started and stopped by the runtime (again on each new term
    as the sync owner); `platform` is the running one, None while standing by."""

    def __init__(self, app: App, matrix: MatrixSettings, tuning: Tuning | None = None) -> None:
        self.app = app
        self.settings = matrix
        self.tuning = tuning
        self.platform: AlongsideMatrix | None = None
        self._engine = app.delivery(Telling(_Current(self), self._delivered))
        app.health.platform = self.connected

    async def connected(self) -> str | None:
        """Why the platform is not connected (no sync handled recently), or None if it is
        (or if it stands by while another instance syncs)."""
        if self.platform is None:
            return None
        last = self.platform.conn.last_sync
        tuning = self.platform.conn.tuning
        recent = 2 * tuning.sync_timeout_ms / 1000 + tuning.request_timeout
        if last is None:
            return "no sync yet"
        if time.monotonic() - last > recent:
            return f"last sync {int(time.monotonic() - last)} s ago"
        return None

    @property
    def engine(self) -> DeliveryEngine:
        """The delivery engine sending to Matrix (through the running platform)."""
        return self._engine

    async def start(self, wake: Wake) -> None:
        """Log in and sync once; a homeserver that refuses the bot is a setup error."""
        platform = self.platform = AlongsideMatrix(self.app, self.settings, self.tuning)
        platform.events.wake = wake
        try:
            await platform.start()
        except MatrixRefused as error:
            self.platform = None
            raise MatrixSetupError(f"The homeserver refused the bot: {error}") from None
        await note_device(platform)

    async def wait(self) -> None:
        """Until a loop stops for good (only on a bug: its error is raised)."""
        assert self.platform is not None
        await self.platform.wait()

    async def stop(self) -> None:
        """Finish the batch and the reply in hand, then disconnect."""
        platform, self.platform = self.platform, None
        if platform is not None:
            await platform.stop()

    def _delivered(self, item: Addressed) -> None:
        if self.platform is not None:
            self.platform.pinned.delivered(item)


class _Current:
    """The delivery engine's `Sender`: the running platform's, whichever term it is."""

    def __init__(self, service: MatrixService) -> None:
        self.service = service

    def _sending(self) -> Sending:
        if self.service.platform is None:
            raise MatrixUnavailable("another instance syncs")
        return self.service.platform.sending

    async def send(self, item: Addressed, key: str) -> None:
        """Send one delivery through the running platform."""
        await self._sending().send(item, key)

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether the room's recent history holds it already."""
        return await self._sending().already_sent(item, key)


async def note_device(platform: AlongsideMatrix) -> None:
    """Keep the device next to the sync position; warn when another device carries on
    from it (instances that don't share the store: see the module's docstring)."""
    device = platform.conn.live().device_id or ""
    store: MatrixStore = platform.store
    before = await store.sync_device()
    if before is not None and before != device:
        log.warning(
            "matrix.device_changed",
            hint="Every instance must use the same matrix.store_path and pickle key.",
        )
    if before != device:
        await store.save_sync_device(device)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the bot on Matrix with the real clock until SIGINT or SIGTERM (or `stop`)."""
    check_settings(settings)
    port = port_for(settings.health, DEFAULT_PORT)
    await runtime.serve(
        settings.database_url,
        lambda app: MatrixService(app, settings.matrix),
        stop,
        listen=(settings.health.host, port) if port is not None else None,
        instances=settings.instances,
        one_owner=True,
    )
