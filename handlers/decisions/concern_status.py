"""What the writer of an anonymous concern sees through their receipt code (/concern
status): the decisions that answer it, and every update."""

from __future__ import annotations

from handlers.decisions.wording import SAID_WE_DID, STATUS_WORDS
from handlers.followups import day_words
from storage.models import Concern
from storage.uow import UnitOfWork


async def concern_status(uow: UnitOfWork, concern: Concern) -> list[str]:
    """For /concern status: the decisions that answer this concern, and every update."""
    group = await uow.groups.get(concern.group_id)
    if group is None:
        return []
    lines = []
    repo = uow.followups
    for d in await repo.for_concern(concern.id):
        lines.append(
            f"Decision {d.number} answers your concern: {d.text} "
            f"Where it is now: {STATUS_WORDS[d.status]}."
        )
        for u in await repo.updates(d.id):
            lines.append(
                f"Update on {day_words(u.created_at, group)}: "
                f"{SAID_WE_DID[u.status]}" + (f". {u.text}" if u.text else ".")
            )
    return lines
