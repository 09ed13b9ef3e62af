"""The decisions' part of a meeting's pack: new decisions, "you said, we did", what is
waiting for an update, and the open actions."""

from __future__ import annotations

from datetime import timedelta

from handlers import actions
from handlers.core.messages import Block, BulletList, Paragraph
from handlers.core.occurrences import Occurrence, between
from handlers.decisions.wording import SAID_WE_DID, TEXT_LABEL, line
from handlers.followups import day_words, local_today, name_of
from storage.models import Group
from storage.uow import UnitOfWork

PACK_LOOKS_BACK = timedelta(days=30)
PACK_LOOKS_FOR_LAST_MEETING = timedelta(days=90)


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """New decisions, "you said, we did", what is waiting for an update, and open actions."""
    lead = timedelta(minutes=group.pack_lead_minutes)
    pack_at = o.start - lead
    earlier = [
        x
        for x in await between(uow, group, o.start - PACK_LOOKS_FOR_LAST_MEETING, o.start)
        if x.start < o.start
    ]
    since = earlier[-1].start - lead if earlier else pack_at - PACK_LOOKS_BACK
    repo = uow.followups
    blocks: list[Block] = []
    new = [
        d
        for d in await repo.decisions(group.id, open_only=False)
        if since <= d.created_at < o.start
    ]
    if new:
        blocks += [
            Paragraph("Decisions since the last pack:"),
            BulletList(tuple([await line(uow, group, d) for d in new])),
        ]
    said = [
        f"Decision {d.number}: {d.text} → {SAID_WE_DID[u.status]}"
        + (f". {TEXT_LABEL[u.status]}: {u.text}" if u.text else "")
        for u, d in await repo.updates_between(group.id, since, o.start)
    ]
    if said:
        blocks += [Paragraph("You said → we did:"), BulletList(tuple(said))]
    waiting = [
        d
        for d in await repo.decisions(group.id, open_only=True)
        if d.next_update_at is not None and d.next_update_at <= pack_at
    ]
    if waiting:
        lines = []
        for d in waiting:
            assert d.next_update_at is not None
            owner = await name_of(uow, d.owner_id, group_id=group.id)
            lines.append(
                f"Decision {d.number}: {d.text} ({owner} "
                f"looks after it; the update was due on "
                f"{day_words(d.next_update_at, group)})"
            )
        blocks += [Paragraph("Waiting for an update:"), BulletList(tuple(lines))]
    if open_actions := await actions.lines(uow, group, local_today(group, pack_at)):
        blocks += [Paragraph("Open actions:"), BulletList(tuple(open_actions))]
    return blocks
