"""An icebreaker round's life: how long it stays open, who has responded, what is shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from storage.models import IcebreakerAnswer, IcebreakerRound
from storage.uow import UnitOfWork

MEETING_WINDOW = timedelta(minutes=20)
NOW_WINDOW = timedelta(hours=1)


async def everyone_responded(uow: UnitOfWork, r: IcebreakerRound) -> bool:
    """Whether every member has answered or passed."""
    members = {m.person_id for m in await uow.groups.members(r.group_id)}
    responded = {a.person_id for a in await uow.icebreakers.answers(r.id)}
    return members <= responded


def mark_shown(answers: Sequence[IcebreakerAnswer], at: datetime) -> list[IcebreakerAnswer]:
    """Mark the answers not yet shown as shown at `at`; those are returned."""
    fresh = [a for a in answers if a.shown_at is None]
    for answer in fresh:
        answer.shown_at = at
    return fresh
