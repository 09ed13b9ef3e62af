"""Reading the contribution log back: one person's record, a group's, a period's."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from storage.models import (
    AgendaItem,
    Contribution,
    Expense,
    Meeting,
    Minutes,
    PaymentChoice,
    Presence,
    PresenceCheck,
    RoleAssignment,
)
from storage.repositories.base import Repository

#: A meeting date: (meeting id, occurrence key).
DateKey = tuple[int, str]


@dataclass
class Log:
    """Everything the log holds for a group (or one person in it), read in one go.

    `checked`: the dates someone said who was there; `present`: who was, per date.
    `roles`, `led` and `minutes`: per date, (person id, role name) pairs, the people who
    led an item (one entry per item) and who wrote the minutes.
    """

    checked: set[DateKey] = field(default_factory=set)
    present: dict[DateKey, set[int]] = field(default_factory=lambda: defaultdict(set))
    roles: dict[DateKey, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    led: dict[DateKey, list[int]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[DateKey, set[int]] = field(default_factory=lambda: defaultdict(set))
    time: list[Contribution] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    choices: dict[int, str] = field(default_factory=dict)

    def dates(self) -> set[DateKey]:
        """Every meeting date something is recorded for."""
        keyed = (self.checked, self.roles, self.led, self.minutes)
        found = {key for part in keyed for key in part}
        for row in self.time:
            if row.meeting_id is not None and row.occurrence is not None:
                found.add((row.meeting_id, row.occurrence))
        for spent in self.expenses:
            if spent.meeting_id is not None and spent.occurrence is not None:
                found.add((spent.meeting_id, spent.occurrence))
        return found


class ContributionRecords(Repository):
    """What the contribution log holds, gathered for views and the finance export."""

    async def log(self, group_id: int, person_id: int | None = None) -> Log:
        """The group's whole log, or only what concerns one person (read only)."""
        found = Log()
        await self._presence(found, group_id, person_id)
        await self._roles(found, group_id, person_id)
        await self._led(found, group_id, person_id)
        await self._minutes(found, group_id, person_id)
        time = select(Contribution).where(Contribution.group_id == group_id)
        spent = select(Expense).where(Expense.group_id == group_id)
        if person_id is not None:
            time = time.where(Contribution.person_id == person_id)
            spent = spent.where(Expense.person_id == person_id)
        found.time = list(await self.session.scalars(time.order_by(Contribution.said_at)))
        found.expenses = list(await self.session.scalars(spent.order_by(Expense.said_at)))
        choices = select(PaymentChoice).where(PaymentChoice.group_id == group_id)
        if person_id is not None:
            choices = choices.where(PaymentChoice.person_id == person_id)
        found.choices = {c.person_id: c.choice for c in await self.session.scalars(choices)}
        return found

    async def _presence(self, found: Log, group_id: int, person_id: int | None) -> None:
        checks = await self.session.execute(
            select(PresenceCheck.id, PresenceCheck.meeting_id, PresenceCheck.occurrence).where(
                PresenceCheck.group_id == group_id
            )
        )
        by_check: dict[int, DateKey] = {}
        for check_id, meeting_id, occurrence in checks:
            by_check[check_id] = (meeting_id, occurrence)
            found.checked.add((meeting_id, occurrence))
        if not by_check:
            return
        query = select(Presence.check_id, Presence.person_id).where(
            Presence.check_id.in_(list(by_check))
        )
        if person_id is not None:
            query = query.where(Presence.person_id == person_id)
        for check_id, who in await self.session.execute(query):
            found.present[by_check[check_id]].add(who)

    async def _roles(self, found: Log, group_id: int, person_id: int | None) -> None:
        query = select(RoleAssignment).where(
            RoleAssignment.group_id == group_id, RoleAssignment.person_id.is_not(None)
        )
        if person_id is not None:
            query = query.where(RoleAssignment.person_id == person_id)
        for row in await self.session.scalars(query.order_by(RoleAssignment.id)):
            assert row.person_id is not None
            found.roles[(row.meeting_id, row.occurrence)].append((row.person_id, row.role))

    async def _led(self, found: Log, group_id: int, person_id: int | None) -> None:
        leader = func.coalesce(AgendaItem.lead_person_id, AgendaItem.owner_person_id)
        query = (
            select(AgendaItem.meeting_id, AgendaItem.occurrence, leader)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(Meeting.group_id == group_id, leader.is_not(None))
            .order_by(AgendaItem.id)
        )
        if person_id is not None:
            query = query.where(leader == person_id)
        for meeting_id, occurrence, who in await self.session.execute(query):
            found.led[(meeting_id, occurrence)].append(who)

    async def _minutes(self, found: Log, group_id: int, person_id: int | None) -> None:
        query = select(Minutes.meeting_id, Minutes.occurrence, Minutes.by_id).where(
            Minutes.group_id == group_id, Minutes.by_id.is_not(None)
        )
        if person_id is not None:
            query = query.where(Minutes.by_id == person_id)
        for meeting_id, occurrence, who in await self.session.execute(query):
            if who is not None:
                found.minutes[(meeting_id, occurrence)].add(who)
