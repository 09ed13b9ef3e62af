"""What a live meeting has due: the opening agenda, each item's call, the chair's
5-minute notes and the breaks, at the times the chair's moves give them.

Each is keyed by what it is and when it falls, so a call is sent once even
across a restart, and an item the chair goes back to is called again. A call
nobody heard in time (the bot was down) is left unsent once the next one has
come, rather than arriving late and out of order. Nothing is said after the
chair's /end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from handlers.core.due import Build, Due
from handlers.core.messages import Message
from handlers.core.occurrences import Occurrence, between
from handlers.live import wording
from handlers.live.schedule import WARNING, Event, Live, Steer, events, place
from handlers.rotation import CHAIR
from handlers.timekeeping import agenda_times
from storage.models import AgendaItem, Group, LiveMeeting, Person
from storage.uow import UnitOfWork

#: A call or break not sent within this long is left unsent.
FRESH = timedelta(minutes=10)


def steer_of(row: LiveMeeting | None) -> Steer | None:
    """The chair's latest move as the schedule needs it (None: as planned)."""
    if row is None or row.item is None or row.item_start is None:
        return None
    return Steer(row.item, row.item_start, row.extra_minutes, row.changed_at)


async def live_plan(
    uow: UnitOfWork, group: Group, o: Occurrence
) -> tuple[Sequence[AgendaItem], Live, Steer | None]:
    """One meeting date's agenda, where its items and breaks fall now, and the chair's move."""
    items, table = await agenda_times(uow, group, o)
    steer = steer_of(await uow.live.of_date(o.meeting.id, o.key))
    return items, place(o.start, [i.minutes or 0 for i in items], table, steer), steer


def _build(group: Group, o: Occurrence, event: Event) -> Build:
    """Builds the event's message when it is sent, from the agenda as it is then."""

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        items, table = await agenda_times(uow, group, o)
        live = (await live_plan(uow, group, o))[1]
        if event.item is not None and event.item >= len(items):
            return None  # the item was taken off the agenda
        if event.kind == "open":
            return await wording.opening(uow, o, items, table, live) if items else None
        if event.kind == "call" and event.item is not None:
            return await wording.call(uow, items, event.item)
        if event.kind == "warn" and event.item is not None:
            return wording.warning(items, event.item)
        return wording.pause(o, items, live, event.item)

    return build


async def _chairs(uow: UnitOfWork, o: Occurrence) -> list[int]:
    return [
        a.person_id
        for a in await uow.roles.assignments(o.meeting.id, o.key)
        if a.role == CHAIR and a.person_id is not None
    ]


async def _dues(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Due]:
    items, live, steer = await live_plan(uow, group, o)
    minutes = [i.minutes or 0 for i in items]
    said = events(live, minutes, o.start, steer is not None)
    if o.ended_at is not None:
        said = [e for e in said if e.at < o.ended_at]
    if not items:
        said = [e for e in said if e.kind == "break"]
    chairs = await _chairs(uow, o)
    dues: list[Due] = []
    for n, event in enumerate(said):
        later = [e.at for e in said[n + 1 :] if e.at > event.at and e.kind != "warn"]
        stale = event.at + WARNING if event.kind == "warn" else min([event.at + FRESH, *later])
        base = Due(
            key=f"live-{event.kind}{event.item}:m{o.meeting.id}:{o.key}:{event.at:%Y%m%dT%H%M%S}",
            kind=f"live-{event.kind}",
            label=f"{o.meeting.title} as it happens",
            due_at=event.at,
            group=group,
            recipients="channel",
            build=_build(group, o, event),
            planned_at=o.meeting.created_at,
            stale_at=stale,
        )
        if event.kind != "warn":
            dues.append(base)
        elif chairs:
            dues.extend(replace(base, recipients="person", person_id=p) for p in chairs)
        else:
            dues.append(replace(base, recipients="facilitators"))
    return dues


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Everything said in the group's live meetings whose time is in [start, end]."""
    if not group.live_meeting:
        return []
    dues: list[Due] = []
    for o in await between(uow, group, start - timedelta(days=1), end + timedelta(minutes=1)):
        dues.extend(d for d in await _dues(uow, group, o) if start <= d.due_at <= end)
    return dues
