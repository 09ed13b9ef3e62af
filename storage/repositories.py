"""Queries the handlers need, kept in one place so they read as plain sentences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AgendaItem,
    AwayPeriod,
    Delivery,
    Group,
    GroupRole,
    Meeting,
    Membership,
    OccurrenceChange,
    Person,
    Preferences,
    RoleAssignment,
    RoleOffer,
    RolePass,
    RoleWillingness,
)


class People:
    """People the bot has met."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> Person | None:
        """The person with this id, if any."""
        return await self.session.get(Person, person_id)

    async def find(self, platform: str, external_id: str) -> Person | None:
        """The person with this platform id, if we have met them."""
        return await self.session.scalar(
            select(Person).where(Person.platform == platform, Person.external_id == external_id)
        )

    async def meet(
        self, platform: str, external_id: str, display_name: str, now: datetime
    ) -> Person:
        """Find or create the person, keeping their display name current."""
        if len(external_id) > 255:
            raise ValueError("a platform user id longer than 255 characters")
        display_name = display_name[:200]
        person = await self.find(platform, external_id)
        if person is None:
            person = Person(
                platform=platform, external_id=external_id, display_name=display_name,
                created_at=now,
            )
            self.session.add(person)
            await self.session.flush()
        elif display_name and person.display_name != display_name:
            person.display_name = display_name
        return person

    async def preferences(self, person_id: int) -> Preferences:
        """Their preferences, with defaults when they have set none."""
        prefs = await self.session.get(Preferences, person_id)
        if prefs is None:
            prefs = Preferences(person_id=person_id, reminders_via="dm")
            self.session.add(prefs)
            await self.session.flush()
        return prefs

    async def away_periods(self, person_id: int) -> Sequence[AwayPeriod]:
        """Their away dates, earliest first."""
        result = await self.session.scalars(
            select(AwayPeriod)
            .where(AwayPeriod.person_id == person_id)
            .order_by(AwayPeriod.first_day)
        )
        return result.all()

    async def preferences_of(self, person_ids: Sequence[int]) -> dict[int, Preferences]:
        """Preferences for several people at once (defaults for those who set none)."""
        found = {
            p.person_id: p
            for p in await self.session.scalars(
                select(Preferences).where(Preferences.person_id.in_(person_ids))
            )
        }
        for person_id in person_ids:
            if person_id not in found:
                found[person_id] = await self.preferences(person_id)
        return found

    async def away_days(self, person_ids: Sequence[int]) -> dict[int, list[tuple[date, date]]]:
        """Each person's away periods as (first day, last day) pairs."""
        found: dict[int, list[tuple[date, date]]] = {p: [] for p in person_ids}
        for period in await self.session.scalars(
            select(AwayPeriod).where(AwayPeriod.person_id.in_(person_ids))
        ):
            found[period.person_id].append((period.first_day, period.last_day))
        return found

    async def is_away(self, person_id: int, day: date) -> bool:
        """Whether they said they are away on this day."""
        found = await self.session.scalar(
            select(func.count(AwayPeriod.id)).where(
                AwayPeriod.person_id == person_id,
                AwayPeriod.first_day <= day,
                AwayPeriod.last_day >= day,
            )
        )
        return bool(found)


class Groups:
    """Groups and who is in them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, group_id: int) -> Group | None:
        """The group with this id, if any."""
        return await self.session.get(Group, group_id)

    async def in_channel(self, platform: str, channel_ref: str) -> Group | None:
        """The group that lives in this channel, if there is one."""
        return await self.session.scalar(
            select(Group).where(Group.platform == platform, Group.channel_ref == channel_ref)
        )

    async def all(self) -> Sequence[Group]:
        """Every group, oldest first."""
        return (await self.session.scalars(select(Group).order_by(Group.id))).all()

    async def of_person(self, person_id: int) -> Sequence[Group]:
        """The groups this person belongs to, oldest first."""
        result = await self.session.scalars(
            select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .where(Membership.person_id == person_id)
            .order_by(Group.id)
        )
        return result.all()

    async def membership(self, group_id: int, person_id: int) -> Membership | None:
        """This person's membership of this group, if they are in it."""
        return await self.session.scalar(
            select(Membership).where(
                Membership.group_id == group_id, Membership.person_id == person_id
            )
        )

    async def members(self, group_id: int) -> Sequence[Membership]:
        """Everyone in the group, in the order they joined."""
        result = await self.session.scalars(
            select(Membership)
            .where(Membership.group_id == group_id)
            .order_by(Membership.joined_at, Membership.id)
        )
        return result.unique().all()

    async def join(self, group: Group, person: Person, now: datetime) -> Membership:
        """Add the person to the group (no change if they are already in it)."""
        membership = await self.membership(group.id, person.id)
        if membership is None:
            membership = Membership(
                group_id=group.id, person_id=person.id, is_facilitator=False, joined_at=now
            )
            self.session.add(membership)
            await self.session.flush()
        return membership


class Meetings:
    """Meetings, their changed dates and their agendas."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_group(self, group_id: int) -> Sequence[Meeting]:
        """The group's meetings that are not cancelled, oldest first."""
        result = await self.session.scalars(
            select(Meeting)
            .where(Meeting.group_id == group_id, Meeting.cancelled.is_(False))
            .order_by(Meeting.id)
        )
        return result.all()

    async def get(self, group_id: int, meeting_id: int) -> Meeting | None:
        """The group's meeting with this number, if it exists."""
        return await self.session.scalar(
            select(Meeting).where(Meeting.group_id == group_id, Meeting.id == meeting_id)
        )

    async def changes(self, meeting_ids: Sequence[int]) -> Sequence[OccurrenceChange]:
        """Cancelled or moved dates of these meetings."""
        if not meeting_ids:
            return []
        result = await self.session.scalars(
            select(OccurrenceChange).where(OccurrenceChange.meeting_id.in_(meeting_ids))
        )
        return result.all()

    async def change(self, meeting_id: int, occurrence: str) -> OccurrenceChange:
        """The change record for one date, created if there is none yet."""
        found = await self.session.scalar(
            select(OccurrenceChange).where(
                OccurrenceChange.meeting_id == meeting_id,
                OccurrenceChange.occurrence == occurrence,
            )
        )
        if found is None:
            found = OccurrenceChange(meeting_id=meeting_id, occurrence=occurrence)
            self.session.add(found)
        return found

    async def agenda(self, meeting_id: int, occurrence: str) -> Sequence[AgendaItem]:
        """One date's agenda items in order."""
        result = await self.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id, AgendaItem.occurrence == occurrence)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
        return result.all()


class Deliveries:
    """The record of what has been claimed and sent, by unique key."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def known(self, keys: Sequence[str]) -> set[str]:
        """Which of these keys already have a delivery record."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            result = await self.session.scalars(select(Delivery.key).where(Delivery.key.in_(chunk)))
            found.update(result.all())
        return found

    async def in_doubt(self) -> Sequence[Delivery]:
        """Deliveries claimed but not confirmed: the bot stopped while sending them."""
        result = await self.session.scalars(
            select(Delivery).where(Delivery.status == "sending").order_by(Delivery.id)
        )
        return result.all()


#: The roles every group starts with: (name people type, how it reads).
DEFAULT_ROLES = (("chair", "chair"), ("minutes", "minute-taker"))


class Roles:
    """Roles that go round a group: who offered, who held what, and open questions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def defined(self, group_id: int, *, removed: bool = False) -> list[GroupRole]:
        """The group's roles in order; the defaults (not yet saved) if it never changed them."""
        rows = list(
            await self.session.scalars(
                select(GroupRole).where(GroupRole.group_id == group_id)
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

    async def willingness(self, group_id: int) -> Sequence[RoleWillingness]:
        """Everything members said about which roles they would or wouldn't take."""
        result = await self.session.scalars(
            select(RoleWillingness).where(RoleWillingness.group_id == group_id)
            .order_by(RoleWillingness.id)
        )
        return result.all()

    async def assignments(self, meeting_id: int, occurrence: str) -> Sequence[RoleAssignment]:
        """Who holds which role at one meeting date."""
        result = await self.session.scalars(
            select(RoleAssignment).where(
                RoleAssignment.meeting_id == meeting_id, RoleAssignment.occurrence == occurrence
            ).order_by(RoleAssignment.id)
        )
        return result.all()

    async def history(self, group_id: int) -> Sequence[RoleAssignment]:
        """Every role anyone has held in the group, earliest meeting first."""
        result = await self.session.scalars(
            select(RoleAssignment)
            .where(RoleAssignment.group_id == group_id, RoleAssignment.person_id.is_not(None))
            .order_by(RoleAssignment.starts_at, RoleAssignment.id)
        )
        return result.all()

    async def in_use(self, group_id: int) -> bool:
        """Whether anyone offered, said no, or held a role in this group yet."""
        said = await self.session.scalar(
            select(func.count(RoleWillingness.id)).where(RoleWillingness.group_id == group_id)
        )
        held = await self.session.scalar(
            select(func.count(RoleAssignment.id)).where(RoleAssignment.group_id == group_id)
        )
        return bool(said or held)

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
            select(RoleOffer).where(
                RoleOffer.assignment_id.in_(assignment_ids)
                | RoleOffer.other_id.in_(assignment_ids)
            ).order_by(RoleOffer.id)
        )
        return result.all()
