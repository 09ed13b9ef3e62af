"""The unit of work: one session, explicit commit, rollback on anything else."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories import Groups, People


class UnitOfWork:
    """Open with `async with`; nothing is saved unless `commit()` is called."""

    session: AsyncSession
    people: People
    groups: Groups

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.people = People(self.session)
        self.groups = Groups(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        """Save everything done in this unit of work."""
        await self.session.commit()
