"""Writes committed in groups: what arrives while a transaction is being committed goes
into the next one, so a burst costs a few commits, not one each."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from storage.locked import when_unlocked

T = TypeVar("T")

#: Writes one group in one transaction; returns one answer per item, in order.
Write = Callable[[Sequence[T]], Awaitable[Sequence[bool]]]


class Grouped(Generic[T]):
    """Items written by `write` in groups, up to `parallel` transactions at once (SQLite:
    one, as it has one writer at a time; PostgreSQL: a few, so a new group need not
    wait for the one being committed)."""

    def __init__(self, write: Write[T], parallel: int = 1) -> None:
        self.write = write
        self.parallel = parallel
        self._waiting: list[tuple[T, asyncio.Future[bool]]] = []
        self._running: set[asyncio.Future[None]] = set()

    async def __call__(self, item: T) -> bool:
        """Write `item` with the next group; its answer once that group is committed."""
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, answer))
        self._start()
        return await answer

    def _start(self) -> None:
        while self._waiting and len(self._running) < self.parallel:
            group, self._waiting = self._waiting, []
            task = asyncio.ensure_future(self._commit(group))
            self._running.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Future[None]) -> None:
        self._running.discard(task)
        self._start()

    async def _commit(self, group: list[tuple[T, asyncio.Future[bool]]]) -> None:
        """Write one group, waiting out a busy database; tell everyone in it how it went."""
        try:
            answers = await when_unlocked(functools.partial(self.write, [i for i, _ in group]))
        except Exception as error:
            for _, answer in group:
                if not answer.done():
                    answer.set_exception(error)
            return
        for (_, answer), value in zip(group, answers, strict=True):
            if not answer.done():
                answer.set_result(value)
