"""Finding cover for an open role: ask one person at a time, and move on if nobody answers.

When someone passes on a role, or says no to covering it, the next person in
line is asked (`ask_next`): the fairest who may take it and hasn't been asked,
and for one of a co-chair pair, someone who balances the other co-chair's
perspective. A question nobody answers doesn't wait forever: after a day (or
half the time left before the meeting, if that is sooner), counted from when it
could reach them, the next person is asked and the facilitators are told; if
there is nobody left, the group hears the role is open. A question passed over
like that can still be answered while the role is open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.core.due import Build, Due, Recipients
from handlers.core.kind_times import after_quiet_hours, back_from_away
from handlers.core.messages import Choices, Message, Option, message, to_json
from handlers.core.occurrences import Occurrence, upcoming
from handlers.rotation.assigning import roster
from handlers.rotation.fairness import LIVED, PROFESSIONAL, Slot, pick
from handlers.rotation.lookup import member_names
from handlers.rotation.wording import verb
from storage.models import Group, GroupRole, Person, RoleAssignment, RoleOffer
from storage.uow import UnitOfWork

#: How long a cover question waits for an answer before the next person is asked.
COVER_WAIT = timedelta(days=1)
#: A question nobody answered in time: still open to a yes while the role is open.
UNANSWERED = "unanswered"
#: Questions that can still be answered.
WAITING = ("open", UNANSWERED)
_OTHER_SIDE = {LIVED: PROFESSIONAL, PROFESSIONAL: LIVED}


def offer_choices(offer: RoleOffer, group: Group, yes: str) -> Choices:
    """'Yes' and 'No, thank you' buttons for a question."""
    return Choices(
        (
            Option(yes, f"/roles accept {offer.id}", group.id),
            Option("No, thank you", f"/roles decline {offer.id}", group.id),
        )
    )


def question(offer: RoleOffer, group: Group, o: Occurrence, does: str) -> Message:
    """The question to the person asked to cover (who can't do it now is never said)."""
    return message(
        f"Would you like to {does} at {o.meeting.title}, {o.when()}?",
        "The person who was going to can't now. It's completely fine to say no.",
        offer_choices(offer, group, "Yes, I'll do it"),
        summary=f"Would you like to {does} at {o.meeting.title}?",
    )


def open_role(o: Occurrence, role: GroupRole | None, name: str) -> Message:
    """The channel post saying a role is open and anyone may take it."""
    label = role.label if role else name
    return message(
        f"The {label} role for {o.meeting.title} ({o.when()}) is open.",
        f"If you'd like to {verb(role or name)}, say /roles take {name}. Nobody has to.",
    )


async def ask_next(
    uow: UnitOfWork,
    group: Group,
    o: Occurrence,
    row: RoleAssignment,
    now: datetime,
    exclude: Collection[int] = (),
    like: int | None = None,
) -> RoleOffer | None:
    """Offer an open role to the next person in line (saved, not yet sent); None if
    there is nobody left to ask.

    exclude: people not to ask (like the person who just passed).
    like: for one of a co-chair pair, whose side to match if the other co-chair's
        side is not known (the co-chair who passed).
    """
    found = await roster(uow, group, o)
    rows = await uow.roles.assignments(o.meeting.id, o.key)
    same_role = [a for a in rows if a.role == row.role]
    questions = await uow.roles.offers_about([a.id for a in same_role])
    # Nobody is asked twice, nor while they are being asked about the role's other slot.
    asked = {
        f.to_person_id
        for f in questions
        if f.kind == "cover" and (f.assignment_id == row.id or f.status == "open")
    }
    holding = {a.person_id for a in same_role if a.person_id}
    skip = asked | holding | set(exclude)
    busy = Counter(a.person_id for a in rows if a.person_id is not None and a is not row)
    candidates = [replace(c, passing=True) if c.person_id in skip else c for c in found.candidates]
    # One of a co-chair pair: balance the other co-chair's perspective.
    sides = {c.person_id: c.perspective for c in found.candidates}
    partner = [a.person_id for a in same_role if a is not row]
    need = None
    if len(partner) == 1:
        other = sides.get(partner[0]) if partner[0] is not None else None
        need = _OTHER_SIDE[other] if other else sides.get(like or 0)
    [choice] = pick([Slot(row.role, need)], candidates, found.last_chairs, dict(busy))
    if choice.person_id is None:
        return None
    offer = RoleOffer(
        group_id=group.id,
        assignment_id=row.id,
        kind="cover",
        to_person_id=choice.person_id,
        status="open",
        created_at=now,
    )
    await uow.roles.add(offer)
    return offer


async def answer_by(uow: UnitOfWork, group: Group, offer: RoleOffer, o: Occurrence) -> datetime:
    """When a cover question stops waiting: a day after it could reach them (after their
    quiet hours and away dates), or halfway to the meeting if that is sooner."""
    zone = ZoneInfo(group.timezone)
    person = offer.to_person_id
    prefs = (await uow.people.preferences_of([person]))[person]
    away = (await uow.people.away_days([person]))[person]
    reached = after_quiet_hours(back_from_away(offer.created_at, away, zone), prefs, zone)
    return reached + max(timedelta(0), min(COVER_WAIT, (o.start - reached) / 2))


async def _waiting(
    uow: UnitOfWork, group: Group, now: datetime
) -> list[tuple[RoleOffer, RoleAssignment, Occurrence]]:
    """Cover questions still waiting or passed over, for meeting dates not yet started."""
    found = await uow.roles.covers(group.id, WAITING)
    if not found:
        return []
    dates = {(o.meeting.id, o.key): o for o in await upcoming(uow, group, now, limit=50)}
    return [
        (offer, row, dates[row.meeting_id, row.occurrence])
        for offer, row in found
        if (row.meeting_id, row.occurrence) in dates
        and dates[row.meeting_id, row.occurrence].start > now
    ]


async def move_on(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Housekeeping: ask the next person when a cover question has waited long enough."""
    for offer, row, o in await _waiting(uow, group, now):
        if offer.status != "open" or now < await answer_by(uow, group, offer, o):
            continue
        if row.person_id is not None:  # taken meanwhile: nothing to ask
            await uow.roles.set_status(offer, "open", "closed")
            continue
        if not await uow.roles.set_status(offer, "open", UNANSWERED):
            continue  # answered a moment ago, or another instance moved on first
        following = await ask_next(uow, group, o, row, now)
        if following is not None:
            roles = {r.name: r for r in await uow.roles.defined(group.id)}
            ask = question(following, group, o, verb(roles.get(row.role, row.role)))
            await uow.deliveries.queue(group.id, following.to_person_id, to_json(ask), now)


async def _passed_over(
    uow: UnitOfWork, group: Group, offer_id: int
) -> tuple[RoleAssignment, RoleOffer | None, GroupRole | None] | None:
    """For a question nobody answered in time: its role (still open), who was asked next
    (if anyone) and the role. None if it was answered in time or the role is taken now."""
    offer = await uow.roles.offer(group.id, offer_id)
    row = await uow.roles.assignment(offer.assignment_id) if offer else None
    if offer is None or offer.status != UNANSWERED or row is None or row.person_id is not None:
        return None
    later = [
        f for f in await uow.roles.offers_about([row.id]) if f.kind == "cover" and f.id > offer.id
    ]
    roles = {r.name: r for r in await uow.roles.defined(group.id)}
    return row, (later[0] if later else None), roles.get(row.role)


def _moved_on(group: Group, offer: RoleOffer, o: Occurrence, at: datetime) -> list[Due]:
    """When a question has waited long enough: a note to the facilitators, and a post in
    the channel if nobody is left to ask (each says nothing if it was answered in time)."""
    offer_id, asked_on = offer.id, offer.created_at.astimezone(o.zone)

    async def facilitators(uow: UnitOfWork, _to: Person | None) -> Message | None:
        found = await _passed_over(uow, group, offer_id)
        if found is None:
            return None
        row, following, role = found
        does = verb(role or row.role)
        asked = (
            f"Nobody has answered my question from {asked_on:%A} about who will {does} "
            f"at {o.meeting.title} ({o.when()})"
        )
        if following is not None:
            who = (await member_names(uow, group)).get(following.to_person_id, "someone")
            return message(
                f"{asked}, so I'm asking {who} instead.",
                "You don't need to do anything. If nobody can, I'll tell the group the role "
                "is open.",
                summary=f"Still looking for someone to {does}",
            )
        return message(
            f"{asked}, and there is nobody else to ask. The "
            f"{role.label if role else row.role} role is open, and I've told the group.",
            f"You could ask someone, or anyone can say /roles take {row.role}.",
            summary=f"Nobody yet to {does} at {o.meeting.title}",
        )

    async def channel(uow: UnitOfWork, _to: Person | None) -> Message | None:
        found = await _passed_over(uow, group, offer_id)
        if found is None or found[1] is not None:
            return None
        row, _, role = found
        return open_role(o, role, row.role)

    def due(kind: str, what: str, recipients: Recipients, build: Build) -> Due:
        return Due(
            key=f"{kind}:o{offer_id}",
            kind=kind,
            label=f"{what} at {o.meeting.title} ({o.when()})",
            due_at=at,
            group=group,
            recipients=recipients,
            build=build,
            planned_at=offer.created_at,
            expires_at=o.start,
        )

    return [
        due("covernote", "a note that a role still needs someone", "facilitators", facilitators),
        due("coveropen", "a role open", "channel", channel),
    ]


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """When each cover question stops waiting (the engine wakes then, and move_on asks the
    next person), with what the facilitators and the group are told."""
    dues: list[Due] = []
    for offer, _, o in await _waiting(uow, group, start):
        at = await answer_by(uow, group, offer, o)
        if at <= end:
            dues += _moved_on(group, offer, o, at)
    return dues
