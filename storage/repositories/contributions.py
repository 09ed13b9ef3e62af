"""The contribution log's records: who was there, time given, expenses, payment choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select

from storage.models import Contribution, Expense, PaymentChoice, Presence, PresenceCheck
from storage.repositories.base import Repository

#: How a member may want to be paid for taking part.
PAYMENT_CHOICES = ("paid", "vouchers", "none")


class Contributions(Repository):
    """Recording contributions: presence at meetings, time, expenses and payment choices."""

    async def presence_check(self, meeting_id: int, occurrence: str) -> PresenceCheck | None:
        """The record of who was at one meeting date, if someone has said."""
        return await self.session.scalar(
            select(PresenceCheck).where(
                PresenceCheck.meeting_id == meeting_id, PresenceCheck.occurrence == occurrence
            )
        )

    async def present(self, check: PresenceCheck) -> set[int]:
        """Who the record says was there."""
        result = await self.session.scalars(
            select(Presence.person_id).where(Presence.check_id == check.id)
        )
        return set(result.all())

    async def record_presence(
        self,
        group_id: int,
        meeting_id: int,
        occurrence: str,
        by_person_id: int,
        at: datetime,
        person_ids: Iterable[int],
    ) -> bool:
        """Say who was at one meeting date, replacing any earlier record; True if it did."""
        check = await self.presence_check(meeting_id, occurrence)
        replaced = check is not None
        if check is None:
            check = PresenceCheck(
                group_id=group_id,
                meeting_id=meeting_id,
                occurrence=occurrence,
                by_person_id=by_person_id,
                checked_at=at,
            )
            await self.add(check)
        else:
            check.by_person_id = by_person_id
            check.checked_at = at
            await self.session.execute(delete(Presence).where(Presence.check_id == check.id))
        await self.add(*(Presence(check_id=check.id, person_id=p) for p in sorted(set(person_ids))))
        return replaced

    async def add_time(self, row: Contribution) -> None:
        """Keep time a member gave, in their own words."""
        await self.add(row)

    async def add_expense(self, row: Expense) -> None:
        """Keep a cost a member had for taking part, in their own words."""
        await self.add(row)

    async def payment_choice(self, group_id: int, person_id: int) -> PaymentChoice | None:
        """How the member said they want to be paid (None: they haven't said)."""
        return await self.session.get(PaymentChoice, (group_id, person_id))

    async def choose_payment(
        self, group_id: int, person_id: int, choice: str, at: datetime
    ) -> str | None:
        """Keep the member's choice (one of PAYMENT_CHOICES); returns the one it replaced."""
        if choice not in PAYMENT_CHOICES:
            raise ValueError(f"unknown payment choice {choice!r}")
        row = await self.payment_choice(group_id, person_id)
        before = None if row is None else row.choice
        if row is None:
            await self.add(
                PaymentChoice(group_id=group_id, person_id=person_id, choice=choice, chosen_at=at)
            )
        else:
            row.choice = choice
            row.chosen_at = at
            await self.session.flush()
        return before

    async def forget_payment_choice(self, group_id: int, person_id: int) -> bool:
        """Back to not saying; False if there was nothing to forget."""
        row = await self.payment_choice(group_id, person_id)
        if row is None:
            return False
        await self.remove(row)
        return True
