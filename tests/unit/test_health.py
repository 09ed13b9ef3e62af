"""/readyz's checks one by one: the scheduler must run and the delivery engine must have
woken within twice its catch-up interval; the platform says whether it is connected.
And what metrics count: commands by name only (private ones not at all), deliveries
by status with their lag, and a registry per app."""

from __future__ import annotations

import asyncio
import io
import socket
from datetime import timedelta
from pathlib import Path

from bot import runtime
from bot.app import App
from bot.metrics import Metrics
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from scheduler.wakeups import Wakeups
from tests.unit.test_runtime import FakePlatform, connect


async def test_ready_needs_the_scheduler_running_and_a_recent_wake_up(
    app: App, clock: VirtualClock
) -> None:
    health = app.health
    assert set((await health.checks()).values()) == {"ok"}  # the console: no scheduler
    wakeups = Wakeups(Console(app, clock, io.StringIO()).engine, clock)
    health.use_wakeups(wakeups)
    checks = await health.checks()
    assert (checks["scheduler"], checks["wakeup"]) == ("not running", "no wake-up yet")
    await wakeups.start()
    try:
        assert set((await health.checks()).values()) == {"ok"}
        clock.advance(2 * wakeups.catch_up)
        assert (await health.checks())["wakeup"] == "ok"
        clock.advance(timedelta(seconds=1))
        checks = await health.checks()
        assert checks["wakeup"] == "last wake-up 121 s ago"
        await wakeups.run_once()
        assert (await health.checks())["wakeup"] == "ok"
    finally:
        await wakeups.stop()
    assert (await health.checks())["scheduler"] == "not running"


async def test_the_platform_says_whether_it_is_connected(app: App) -> None:
    async def away() -> str | None:
        return "no sync yet"

    app.health.platform = away
    assert (await app.health.checks())["platform"] == "no sync yet"


async def test_commands_are_counted_by_name_and_private_ones_not_at_all(
    app: App, clock: VirtualClock
) -> None:
    console = Console(app, clock, io.StringIO())
    for line in (
        "alice: /group setup Steering group",
        "bob: hello",
        "bob: /agenda add Money worries minutes 10",
        "bob@dm: /concern The room was too hot",
        "bob@dm: /checkin need 1 a quieter room",
        "bob: /nonsense words",
    ):
        await console.line(line)
    scrape = app.metrics.scrape().decode()
    counted = {
        line.split('"')[1]: float(line.split()[-1])
        for line in scrape.splitlines()
        if line.startswith("alongside_commands_total{")
    }
    assert counted == {"group": 1.0, "agenda": 1.0, "unknown": 1.0}
    assert "Money" not in scrape and "bob" not in scrape and "nonsense" not in scrape


def test_each_app_has_a_registry_of_its_own() -> None:
    first, second = Metrics(), Metrics()
    first.delivered("sent", timedelta(minutes=2))
    first.delivered("skipped")
    assert b'alongside_deliveries_total{status="sent"} 1.0' in first.scrape()
    assert b"alongside_delivery_lag_seconds_count 1.0" in first.scrape()
    assert b'status="sent"' not in second.scrape()


async def test_the_runtime_serves_health_and_runs_on_if_the_port_is_taken(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        for where in ("taken", "free"):
            platform = FakePlatform()
            stop = asyncio.Event()
            listen = ("127.0.0.1", port if where == "taken" else 0)
            serving = asyncio.ensure_future(
                runtime.serve(f"sqlite:///{tmp_path / 'bot.db'}", connect(platform), stop, listen)
            )
            async with asyncio.timeout(10):
                await platform.engine.started.wait()  # started, the port taken or not
            stop.set()
            await serving
            assert platform.log == ["start", "stop"]
