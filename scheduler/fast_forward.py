"""Moving a virtual clock on as if the time had really passed: used by the console and tests."""

from __future__ import annotations

from datetime import datetime

from scheduler.clock import VirtualClock
from scheduler.delivery import DeliveryEngine, Report


async def fast_forward(engine: DeliveryEngine, clock: VirtualClock, target: datetime) -> Report:
    """Move a virtual clock to `target`, delivering at each due time on the way, in order,
    as if the time had really passed (so nothing counts as late)."""
    total = await engine.deliver_due(clock.now())  # what fell due this very moment
    while True:
        upcoming = await engine.next_due(clock.now())
        if upcoming > target:
            break
        clock.set(upcoming)
        _add(total, await engine.deliver_due(upcoming))
    clock.set(target)
    _add(total, await engine.deliver_due(target))
    return total


def _add(total: Report, part: Report) -> None:
    total.sent += part.sent
    total.summarised += part.summarised
    total.skipped += part.skipped
    total.recovered += part.recovered
    total.failed += part.failed
    total.keys.extend(part.keys)
