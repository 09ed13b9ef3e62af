"""The group's summary for everyone: next meeting, its agenda and who holds each role.

Platforms that can keep one message up to date (Matrix: a pinned message, edited in
place) show it in the group's room.
"""

from __future__ import annotations

from datetime import datetime

from handlers.core.messages import Block, BulletList, Heading, Message, Paragraph
from handlers.core.occurrences import upcoming
from handlers.followups import name_of
from handlers.home.view import meeting_lines, roles_at
from storage.models import Group
from storage.uow import UnitOfWork


async def group_summary(uow: UnitOfWork, group: Group, now: datetime) -> Message:
    """What everyone in the group should know at a glance, kept short."""
    parts: list[Block] = [Heading(f"{group.name}: at a glance")]
    coming = await upcoming(uow, group, now, limit=1)
    if not coming:
        parts.append(Paragraph("No meeting is planned yet."))
    else:
        o = coming[0]
        parts += await meeting_lines(uow, group, o)
        held = [
            f"{label[:1].upper()}{label[1:]}: "
            + (
                await name_of(uow, holder, "nobody yet", group_id=group.id)
                if holder
                else "nobody yet"
            )
            for label, holder in await roles_at(uow, o)
        ]
        if held:
            parts += [Paragraph("Roles:"), BulletList(tuple(held))]
        else:
            parts.append(Paragraph("Roles are given out when the pack goes out."))
    parts.append(Paragraph("Type !home in our direct messages to see your own next steps."))
    return Message(tuple(parts), summary=f"{group.name}: at a glance")
