"""Receipts of messages whose command saved something (see CommandReceipt)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete

from storage.models import CommandReceipt
from storage.repositories.base import Repository

#: How long a receipt is kept: far longer than any platform hands a message over again.
KEEP = timedelta(days=30)


class Receipts(Repository):
    """The keys of messages whose work is done, saved with that work."""

    def note(self, key: str, day: date) -> None:
        """Save the receipt (a keyed hash) with the work in hand, dated by the day only (a
        second one with the same key makes the commit fail: the work was done already)."""
        self.session.add(CommandReceipt(key=key, day=day))

    async def prune(self, now: datetime) -> None:
        """Forget receipts older than KEEP."""
        await self.session.execute(
            delete(CommandReceipt).where(CommandReceipt.day < (now - KEEP).date())
        )
