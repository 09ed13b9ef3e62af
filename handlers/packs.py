"""The pre-meeting pack: the same information for everyone, in good time.

Other features add sections through their Feature's `pack_sections`:
functions (uow, group, occurrence) -> blocks, shown after the agenda.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from handlers import attendance
from handlers.agenda import item_lines
from handlers.core.due import Build, Due, Planner
from handlers.core.feature import Feature, PackSection
from handlers.core.messages import (
    Block,
    BulletList,
    Heading,
    Message,
    Moment,
    Paragraph,
    message,
)
from handlers.core.occurrences import Occurrence, between
from handlers.core.terms import explain_first
from handlers.core.when import at_time, when_shown, zone_name
from handlers.timekeeping import Timetable, agenda_times, clock, overrun_note, start_moments
from storage.models import Group, Person
from storage.uow import UnitOfWork

NOBODY_HAS_TO_SHARE = (
    "Nobody ever has to share their own story. You can pass on anything, at any time."
)
ACCESS = (
    "If you need anything to take part, like captions, extra breaks, a quiet space or papers "
    "in another format, tell a facilitator or add it with /prefs access. "
    "You never need to explain why."
)
WARNING_BEFORE_PACK = timedelta(days=1)


def break_times(o: Occurrence, table: Timetable) -> list[Moment]:
    """The planned breaks, as moments ('15:00' in the meeting's zone)."""
    return [at_time(clock(o, at), o.zone) for at in table.breaks]


async def build_pack(
    uow: UnitOfWork, group: Group, o: Occurrence, sections: Sequence[PackSection]
) -> Message:
    """The pack for one meeting date, from the data as it is now."""
    items, table = await agenda_times(uow, group, o)
    agenda = await item_lines(uow, o, items, table)
    breaks = break_times(o, table)
    when, moments = when_shown(o, f", {zone_name(o.zone.key)}")
    blocks: list[Block] = [
        Heading(f"Pack for {o.meeting.title}"),
        Paragraph(f"When: {when}.", moments),
        Paragraph(f"Where: {o.meeting.place}" if o.meeting.place else "Where: to be confirmed."),
    ]
    if group.aims:
        blocks.append(Paragraph(f"What this group is here to do: {group.aims}"))
    blocks.append(Paragraph("Agenda:"))
    blocks.append(
        BulletList(tuple(agenda), start_moments(o, table))
        if agenda
        else Paragraph("The agenda is still being planned. You can add to it with /agenda add.")
    )
    if breaks:
        blocks.append(
            Paragraph(
                f"Breaks: at {', '.join(b.text for b in breaks)}. You can take one any time.",
                tuple(breaks),
            )
        )
    for section in sections:
        blocks.extend(await section(uow, group, o))
    blocks.extend(attendance.offer(o))
    blocks.append(Paragraph(ACCESS))
    blocks.append(Paragraph(NOBODY_HAS_TO_SHARE))
    return explain_first(Message(tuple(blocks), summary=f"Pack for {o.meeting.title}, {o.when()}"))


def _pack(group: Group, o: Occurrence, sections: Sequence[PackSection]) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message:
        return await build_pack(uow, group, o, sections)

    return Due(
        key=f"pack:m{o.meeting.id}:{o.key}",
        kind="pack",
        label=f"the pack for {o.meeting.title} ({o.when()})",
        due_at=o.start - timedelta(minutes=group.pack_lead_minutes),
        group=group,
        recipients="members",
        build=build,
        planned_at=o.meeting.created_at,
        catch_up=True,
        expires_at=o.start,
    )


def _empty_agenda_warning(group: Group, o: Occurrence) -> Due:
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        if await uow.meetings.agenda(o.meeting.id, o.key):
            return None
        at = at_time(pack_at, o.zone)
        return message(
            f"The agenda for {o.meeting.title} ({o.when()}) is empty.",
            Paragraph(
                f"The pack goes to everyone tomorrow at {at.text}. You can add items with "
                "/agenda add. If it stays empty, the pack will say the agenda is still being "
                "planned.",
                (at,),
            ),
            summary=f"The agenda for {o.meeting.title} is empty",
        )

    return _before_pack(group, o, "emptyagenda", "was empty", build)


def _before_pack(group: Group, o: Occurrence, kind: str, what: str, build: Build) -> Due:
    """A note to the facilitators the day before the pack, about this date's agenda."""
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
    return Due(
        key=f"{kind}:m{o.meeting.id}:{o.key}",
        kind=kind,
        label=f"a note that the agenda for {o.meeting.title} {what}",
        due_at=pack_at - WARNING_BEFORE_PACK,
        group=group,
        recipients="facilitators",
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=pack_at,
    )


def _overrun_warning(group: Group, o: Occurrence) -> Due:
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        items, table = await agenda_times(uow, group, o)
        note = overrun_note(o, items, table)
        if note is None:
            return None
        local = pack_at.astimezone(o.zone)
        at = Moment(f"{local:%A} at {local:%H:%M}", pack_at, "day_time")
        return message(
            note,
            Paragraph(
                f"The pack goes to everyone on {at.text}. Only facilitators get this note.",
                (at,),
            ),
            summary=f"The agenda for {o.meeting.title} runs past the end",
        )

    return _before_pack(group, o, "overrun", "runs past the end", build)


def planner(sections: Sequence[PackSection]) -> Planner:
    """Plans packs with these sections, and the facilitators' warnings a day before
    each pack: an empty agenda, or one that runs past the end."""

    async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
        """Packs and the warnings before them whose nominal time is in [start, end]."""
        lead = timedelta(minutes=group.pack_lead_minutes) + WARNING_BEFORE_PACK
        dues: list[Due] = []
        for o in await between(uow, group, start, end + lead + timedelta(days=1)):
            dues += [
                _pack(group, o, sections),
                _empty_agenda_warning(group, o),
                _overrun_warning(group, o),
            ]
        return [d for d in dues if d.due_at <= end and (d.expires_at or d.due_at) >= start]

    return plan


def feature(sections: Sequence[PackSection]) -> Feature:
    """The pack, carrying the sections every other feature adds."""
    return Feature(name="packs", planners=(planner(sections),))
