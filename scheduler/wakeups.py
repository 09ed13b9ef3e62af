"""APScheduler only wakes the delivery engine up; the database decides what is due.

Why not let APScheduler hold the reminders? Measured with APScheduler 3's
defaults: jobs that fall due together past the 1 s misfire grace are dropped,
jobs due while the process was down are dropped on restart, a date job is
deleted as it is submitted (a kill mid-run loses it), and two processes
sharing a job store run jobs twice. So the job store here is in memory and
holds nothing that matters: one job at the next due time, a periodic
catch-up, and a slow refresh that plans every group again now and then (a
few groups at a time). They call the module-level `wake` and `refresh`, and
every start-up rebuilds them from the rows. With several instances every one
keeps its jobs, but only the one that `leads` (bot/leadership.py) delivers;
the unique delivery keys would still stop a second one from sending anything
twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.clock import Clock
from scheduler.delivery import DeliveryEngine, Report

log = structlog.get_logger(__name__)

CATCH_UP = timedelta(seconds=60)
#: How often a few groups are planned again, changed or not, and how many at most:
#: up to 1,800 groups an hour (after a start-up, 1,000 groups take about half an hour).
REFRESH_EVERY = timedelta(seconds=10)
REFRESH_BATCH = 5


async def wake(wakeups: Wakeups) -> None:
    """The one job function: deliver what is due, then plan the next wake-up."""
    await wakeups.run_once()


async def refresh(wakeups: Wakeups) -> None:
    """The slow job: plan a few groups again, then move the next wake-up if need be."""
    await wakeups.refresh_some()


class Wakeups:
    """Keeps one APScheduler job at the next due time, plus a periodic catch-up."""

    def __init__(
        self,
        engine: DeliveryEngine,
        clock: Clock,
        catch_up: timedelta = CATCH_UP,
        leads: Callable[[], bool] = lambda: True,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.catch_up = catch_up
        #: Whether this instance leads the delivery work now (followers wake but do nothing).
        self.leads = leads
        self.scheduler = AsyncIOScheduler(
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
        )
        self._lock = asyncio.Lock()
        self._stopped = False
        #: When the engine last woke up (for /readyz); None before the first time.
        self.last_wake: datetime | None = None

    async def start(self) -> Report:
        """Deliver whatever fell due while we were away, then schedule the wake-ups."""
        await self.engine.start()
        self.scheduler.add_job(
            wake,
            "interval",
            seconds=self.catch_up.total_seconds(),
            args=[self],
            id="catch-up",
            replace_existing=True,
        )
        self.scheduler.add_job(
            refresh,
            "interval",
            seconds=REFRESH_EVERY.total_seconds(),
            args=[self],
            id="refresh",
            replace_existing=True,
        )
        self.scheduler.start()
        return await self.run_once()

    async def run_once(self) -> Report:
        """Deliver what is due now and move the next wake-up to the next due time."""
        async with self._lock:
            if self._stopped:  # a wake-up that was already on its way when we stopped
                return Report()
            self.last_wake = self.clock.now()
            if not self.leads():
                return Report()
            report = await self.engine.deliver_due(self.clock.now())
            await self._schedule_next()
            return report

    async def refresh_some(self) -> int:
        """Plan a few groups again (the oldest plans first), one at a time so a wake-up
        waits for one group at most; how many. Only the leading instance does."""
        planned = 0
        for _ in range(REFRESH_BATCH):
            async with self._lock:
                if self._stopped or not self.leads():
                    break
                if not await self.engine.refresh(self.clock.now(), 1):
                    break
                planned += 1
                await self._schedule_next()
        return planned

    async def _schedule_next(self) -> None:
        upcoming = await self.engine.next_due(self.clock.now())
        if self.scheduler.running:
            self.scheduler.add_job(
                wake, "date", run_date=upcoming, args=[self], id="next", replace_existing=True
            )

    def poke(self) -> None:
        """Something changed (a meeting was planned): look again soon."""
        if self.scheduler.running:
            self.scheduler.add_job(wake, args=[self], id="poke", replace_existing=True)

    async def stop(self) -> None:
        """Stop waking up, once a wake-up under way has finished (none starts after);
        jobs are not kept, they are rebuilt from the rows at start."""
        self._stopped = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        async with self._lock:
            pass
