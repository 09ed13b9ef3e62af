"""Measures the delivery engine and the router against baselines taken in the same run.

Baselines:
- delivery: writing the same number of delivery rows with two commits each (the
  claim and the confirmation every delivery needs), with no planning at all;
- router: the same number of bare database round trips (find the group by channel).
The ratio says how much the engine's planning and the router's work add.
"""

from __future__ import annotations

import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.app import App, build_app
from handlers.core.messages import Addressed
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Delivery
from storage.uow import UnitOfWork

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MEMBERS = 25


class NullSender:
    """A platform that accepts everything instantly."""

    def __init__(self) -> None:
        self.count = 0

    async def send(self, item: Addressed, key: str) -> None:
        self.count += 1

    async def already_sent(self, item: Addressed, key: str) -> bool:
        return False


async def _say(app: App, who: str, text: str) -> None:
    await app.handle(Incoming("console", who, who, text, "group"))


async def weekly_group(app: App, members: int) -> None:
    """A group of `members` with a weekly meeting, made the way people make it."""
    await _say(app, "alice", "/group setup Bench group")
    for n in range(1, members):
        await _say(app, f"m{n:02d}", "hello")
    await _say(app, "alice", "/meeting new Weekly 2026-12-07 14:00 every week for 45m")


async def _setup(app: App) -> None:
    await weekly_group(app, MEMBERS)
    await _say(app, "alice", "/agenda add Welcome")


async def bench_delivery(folder: Path) -> tuple[float, float, int, int]:
    clock = VirtualClock(START)
    app = await build_app(str(folder / "delivery.db"), clock)
    await _setup(app)
    sender = NullSender()
    engine = app.delivery(sender)
    began = time.perf_counter()
    await fast_forward(engine, clock, datetime(2027, 1, 5, tzinfo=UTC))
    engine_seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    began = time.perf_counter()
    for n in range(sender.count):
        async with app.db.sessions() as session:
            row = Delivery(key=f"baseline:{n}", status="sending", due_at=START, claimed_at=START)
            session.add(row)
            await session.commit()
            row.status = "sent"
            await session.commit()
    baseline_seconds = time.perf_counter() - began
    await app.close()
    return engine_seconds, baseline_seconds, sender.count, peak


async def bench_router(folder: Path, count: int = 300) -> tuple[float, float]:
    clock = VirtualClock(START)
    app = await build_app(str(folder / "router.db"), clock)
    await _setup(app)
    began = time.perf_counter()
    for n in range(count):
        await _say(app, f"m{(n % (MEMBERS - 1)) + 1:02d}", "/agenda")
    router_seconds = time.perf_counter() - began
    began = time.perf_counter()
    for _ in range(count):
        async with UnitOfWork(app.db.sessions) as uow:
            await uow.groups.in_channel("console", "group")
    baseline_seconds = time.perf_counter() - began
    await app.close()
    return router_seconds, baseline_seconds


async def run() -> None:
    """Both figures with their baselines, printed."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine_s, base_s, count, peak = await bench_delivery(folder)
        print(f"delivery: {count} deliveries over 5 weekly meetings for {MEMBERS} people")
        print(f"  engine    {engine_s:6.2f} s  ({count / engine_s:7.1f} deliveries/s)")
        print(f"  baseline  {base_s:6.2f} s  ({count / base_s:7.1f} claim+confirm writes/s)")
        print(f"  ratio     {engine_s / base_s:6.2f}x the bare writes")
        print(f"  memory    {peak / 1024 / 1024:6.1f} MiB peak resident size of the process")
        router_s, router_base = await bench_router(folder)
        print("router: 300 /agenda commands")
        print(f"  router    {router_s:6.2f} s  ({300 / router_s:7.1f} commands/s)")
        print(f"  baseline  {router_base:6.2f} s  ({300 / router_base:7.1f} bare lookups/s)")
        print(f"  ratio     {router_s / router_base:6.2f}x a bare lookup")
