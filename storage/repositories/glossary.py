"""A group's glossary: its own terms, the starter terms it turned off, what was asked."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import GlossaryOff, GlossaryTerm, JargonAsked
from storage.repositories.base import Repository


class Glossary(Repository):
    """Plain meanings for the words a group uses."""

    async def terms(self, group_id: int) -> Sequence[GlossaryTerm]:
        """The group's own terms, in alphabetical order."""
        result = await self.session.scalars(
            select(GlossaryTerm).where(GlossaryTerm.group_id == group_id).order_by(GlossaryTerm.key)
        )
        return result.all()

    async def term(self, group_id: int, key: str) -> GlossaryTerm | None:
        """The group's own term with this key (the term casefolded), if it has one."""
        return await self.session.scalar(
            select(GlossaryTerm).where(GlossaryTerm.group_id == group_id, GlossaryTerm.key == key)
        )

    async def turned_off(self, group_id: int) -> set[str]:
        """The keys of the starter terms the group turned off."""
        result = await self.session.scalars(
            select(GlossaryOff.key).where(GlossaryOff.group_id == group_id)
        )
        return set(result.all())

    async def turn_off(self, group_id: int, key: str) -> None:
        """Turn a starter term off for the group (nothing happens if it already is)."""
        await self._insert_new(GlossaryOff, [{"group_id": group_id, "key": key}])

    async def turn_on(self, group_id: int, key: str) -> None:
        """Turn a starter term back on for the group."""
        await self.session.execute(
            delete(GlossaryOff).where(GlossaryOff.group_id == group_id, GlossaryOff.key == key)
        )

    async def asked(self, group_id: int) -> set[str]:
        """The keys of the terms someone in the group was already asked to explain."""
        result = await self.session.scalars(
            select(JargonAsked.key).where(JargonAsked.group_id == group_id)
        )
        return set(result.all())

    async def mark_asked(self, group_id: int, keys: Collection[str], at: datetime) -> None:
        """Note that these terms were asked about (one asked at the same moment is kept)."""
        rows = [{"group_id": group_id, "key": key, "asked_at": at} for key in keys]
        await self._insert_new(JargonAsked, rows)

    async def _insert_new(self, model: type[Any], rows: list[dict[str, Any]]) -> None:
        """Insert rows, leaving out any whose key is already there (even one saved a moment
        ago by another command), so that can never make a command fail."""
        if not rows:
            return
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        await self.session.execute(dialect.insert(model).values(rows).on_conflict_do_nothing())
