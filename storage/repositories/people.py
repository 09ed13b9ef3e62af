"""People and groups: who someone is, their preferences, and who is in which group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AwayPeriod,
    CalendarLink,
    Departure,
    Group,
    Membership,
    Person,
    Preferences,
    QueuedMessage,
)
from storage.repositories.base import Repository


class People(Repository):
    """People the bot has met."""

    async def get(self, person_id: int) -> Person | None:
        """The person with this id, if any."""
        return await self.session.get(Person, person_id)

    async def find(self, platform: str, external_id: str) -> Person | None:
        """The person with this platform id, if we have met them."""
        return await self.session.scalar(
            select(Person).where(Person.platform == platform, Person.external_id == external_id)
        )

    async def not_a_person(self, person: Person) -> None:
        """Mark an account as another bot and take it out of every group."""
        person.is_bot = True
        await self.session.execute(delete(Membership).where(Membership.person_id == person.id))
        await self.session.flush()

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
                platform=platform,
                external_id=external_id,
                display_name=display_name,
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
            if person_id not in found:  # defaults, not saved: reading never writes
                found[person_id] = Preferences(
                    person_id=person_id, reminders_via="dm", pictures=True
                )
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


class Groups(Repository):
    """Groups and who is in them.

    Memberships read once in a unit of work are not read again (a command asks about the
    speaker's several times), while they are still loaded and not deleted.
    """

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self._known: dict[tuple[int, int], Membership] = {}

    def _remember(self, memberships: Iterable[Membership]) -> None:
        for m in memberships:
            self._known[(m.group_id, m.person_id)] = m

    def _recall(self, group_id: int, person_id: int) -> Membership | None:
        """The loaded membership, if it is still current in this session."""
        m = self._known.get((group_id, person_id))
        if m is None:
            return None
        state = inspect(m)
        loaded = state.dict
        current = (
            state.persistent
            and m not in self.session.deleted
            and "person" in loaded
            and (loaded.get("group_id"), loaded.get("person_id")) == (group_id, person_id)
        )
        return m if current else None

    async def get(self, group_id: int) -> Group | None:
        """The group with this id, if any."""
        return await self.session.get(Group, group_id)

    async def in_channel(self, platform: str, channel_ref: str) -> Group | None:
        """The group that lives in this channel, if there is one."""
        return await self.session.scalar(
            select(Group).where(Group.platform == platform, Group.channel_ref == channel_ref)
        )

    async def in_channel_with(
        self, platform: str, channel_ref: str, person_id: int
    ) -> tuple[Group | None, Membership | None]:
        """The group in this channel and the person's membership of it, in one query."""
        found = (
            await self.session.execute(
                select(Group, Membership)
                .outerjoin(
                    Membership,
                    (Membership.group_id == Group.id) & (Membership.person_id == person_id),
                )
                .where(Group.platform == platform, Group.channel_ref == channel_ref)
            )
        ).first()
        if found is None:
            return None, None
        group, membership = found
        self._remember([membership] if membership else [])
        return group, membership

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
        known = self._recall(group_id, person_id)
        if known is not None:
            return known
        found = await self.session.scalar(
            select(Membership).where(
                Membership.group_id == group_id, Membership.person_id == person_id
            )
        )
        self._remember([found] if found else [])
        return found

    async def members(self, group_id: int) -> Sequence[Membership]:
        """Everyone in the group, in the order they joined."""
        result = await self.session.scalars(
            select(Membership)
            .where(Membership.group_id == group_id)
            .order_by(Membership.joined_at, Membership.id)
        )
        members = result.unique().all()
        self._remember(members)
        return members

    async def departed(self, group_id: int, person_key: str, on: date) -> None:
        """Remember that someone left (a keyed hash only): catching up on members skips them."""
        if not await self.has_departed(group_id, person_key):
            self.session.add(Departure(group_id=group_id, person_key=person_key, left_on=on))
            await self.session.flush()

    async def has_departed(self, group_id: int, person_key: str) -> bool:
        """Whether this person left the group and hasn't come back."""
        found = await self.session.scalar(
            select(Departure.id).where(
                Departure.group_id == group_id, Departure.person_key == person_key
            )
        )
        return found is not None

    async def returned(self, group_id: int, person_key: str) -> None:
        """They came back (spoke in the channel, or joined it again)."""
        await self.session.execute(
            delete(Departure).where(
                Departure.group_id == group_id, Departure.person_key == person_key
            )
        )

    async def leave(self, group: Group, person: Person) -> bool:
        """Take the person out of the group, with anything still waiting to be sent to them
        about it and their calendar link to it; False if they were not in it."""
        membership = await self.membership(group.id, person.id)
        if membership is None:
            return False
        await self.session.delete(membership)
        await self.session.execute(
            delete(QueuedMessage).where(
                QueuedMessage.group_id == group.id, QueuedMessage.person_id == person.id
            )
        )
        await self.session.execute(
            delete(CalendarLink).where(
                CalendarLink.group_id == group.id, CalendarLink.person_id == person.id
            )
        )
        await self.session.flush()
        return True

    async def join(self, group: Group, person: Person, now: datetime) -> Membership | None:
        """Add the person to the group (no change if they are already in it, and never
        another bot: then None)."""
        if person.is_bot:
            return None
        membership = await self.membership(group.id, person.id)
        if membership is None:
            membership = Membership(
                group_id=group.id, person_id=person.id, is_facilitator=False, joined_at=now
            )
            self.session.add(membership)
            await self.session.flush()
        return membership
