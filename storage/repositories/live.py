"""How the chair has steered each meeting date in live mode."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import LiveMeeting
from storage.repositories.base import Repository


class LiveMeetings(Repository):
    """The chair's moves in a live meeting: one row per meeting date, once steered."""

    async def of_date(self, meeting_id: int, occurrence: str) -> LiveMeeting | None:
        """The steering of one meeting date (None: it runs as planned)."""
        return await self.session.scalar(
            select(LiveMeeting).where(
                LiveMeeting.meeting_id == meeting_id, LiveMeeting.occurrence == occurrence
            )
        )

    async def steer(
        self,
        meeting_id: int,
        occurrence: str,
        now: datetime,
        *,
        item: int | None = None,
        item_start: datetime | None = None,
        extra_minutes: int = 0,
        ended_at: datetime | None = None,
    ) -> LiveMeeting:
        """Save the chair's latest move for one meeting date (the row is made the first time)."""
        row = await self.of_date(meeting_id, occurrence)
        if row is None:
            row = LiveMeeting(meeting_id=meeting_id, occurrence=occurrence, changed_at=now)
            self.session.add(row)
        if ended_at is None:
            row.item, row.item_start, row.extra_minutes = item, item_start, extra_minutes
        row.ended_at = ended_at or row.ended_at
        row.changed_at = now
        await self.session.flush()
        return row

    async def ended(self, meeting_ids: Sequence[int]) -> dict[tuple[int, str], datetime]:
        """When the chair ended each meeting date that was ended early (or late), by
        (meeting id, occurrence key)."""
        if not meeting_ids:
            return {}
        rows = await self.session.execute(
            select(LiveMeeting.meeting_id, LiveMeeting.occurrence, LiveMeeting.ended_at).where(
                LiveMeeting.meeting_id.in_(meeting_ids), LiveMeeting.ended_at.is_not(None)
            )
        )
        return {(m, o): at for m, o, at in rows if at is not None}
