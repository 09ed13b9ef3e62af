"""Finding a decision by its number, and what it points to: its meeting, its concern,
and who is asked for its updates."""

from __future__ import annotations

from datetime import timedelta

from handlers.core.commands import Context, Refusal
from handlers.core.occurrences import Occurrence, between
from handlers.followups import number_of
from storage.models import Decision, Group
from storage.uow import UnitOfWork


async def find_decision(ctx: Context, word: str, example: str) -> Decision:
    """The group's decision numbered `word`, or a kind refusal."""
    number = number_of(word, "decision", example)
    decision = await ctx.uow.followups.decision(ctx.the_group().id, number)
    if decision is None:
        raise Refusal(
            f"There is no decision {number}. Nothing was changed.",
            "Type /decision to see the open decisions and their numbers.",
        )
    return decision


async def occurrence_of(uow: UnitOfWork, group: Group, d: Decision) -> Occurrence | None:
    """The meeting date a decision was recorded at, if any."""
    if d.meeting_id is None or d.occurrence is None:
        return None
    found = await between(uow, group, d.created_at - timedelta(days=60), d.created_at)
    return next((o for o in found if o.meeting.id == d.meeting_id and o.key == d.occurrence), None)


async def public_concern(uow: UnitOfWork, d: Decision) -> int | None:
    """The number of the concern it answers, if the whole group saw that concern."""
    concern = await uow.followups.concern_of(d)
    if concern is None or concern.audience != "group" or concern.number is None:
        return None
    return concern.number


def asks(d: Decision) -> int | None:
    """Who is asked for updates: the owner, or whoever recorded it."""
    return d.owner_id or d.recorded_by
