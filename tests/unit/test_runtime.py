"""The runtime every live platform shares: it starts the platform, wakes the delivery
engine when poked, and on stopping lets the wake-up in hand finish before the platform
stops. A fake platform and a slow fake engine stand in for Slack or Matrix."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import runtime
from bot.app import App
from bot.platforms.effects import Wake
from scheduler.delivery import Report


class SlowEngine:
    """A delivery engine whose every run after the first (at start) takes a while."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.runs = 0
        self.started = asyncio.Event()
        self.sending = asyncio.Event()

    async def start(self) -> None:
        """Nothing planned to forget."""

    async def refresh(self, now: datetime, limit: int) -> int:
        return 0

    async def deliver_due(self, now: datetime) -> Report:
        self.runs += 1
        self.started.set()
        if self.runs > 1:
            self.sending.set()
            await asyncio.sleep(0.3)
            self.log.append("delivered")
        return Report()

    async def next_due(self, now: datetime) -> datetime:
        return now + timedelta(hours=1)


class FakePlatform:
    """Records what the runtime asks of it; `failing` makes it stop by itself."""

    def __init__(self, failing: bool = False) -> None:
        self.log: list[str] = []
        self.engine = SlowEngine(self.log)
        self.failing = failing
        self.wake: Wake | None = None

    async def start(self, wake: Wake) -> None:
        self.log.append("start")
        self.wake = wake

    async def wait(self) -> None:
        if self.failing:
            raise RuntimeError("the connection is gone for good")
        await asyncio.Event().wait()

    async def stop(self) -> None:
        self.log.append("stop")


def connect(platform: FakePlatform) -> runtime.Connect:
    def make(app: App) -> FakePlatform:
        return platform

    return make


async def test_a_poke_wakes_the_engine_and_stopping_lets_that_wake_up_finish(
    tmp_path: Path,
) -> None:
    platform = FakePlatform()
    stop = asyncio.Event()
    serving = asyncio.ensure_future(
        runtime.serve(f"sqlite:///{tmp_path / 'bot.db'}", connect(platform), stop)
    )
    async with asyncio.timeout(10):
        await platform.engine.started.wait()  # what fell due while away is delivered first
        assert platform.wake is not None
        platform.wake()
        await platform.engine.sending.wait()
        stop.set()  # as SIGTERM does, while the wake-up is sending
        await serving
    assert platform.log == ["start", "delivered", "stop"]


async def test_a_platform_that_stops_by_itself_is_stopped_in_order_and_says_why(
    tmp_path: Path,
) -> None:
    platform = FakePlatform(failing=True)
    with pytest.raises(RuntimeError, match="gone for good"):
        await asyncio.wait_for(
            runtime.serve(f"sqlite:///{tmp_path / 'bot.db'}", connect(platform)), 10
        )
    assert platform.log == ["start", "stop"]
