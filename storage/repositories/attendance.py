"""Who said they are coming to a meeting date, who can't, and who isn't sure."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import Attendance
from storage.repositories.base import Repository


class Attendances(Repository):
    """Members' answers to "are you coming?", one per person per meeting date."""

    async def of_date(self, meeting_id: int, occurrence: str) -> Sequence[Attendance]:
        """Every answer given for one meeting date."""
        result = await self.session.scalars(
            select(Attendance).where(
                Attendance.meeting_id == meeting_id, Attendance.occurrence == occurrence
            )
        )
        return result.all()
