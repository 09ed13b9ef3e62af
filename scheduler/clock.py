"""The injected clock. Everything asks a clock for "now"; nothing calls datetime.now()."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that knows the time, always timezone-aware UTC."""

    def now(self) -> datetime:
        """The current time in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class VirtualClock:
    """A clock that only moves when told to, and never backwards (tests, console, demo)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the virtual clock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The current virtual time in UTC."""
        return self._now

    def set(self, when: datetime) -> None:
        """Move to `when`; refuses to go back in time."""
        if when.tzinfo is None:
            raise ValueError("the virtual clock needs a timezone-aware time")
        when = when.astimezone(UTC)
        if when < self._now:
            raise ValueError("the virtual clock never goes backwards")
        self._now = when

    def advance(self, delta: timedelta) -> None:
        """Move forward by `delta`."""
        if delta < timedelta(0):
            raise ValueError("the virtual clock never goes backwards")
        self._now += delta
