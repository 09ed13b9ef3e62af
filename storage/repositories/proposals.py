"""Proposals, their answers, and who has answered."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Proposal
from storage.repositories.base import Repository


class Proposals(Repository):
    """Proposals a group answers, and the answers they got."""

    async def next_number(self, group_id: int) -> int:
        """The number the group's next proposal gets: 1, 2, 3, ..."""
        last = await self.session.scalar(
            select(func.max(Proposal.number)).where(Proposal.group_id == group_id)
        )
        return (last or 0) + 1

    async def get(self, group_id: int, number: int) -> Proposal | None:
        """The group's proposal with this number, if any."""
        return await self.session.scalar(
            select(Proposal).where(Proposal.group_id == group_id, Proposal.number == number)
        )
