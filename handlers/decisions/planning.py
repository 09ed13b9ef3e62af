"""What the decisions feature has due: each update going out to every member, the
follow-up questions, and the monthly digest."""

from __future__ import annotations

from datetime import datetime

from handlers.core.due import Due
from handlers.core.messages import Message
from handlers.decisions.asking import ASK, chasers, sent_key
from handlers.decisions.digest import digest, firsts_of_month
from handlers.decisions.lookups import asks
from handlers.decisions.wording import you_said_we_did
from storage.models import DecisionUpdate, Group, Person
from storage.uow import UnitOfWork


def _announce(group: Group, u: DecisionUpdate, number: int) -> Due:
    update_id = u.id

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        found = await uow.followups.update_with_decision(update_id)
        if found is None:
            return None
        row, d = found
        return await you_said_we_did(uow, group, d, row)

    return Due(
        key=f"decisionupdate:u{update_id}",
        kind="decisionupdate",
        label=f"an update on decision {number}",
        due_at=u.created_at,
        group=group,
        recipients="members",
        build=build,
        planned_at=u.created_at,
        digest=True,
    )


async def _follow_ups(uow: UnitOfWork, group: Group, end: datetime) -> list[Due]:
    """The follow-up questions of every open decision whose update fell due by `end`,
    however long ago: a question kept for someone away is still to come (the engine
    knows which have gone)."""
    due = await uow.followups.decisions_due(group.id, end)
    asked = await uow.deliveries.records([sent_key(ASK, d) for d in due])
    members = {m.person_id for m in await uow.groups.members(group.id)}
    return [
        chaser
        for d in due
        for chaser in chasers(group, d, asked.get(sent_key(ASK, d)), asks(d) in members)
    ]


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Updates going out to everyone, follow-up questions, and the monthly digest."""
    repo = uow.followups
    dues = [
        _announce(group, u, d.number) for u, d in await repo.updates_between(group.id, start, end)
    ]
    dues += await _follow_ups(uow, group, end)
    dues += [digest(group, day) for day in firsts_of_month(group, start, end)]
    return [due for due in dues if (start <= due.due_at or due.keep) and due.due_at <= end]
