"""Giving out one meeting date's roles: gather who may take what, pick fairly, store the result.

Who gets what is decided by the pure function in handlers/rotation/fairness.py;
this module gathers what it needs and stores the picks with why, in plain words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import IntegrityError

from handlers.core.occurrences import Occurrence, between
from handlers.rotation.fairness import (
    CHAIR,
    LIVED,
    PROFESSIONAL,
    UNPAIRED,
    Candidate,
    Slot,
    fair_order,
    pick,
)
from handlers.rotation.perspective import perspective_side
from handlers.rotation.wording import why
from storage.models import Group, GroupRole, RoleAssignment
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

#: How far back to look for the meeting before this one.
LOOK_BACK = timedelta(days=400)


@dataclass
class Roster:
    """A group's roles and the members the picker may choose from, for one meeting date."""

    roles: list[GroupRole]
    candidates: list[Candidate]
    last_chairs: frozenset[int]
    names: dict[int, str]


async def _previous_start(uow: UnitOfWork, group: Group, o: Occurrence) -> datetime | None:
    found = await between(uow, group, o.start - LOOK_BACK, o.start)
    before = [p for p in found if p.start < o.start]
    return before[-1].start if before else None


async def roster(uow: UnitOfWork, group: Group, o: Occurrence) -> Roster:
    """Everything the picker needs to know about the group for this meeting date."""
    roles = await uow.roles.defined(group.id)
    members = list(await uow.groups.members(group.id))
    ids = [m.person_id for m in members]
    said = list(await uow.roles.willingness(group.id))
    history = [
        a
        for a in await uow.roles.history(group.id)
        if not (a.meeting_id == o.meeting.id and a.occurrence == o.key)
    ]
    passing = await uow.roles.passing(o.meeting.id, o.key)
    away = await uow.people.away_days(ids)
    perspectives = await uow.roles.perspectives(ids)
    previous = await _previous_start(uow, group, o)
    day = o.local_start.date()

    turns: dict[int, Counter[str]] = defaultdict(Counter)
    last: dict[int, dict[str, int]] = defaultdict(dict)
    for a in history:
        assert a.person_id is not None
        turns[a.person_id][a.role] += 1
        last[a.person_id][a.role] = int(a.starts_at.timestamp())
    earlier = [a for a in history if a.starts_at < o.start]
    last_chairs: frozenset[int] = frozenset()
    if earlier:
        latest = max(a.starts_at for a in earlier)
        last_chairs = frozenset(
            a.person_id
            for a in earlier
            if a.starts_at == latest and a.role == CHAIR and a.person_id is not None
        )
    credit: dict[int, Counter[str]] = defaultdict(Counter)
    willing: dict[int, set[str]] = defaultdict(set)
    declined: dict[int, set[str]] = defaultdict(set)
    for s in said:
        credit[s.person_id][s.role] += s.credit
        (willing if s.willing else declined)[s.person_id].add(s.role)
    candidates = [
        Candidate(
            person_id=m.person_id,
            willing=frozenset(willing[m.person_id]),
            declined=frozenset(declined[m.person_id]),
            served=dict(turns[m.person_id] + credit[m.person_id]),
            last_served=dict(last[m.person_id]),
            away=any(first <= day <= final for first, final in away[m.person_id]),
            passing=m.person_id in passing,
            first_meeting=previous is None or m.joined_at > previous,
            perspective=perspective_side(perspectives[m.person_id]),
        )
        for m in members
    ]
    names = {m.person_id: m.person.display_name for m in members}
    # Ties go by an order drawn for this meeting date, not by who joined first.
    order = fair_order(candidates, f"m{o.meeting.id}:{o.key}")
    return Roster(roles, order, last_chairs, names)


async def assign(
    uow: UnitOfWork, group: Group, o: Occurrence, how: str, pair: bool = False
) -> tuple[list[RoleAssignment], bool]:
    """Pick and store who holds each role at this meeting date (not yet committed).

    Also says whether a co-chair pair could be matched by perspective.
    """
    found = await roster(uow, group, o)
    slots: list[Slot] = []
    for role in found.roles:
        if pair and role.name == CHAIR:
            slots += [Slot(CHAIR, LIVED), Slot(CHAIR, PROFESSIONAL)]
        else:
            slots.append(Slot(role.name))
    by_name = {r.name: r for r in found.roles}
    numbers: Counter[str] = Counter()
    rows = []
    picks = pick(slots, found.candidates, found.last_chairs)
    # Co-chairs are stored and shown in a neutral order, so the order never hints
    # at which one described themselves how.
    first: dict[str, int] = {}
    for index, slot in enumerate(slots):
        first.setdefault(slot.role, index)
    picks.sort(key=lambda p: (first[p.slot.role], p.person_id is None, p.person_id or 0))
    for p in picks:
        name = found.names.get(p.person_id, "") if p.person_id is not None else ""
        rows.append(
            RoleAssignment(
                group_id=group.id,
                meeting_id=o.meeting.id,
                occurrence=o.key,
                starts_at=o.start,
                role=p.slot.role,
                slot=numbers[p.slot.role],
                person_id=p.person_id,
                how=how,
                why=why(
                    p,
                    name,
                    by_name[p.slot.role],
                    any(p.slot.role in c.willing for c in found.candidates),
                ),
            )
        )
        numbers[p.slot.role] += 1
    await uow.roles.add(*rows)
    log.info("roles.assigned", group=group.id, meeting=o.meeting.id, how=how, slots=len(rows))
    return rows, not any(UNPAIRED in p.reasons for p in picks)


async def _auto_allowed(uow: UnitOfWork, group: Group, o: Occurrence) -> bool:
    """Roles go out with the pack once anyone has said which roles they'd take,
    as long as that was before the pack was due (no surprise assignments later)."""
    since = await uow.roles.in_use_since(group.id)
    if since is None:
        return False
    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
    return since <= max(pack_at, o.meeting.created_at)


async def settle(uow: UnitOfWork, group: Group, o: Occurrence) -> list[RoleAssignment]:
    """This date's roles, giving them out now (and saving) if it is their time.

    Called when the pack and the channel announcement are built: whichever comes
    first picks, the rest read the same rows. A second instance doing the same at
    the same moment hits the unique key, and reads what the first one stored.
    """
    rows = list(await uow.roles.assignments(o.meeting.id, o.key))
    if rows or not await _auto_allowed(uow, group, o):
        return rows
    if not await uow.roles.defined(group.id):
        return []
    try:
        rows, _ = await assign(uow, group, o, "auto")
        saved = await uow.commit_once()
    except IntegrityError:
        await uow.rollback()
        saved = False
    if not saved:  # another instance gave them out a moment ago
        log.info("roles.assigned_elsewhere", group=group.id, meeting=o.meeting.id)
        rows = list(await uow.roles.assignments(o.meeting.id, o.key))
    return rows
