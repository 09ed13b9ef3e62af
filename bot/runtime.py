"""One runtime for every live platform (Slack, Matrix): build the app, start the platform,
wake the delivery engine, and stop gracefully on SIGINT or SIGTERM.

APScheduler (through `Wakeups`) wakes the delivery engine at each due time and
every minute; a command that changed the schedule pokes it to look again. On
stopping, no new wake-up starts, the one running finishes its sends, then the
platform finishes the work it holds. The console needs none of this: its
virtual clock moves only when told, and it delivers what is due itself.

Several instances may share one PostgreSQL database: each serves commands,
and the one that leads (bot/leadership.py) does the delivery work; the others
take over within seconds if it ends. A platform that must run in one instance
only (`one_owner`: Matrix, which pulls its events) runs in the leader alone,
and the others stand by (bot/ownership.py). On SQLite a second instance
refuses to start (AlreadyRunning).

With `listen` (host, port), /healthz, /readyz and /metrics are served there from
before the platform starts until it has stopped (bot/health.py). A port that is
taken is logged, and the bot runs on without them: people's messages come first.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import signal
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Protocol

import structlog
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.schedulers.base import BaseScheduler

from bot import health
from bot.app import App, build_app
from bot.config import InstanceSettings
from bot.leadership import Leadership, sole_instance
from bot.ownership import Ownership
from bot.platforms.effects import Wake
from scheduler.clock import SystemClock
from scheduler.delivery import DeliveryEngine
from scheduler.instance import Instance
from scheduler.wakeups import Wakeups, wake

log = structlog.get_logger(__name__)

#: How long stopping waits for a wake-up that is sending.
SETTLE_SECONDS = 10.0


class Service(Protocol):
    """A live platform, as the runtime runs it."""

    @property
    def engine(self) -> DeliveryEngine:
        """The delivery engine sending through this platform."""

    async def start(self, wake: Wake) -> None:
        """Connect and take requests; call `wake` after a command that changed the schedule."""

    async def wait(self) -> None:
        """Return (or raise) only if the platform stops by itself."""

    async def stop(self) -> None:
        """Stop taking requests, finish the work in hand and disconnect."""


#: Makes a platform's service for the app (nothing is connected yet).
Connect = Callable[[App], Service]


async def serve(
    database_url: str,
    connect: Connect,
    stop: asyncio.Event | None = None,
    listen: tuple[str, int] | None = None,
    instances: InstanceSettings | None = None,
    one_owner: bool = False,
) -> None:
    """Run a platform with the real clock until SIGINT or SIGTERM, or until `stop` is set;
    serve health and metrics on `listen` (host, port) if given. `one_owner`: on a shared
    database the platform runs only while this instance leads. Raises AlreadyRunning if
    another instance has this SQLite database."""
    settings = instances or InstanceSettings()
    with sole_instance(database_url):
        await _serve(database_url, connect, stop or asyncio.Event(), listen, settings, one_owner)


async def _serve(
    database_url: str,
    connect: Connect,
    stop: asyncio.Event,
    listen: tuple[str, int] | None,
    settings: InstanceSettings,
    one_owner: bool,
) -> None:
    clock = SystemClock()
    app = await build_app(database_url, clock)
    app.instance = dataclasses.replace(
        app.instance, deadline=timedelta(seconds=settings.sending_deadline_seconds)
    )
    listener: health.Listener | None = None
    leadership = Leadership(app.db, settings.check_seconds)
    try:
        with _signals(stop):
            service: Service = connect(app)
            leads = leadership.leads
            owner: Ownership | None = None
            if one_owner and leadership.shared:
                owner = Ownership(service, leadership.leads, grace=settings.check_seconds)
                service, leads = owner, owner.serving
            wakeups = Wakeups(service.engine, clock, leads=leads)
            leadership.changed = _on_lead(wakeups, app.instance, owner)
            leadership.poke = wakeups.poke
            if owner is not None:
                owner.on_serving = wakeups.poke
            app.health.use_wakeups(wakeups)
            running = _RunningWakeups(wakeups.scheduler)
            if listen is not None:
                listener = await _listen(app, *listen)
            try:
                await service.start(leadership.wake)
                await wakeups.start()  # as a follower: it wakes, but delivers nothing yet
                await leadership.start()
                # What start-up made lives as long as the bot: the garbage collector need
                # never walk it again, so its full passes stay short under a burst.
                gc.freeze()
                await _until_stopped(stop, service)
            finally:
                await _wind_down(wakeups, running, service)
                await leadership.stop()
    finally:
        if listener is not None:
            await listener.stop()
        await app.close()


def _on_lead(
    wakeups: Wakeups, instance: Instance, owner: Ownership | None
) -> Callable[[bool], None]:
    """On taking the lead: deliver what is due now, and look again once whatever the last
    leader left in doubt is past its deadline (then it is ours to finish). With an owned
    platform, start or stop it too (it delivers once it is up)."""

    def changed(leading: bool) -> None:
        if owner is not None:
            owner.turned(leading)
        if leading and wakeups.scheduler.running:
            wakeups.poke()
            later = datetime.now(UTC) + instance.deadline + timedelta(seconds=1)
            wakeups.scheduler.add_job(
                wake, "date", run_date=later, args=[wakeups], id="taken-over", replace_existing=True
            )

    return changed


async def _listen(app: App, host: str, port: int) -> health.Listener | None:
    """Start the health listener; if the port can't be had, say so and carry on."""
    try:
        return await health.listen(app.health, app.metrics, host, port, app.feed)
    except OSError as error:
        log.error("health.listen_failed", host=host, port=port, error=str(error))
        return None


@contextlib.contextmanager
def _signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set `stop` (where the loop can take signals)."""
    loop = asyncio.get_running_loop()
    added: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
            added.append(signum)
    try:
        yield
    finally:
        for signum in added:
            loop.remove_signal_handler(signum)


async def _until_stopped(stop: asyncio.Event, service: Service) -> None:
    """Wait for `stop`, or for the platform to stop by itself (raising its error)."""
    stopping = asyncio.ensure_future(stop.wait())
    serving = asyncio.ensure_future(service.wait())
    try:
        await asyncio.wait([stopping, serving], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not serving.done():
            serving.cancel()  # the platform's own loops keep running until service.stop()
    if serving.done() and not serving.cancelled():
        serving.result()


async def _wind_down(wakeups: Wakeups, running: _RunningWakeups, service: Service) -> None:
    """Stop in order: no new wake-ups, the running one finishes (APScheduler's shutdown
    would cancel it mid-send), then the platform finishes what it holds."""
    if wakeups.scheduler.running:
        wakeups.scheduler.pause()
    await running.finished(SETTLE_SECONDS)
    await wakeups.stop()
    await service.stop()


class _RunningWakeups:
    """Counts the wake-ups APScheduler has started and not yet finished."""

    def __init__(self, scheduler: BaseScheduler) -> None:
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()
        scheduler.add_listener(self._started, EVENT_JOB_SUBMITTED)
        scheduler.add_listener(self._ended, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)

    def _started(self, event: JobEvent) -> None:
        self.count += 1
        self.idle.clear()

    def _ended(self, event: JobEvent) -> None:
        self.count = max(self.count - 1, 0)
        if not self.count:
            self.idle.set()

    async def finished(self, seconds: float) -> None:
        """Wait (at most `seconds`) until no wake-up is running."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle.wait(), seconds)
