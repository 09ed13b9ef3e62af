"""Waiting out a busy database instead of failing the person.

Under a burst, SQLite can answer "database is locked" when two writers meet
(it refuses at once rather than risk a deadlock). The work was rolled back,
so it is safe to do again: this tries again a few times, a little later
each time, before giving up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

T = TypeVar("T")

ATTEMPTS = 6


def is_locked(error: BaseException) -> bool:
    """Whether the database said it was busy with another writer."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)


async def when_unlocked(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` (a whole transaction), again if the database was locked."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(is_locked),
        wait=wait_random_exponential(multiplier=0.05, max=2),
        stop=stop_after_attempt(ATTEMPTS),
        reraise=True,
    ):
        with attempt:
            return await work()
    raise AssertionError("unreachable: tenacity re-raises the last error")
