"""The unit of work: one session, explicit commit; closing without commit saves nothing.

Closing (rather than rolling back) keeps loaded objects readable afterwards, so
what was planned in one unit of work can be shown from another.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories import (
    Checkins,
    Deliveries,
    Groups,
    Icebreakers,
    Meetings,
    People,
    Roles,
)


class UnitOfWork:
    """Open with `async with`; nothing is saved unless `commit()` is called."""

    session: AsyncSession
    people: People
    groups: Groups
    meetings: Meetings
    deliveries: Deliveries
    roles: Roles
    checkins: Checkins
    icebreakers: Icebreakers

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.people = People(self.session)
        self.groups = Groups(self.session)
        self.meetings = Meetings(self.session)
        self.deliveries = Deliveries(self.session)
        self.roles = Roles(self.session)
        self.checkins = Checkins(self.session)
        self.icebreakers = Icebreakers(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.close()

    async def commit(self) -> None:
        """Save everything done in this unit of work."""
        await self.session.commit()
