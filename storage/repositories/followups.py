"""Decisions, their updates, actions and minutes (and the agenda items and shared concerns
decisions point to)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select

from storage.models import (
    Action,
    AgendaItem,
    Concern,
    Decision,
    DecisionUpdate,
    Minutes,
    RoleAssignment,
)
from storage.repositories.base import Repository


class FollowUps(Repository):
    """Decisions and their updates, actions and minutes: what the group said it would do."""

    async def next_number(self, model: type[Decision] | type[Action], group_id: int) -> int:
        """The number the group's next decision (or action) gets: 1, 2, 3, ..."""
        last = await self.session.scalar(
            select(func.max(model.number)).where(model.group_id == group_id)
        )
        return (last or 0) + 1

    async def decision(self, group_id: int, number: int) -> Decision | None:
        """The group's decision with this number, if any."""
        return await self.session.scalar(
            select(Decision).where(Decision.group_id == group_id, Decision.number == number)
        )

    async def decision_with_id(self, decision_id: int) -> Decision | None:
        """The decision with this id, if it is still there."""
        return await self.session.get(Decision, decision_id)

    async def decisions(self, group_id: int, *, open_only: bool) -> Sequence[Decision]:
        """The group's decisions in number order (only those still open, if asked)."""
        query = select(Decision).where(Decision.group_id == group_id)
        if open_only:
            query = query.where(Decision.next_update_at.is_not(None))
        return (await self.session.scalars(query.order_by(Decision.number))).all()

    async def decisions_due(self, group_id: int, end: datetime) -> Sequence[Decision]:
        """Open decisions whose next update fell due by `end`, however long ago."""
        result = await self.session.scalars(
            select(Decision)
            .where(Decision.group_id == group_id, Decision.next_update_at <= end)
            .order_by(Decision.number)
        )
        return result.all()

    async def for_concern(self, concern_id: str) -> Sequence[Decision]:
        """Decisions that answer this concern."""
        result = await self.session.scalars(
            select(Decision).where(Decision.concern_id == concern_id).order_by(Decision.number)
        )
        return result.all()

    async def agenda_item_of(self, decision: Decision) -> AgendaItem | None:
        """The agenda item a decision came from, if any."""
        if decision.agenda_item_id is None:
            return None
        return await self.session.get(AgendaItem, decision.agenda_item_id)

    async def concern_of(self, decision: Decision) -> Concern | None:
        """The concern a decision answers, if any."""
        if decision.concern_id is None:
            return None
        return await self.session.get(Concern, decision.concern_id)

    async def shared_concern(self, group_id: int, number: int) -> Concern | None:
        """The group's concern with this number, if it was shared with the group."""
        return await self.session.scalar(
            select(Concern).where(
                Concern.group_id == group_id, Concern.number == number, Concern.status == "released"
            )
        )

    async def update_with_decision(self, update_id: int) -> tuple[DecisionUpdate, Decision] | None:
        """The update with this id and its decision, if both are still there."""
        update = await self.session.get(DecisionUpdate, update_id)
        decision = await self.session.get(Decision, update.decision_id) if update else None
        if update is None or decision is None:
            return None
        return update, decision

    async def updates(self, decision_id: int) -> Sequence[DecisionUpdate]:
        """One decision's updates, oldest first."""
        result = await self.session.scalars(
            select(DecisionUpdate)
            .where(DecisionUpdate.decision_id == decision_id)
            .order_by(DecisionUpdate.created_at, DecisionUpdate.id)
        )
        return result.all()

    async def updates_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[tuple[DecisionUpdate, Decision]]:
        """The group's updates made in [start, end], oldest first, with their decisions."""
        result = await self.session.execute(
            select(DecisionUpdate, Decision)
            .join(Decision, Decision.id == DecisionUpdate.decision_id)
            .where(
                Decision.group_id == group_id,
                DecisionUpdate.created_at >= start,
                DecisionUpdate.created_at <= end,
            )
            .order_by(DecisionUpdate.created_at, DecisionUpdate.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def action(self, group_id: int, number: int) -> Action | None:
        """The group's action with this number, if any."""
        return await self.session.scalar(
            select(Action).where(Action.group_id == group_id, Action.number == number)
        )

    async def action_with_id(self, action_id: int) -> Action | None:
        """The action with this id, if it is still there."""
        return await self.session.get(Action, action_id)

    async def open_actions(self, group_id: int) -> Sequence[Action]:
        """Actions not done (nor dropped) yet, soonest first."""
        result = await self.session.scalars(
            select(Action)
            .where(
                Action.group_id == group_id, Action.done_at.is_(None), Action.dropped_at.is_(None)
            )
            .order_by(Action.due_on, Action.number)
        )
        return result.all()

    async def actions_due(self, group_id: int, first: date, last: date) -> Sequence[Action]:
        """Actions not done (nor dropped) yet whose date is in [first, last]."""
        result = await self.session.scalars(
            select(Action)
            .where(
                Action.group_id == group_id,
                Action.done_at.is_(None),
                Action.dropped_at.is_(None),
                Action.due_on >= first,
                Action.due_on <= last,
            )
            .order_by(Action.number)
        )
        return result.all()

    async def actions_done_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Action]:
        """Actions marked done in [start, end)."""
        result = await self.session.scalars(
            select(Action)
            .where(Action.group_id == group_id, Action.done_at >= start, Action.done_at < end)
            .order_by(Action.number)
        )
        return result.all()

    async def minutes_of(self, meeting_id: int, occurrence: str) -> Minutes | None:
        """The latest minutes sent in for one meeting date, if any."""
        return await self.session.scalar(
            select(Minutes)
            .where(Minutes.meeting_id == meeting_id, Minutes.occurrence == occurrence)
            .order_by(Minutes.created_at.desc(), Minutes.id.desc())
            .limit(1)
        )

    async def minutes_with_id(self, minutes_id: int) -> Minutes | None:
        """The minutes with this id, if they are still there."""
        return await self.session.get(Minutes, minutes_id)

    async def corrects(self, minutes: Minutes) -> bool:
        """Whether these minutes correct minutes sent in earlier for the same meeting date."""
        earlier = await self.session.scalar(
            select(func.count(Minutes.id)).where(
                Minutes.meeting_id == minutes.meeting_id,
                Minutes.occurrence == minutes.occurrence,
                Minutes.id < minutes.id,
            )
        )
        return bool(earlier)

    async def minutes_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Minutes]:
        """Minutes sent in during [start, end], oldest first."""
        result = await self.session.scalars(
            select(Minutes)
            .where(
                Minutes.group_id == group_id, Minutes.created_at >= start, Minutes.created_at <= end
            )
            .order_by(Minutes.created_at, Minutes.id)
        )
        return result.all()

    async def holders(self, meeting_id: int, occurrence: str, roles: Sequence[str]) -> set[int]:
        """Who holds any of these roles (like chair, minutes) at one meeting date."""
        result = await self.session.scalars(
            select(RoleAssignment.person_id).where(
                RoleAssignment.meeting_id == meeting_id,
                RoleAssignment.occurrence == occurrence,
                RoleAssignment.role.in_(roles),
                RoleAssignment.person_id.is_not(None),
            )
        )
        return {p for p in result.all() if p is not None}

    async def decisions_made_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Decision]:
        """The group's decisions recorded in [start, end), oldest first."""
        result = await self.session.scalars(
            select(Decision)
            .where(
                Decision.group_id == group_id,
                Decision.created_at >= start,
                Decision.created_at < end,
            )
            .order_by(Decision.created_at, Decision.id)
        )
        return result.all()
