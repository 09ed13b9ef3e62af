"""A group's glossary: its own terms, the starter terms it turned off, what was asked."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import GlossaryTerm
from storage.repositories.base import Repository


class Glossary(Repository):
    """Plain meanings for the words a group uses."""

    async def terms(self, group_id: int) -> Sequence[GlossaryTerm]:
        """The group's own terms, in alphabetical order."""
        result = await self.session.scalars(
            select(GlossaryTerm).where(GlossaryTerm.group_id == group_id).order_by(GlossaryTerm.key)
        )
        return result.all()
