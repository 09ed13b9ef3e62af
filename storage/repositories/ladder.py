"""The ladder pulse: its rounds, anonymous answers, and who has answered."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import LadderRound
from storage.repositories.base import Repository


class Ladder(Repository):
    """Rounds of the ladder question, and their answers (never linked to a person)."""

    async def latest(self, group_id: int) -> LadderRound | None:
        """The group's most recent round, if it has had one."""
        return await self.session.scalar(
            select(LadderRound)
            .where(LadderRound.group_id == group_id)
            .order_by(LadderRound.opens_at.desc())
            .limit(1)
        )
