"""When each group next has something due: what the delivery engine looks at first.

The engine stores each group's next due time when it plans the group; a wake-up
plans only the groups whose time has come or that were asked to plan again.
Anything that can change what a group has due (a command that saved something,
someone joining) asks for a new plan with `replan`. Each request adds one to the
group's `replans` count, and the engine stores a plan only if the count is the
one it read before planning, so a plan made from older data never hides a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update

from storage.models import Group, Membership
from storage.repositories.base import Repository

_ASK_AGAIN = {"next_due_at": None, "replans": Group.replans + 1}
#: Plain UPDATE statements: groups loaded in the session are not changed in memory.
_PLAIN = {"synchronize_session": False}


class Plans(Repository):
    """Each group's next due time, and the requests to plan it again."""

    async def replan(self, group_id: int) -> None:
        """Plan this group again at the next wake-up."""
        await self.session.execute(
            update(Group).where(Group.id == group_id).values(_ASK_AGAIN), execution_options=_PLAIN
        )

    async def replan_person(self, person_id: int, group_id: int | None = None) -> None:
        """Plan again every group this person is in (their preferences, away dates or
        membership changed what they get), and `group_id` if given."""
        theirs = select(Membership.group_id).where(Membership.person_id == person_id)
        where: ColumnElement[bool] = Group.id.in_(theirs)
        if group_id is not None:
            where = or_(where, Group.id == group_id)
        await self.session.execute(
            update(Group).where(where).values(_ASK_AGAIN), execution_options=_PLAIN
        )

    async def due(self, now: datetime) -> Sequence[Group]:
        """The groups to plan now: their next due time has come, or a change asked."""
        result = await self.session.scalars(
            select(Group)
            .where(or_(Group.next_due_at.is_(None), Group.next_due_at <= now))
            .order_by(Group.id)
        )
        return result.all()

    async def stale(self, before: datetime, limit: int) -> Sequence[Group]:
        """Up to `limit` groups not planned since `before` (or since this process started),
        longest ago first; after a start, the ones with something due soonest first (so
        their plans are kept in memory before it falls due)."""
        result = await self.session.scalars(
            select(Group)
            .where(or_(Group.planned_at.is_(None), Group.planned_at < before))
            .order_by(
                Group.planned_at.is_not(None),
                Group.planned_at,
                Group.next_due_at.is_(None),
                Group.next_due_at,
                Group.id,
            )
            .limit(limit)
        )
        return result.all()

    async def planned(self, group: Group, next_due_at: datetime, now: datetime) -> bool:
        """Store the group's next due time, unless a change asked for a new plan since
        `group` was read (then it stays to be planned again). True if stored."""
        result = await self.session.execute(
            update(Group)
            .where(Group.id == group.id, Group.replans == group.replans)
            .values(next_due_at=next_due_at, planned_at=now),
            execution_options=_PLAIN,
        )
        return bool(getattr(result, "rowcount", 0))

    async def next_after(self, now: datetime) -> datetime | None:
        """The earliest stored next due time after `now`, if any."""
        return await self.session.scalar(
            select(func.min(Group.next_due_at)).where(Group.next_due_at > now)
        )

    async def forget_planned_times(self) -> None:
        """Mark every group as not planned since this process started (their stored next
        due times stay valid: the engine re-plans them in the background)."""
        await self.session.execute(update(Group).values(planned_at=None), execution_options=_PLAIN)
