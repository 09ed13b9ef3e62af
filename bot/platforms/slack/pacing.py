"""Pacing: posts to each channel kept near Slack's one-a-second limit, so fan-out
rarely meets a 429 at all."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.platforms.slack.retries import Sleep


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class Pacer:
    """Spaces posts to each channel: a short burst, then `per_second` (Slack: about 1/s)."""

    burst: int = 3
    per_second: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def wait(self, channel: str) -> None:
        """Return when one more post to `channel` keeps within the pace."""
        async with self._locks.setdefault(channel, asyncio.Lock()):
            bucket = self._buckets.setdefault(channel, _Bucket(float(self.burst), self.clock()))
            self._refill(bucket)
            if bucket.tokens < 1.0:
                await self.sleep((1.0 - bucket.tokens) / self.per_second)
                self._refill(bucket)
                bucket.tokens = max(bucket.tokens, 1.0)
            bucket.tokens -= 1.0

    def forget(self, channel: str) -> None:
        """Stop keeping the pace of a channel no longer used (when no post is waiting)."""
        lock = self._locks.get(channel)
        if lock is None or not lock.locked():
            self._locks.pop(channel, None)
            self._buckets.pop(channel, None)

    def _refill(self, bucket: _Bucket) -> None:
        now = self.clock()
        bucket.tokens = min(
            float(self.burst), bucket.tokens + (now - bucket.updated) * self.per_second
        )
        bucket.updated = now
