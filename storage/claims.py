"""Claims: saving a row whose unique key says "this was done once", so it is never done twice.

Two instances (or a retry racing the first try) may try the same claim at the
same moment. The database's unique key decides who wins: the loser's commit
fails with an IntegrityError, which here means "already claimed", not an error.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Base


async def commit_once(session: AsyncSession) -> bool:
    """Commit; False, with nothing saved, when a unique key shows it was already done."""
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def insert_once(sessions: async_sessionmaker[AsyncSession], *rows: Base) -> bool:
    """Insert the rows in a transaction of their own; False if their key is already taken."""
    async with sessions() as session:
        session.add_all(rows)
        return await commit_once(session)
