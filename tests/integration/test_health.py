"""Health and metrics over HTTP: /healthz, /readyz and /metrics on the console, Slack and
Matrix. /readyz turns 503 (naming the database) while the database is away and 200 again
when it is back; a scrape shows the delivery counters move during a fast-forward."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.config import HealthSettings, Settings, SlackSettings
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from storage.db import async_url
from tests.integration.test_console_attendance import START

SETUP = (
    "alice: /group setup Steering group",
    "bob: hello",
    "alice: /meeting new Steering 2026-12-05 14:00 for 2h at Room 4",
    "bob@dm: /concern The room was too hot",
)


async def get(url: str) -> tuple[int, str]:
    """GET a URL: (status, body)."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def readyz(base: str) -> tuple[int, dict[str, Any]]:
    """GET /readyz: (status, its JSON body)."""
    async with aiohttp.ClientSession() as session, session.get(f"{base}/readyz") as response:
        return response.status, await response.json()


def counter(scrape: str, name: str, **labels: str) -> float:
    """One sample's value from a Prometheus text scrape (0 if it isn't there)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in scrape.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if match and match.group(1) == name and (match.group(2) or "") == wanted:
            return float(match.group(3))
    return 0.0


@contextlib.asynccontextmanager
async def database_away(app: App) -> AsyncIterator[None]:
    """The database can't be reached inside the block, and is back (unchanged) after it.

    SQLite: the file is moved aside and a folder takes its place, so it can't be opened;
    PostgreSQL: the database stops taking connections and its sessions are ended.
    """
    url = make_url(app.db.url)
    await app.db.engine.dispose()  # pooled connections would keep an SQLite file open
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        aside = path.with_name(path.name + ".aside")
        os.replace(path, aside)
        os.mkdir(path)
        try:
            yield
        finally:
            os.rmdir(path)
            os.replace(aside, path)
        return
    admin = create_async_engine(
        async_url(url.set(database="postgres").render_as_string(hide_password=False)),
        isolation_level="AUTOCOMMIT",
    )
    name = url.database
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            await conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
        yield
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        await admin.dispose()


async def assert_readiness_follows_the_database(app: App, base: str) -> None:
    """/readyz: 200, then 503 naming the database while it is away, then 200 again."""
    status, body = await readyz(base)
    assert (status, body["failed"]) == (200, []), body
    async with database_away(app):
        status, body = await readyz(base)
        assert status == 503
        assert body["failed"] == ["database"]
        assert body["checks"]["database"].startswith("unreachable")
        assert await get(f"{base}/healthz") == (200, "ok")  # alive, only not ready
    status, body = await readyz(base)
    assert (status, body["failed"]) == (200, []), body


async def test_console_health_readiness_and_metrics(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out, health=HealthSettings(port=0))
    listener = await console.serve_health()
    assert listener is not None and listener.host == "127.0.0.1"
    base = listener.url
    try:
        assert await get(f"{base}/healthz") == (200, "ok")
        await assert_readiness_follows_the_database(app, base)

        for line in SETUP:
            await console.line(line)
        _, before = await get(f"{base}/metrics")
        await console.line(":advance 2d")  # 'the agenda is empty' to alice on Tuesday
        status, after = await get(f"{base}/metrics")
        assert status == 200
        sent = "alongside_deliveries_total"
        assert counter(after, sent, status="sent") > counter(before, sent, status="sent")
        lag = "alongside_delivery_lag_seconds_count"
        assert counter(after, lag) > counter(before, lag)
        # fast-forward stops the clock at each due time: nothing went out late
        assert counter(after, "alongside_delivery_lag_seconds_bucket", le="0.0") == counter(
            after, lag
        )
        assert counter(after, "alongside_commands_total", command="group") == 1
        assert counter(after, "alongside_commands_total", command="meeting") == 1
        # a private command is not counted at all, and nobody's name or words appear
        assert "concern" not in after
        assert "alice" not in after and "too hot" not in after
    finally:
        await listener.stop()
        await app.close()


async def test_console_health_only_on_a_port_set_and_free(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    try:
        console = Console(app, clock, out=io.StringIO(), health=HealthSettings())
        assert await console.serve_health() is None
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            out = io.StringIO()
            port = int(taken.getsockname()[1])
            console = Console(app, clock, out=out, health=HealthSettings(port=port))
            assert await console.serve_health() is None
            assert out.getvalue().startswith(
                f"[console] Health checks are off: I couldn't listen on 127.0.0.1:{port}"
            )
    finally:
        await app.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def slack_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **slack: Any
) -> AsyncIterator[tuple[App, Settings]]:
    """alongside on Slack (against the mock Web API) through the real runtime, until the
    block ends; yields the app and the settings it runs with."""
    from bot import runtime
    from bot.platforms.slack.service import serve
    from tests.integration.slack.harness import BOT_TOKEN
    from tests.integration.slack.mock_api import MockSlackAPI

    mock = MockSlackAPI(users={"UALICE": "alice"}, members={}, channels={})
    await mock.start()
    apps: list[App] = []
    built = asyncio.Event()
    real_build = runtime.build_app

    async def build(url: str, clock: Any) -> App:
        apps.append(await real_build(url, clock))
        built.set()
        return apps[-1]

    monkeypatch.setattr(runtime, "build_app", build)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'slack.db'}",
        slack=SlackSettings(bot_token=BOT_TOKEN, api_url=mock.base_url, **slack),
        health=HealthSettings(port=free_port()),
    )
    stop = asyncio.Event()
    serving = asyncio.ensure_future(serve(settings, stop))
    try:
        await asyncio.wait_for(built.wait(), 20)
        yield apps[0], settings
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=20)
        await mock.stop()


async def until_ready(base: str) -> None:
    """Wait until /readyz says ready (the platform started, the engine woke once)."""
    async with asyncio.timeout(20):
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                if (await readyz(base))[0] == 200:
                    return
            await asyncio.sleep(0.05)


@pytest.mark.slack
async def test_slack_over_http_serves_readiness_on_its_own_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.integration.slack.harness import SIGNING_SECRET

    port = free_port()
    async with slack_serving(
        tmp_path, monkeypatch, signing_secret=SIGNING_SECRET, host="127.0.0.1", port=port
    ) as (app, _):
        base = f"http://127.0.0.1:{port}"
        await until_ready(base)
        await assert_readiness_follows_the_database(app, base)
        status, scrape = await get(f"{base}/metrics")
        assert status == 200 and "alongside_deliveries_total" in scrape


@pytest.mark.slack
async def test_slack_socket_mode_serves_health_on_a_listener_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with slack_serving(tmp_path, monkeypatch, app_token="xapp-1-A0TEST-1-secret") as (
        _,
        settings,
    ):
        base = f"http://127.0.0.1:{settings.health.port}"
        await until_ready(base)
        status, body = await readyz(base)
        assert body["checks"]["platform"] == "ok"  # Socket Mode is connected
        status, scrape = await get(f"{base}/metrics")
        assert status == 200 and "alongside_platform_errors_total" in scrape


@pytest.mark.slack
async def test_slack_errors_and_retries_are_counted_by_kind() -> None:
    from slack_sdk.errors import SlackApiError

    from bot.metrics import Metrics
    from bot.platforms.slack.retries import web_client
    from tests.integration.slack.harness import BOT_TOKEN
    from tests.integration.slack.mock_api import MockSlackAPI

    async def no_wait(seconds: float) -> None:
        return None

    metrics = Metrics()
    mock = MockSlackAPI(users={"UALICE": "alice"}, members={}, channels={})
    await mock.start()
    mock.fail_next("users.info", status=503)
    mock.fail_next("users.info", status=429, retry_after=1)
    mock.fail_next("users.info", error="user_not_found")
    try:
        async with aiohttp.ClientSession() as session:
            client = web_client(
                BOT_TOKEN, session, base_url=mock.base_url, sleep=no_wait, metrics=metrics
            )
            with pytest.raises(SlackApiError):
                await client.users_info(user="UALICE")
    finally:
        await mock.stop()
    scrape = metrics.scrape().decode()
    errors, retries = "alongside_platform_errors_total", "alongside_platform_retries_total"
    assert counter(scrape, errors, kind="http_503", platform="slack") == 1
    assert counter(scrape, errors, kind="http_429", platform="slack") == 1
    assert counter(scrape, errors, kind="user_not_found", platform="slack") == 1
    assert counter(scrape, retries, platform="slack", reason="server_error") == 1
    assert counter(scrape, retries, platform="slack", reason="rate_limited") == 1
