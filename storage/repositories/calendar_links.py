"""Private calendar subscriptions: a keyed hash of each link's token, one a member a group."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from storage.models import CalendarLink
from storage.repositories.base import Repository


class CalendarLinks(Repository):
    """Make, find and stop members' calendar links."""

    async def make(self, group_id: int, person_id: int, token_hash: str, now: datetime) -> bool:
        """Keep a new link for the member (their old one, if any, stops working);
        True if they had one before."""
        had = await self.stop(group_id, person_id)
        await self.add(
            CalendarLink(group_id=group_id, person_id=person_id, token_hash=token_hash, made_at=now)
        )
        return had

    async def stop(self, group_id: int, person_id: int) -> bool:
        """Delete the member's link for the group; True if there was one."""
        result = await self.session.execute(
            delete(CalendarLink).where(
                CalendarLink.group_id == group_id, CalendarLink.person_id == person_id
            )
        )
        await self.session.flush()
        return bool(getattr(result, "rowcount", 0))

    async def stop_all(self, person_id: int) -> None:
        """Delete every link the person has, in every group."""
        await self.session.execute(delete(CalendarLink).where(CalendarLink.person_id == person_id))

    async def find(self, token_hash: str) -> CalendarLink | None:
        """The link with this hash of its token, if it still works."""
        found: CalendarLink | None = await self.session.scalar(
            select(CalendarLink).where(CalendarLink.token_hash == token_hash)
        )
        return found

    async def groups_of(self, person_id: int) -> list[int]:
        """The ids of the groups the person has a link for."""
        rows = await self.session.scalars(
            select(CalendarLink.group_id).where(CalendarLink.person_id == person_id)
        )
        return list(rows.all())
