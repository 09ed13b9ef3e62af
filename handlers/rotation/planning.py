"""Roles in the pack, and their announcement in the channel when the pack goes out."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.due import Due
from handlers.core.messages import Block, Message, Paragraph
from handlers.core.occurrences import Occurrence, between
from handlers.rotation.assigning import settle
from handlers.rotation.lookup import member_names
from handlers.rotation.wording import CANT_MAKE_IT, NOT_YET_IN_USE, announcement, holders
from storage.models import Group, Person
from storage.uow import UnitOfWork


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """'Roles: Chair: X. Minute-taker: Y.' in the pack, giving roles out if it is time."""
    roles = await uow.roles.defined(group.id)
    if not roles:
        return []
    rows = await settle(uow, group, o)
    if not rows:
        return [Paragraph(NOT_YET_IN_USE)]
    names = await member_names(uow, group)
    return [Paragraph(f"Roles: {holders(rows, roles, names)}"), Paragraph(CANT_MAKE_IT)]


def _announce(group: Group, o: Occurrence) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        rows = await settle(uow, group, o)
        if not any(r.how == "auto" for r in rows):
            return None  # nothing given out, or a facilitator already posted them
        roles = await uow.roles.defined(group.id)
        return announcement(o, rows, roles, await member_names(uow, group))

    return Due(
        key=f"roles:m{o.meeting.id}:{o.key}",
        kind="roles",
        label=f"the roles for {o.meeting.title} ({o.when()})",
        due_at=o.start - timedelta(minutes=group.pack_lead_minutes),
        group=group,
        recipients="channel",
        build=build,
        planned_at=o.meeting.created_at,
        catch_up=True,
        expires_at=o.start,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The channel announcement of each meeting's roles, at the time its pack goes out."""
    if await uow.roles.in_use_since(group.id) is None:
        return []
    lead = timedelta(minutes=group.pack_lead_minutes)
    found = await between(uow, group, start, end + lead + timedelta(days=1))
    dues = [_announce(group, o) for o in found]
    return [d for d in dues if d.due_at <= end and (d.expires_at or d.due_at) >= start]
