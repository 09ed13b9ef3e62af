"""What the delivery engine has already claimed or sent."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import Delivery, QueuedMessage
from storage.repositories.base import Repository


class Deliveries(Repository):
    """The record of what has been claimed and sent, by unique key."""

    async def known(self, keys: Sequence[str]) -> set[str]:
        """Which of these keys already have a delivery record."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            result = await self.session.scalars(select(Delivery.key).where(Delivery.key.in_(chunk)))
            found.update(result.all())
        return found

    async def claim(self, rows: Sequence[dict[str, Any]]) -> set[str]:
        """Insert these delivery records in one statement, leaving out any whose key is
        already taken; the keys inserted. Each key is claimed once, whoever races for
        it: the database's unique key decides, as with `storage.claims.insert_once`."""
        if not rows:
            return set()
        insert = (
            postgresql.insert
            if self.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert
        )
        result = await self.session.scalars(
            insert(Delivery)
            .values(list(rows))
            .on_conflict_do_nothing(index_elements=[Delivery.key])
            .returning(Delivery.key)
        )
        return set(result.all())

    async def release(self, keys: Sequence[str], owner: str) -> None:
        """Remove `owner`'s claims on these deliveries, still 'sending' and never tried:
        they are planned and claimed again, by whichever instance sends next."""
        await self.session.execute(
            delete(Delivery).where(
                Delivery.key.in_(keys), Delivery.status == "sending", Delivery.owner == owner
            )
        )

    async def records(self, keys: Sequence[str]) -> dict[str, Delivery]:
        """The delivery records of these keys that exist, by key (what happened to each)."""
        found: dict[str, Delivery] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            result = await self.session.scalars(select(Delivery).where(Delivery.key.in_(chunk)))
            found.update((row.key, row) for row in result.all())
        return found

    async def in_doubt(self, owner: str, now: datetime, sole: bool = False) -> Sequence[Delivery]:
        """Deliveries claimed but not confirmed that are `owner`'s to finish: its own, and
        those past their deadline (their instance died); with `sole`, all of them."""
        result = await self.session.scalars(
            select(Delivery)
            .where(Delivery.status == "sending", *self._finishable(owner, now, sole))
            .order_by(Delivery.id)
        )
        return result.all()

    async def take_over(
        self, key: str, owner: str, now: datetime, deadline: datetime, sole: bool = False
    ) -> bool:
        """Make an in-doubt delivery `owner`'s, until `deadline`; False if it isn't theirs
        to finish (any more). One instance wins: the update re-checks the row it locks."""
        result = await self.session.execute(
            update(Delivery)
            .where(
                Delivery.key == key,
                Delivery.status == "sending",
                *self._finishable(owner, now, sole),
            )
            .values(owner=owner, deadline=deadline)
        )
        return bool(getattr(result, "rowcount", 0))

    @staticmethod
    def _finishable(owner: str, now: datetime, sole: bool) -> list[ColumnElement[bool]]:
        if sole:
            return []
        return [
            or_(
                Delivery.owner == owner,
                Delivery.owner.is_(None),  # claimed before rows named their instance
                Delivery.deadline.is_(None),
                Delivery.deadline < now,
            )
        ]

    async def queue(self, group_id: int, person_id: int, payload: str, now: datetime) -> None:
        """Keep a direct message for the engine to deliver at a kind time."""
        await self.add(
            QueuedMessage(
                ref=secrets.token_hex(16),
                group_id=group_id,
                person_id=person_id,
                payload=payload,
                queued_at=now,
            )
        )

    async def queued(self, group_id: int) -> Sequence[QueuedMessage]:
        """A group's direct messages still waiting, oldest first."""
        result = await self.session.scalars(
            select(QueuedMessage)
            .where(QueuedMessage.group_id == group_id)
            .order_by(QueuedMessage.id)
        )
        return result.all()

    async def forget_delivered(self, group_id: int, keys: dict[str, int]) -> None:
        """Remove the waiting messages (by delivery key) that have been delivered."""
        done = await self.known(list(keys))
        if done:
            await self.session.execute(
                delete(QueuedMessage).where(QueuedMessage.id.in_([keys[k] for k in done]))
            )
