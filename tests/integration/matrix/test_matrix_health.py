"""Matrix serves /healthz, /readyz and /metrics on a small listener of its own (bound to
127.0.0.1): ready once it has synced and the engine has woken; 503 naming the database
while the database is away; ready again when it is back."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import runtime
from bot.app import App
from bot.config import HealthSettings, MatrixSettings, Settings
from bot.platforms.matrix.service import serve
from tests.integration.matrix.homeserver import Homeserver, free_port
from tests.integration.matrix.world import make_world
from tests.integration.test_health import assert_readiness_follows_the_database, get, readyz

pytestmark = pytest.mark.matrix


async def test_matrix_readiness_follows_the_database(
    homeserver: Homeserver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world(homeserver, tmp_path)
    apps: list[App] = []
    real_build = runtime.build_app

    async def build(url: str, clock: Any) -> App:
        apps.append(await real_build(url, clock))
        return apps[-1]

    monkeypatch.setattr(runtime, "build_app", build)
    port = free_port()
    settings = Settings(
        database_url=world.database_url,
        matrix=MatrixSettings(
            homeserver=homeserver.base_url,
            user_id=world.bot.user_id,
            password=world.bot.password,
            store_path=str(world.store),
            encrypt_dms=False,
        ),
        health=HealthSettings(port=port),
    )
    stop = asyncio.Event()
    serving = asyncio.ensure_future(serve(settings, stop))
    base = f"http://127.0.0.1:{port}"
    try:
        async with asyncio.timeout(30):
            while True:  # until the first sync is handled and the engine has woken once
                with contextlib.suppress(aiohttp.ClientError):
                    if (await readyz(base))[0] == 200:
                        break
                assert not serving.done(), serving.exception()
                await asyncio.sleep(0.05)
        await assert_readiness_follows_the_database(apps[0], base)
        status, scrape = await get(f"{base}/metrics")
        assert status == 200 and "alongside_platform_retries_total" in scrape
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=40)
