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
    """Items written by `write` in groups, one transaction at a time: SQLite has one
    writer at a time, and on PostgreSQL, where a few at once were tried, fewer and
    bigger groups (fewer round trips) answered sooner under a burst."""

    def __init__(self, write: Write[T]) -> None:
        self.write = write
        self._waiting: list[tuple[T, asyncio.Future[bool]]] = []
        self._running: set[asyncio.Future[None]] = set()
        self._starting = False

    async def __call__(self, item: T) -> bool:
        """Write `item` with the next group; its answer once that group is committed.
        A group starts once what is already ready to run has run, so requests that
        arrived together are written together."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bool] = loop.create_future()
        self._waiting.append((item, answer))
        if not self._starting:
            self._starting = True
            loop.call_soon(self._start)
        return await answer

    def _start(self) -> None:
        self._starting = False
        while self._waiting and not self._running:
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
