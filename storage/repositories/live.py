"""How the chair has steered each meeting date in live mode."""

from __future__ import annotations

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
