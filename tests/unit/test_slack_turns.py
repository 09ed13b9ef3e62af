"""Acknowledging Slack's requests comes before working on those already acknowledged."""

from __future__ import annotations

import asyncio

from bot.platforms.slack.work import Turns


async def test_work_waits_while_requests_are_being_acknowledged() -> None:
    turns = Turns(3, patience=0.05)
    working: list[int] = []
    release = asyncio.Event()

    async def work() -> None:
        async with turns.turn():
            working.append(turns.working)
            await release.wait()

    with turns.acknowledge():
        tasks = [asyncio.ensure_future(work()) for _ in range(5)]
        await asyncio.sleep(0)
        assert turns.working == 0  # none while someone waits for their ack...
        await asyncio.sleep(0.2)
        assert turns.working == 1  # ...unless they keep coming: then one at a time
    await asyncio.sleep(0)
    assert turns.working == 3  # then as many as allowed, first come first served
    release.set()
    await asyncio.gather(*tasks)
    assert turns.working == 0 and len(working) == 5


async def test_a_cancelled_wait_gives_its_turn_back() -> None:
    turns = Turns(1)
    held = asyncio.Event()

    async def hold() -> None:
        async with turns.turn():
            await held.wait()

    first = asyncio.ensure_future(hold())
    await asyncio.sleep(0)
    second = asyncio.ensure_future(hold())
    await asyncio.sleep(0)
    second.cancel()
    held.set()
    await asyncio.gather(first, second, return_exceptions=True)
    assert turns.working == 0
    async with turns.turn():
        assert turns.working == 1
