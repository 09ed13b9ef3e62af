"""Anonymous concerns, their drafts and quotas: nothing here links a concern to a person."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class Concerns:
    """Concerns waiting, shared or withheld, found by group, batch or receipt."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
