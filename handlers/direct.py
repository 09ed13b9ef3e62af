"""Direct messages one person's command causes for another, sent at a kind time.

A swap request, a concern's response, a note to the facilitators: the person
did not just ask for it, so it waits for the end of their quiet hours and away
dates. The router keeps each one as a row; this plans them for the delivery
engine, which sends each exactly once, and removes the row once it is sent.
"""

from __future__ import annotations

from datetime import datetime

from handlers.core.due import Due
from handlers.core.feature import Feature
from handlers.core.messages import Message, from_json
from storage.models import Group, Person, QueuedMessage
from storage.uow import UnitOfWork


def _key(row: QueuedMessage) -> str:
    return f"direct:{row.ref}"


def _due(group: Group, row: QueuedMessage) -> Due:
    text = from_json(row.payload)

    async def build(_uow: UnitOfWork, _to: Person | None) -> Message:
        return text

    return Due(
        key=_key(row),
        kind="direct",
        label="a direct message",
        due_at=row.queued_at,
        group=group,
        recipients="person",
        build=build,
        planned_at=row.queued_at,
        person_id=row.person_id,
        catch_up=True,
        keep=True,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Every waiting direct message of the group (the engine decides when each goes)."""
    return [
        _due(group, row) for row in await uow.deliveries.queued(group.id) if row.queued_at <= end
    ]


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Forget the waiting messages that have been delivered."""
    rows = await uow.deliveries.queued(group.id)
    await uow.deliveries.forget_delivered(
        group.id, {f"{_key(row)}:p{row.person_id}": row.id for row in rows}
    )


FEATURE = Feature(name="direct", planners=(plan,), housekeeping=(housekeep,))
