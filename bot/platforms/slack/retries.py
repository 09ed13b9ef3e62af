"""One Web API client for the whole process, with patient retries.

One `AsyncWebClient` on one aiohttp session serves the whole process. Its
retry handlers honour 429 Retry-After (several times), retry 5xx answers and
dropped connections with exponential backoff. Posts are left to `SlackSender`,
which looks first whether a post arrived before trying it again. With `metrics`,
every error answer and every retry is counted (by Slack's error code or the HTTP
status, never by what was sent).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.metrics import Metrics
from bot.platforms.slack.installations import Installations
from bot.platforms.slack.workspaces import TeamClient

PLATFORM = "slack"

Sleep = Callable[[float], Awaitable[None]]


def _retry_after(response: HttpResponse) -> float:
    for name, value in response.headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0


class Watch(AsyncRetryHandler):
    """Retries nothing: counts each error answer or failed request (it goes first)."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=0)
        self.metrics = metrics

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        """Count an error, then leave it to the handlers after this one."""
        if error is not None:
            self.metrics.platform_error(PLATFORM, type(error).__name__)
        elif response is not None and response.status_code >= 400:
            self.metrics.platform_error(PLATFORM, f"http_{response.status_code}")
        elif response is not None and (response.body or {}).get("ok") is False:
            self.metrics.platform_error(PLATFORM, str((response.body or {}).get("error")))
        return False


def _counted(metrics: Metrics | None, reason: str) -> None:
    if metrics is not None:
        metrics.retry(PLATFORM, reason)


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler: waits Retry-After (plus up to a second); sleep injectable."""

    def __init__(
        self, max_retry_count: int = 6, sleep: Sleep = asyncio.sleep, metrics: Metrics | None = None
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep
        self.metrics = metrics

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Wait as long as Slack asked, then try again."""
        if response is None:
            raise error or RuntimeError("rate limited without a response")
        _counted(self.metrics, "rate_limited")
        state.next_attempt_requested = True
        await self.sleep(_retry_after(response) + random.random())
        state.increment_current_attempt()


def _is_post(request: HttpRequest) -> bool:
    """A chat.postMessage: SlackSender retries those itself, looking first whether the
    post arrived (Slack can post a message and then fail to say so)."""
    return request.url.rstrip("/").endswith("/chat.postMessage")


class ServerErrorRetry(AsyncServerErrorRetryHandler):
    """Retries 500, 502, 503 and 504 with exponential backoff and jitter (posts excepted)."""

    def __init__(
        self,
        max_retry_count: int = 3,
        backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.backoff = backoff
        self.sleep = sleep
        self.metrics = metrics

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code in (500, 502, 503, 504)
            and not _is_post(request)
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Back off a little longer each time."""
        _counted(self.metrics, "server_error")
        state.next_attempt_requested = True
        await self.sleep(self.backoff * 2**state.current_attempt * (1 + random.random()))
        state.increment_current_attempt()


class ConnectionRetry(AsyncConnectionErrorRetryHandler):
    """Retries dropped or refused connections with exponential backoff (posts excepted)."""

    def __init__(
        self,
        max_retry_count: int = 3,
        backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.backoff = backoff
        self.sleep = sleep
        self.metrics = metrics

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return not _is_post(request) and await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Back off a little longer each time."""
        _counted(self.metrics, "connection")
        state.next_attempt_requested = True
        await self.sleep(self.backoff * 2**state.current_attempt * (1 + random.random()))
        state.increment_current_attempt()


def retry_handlers(
    sleep: Sleep = asyncio.sleep, backoff: float = 0.5, metrics: Metrics | None = None
) -> list[AsyncRetryHandler]:
    """The retry handlers every call shares: connections, 429s, server errors (each error
    and retry counted in `metrics`, if given)."""
    watch: list[AsyncRetryHandler] = [Watch(metrics)] if metrics is not None else []
    return [
        *watch,
        ConnectionRetry(backoff=backoff, sleep=sleep, metrics=metrics),
        RateLimitRetry(sleep=sleep, metrics=metrics),
        ServerErrorRetry(backoff=backoff, sleep=sleep, metrics=metrics),
    ]


def web_client(
    token: str | None,
    session: aiohttp.ClientSession,
    *,
    base_url: str | None = None,
    sleep: Sleep = asyncio.sleep,
    backoff: float = 0.5,
    metrics: Metrics | None = None,
    installations: Installations | None = None,
) -> AsyncWebClient:
    """The one Web API client, on the shared session, with patient retries; with
    `installations` (several workspaces), speaking as the workspace in hand's bot."""
    options: dict[str, Any] = {"base_url": base_url} if base_url else {}
    if installations is not None:
        return TeamClient(
            installations,
            session=session,
            retry_handlers=retry_handlers(sleep, backoff, metrics),
            timeout=30,
            **options,
        )
    return AsyncWebClient(
        token=token,
        session=session,
        retry_handlers=retry_handlers(sleep, backoff, metrics),
        timeout=30,
        **options,
    )
