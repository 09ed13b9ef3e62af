"""What every repository can do: add rows and remove them, in the unit of work's session."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base


class Repository:
    """Queries and changes for one area; changes are saved when the unit of work commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *rows: Base) -> None:
        """Add new rows, and give them their ids now (so they can be referred to at once)."""
        self.session.add_all(rows)
        await self.session.flush()

    async def remove(self, *rows: Base) -> None:
        """Remove rows."""
        for row in rows:
            await self.session.delete(row)
        await self.session.flush()
