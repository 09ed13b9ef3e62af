"""Who said they are coming to a meeting date, who can't, and who isn't sure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import Attendance
from storage.repositories.base import Repository


class Attendances(Repository):
    """Members' answers to "are you coming?", one per person per meeting date."""

    async def of_date(self, meeting_id: int, occurrence: str) -> Sequence[Attendance]:
        """Every answer given for one meeting date, earliest first."""
        result = await self.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting_id, Attendance.occurrence == occurrence)
            .order_by(Attendance.said_at, Attendance.id)
        )
        return result.all()

    async def answer_of(
        self, meeting_id: int, occurrence: str, person_id: int
    ) -> Attendance | None:
        """What one person said about one meeting date, if anything."""
        return await self.session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting_id,
                Attendance.occurrence == occurrence,
                Attendance.person_id == person_id,
            )
        )

    async def say(
        self, meeting_id: int, occurrence: str, person_id: int, answer: str, at: datetime
    ) -> None:
        """Record a person's answer for one date; a later answer replaces an earlier one."""
        row = await self.answer_of(meeting_id, occurrence, person_id)
        if row is None:
            await self.add(
                Attendance(
                    meeting_id=meeting_id,
                    occurrence=occurrence,
                    person_id=person_id,
                    answer=answer,
                    said_at=at,
                )
            )
            return
        row.answer = answer
        row.said_at = at
        await self.session.flush()

    async def forget(self, meeting_id: int, occurrence: str, person_id: int) -> bool:
        """Remove a person's answer for one date (back to not saying); False if there was none."""
        row = await self.answer_of(meeting_id, occurrence, person_id)
        if row is None:
            return False
        await self.remove(row)
        return True
