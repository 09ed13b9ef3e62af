"""Release batches: concerns are shared with the pack and at a meeting's start, numbered in a
random order, so the time and order of release say nothing about the time of writing."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from handlers.core.due import Due, Recipients
from handlers.core.messages import Block, BulletList, Heading, Message, Paragraph
from handlers.core.occurrences import Occurrence, between, upcoming
from storage.models import Group, Person
from storage.uow import UnitOfWork

RESPONSES_IN_PACK = timedelta(days=30)


async def release_times(uow: UnitOfWork, group: Group, after: datetime) -> list[datetime]:
    """The group's coming release times: each pack's time and each meeting's start."""
    times = []
    for o in await upcoming(uow, group, after, limit=4):
        pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
        times += [t for t in (pack_at, o.start) if t > after]
    return sorted(times)


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Release the batches whose time has come (numbers in random order); re-aim concerns
    whose batch disappeared (a meeting was cancelled); forget old drafts and daily counts."""
    await uow.concerns.forget_before(now.date())
    waiting = list(await uow.concerns.unnumbered(group.id))
    if not waiting:
        return
    lead = timedelta(minutes=group.pack_lead_minutes)
    window = await between(uow, group, now - timedelta(days=30), now + lead + timedelta(days=1))
    real = {t for o in window for t in (o.start - lead, o.start)}
    coming = await release_times(uow, group, now)
    due = [c for c in waiting if c.batch_at is not None and c.batch_at <= now]
    for concern in waiting:
        if concern.batch_at is None or (concern.batch_at <= now and concern.batch_at not in real):
            concern.batch_at = coming[0] if coming else None
    released = [c for c in due if c.batch_at is not None and c.batch_at <= now]
    secrets.SystemRandom().shuffle(released)
    last = await uow.concerns.last_number(group.id)
    for offset, concern in enumerate(released, start=last + 1):
        concern.number = offset
        if concern.status == "waiting":
            concern.status = "released"


def _release(group: Group, o: Occurrence, at: datetime, phase: str, audience: str) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        rows = await uow.concerns.in_batch(group.id, at, audience)
        if not rows:
            return None
        blocks: list[Block] = [Heading("New concerns, shared without names")]
        shared = [c for c in rows if c.status != "withheld"]
        if shared:
            blocks.append(BulletList(tuple(f"Concern {c.number}: {c.text}" for c in shared)))
        for concern in rows:
            if concern.status == "withheld":
                by = await uow.people.get(concern.withheld_by or 0)
                blocks.append(
                    Paragraph(
                        f"{by.display_name if by else 'A facilitator'} withheld one concern: "
                        "they held it back, so it isn't shared. "
                        f"The reason they gave: {concern.withheld_reason}"
                    )
                )
        blocks.append(
            Paragraph(
                "Nobody knows who wrote these, and nobody has to say. "
                + (
                    "One of the people who run the group will reply here."
                    if audience == "group"
                    else "To reply, use /concern respond, then the number and your words."
                )
            )
        )
        return Message(tuple(blocks), summary="New concerns, shared without names")

    who: Recipients = "channel" if audience == "group" else "facilitators"
    return Due(
        key=f"concerns-{phase}-{audience}:m{o.meeting.id}:{o.key}",
        kind="concerns",
        label=f"concerns shared for {o.meeting.title}",
        due_at=at,
        group=group,
        recipients=who,
        build=build,
        planned_at=o.meeting.created_at,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """A release message at each pack time and meeting start (sent only if there is one)."""
    lead = timedelta(minutes=group.pack_lead_minutes)
    dues = []
    for o in await between(uow, group, start, end + lead + timedelta(days=1)):
        for phase, at in (("pack", o.start - lead), ("start", o.start)):
            if start <= at <= end:
                dues += [
                    _release(group, o, at, phase, "group"),
                    _release(group, o, at, phase, "facilitators"),
                ]
    return dues


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """Responses to concerns in the last month, for the pack."""
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
    rows = await uow.concerns.answered_since(group.id, pack_at - RESPONSES_IN_PACK)
    if not rows:
        return []
    return [
        Paragraph("Responses to concerns raised anonymously:"),
        BulletList(tuple(f"Concern {c.number}: {c.text} - Response: {c.response}" for c in rows)),
    ]
