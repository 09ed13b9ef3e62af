"""Messages held for a round-up: a person's daily digest, or a channel's after-the-meeting post.

A held row waits with `digest_key` None for a person's daily round-up. The round-up's
delivery key is written on the rows it gathers, so if it is built again (after a crash,
or by a second instance) it gathers the same rows; they are removed once it is sent.
A row held for the channel's after-the-meeting round-up carries that round-up's key
from the start (its `person_id` is whoever's command it came from).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update

from storage.models import Delivery, DigestItem
from storage.repositories.base import Repository


class Digests(Repository):
    """What waits for a round-up."""

    async def hold(
        self, person_id: int, group_id: int, payload: str, now: datetime, key: str | None = None
    ) -> None:
        """Keep a rendered message for a round-up (`key`: the round-up it is already for)."""
        await self.add(
            DigestItem(
                person_id=person_id, group_id=group_id, payload=payload, held_at=now, digest_key=key
            )
        )

    async def waiting(self, person_id: int) -> Sequence[DigestItem]:
        """Messages held for this person that have not gone out in a digest yet, oldest first."""
        result = await self.session.scalars(
            select(DigestItem)
            .where(DigestItem.person_id == person_id, DigestItem.digest_key.is_(None))
            .order_by(DigestItem.held_at, DigestItem.id)
        )
        return result.all()

    async def unclaimed(self, person_id: int, prefix: str) -> Sequence[DigestItem]:
        """The person's held messages no daily round-up has claimed yet (waiting, or gathered
        by one whose delivery never started), oldest first. `prefix` starts its keys."""
        claimed = select(Delivery.key).where(Delivery.key == DigestItem.digest_key)
        result = await self.session.scalars(
            select(DigestItem)
            .where(
                DigestItem.person_id == person_id,
                or_(
                    DigestItem.digest_key.is_(None),
                    DigestItem.digest_key.startswith(prefix) & ~claimed.exists(),
                ),
            )
            .order_by(DigestItem.held_at, DigestItem.id)
        )
        return result.all()

    async def gather(self, person_id: int, group_id: int, key: str) -> Sequence[DigestItem]:
        """Mark the person's waiting messages in this group as going out under `key`; return
        every message marked with it (so building the round-up again gives the same one)."""
        await self.session.execute(
            update(DigestItem)
            .where(
                DigestItem.person_id == person_id,
                DigestItem.group_id == group_id,
                DigestItem.digest_key.is_(None),
            )
            .values(digest_key=key)
        )
        return await self.gathered(key)

    async def gathered(self, key: str) -> Sequence[DigestItem]:
        """The messages going out under the round-up `key`, oldest first."""
        result = await self.session.scalars(
            select(DigestItem)
            .where(DigestItem.digest_key == key)
            .order_by(DigestItem.held_at, DigestItem.id)
        )
        return result.all()

    async def marked(self, group_id: int) -> Sequence[DigestItem]:
        """A group's messages marked for a round-up (sent, being sent, or about to be)."""
        result = await self.session.scalars(
            select(DigestItem).where(
                DigestItem.group_id == group_id, DigestItem.digest_key.is_not(None)
            )
        )
        return result.all()

    async def forget(self, ids: Sequence[int]) -> None:
        """Remove held messages (they went out)."""
        if ids:
            await self.session.execute(delete(DigestItem).where(DigestItem.id.in_(ids)))

    async def release(self, ids: Sequence[int]) -> None:
        """Put held messages back to wait for the next round-up (the last one didn't go)."""
        if ids:
            await self.session.execute(
                update(DigestItem).where(DigestItem.id.in_(ids)).values(digest_key=None)
            )
