"""Prometheus metrics, one registry per app (so tests and several apps never collide).

What is counted never names a person or repeats what anyone typed: commands by
name only (private ones, like /concern, are not counted at all: not even when
they happened), deliveries by status, how late due messages went out, and the
platform's errors and retries.
"""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

#: The content type of a scrape (Prometheus text format).
CONTENT_TYPE = CONTENT_TYPE_LATEST

#: Seconds between a message's due time and its sending: on time, then minutes, then hours.
LAG_BUCKETS = (0.0, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600)


class Metrics:
    """The app's counters and histograms, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "alongside_commands",
            "Commands run, by command name (never its words or who ran it).",
            ["command"],
            registry=self.registry,
        )
        self.deliveries = Counter(
            "alongside_deliveries",
            "Deliveries by status: sent, failed, skipped, summarised, digested, recovered.",
            ["status"],
            registry=self.registry,
        )
        self.lag = Histogram(
            "alongside_delivery_lag_seconds",
            "How long after its due time a message was sent.",
            buckets=LAG_BUCKETS,
            registry=self.registry,
        )
        self.platform_errors = Counter(
            "alongside_platform_errors",
            "Errors from the chat platform, by platform and kind.",
            ["platform", "kind"],
            registry=self.registry,
        )
        self.retries = Counter(
            "alongside_platform_retries",
            "Requests to the chat platform tried again, by platform and reason.",
            ["platform", "reason"],
            registry=self.registry,
        )

    def command(self, name: str) -> None:
        """Count one command run (by its name only)."""
        self.commands.labels(command=name).inc()

    def delivered(self, status: str, lag: timedelta | None = None) -> None:
        """Count one delivery by status; `lag` (sent minus due) for a message sent."""
        self.deliveries.labels(status=status).inc()
        if lag is not None:
            self.lag.observe(max(lag.total_seconds(), 0.0))

    def platform_error(self, platform: str, kind: str) -> None:
        """Count one error from the chat platform."""
        self.platform_errors.labels(platform=platform, kind=kind).inc()

    def retry(self, platform: str, reason: str) -> None:
        """Count one request tried again."""
        self.retries.labels(platform=platform, reason=reason).inc()

    def scrape(self) -> bytes:
        """Everything, in Prometheus' text format."""
        return generate_latest(self.registry)
