"""The audit log of facilitator actions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from storage.models import AuditEntry
from storage.repositories.base import Repository

FORMER_MEMBER = "a former member"


class AuditLog(Repository):
    """Facilitator actions in a group, in plain words, oldest first."""

    async def record(
        self, group_id: int, person_id: int | None, actions: Sequence[str], at: datetime
    ) -> None:
        """Save each action, in the order it was done, as done by this person at this time."""
        await self.add(
            *(
                AuditEntry(group_id=group_id, person_id=person_id, action=action, at=at)
                for action in actions
            )
        )

    async def count(self, group_id: int) -> int:
        """How many entries the group's log holds."""
        found = await self.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.group_id == group_id)
        )
        return int(found or 0)

    async def entries(
        self, group_id: int, limit: int | None = None, offset: int = 0
    ) -> Sequence[AuditEntry]:
        """The group's entries oldest first, skipping the `offset` newest and keeping at
        most `limit` of those before them (all of them, if no limit)."""
        newest = (
            select(AuditEntry)
            .where(AuditEntry.group_id == group_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(reversed((await self.session.scalars(newest)).all()))

    async def forget_name(self, name: str) -> None:
        """Write "a former member" wherever an entry names this person (for /forget me):
        like "made Sam a facilitator". Who did each action is forgotten with the person."""
        if not name.strip():
            return
        named = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        rows = await self.session.scalars(
            select(AuditEntry).where(AuditEntry.action.contains(name, autoescape=True))
        )
        for row in rows:
            row.action = named.sub(FORMER_MEMBER, row.action)
        await self.session.flush()
