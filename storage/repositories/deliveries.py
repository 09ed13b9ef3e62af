"""What the delivery engine has already claimed or sent."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import (
    Delivery,
)
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

    async def in_doubt(self) -> Sequence[Delivery]:
        """Deliveries claimed but not confirmed: the bot stopped while sending them."""
        result = await self.session.scalars(
            select(Delivery).where(Delivery.status == "sending").order_by(Delivery.id)
        )
        return result.all()
