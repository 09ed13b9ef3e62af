"""Non-urgent messages held for people's daily digests."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import DigestItem
from storage.repositories.base import Repository


class Digests(Repository):
    """What waits for each person's daily digest."""

    async def waiting(self, person_id: int) -> Sequence[DigestItem]:
        """Messages held for this person that have not gone out in a digest yet, oldest first."""
        result = await self.session.scalars(
            select(DigestItem)
            .where(DigestItem.person_id == person_id, DigestItem.digest_key.is_(None))
            .order_by(DigestItem.held_at, DigestItem.id)
        )
        return result.all()
