"""What the proposals feature has due, and the housekeeping that closes proposals on time.

- An anonymous proposal's choices go to each member privately when it is made (or when
  they join, while it is open): reactions in a group room are public.
- Before it closes (a day before; halfway, when it is open less than two days): one note
  in the channel on how many have answered, and one gentle nudge, privately, to each
  member who hasn't. Both find nothing to say once it has closed; a nudge finds nothing
  to say to someone who has answered by then.
- At its close: the outcome, in the channel (kept for late joiners and never summarised).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.due import Due
from handlers.core.messages import Message, message
from handlers.core.when import said_at
from handlers.followups import name_of
from handlers.proposals.tally import outcome, taking_part
from handlers.proposals.wording import invitation
from storage.models import Group, Person, Proposal
from storage.uow import UnitOfWork

NOTE_BEFORE = timedelta(days=1)


def note_at(p: Proposal) -> datetime:
    """When the note and the nudges go: a day before it closes, or halfway if it is short."""
    if p.closes_at - p.created_at < 2 * NOTE_BEFORE:
        return p.created_at + (p.closes_at - p.created_at) / 2
    return p.closes_at - NOTE_BEFORE


async def _still_open(uow: UnitOfWork, proposal_id: int) -> Proposal | None:
    """The proposal, unless it has closed (housekeeping marks that before anything is sent;
    a message that would arrive after the close, say after quiet hours, has expired)."""
    p = await uow.proposals.with_id(proposal_id)
    return None if p is None or p.closed_at is not None else p


def _to_each(group: Group, p: Proposal, person_id: int, nudge: bool) -> Due:
    proposal_id, number = p.id, p.number
    kind = "proposalnudge" if nudge else "proposalinvite"

    async def build(uow: UnitOfWork, to: Person | None) -> Message | None:
        current = await _still_open(uow, proposal_id)
        if current is None or to is None:
            return None
        if await uow.proposals.has_answered(proposal_id, to.id):
            return None
        return invitation(
            current, group, await name_of(uow, current.owner_id, group_id=group.id), nudge
        )

    return Due(
        key=f"{kind}:p{proposal_id}",
        kind=kind,
        label=f"a reminder about proposal {number}" if nudge else f"proposal {number}",
        due_at=note_at(p) if nudge else p.created_at,
        group=group,
        recipients="person",
        person_id=person_id,
        build=build,
        planned_at=p.created_at,
        catch_up=not nudge,
        expires_at=p.closes_at,
    )


def _note(group: Group, p: Proposal) -> Due:
    proposal_id, number = p.id, p.number

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await _still_open(uow, proposal_id)
        if current is None:
            return None
        return message(
            said_at(
                f"Proposal {number} closes on ",
                current.closes_at,
                group.timezone,
                f": {current.text}",
            ),
            await taking_part(uow, current),
            f"If you'd like to answer, type /proposal {number}. It's fine not to.",
            summary=f"Proposal {number} closes soon",
        )

    return Due(
        key=f"proposalnote:p{proposal_id}",
        kind="proposalnote",
        label=f"a note on proposal {number}",
        due_at=note_at(p),
        group=group,
        recipients="channel",
        build=build,
        planned_at=p.created_at,
        expires_at=p.closes_at,
    )


def _outcome(group: Group, p: Proposal) -> Due:
    proposal_id, number = p.id, p.number

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.proposals.with_id(proposal_id)
        return None if current is None else await outcome(uow, group, current)

    return Due(
        key=f"proposaloutcome:p{proposal_id}",
        kind="proposaloutcome",
        label=f"the outcome of proposal {number}",
        due_at=p.closes_at,
        group=group,
        recipients="channel",
        build=build,
        planned_at=p.created_at,
        catch_up=True,
        keep=True,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Invitations, the note and nudges before the close, and the outcome."""
    members = [m.person_id for m in await uow.groups.members(group.id)]
    dues: list[Due] = []
    for p in await uow.proposals.active_between(group.id, start, end):
        dues += [_note(group, p), _outcome(group, p)]
        dues += [_to_each(group, p, person, nudge=True) for person in members]
        if p.anonymous:
            dues += [_to_each(group, p, person, nudge=False) for person in members]
    return dues


async def close_due(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Mark proposals closed once their time has come (answers stop at `closes_at`)."""
    for p in await uow.proposals.to_close(group.id, now):
        p.closed_at = p.closes_at
