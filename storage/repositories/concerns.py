"""Anonymous concerns, their drafts and quotas: nothing here links a concern to a person.

Rows are found only by the group, the release batch, the number given at
release, or a keyed hash (of a receipt code, a draft token or a day's quota
key) that the caller computes; never by who wrote them or when.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select

from storage.models import Concern, ConcernDraft, ConcernQuota
from storage.repositories.base import Repository


class Concerns(Repository):
    """Concerns waiting, shared or withheld, found by group, batch or receipt."""

    async def quota(self, key_hash: str, day: date) -> ConcernQuota:
        """Today's count for this keyed hash, started at 0 if there is none yet."""
        quota = await self.session.get(ConcernQuota, key_hash)
        if quota is None:
            quota = ConcernQuota(key_hash=key_hash, day=day, count=0)
            await self.add(quota)
        return quota

    async def draft(self, token_hash: str) -> ConcernDraft | None:
        """The draft held under this keyed hash of its token, if it is still kept."""
        return await self.session.get(ConcernDraft, token_hash)

    async def forget_before(self, day: date) -> None:
        """Delete drafts and daily counts from before this day."""
        await self.session.execute(delete(ConcernDraft).where(ConcernDraft.day < day))
        await self.session.execute(delete(ConcernQuota).where(ConcernQuota.day < day))

    async def by_receipt(self, receipt_hash: str) -> Concern | None:
        """The concern whose receipt code has this keyed hash, if any."""
        return await self.session.scalar(
            select(Concern).where(Concern.receipt_hash == receipt_hash)
        )

    async def waiting(self, group_id: int, handle: str | None = None) -> Sequence[Concern]:
        """The group's concerns waiting to be shared (only those whose id starts with
        `handle`, if given), in id order, which is random."""
        query = select(Concern).where(Concern.group_id == group_id, Concern.status == "waiting")
        if handle is not None:
            query = query.where(Concern.id.startswith(handle))
        return (await self.session.scalars(query.order_by(Concern.id))).all()

    async def released(self, group_id: int, number: int) -> Concern | None:
        """The group's shared concern with this number, if any."""
        return await self.session.scalar(
            select(Concern).where(
                Concern.group_id == group_id, Concern.number == number, Concern.status == "released"
            )
        )

    async def unnumbered(self, group_id: int) -> Sequence[Concern]:
        """The group's concerns waiting or withheld that no release has numbered yet."""
        result = await self.session.scalars(
            select(Concern).where(
                Concern.group_id == group_id,
                Concern.status.in_(("waiting", "withheld")),
                Concern.number.is_(None),
            )
        )
        return result.all()

    async def last_number(self, group_id: int) -> int:
        """The highest number a release gave in this group (0 before the first)."""
        last = await self.session.scalar(
            select(func.max(Concern.number)).where(Concern.group_id == group_id)
        )
        return last or 0

    async def in_batch(self, group_id: int, at: datetime, audience: str) -> Sequence[Concern]:
        """The numbered concerns of the batch released at `at` for this audience, by number."""
        result = await self.session.scalars(
            select(Concern)
            .where(
                Concern.group_id == group_id,
                Concern.batch_at == at,
                Concern.audience == audience,
                Concern.number.is_not(None),
            )
            .order_by(Concern.number)
        )
        return result.all()

    async def answered_since(self, group_id: int, since: datetime) -> Sequence[Concern]:
        """The group's concerns shared with everyone and answered since `since`, by number."""
        result = await self.session.scalars(
            select(Concern)
            .where(
                Concern.group_id == group_id,
                Concern.audience == "group",
                Concern.response.is_not(None),
                Concern.responded_at >= since,
            )
            .order_by(Concern.number)
        )
        return result.all()
