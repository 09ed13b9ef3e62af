"""Health and metrics over HTTP: /healthz, /readyz and /metrics.

/calendar/<token>.ics serves members' private calendar links (bot/calendar_feed.py).

/healthz says the process is up (always 200). /readyz is 200 only when the
database answers, the platform is connected, the scheduler is running and the
delivery engine woke up recently (within twice its catch-up interval); else
503, with a small JSON body saying which check failed. /metrics is Prometheus'
text format (bot/metrics.py).

Slack over HTTP serves them on its own port; Matrix and Slack Socket Mode on a
small listener of their own (127.0.0.1:8080 by default); the console only when
a port is set (ALONGSIDE_HEALTH__PORT).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web
from sqlalchemy import text

from bot.calendar_feed import CalendarFeed
from bot.config import HealthSettings
from bot.metrics import CONTENT_TYPE, Metrics
from scheduler.clock import Clock
from scheduler.wakeups import Wakeups
from storage.db import Database

log = structlog.get_logger(__name__)

#: The port of the health listener for Matrix and Slack Socket Mode, unless set.
DEFAULT_PORT = 8080
#: How long the database may take to answer `SELECT 1`.
DATABASE_SECONDS = 3.0
OK = "ok"

#: Says why the platform is not connected, or None if it is.
PlatformCheck = Callable[[], Awaitable[str | None]]


async def _connected() -> str | None:
    return None


class Health:
    """What /readyz looks at. The platform sets `platform`; the runtime sets `wakeups`
    (the console has none: its clock moves only on command, and it delivers then)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.platform: PlatformCheck = _connected
        self.wakeups: Wakeups | None = None
        self.scheduled = False

    def use_wakeups(self, wakeups: Wakeups) -> None:
        """From now on, ready only while these wake-ups run."""
        self.wakeups = wakeups
        self.scheduled = True

    async def checks(self) -> dict[str, str]:
        """Each check's result: "ok", or a few words on what is wrong."""
        return {
            "database": await self._database(),
            "platform": await self.platform() or OK,
            "scheduler": self._scheduler(),
            "wakeup": self._wakeup(),
        }

    async def _database(self) -> str:
        try:
            async with asyncio.timeout(DATABASE_SECONDS):
                async with self.db.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except TimeoutError:
            return "no answer in time"
        except Exception as error:  # whatever the driver raises: not ready
            log.warning("health.database_failed", error=type(error).__name__)
            return f"unreachable ({type(error).__name__})"
        return OK

    def _scheduler(self) -> str:
        if not self.scheduled:
            return OK
        if self.wakeups is None or not self.wakeups.scheduler.running:
            return "not running"
        return OK

    def _wakeup(self) -> str:
        if not self.scheduled or self.wakeups is None:
            return OK
        last = self.wakeups.last_wake
        if last is None:
            return "no wake-up yet"
        if self.clock.now() - last > 2 * self.wakeups.catch_up:
            return f"last wake-up {int((self.clock.now() - last).total_seconds())} s ago"
        return OK


def add_routes(
    application: web.Application,
    health: Health,
    metrics: Metrics,
    feed: CalendarFeed | None = None,
) -> None:
    """Serve /healthz, /readyz and /metrics from `application` (and members' private
    calendar links, given their `feed`)."""

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(request: web.Request) -> web.Response:
        checks = await health.checks()
        failed = [name for name, result in checks.items() if result != OK]
        body = {"ready": not failed, "failed": failed, "checks": checks}
        return web.json_response(body, status=503 if failed else 200)

    async def scrape(request: web.Request) -> web.Response:
        response = web.Response(body=metrics.scrape())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

    application.router.add_get("/healthz", healthz)
    application.router.add_get("/readyz", readyz)
    application.router.add_get("/metrics", scrape)
    if feed is not None:
        feed.add_route(application)


class Listener:
    """A running health listener: where it listens, and how to stop it."""

    def __init__(self, runner: web.AppRunner) -> None:
        self.runner = runner
        self.host, self.port = runner.addresses[0][:2]

    @property
    def url(self) -> str:
        """Its address, like http://127.0.0.1:8080."""
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        """Stop listening."""
        await self.runner.cleanup()


async def listen(
    health: Health, metrics: Metrics, host: str, port: int, feed: CalendarFeed | None = None
) -> Listener:
    """Start the health listener on host:port (port 0: any free port), with members'
    private calendar links if `feed` is given."""
    application = web.Application()
    add_routes(application, health, metrics, feed)
    runner = web.AppRunner(application, access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    listener = Listener(runner)
    log.info("health.listening", host=listener.host, port=listener.port)
    return listener


def port_for(settings: HealthSettings, default: int | None) -> int | None:
    """The port to listen on: the one set, else the platform's default (None: no listener)."""
    return settings.port if settings.port is not None else default
