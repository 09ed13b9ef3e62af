"""A command's private news for another member: sent now, or kept for their daily round-up."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.commands import Context
from handlers.core.digestible import keep
from handlers.core.messages import Message, Outgoing, ToPerson

#: A change to a meeting this close is told at once, round-up or not.
URGENT_WITHIN = timedelta(hours=48)


def can_wait(soonest: datetime | None, now: datetime) -> bool:
    """Whether news of a change to a meeting can wait for a round-up: the nearest date
    it touches (None: none left) is more than two days away."""
    return soonest is None or soonest - now > URGENT_WITHIN


async def tell(ctx: Context, person_id: int, msg: Message, kind: str = "") -> None:
    """Send `msg` privately to a member of the command's group (at a kind time), or, if it
    is news that can wait (`kind`, see handlers/core/digestible.py) and they chose a daily
    round-up, keep it for that. Whoever gave the command always hears at once."""
    group = ctx.the_group()
    if kind and person_id != ctx.person.id:
        prefs = (await ctx.uow.people.preferences_of([person_id]))[person_id]
        if prefs.digest_at is not None:
            await ctx.uow.digests.hold(person_id, group.id, keep(kind, msg), ctx.now)
            return
    ctx.outgoing.append(Outgoing(msg, ToPerson(person_id, group.id)))
