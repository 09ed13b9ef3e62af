"""What each group has due at its next due time, kept in memory from its last plan.

When a group's time comes, the engine sends these first and plans the group again
after: a burst (1,000 hour-before reminders in the same second) waits on its
claims and sends, not on planning 50 groups. A kept plan is used only while it is
the group's stored plan: the same `replans` count (nothing asked for a new plan
since, see storage/repositories/plans.py) and the same `planned_at` (no other
instance or restart planned it since). Anything it lacks is found by the plan
made right after, so a kept plan can only make a send sooner, never lose one;
the unique delivery keys stop it from sending anything twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from storage.models import Group

#: At most this many items are kept, all groups together (a few MB); a group whose
#: items don't fit is simply planned before it sends, as when nothing is kept.
LIMIT = 10_000


class Timed(Protocol):
    """An item with the time it falls due."""

    @property
    def due_at(self) -> datetime:
        """When it falls due."""
        ...


Item = TypeVar("Item", bound=Timed)


@dataclass(frozen=True)
class _Plan(Generic[Item]):
    replans: int
    planned_at: datetime
    items: Sequence[Item]


class KeptPlans(Generic[Item]):
    """Each group's items due at its next due time, from the plan this engine stored."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._plans: dict[int, _Plan[Item]] = {}
        self._count = 0

    def keep(self, group: Group, planned_at: datetime, items: Sequence[Item]) -> None:
        """Keep the items of the plan just stored for `group` (as read before planning)."""
        self.forget(group.id)
        if items and self._count + len(items) <= self.limit:
            self._plans[group.id] = _Plan(group.replans, planned_at, items)
            self._count += len(items)

    def forget(self, group_id: int) -> None:
        """Drop the group's kept plan, if any."""
        plan = self._plans.pop(group_id, None)
        if plan is not None:
            self._count -= len(plan.items)

    def due(self, group: Group, now: datetime) -> list[Item]:
        """The kept items due by `now`, if the plan kept is still the group's stored one
        (`group` as read now); none otherwise."""
        plan = self._plans.get(group.id)
        if plan is None or (plan.replans, plan.planned_at) != (group.replans, group.planned_at):
            return []
        return [i for i in plan.items if i.due_at <= now]

    def __len__(self) -> int:
        return self._count
