"""Matrix as the runtime runs it: settings checked first, then the platform."""

from __future__ import annotations

import asyncio
import time

from bot import runtime
from bot.app import App
from bot.config import MatrixSettings, Settings
from bot.health import DEFAULT_PORT, port_for
from bot.platforms.effects import Wake
from bot.platforms.matrix.calls import MatrixRefused
from bot.platforms.matrix.platform import AlongsideMatrix
from scheduler.delivery import DeliveryEngine


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
    """The Matrix platform, started and stopped by the runtime."""

    def __init__(self, app: App, matrix: MatrixSettings) -> None:
        self.platform = AlongsideMatrix(app, matrix)
        app.health.platform = self.connected

    async def connected(self) -> str | None:
        """Why the platform is not connected (no sync handled recently), or None if it is."""
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
        """The delivery engine sending to Matrix."""
        return self.platform.engine

    async def start(self, wake: Wake) -> None:
        """Log in and sync once; a homeserver that refuses the bot is a setup error."""
        self.platform.events.wake = wake
        try:
            await self.platform.start()
        except MatrixRefused as error:
            raise MatrixSetupError(f"The homeserver refused the bot: {error}") from None

    async def wait(self) -> None:
        """Until a loop stops for good (only on a bug: its error is raised)."""
        await self.platform.wait()

    async def stop(self) -> None:
        """Finish the batch and the reply in hand, then disconnect."""
        await self.platform.stop()


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
    )
