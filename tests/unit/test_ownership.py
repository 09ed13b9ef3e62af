"""One sync owner at a time: a platform that pulls its events (Matrix) runs only in the
instance that leads; the others stand by and one takes over when it ends.

A fake platform stands in for Matrix. The first tests drive `Ownership` by hand;
the last runs two real runtimes on one PostgreSQL database."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot import runtime
from bot.app import App
from bot.config import InstanceSettings
from bot.ownership import Ownership
from bot.platforms.effects import Wake
from scheduler.delivery import Report


class IdleEngine:
    """A delivery engine with nothing to send; `ran` once a wake-up was allowed to send."""

    def __init__(self) -> None:
        self.ran = asyncio.Event()

    async def start(self) -> None:
        """Nothing planned to forget."""

    async def refresh(self, now: datetime, limit: int) -> int:
        return 0

    async def deliver_due(self, now: datetime) -> Report:
        self.ran.set()
        return Report()

    async def next_due(self, now: datetime) -> datetime:
        return now + timedelta(hours=1)


class FakePlatform:
    """Records its terms; `die()` makes the running one stop by itself."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.engine = IdleEngine()
        self.up = asyncio.Event()
        self.down = asyncio.Event()
        self._dead = asyncio.Event()

    async def start(self, wake: Wake) -> None:
        self.log.append("start")
        self.down.clear()
        self.up.set()

    async def wait(self) -> None:
        await self._dead.wait()
        raise RuntimeError("the sync loop hit a bug")

    async def stop(self) -> None:
        self.log.append("stop")
        self.up.clear()
        self.down.set()

    def die(self) -> None:
        self._dead.set()


class Lead:
    """Whether this instance leads, turned by hand."""

    def __init__(self) -> None:
        self.leading = False

    def __call__(self) -> bool:
        return self.leading


async def turn(owner: Ownership, lead: Lead, leading: bool) -> None:
    lead.leading = leading
    owner.turned(leading)


async def test_a_follower_stands_by_and_runs_the_platform_only_while_it_leads() -> None:
    platform, lead = FakePlatform(), Lead()
    owner = Ownership(platform, lead, grace=0)  # type: ignore[arg-type]
    served: list[bool] = []
    owner.on_serving = lambda: served.append(owner.serving())
    async with asyncio.timeout(5):
        await owner.start(lambda: None)
        await asyncio.sleep(0)
        assert platform.log == [] and not owner.serving()

        await turn(owner, lead, True)
        await platform.up.wait()
        await asyncio.sleep(0)
        assert owner.serving() and served == [True]

        await turn(owner, lead, False)  # the database let go of our lock
        assert not owner.serving()  # deliveries stop at once
        await platform.down.wait()

        await turn(owner, lead, True)  # a new term, started afresh
        await platform.up.wait()
        await owner.stop()
    assert platform.log == ["start", "stop", "start", "stop"]
    assert not owner.serving()


async def test_a_lead_lost_again_within_the_grace_never_starts_the_platform() -> None:
    platform, lead = FakePlatform(), Lead()
    owner = Ownership(platform, lead, grace=0.05)  # type: ignore[arg-type]
    async with asyncio.timeout(5):
        await owner.start(lambda: None)
        await turn(owner, lead, True)
        await asyncio.sleep(0)
        await turn(owner, lead, False)
        await asyncio.sleep(0.1)
        await owner.stop()
    assert platform.log == []


async def test_a_platform_that_dies_while_owned_says_why() -> None:
    platform, lead = FakePlatform(), Lead()
    owner = Ownership(platform, lead, grace=0)  # type: ignore[arg-type]
    async with asyncio.timeout(5):
        await owner.start(lambda: None)
        await turn(owner, lead, True)
        await platform.up.wait()
        platform.die()
        with pytest.raises(RuntimeError, match="hit a bug"):
            await owner.wait()
        await owner.stop()
    assert platform.log == ["start", "stop"]


def connect(platform: FakePlatform) -> runtime.Connect:
    def make(app: App) -> FakePlatform:
        return platform

    return make


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_on_postgresql_one_instance_owns_the_platform_and_another_takes_over(
    database_url: str,
) -> None:
    platforms = FakePlatform(), FakePlatform()
    stops = asyncio.Event(), asyncio.Event()
    quick = InstanceSettings(check_seconds=0.2)
    runs = [
        asyncio.ensure_future(
            runtime.serve(database_url, connect(p), stop, instances=quick, one_owner=True)
        )
        for p, stop in zip(platforms, stops, strict=True)
    ]
    try:
        async with asyncio.timeout(20):
            ups = [asyncio.ensure_future(p.up.wait()) for p in platforms]
            await asyncio.wait(ups, return_when=asyncio.FIRST_COMPLETED)
            for up in ups:
                up.cancel()
            first = 0 if platforms[0].up.is_set() else 1
            owner, other = platforms[first], platforms[1 - first]
            await asyncio.sleep(1)  # five of the other's tries for the lead
            assert other.log == [] and owner.log == ["start"]
            assert owner.engine.ran.is_set() and not other.engine.ran.is_set()

            stops[first].set()  # the owner stops: it stops its platform, then lets go
            await runs[first]
            await other.up.wait()
            assert owner.log == ["start", "stop"] and other.log == ["start"]
            await other.engine.ran.wait()  # it delivers what is due once it is up
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*runs, return_exceptions=True)
    assert other.log == ["start", "stop"]
