"""Requests to the homeserver, retried: rate limits (M_LIMIT_EXCEEDED) wait as long as
the homeserver asks; network errors and 5xx back off and retry a bounded number of
times, then raise, so the caller keeps its work and tries again later."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import structlog
from aiohttp import ClientError
from nio import ErrorResponse, Response, SendRetryError

log = structlog.get_logger(__name__)

T = TypeVar("T", bound=Response)


@dataclass(frozen=True)
class Tuning:
    """Timings, mostly for tests; the defaults suit a real homeserver."""

    sync_timeout_ms: int = 30_000
    timeline_limit: int = 50
    request_timeout: float = 60.0
    attempts: int = 6
    rate_limit_attempts: int = 12
    backoff: float = 0.5
    backoff_cap: float = 30.0
    room_wait: float = 30.0
    keep_handled: timedelta = timedelta(days=2)
    keep_options: timedelta = timedelta(days=30)


@dataclass
class Stats:
    """Counts for logs and tests."""

    batches: int = 0
    handled: int = 0
    replayed: int = 0
    rate_limited: int = 0
    retried: int = 0
    sent: int = 0


class MatrixRefused(Exception):
    """The homeserver said no for good (retrying would not help)."""

    def __init__(self, what: str, response: ErrorResponse) -> None:
        super().__init__(f"{what}: {response}")
        self.errcode = response.status_code or ""


class MatrixUnavailable(Exception):
    """The homeserver could not be reached, failed, or kept limiting us: try again later."""


class AlreadyDone(Exception):
    """A retried request found its work already done (a send already in the room)."""


def _uncounted(kind: str) -> None:
    """Until the platform hands over its metrics, errors and retries go uncounted."""


class Requests:
    """Makes requests with retries, counting them in `stats`; `on_error` and `on_retry`
    hear of each failed request and each retry (for metrics: a reason, never content)."""

    def __init__(self, tuning: Tuning, stats: Stats) -> None:
        self.tuning = tuning
        self.stats = stats
        self.on_error: Callable[[str], None] = _uncounted
        self.on_retry: Callable[[str], None] = _uncounted

    async def call(
        self,
        what: str,
        request: Callable[[], Awaitable[Any]],
        expected: type[T],
        forever: bool = False,
        before_retry: Callable[[], Awaitable[bool]] | None = None,
    ) -> T:
        """One request, retried: rate limits wait as asked; network errors and 5xx back off.

        Raises MatrixRefused for a definite no, MatrixUnavailable once the retries are
        spent (never with `forever`). `before_retry` may say the work is done already
        (then AlreadyDone is raised).
        """
        failures = limited = 0
        while True:
            wait: float | None = None
            try:
                response = await request()
            except (ClientError, OSError, TimeoutError, SendRetryError) as error:
                failures += 1
                reason = type(error).__name__
            else:
                if isinstance(response, expected) and not isinstance(response, ErrorResponse):
                    return response
                if not isinstance(response, ErrorResponse):
                    raise MatrixUnavailable(f"{what}: unexpected {type(response).__name__}")
                status = getattr(response.transport_response, "status", None)
                if response.status_code == "M_LIMIT_EXCEEDED" or status == 429:
                    limited += 1
                    self.stats.rate_limited += 1
                    wait = _retry_after(response)
                    reason = "rate_limited"
                    if limited >= self.tuning.rate_limit_attempts and not forever:
                        raise MatrixUnavailable(f"{what}: still rate limited")
                elif status is None or status >= 500:
                    failures += 1
                    reason = f"http_{status}"
                else:
                    self.on_error(response.status_code or f"http_{status}")
                    raise MatrixRefused(what, response)
            self.on_error(reason)
            if failures >= self.tuning.attempts and not forever:
                raise MatrixUnavailable(f"{what}: gave up after {failures} tries ({reason})")
            if wait is None:
                wait = min(self.tuning.backoff * 2 ** max(failures - 1, 0), self.tuning.backoff_cap)
            self.stats.retried += 1
            self.on_retry(reason)
            log.info("matrix.retry", what=what, reason=reason, wait_ms=int(wait * 1000))
            await asyncio.sleep(wait)
            if before_retry is not None and reason != "rate_limited" and await before_retry():
                raise AlreadyDone


def _retry_after(response: ErrorResponse) -> float:
    if response.retry_after_ms:
        return float(max(response.retry_after_ms, 0)) / 1000
    header = getattr(response.transport_response, "headers", {}).get("Retry-After")
    try:
        return float(header) if header else 5.0
    except ValueError:
        return 5.0
