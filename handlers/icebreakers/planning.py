"""The meeting cycle: housekeeping chooses, starts and closes icebreakers; planners post
the question at a meeting's start and the answers when it closes; the pack shows it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from handlers.core.due import Due
from handlers.core.messages import Block, Message, Paragraph
from handlers.core.occurrences import Occurrence, between
from handlers.icebreakers.prompts import pick
from handlers.icebreakers.rounds import MEETING_WINDOW, everyone_responded, mark_shown
from handlers.icebreakers.wording import PACK_INVITE, answer_lines, answers_message, ask
from storage.models import Group, IcebreakerRound, Person
from storage.uow import UnitOfWork

Find = Callable[[UnitOfWork], Awaitable[IcebreakerRound | None]]


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Choose each meeting's icebreaker when its pack goes out; show early answers at the
    start; close icebreakers whose time is up."""
    settings = await uow.checkins.settings(group.id)
    if settings.icebreakers:
        lead = timedelta(minutes=group.pack_lead_minutes)
        for o in await between(uow, group, now - MEETING_WINDOW, now + lead + timedelta(days=1)):
            if o.start - lead > now:
                continue
            r = await uow.icebreakers.for_meeting(o.meeting.id, o.key)
            if r is None:
                prompt = await pick(uow, group)
                await uow.icebreakers.add(
                    IcebreakerRound(
                        group_id=group.id,
                        prompt_ref=prompt.ref,
                        text=prompt.text,
                        meeting_id=o.meeting.id,
                        occurrence=o.key,
                        phase="open",
                        starts_at=o.start,
                        closes_at=o.start + MEETING_WINDOW,
                        created_at=now,
                    )
                )
            elif r.phase == "open":  # the meeting may have moved
                r.starts_at, r.closes_at = o.start, o.start + MEETING_WINDOW
    for r in await uow.icebreakers.unfinished(group.id):
        if r.phase == "open" and r.starts_at <= now:
            mark_shown(await uow.icebreakers.answers(r.id), r.starts_at)
            r.phase = "closed" if await everyone_responded(uow, r) else "started"
        if r.phase == "started" and r.closes_at <= now:
            mark_shown(await uow.icebreakers.answers(r.id), r.closes_at)
            r.phase = "closed"


def _start(group: Group, o: Occurrence) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await uow.icebreakers.for_meeting(o.meeting.id, o.key)
        if r is None:
            return None
        answers = [a for a in await uow.icebreakers.answers(r.id) if a.shown_at == r.starts_at]
        return ask(group, r, await answer_lines(uow, answers))

    return Due(
        key=f"icebreaker:m{o.meeting.id}:{o.key}",
        kind="icebreaker",
        label=f"the icebreaker at the start of {o.meeting.title}",
        due_at=o.start,
        group=group,
        recipients="channel",
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=o.end,
    )


def _of_meeting(o: Occurrence) -> Find:
    async def find(uow: UnitOfWork) -> IcebreakerRound | None:
        return await uow.icebreakers.for_meeting(o.meeting.id, o.key)

    return find


def _by_number(group_id: int, round_id: int) -> Find:
    async def find(uow: UnitOfWork) -> IcebreakerRound | None:
        return await uow.icebreakers.round(group_id, round_id)

    return find


def _closing(
    group: Group, key: str, label: str, at: datetime, planned: datetime, find: Find
) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await find(uow)
        if r is None:
            return None
        answers = await uow.icebreakers.answers(r.id)
        if not any(a.shown_at == r.closes_at and a.text is not None for a in answers):
            return None  # nothing new since the answers were last shown
        return answers_message(r, await answer_lines(uow, answers))  # everyone's, together

    return Due(
        key=key,
        kind="icebreaker-answers",
        label=label,
        due_at=at,
        group=group,
        recipients="channel",
        build=build,
        planned_at=planned,
        expires_at=at + timedelta(days=1),
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The icebreaker at each meeting's start, and the answers when each one closes."""
    dues: list[Due] = []
    if (await uow.checkins.settings(group.id)).icebreakers:
        for o in await between(uow, group, start - MEETING_WINDOW, end + timedelta(days=1)):
            dues.append(_start(group, o))
            dues.append(
                _closing(
                    group,
                    f"icebreaker-answers:m{o.meeting.id}:{o.key}",
                    f"the icebreaker answers from {o.meeting.title}",
                    o.start + MEETING_WINDOW,
                    o.meeting.created_at,
                    _of_meeting(o),
                )
            )
    for r in await uow.icebreakers.closing_between(group.id, start, end):
        dues.append(
            _closing(
                group,
                f"icebreaker-answers:r{r.id}",
                "the icebreaker answers",
                r.closes_at,
                r.created_at,
                _by_number(group.id, r.id),
            )
        )
    return [d for d in dues if start <= d.due_at <= end]


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """The meeting's icebreaker, so people can think ahead (or answer early)."""
    if not (await uow.checkins.settings(group.id)).icebreakers:
        return []
    r = await uow.icebreakers.for_meeting(o.meeting.id, o.key)
    if r is None:
        return []
    return [
        Paragraph(f"Icebreaker at the start: {r.text}"),
        Paragraph(PACK_INVITE.format(id=r.id)),
    ]
