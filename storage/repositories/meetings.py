"""Meetings, changes to one date of a series, and agenda items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import (
    AgendaItem,
    Meeting,
    OccurrenceChange,
)
from storage.repositories.base import Repository


class Meetings(Repository):
    """Meetings, their changed dates and their agendas."""

    async def of_group(self, group_id: int) -> Sequence[Meeting]:
        """The group's meetings that are not cancelled, oldest first."""
        result = await self.session.scalars(
            select(Meeting)
            .where(Meeting.group_id == group_id, Meeting.cancelled.is_(False))
            .order_by(Meeting.id)
        )
        return result.all()

    async def group_of(self, meeting_id: int) -> int:
        """The id of the group the meeting belongs to."""
        found = await self.session.scalar(select(Meeting.group_id).where(Meeting.id == meeting_id))
        assert found is not None, "every agenda item's meeting exists"
        return int(found)

    async def get(self, group_id: int, meeting_id: int) -> Meeting | None:
        """The group's meeting with this number, if it exists."""
        return await self.session.scalar(
            select(Meeting).where(Meeting.group_id == group_id, Meeting.id == meeting_id)
        )

    async def changes(self, meeting_ids: Sequence[int]) -> Sequence[OccurrenceChange]:
        """Cancelled or moved dates of these meetings."""
        if not meeting_ids:
            return []
        result = await self.session.scalars(
            select(OccurrenceChange).where(OccurrenceChange.meeting_id.in_(meeting_ids))
        )
        return result.all()

    async def _change(self, meeting_id: int, occurrence: str) -> OccurrenceChange:
        """The change record for one date, created if there is none yet."""
        found = await self.session.scalar(
            select(OccurrenceChange).where(
                OccurrenceChange.meeting_id == meeting_id,
                OccurrenceChange.occurrence == occurrence,
            )
        )
        if found is None:
            found = OccurrenceChange(meeting_id=meeting_id, occurrence=occurrence)
            self.session.add(found)
        return found

    async def cancel_date(self, meeting_id: int, occurrence: str) -> None:
        """Cancel one date of a series; the other dates stay."""
        (await self._change(meeting_id, occurrence)).cancelled = True

    async def move_date(self, meeting_id: int, occurrence: str, local_start: datetime) -> None:
        """Move one date of a meeting to a new local start."""
        (await self._change(meeting_id, occurrence)).new_local_start = local_start
        await self.session.flush()

    async def agenda(self, meeting_id: int, occurrence: str) -> Sequence[AgendaItem]:
        """One date's agenda items in order."""
        result = await self.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id, AgendaItem.occurrence == occurrence)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
        return result.all()
