"""Roles that go round: the roles, who is willing, who holds which, and offers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from storage.models import (
    GroupRole,
    Preferences,
    RoleAssignment,
    RoleOffer,
    RolePass,
    RoleWillingness,
)
from storage.repositories.base import Repository

#: The roles every group starts with: (name people type, how it reads).
DEFAULT_ROLES = (("chair", "chair"), ("minutes", "minute-taker"))


class Roles(Repository):
    """Roles that go round a group: who offered, who held what, and open questions."""

    async def defined(self, group_id: int, *, removed: bool = False) -> list[GroupRole]:
        """The group's roles in order; the defaults (not yet saved) if it never changed them."""
        rows = list(
            await self.session.scalars(
                select(GroupRole)
                .where(GroupRole.group_id == group_id)
                .order_by(GroupRole.position, GroupRole.id)
            )
        )
        if not rows:
            return [
                GroupRole(group_id=group_id, name=name, label=label, position=i, removed=False)
                for i, (name, label) in enumerate(DEFAULT_ROLES)
            ]
        return [r for r in rows if removed or not r.removed]

    async def saved(self, group_id: int) -> list[GroupRole]:
        """The group's role rows (every one, removed too), saving the defaults first if needed."""
        rows = await self.defined(group_id, removed=True)
        for row in rows:
            if row not in self.session:
                self.session.add(row)
        await self.session.flush()
        return rows

    async def perspectives(self, person_ids: Sequence[int]) -> dict[int, str | None]:
        """How each person describes their perspective, if they have (read only)."""
        found: dict[int, str | None] = {p: None for p in person_ids}
        rows = await self.session.execute(
            select(Preferences.person_id, Preferences.perspective).where(
                Preferences.person_id.in_(person_ids)
            )
        )
        for person_id, perspective in rows:
            found[person_id] = perspective
        return found

    async def willingness(self, group_id: int) -> Sequence[RoleWillingness]:
        """Everything members said about which roles they would or wouldn't take."""
        result = await self.session.scalars(
            select(RoleWillingness)
            .where(RoleWillingness.group_id == group_id)
            .order_by(RoleWillingness.id)
        )
        return result.all()

    async def assignments(self, meeting_id: int, occurrence: str) -> Sequence[RoleAssignment]:
        """Who holds which role at one meeting date."""
        result = await self.session.scalars(
            select(RoleAssignment)
            .where(RoleAssignment.meeting_id == meeting_id, RoleAssignment.occurrence == occurrence)
            .order_by(RoleAssignment.id)
        )
        return result.all()

    async def assignment(self, assignment_id: int) -> RoleAssignment | None:
        """One role holding by its id, if it still exists."""
        return await self.session.get(RoleAssignment, assignment_id)

    async def history(self, group_id: int) -> Sequence[RoleAssignment]:
        """Every role anyone has held in the group, earliest meeting first."""
        result = await self.session.scalars(
            select(RoleAssignment)
            .where(RoleAssignment.group_id == group_id, RoleAssignment.person_id.is_not(None))
            .order_by(RoleAssignment.starts_at, RoleAssignment.id)
        )
        return result.all()

    async def in_use_since(self, group_id: int) -> datetime | None:
        """When someone first said which roles they would or wouldn't take (None: never)."""
        return await self.session.scalar(
            select(func.min(RoleWillingness.created_at)).where(RoleWillingness.group_id == group_id)
        )

    async def passing(self, meeting_id: int, occurrence: str) -> set[int]:
        """Who said "not this time" for this meeting date."""
        result = await self.session.scalars(
            select(RolePass.person_id).where(
                RolePass.meeting_id == meeting_id, RolePass.occurrence == occurrence
            )
        )
        return set(result.all())

    async def offer(self, group_id: int, offer_id: int) -> RoleOffer | None:
        """The group's question with this number, if any."""
        return await self.session.scalar(
            select(RoleOffer).where(RoleOffer.group_id == group_id, RoleOffer.id == offer_id)
        )

    async def offers_about(self, assignment_ids: Sequence[int]) -> Sequence[RoleOffer]:
        """Every question (any status) about these role holdings, oldest first."""
        if not assignment_ids:
            return []
        result = await self.session.scalars(
            select(RoleOffer)
            .where(
                RoleOffer.assignment_id.in_(assignment_ids) | RoleOffer.other_id.in_(assignment_ids)
            )
            .order_by(RoleOffer.id)
        )
        return result.all()

    async def covers(
        self, group_id: int, statuses: Sequence[str]
    ) -> list[tuple[RoleOffer, RoleAssignment]]:
        """The group's questions asking someone to cover a role, with these statuses, and
        the role each is about, oldest first."""
        result = await self.session.execute(
            select(RoleOffer, RoleAssignment)
            .join(RoleAssignment, RoleAssignment.id == RoleOffer.assignment_id)
            .where(
                RoleOffer.group_id == group_id,
                RoleOffer.kind == "cover",
                RoleOffer.status.in_(statuses),
            )
            .order_by(RoleOffer.id)
        )
        return [(offer, row) for offer, row in result]

    async def set_status(self, offer: RoleOffer, old: str, new: str) -> bool:
        """Change a question's status from `old` to `new`; False if it was no longer `old`
        (answered a moment ago, or changed by another instance)."""
        result = await self.session.execute(
            update(RoleOffer)
            .where(RoleOffer.id == offer.id, RoleOffer.status == old)
            .values(status=new)
        )
        changed = bool(getattr(result, "rowcount", 0))
        await self.session.refresh(offer)
        return changed
