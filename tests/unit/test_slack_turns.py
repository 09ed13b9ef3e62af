"""Acknowledging Slack's requests comes before working on those already acknowledged."""

from __future__ import annotations

import asyncio

from bot.platforms.slack.work import Turns


async def test_work_waits_while_requests_are_being_acknowledged() -> None:
    turns = Turns(3, patience=0.05, quiet=0.1)
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
    await asyncio.sleep(0.05)
    assert turns.working == 1  # still one at a time just after the last ack...
    await asyncio.sleep(0.1)
    assert turns.working == 3  # ...then as many as allowed, first come first served
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


async def test_work_waits_between_requests_arriving_close_together() -> None:
    turns = Turns(2, patience=10, quiet=0.05)
    worked: list[int] = []

    async def work(n: int) -> None:
        async with turns.turn():
            worked.append(n)

    tasks = [asyncio.ensure_future(work(n)) for n in range(3)]
    for _ in range(4):  # a request every 10 ms: no gap is quiet enough to start work
        with turns.acknowledge():
            await asyncio.sleep(0)
        await asyncio.sleep(0.01)
    assert worked == []
    await asyncio.gather(*tasks)  # once quiet, all of it, in order
    assert worked == [0, 1, 2]
