"""Queries the handlers need, kept in one place so they read as plain sentences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Action,
    AgendaItem,
    AwayPeriod,
    CheckinAnswer,
    CheckinNote,
    CheckinOptOut,
    CheckinRound,
    CheckinSettings,
    Decision,
    DecisionUpdate,
    Delivery,
    Group,
    GroupRole,
    IcebreakerAnswer,
    IcebreakerPrompt,
    IcebreakerRound,
    Meeting,
    Membership,
    Minutes,
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
            if person_id not in found:  # defaults, not saved: reading never writes
                found[person_id] = Preferences(person_id=person_id, reminders_via="dm")
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

    async def perspectives(self, person_ids: Sequence[int]) -> dict[int, str | None]:
        """How each person describes their perspective, if they have (read only)."""
        found: dict[int, str | None] = {p: None for p in person_ids}
        rows = await self.session.execute(
            select(Preferences.person_id, Preferences.perspective)
            .where(Preferences.person_id.in_(person_ids))
        )
        for person_id, perspective in rows:
            found[person_id] = perspective
        return found

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

    async def in_use_since(self, group_id: int) -> datetime | None:
        """When someone first said which roles they would or wouldn't take (None: never)."""
        return await self.session.scalar(
            select(func.min(RoleWillingness.created_at)).where(
                RoleWillingness.group_id == group_id
            )
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
            select(RoleOffer).where(
                RoleOffer.assignment_id.in_(assignment_ids)
                | RoleOffer.other_id.in_(assignment_ids)
            ).order_by(RoleOffer.id)
        )
        return result.all()


class FollowUps:
    """Decisions and their updates, actions and minutes: what the group said it would do."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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

    async def decisions(self, group_id: int, *, open_only: bool) -> Sequence[Decision]:
        """The group's decisions in number order (only those still open, if asked)."""
        query = select(Decision).where(Decision.group_id == group_id)
        if open_only:
            query = query.where(Decision.next_update_at.is_not(None))
        return (await self.session.scalars(query.order_by(Decision.number))).all()

    async def decisions_due(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Decision]:
        """Open decisions whose next update falls due in [start, end]."""
        result = await self.session.scalars(
            select(Decision).where(
                Decision.group_id == group_id,
                Decision.next_update_at >= start,
                Decision.next_update_at <= end,
            ).order_by(Decision.number)
        )
        return result.all()

    async def for_concern(self, concern_id: str) -> Sequence[Decision]:
        """Decisions that answer this concern."""
        result = await self.session.scalars(
            select(Decision).where(Decision.concern_id == concern_id).order_by(Decision.number)
        )
        return result.all()

    async def updates(self, decision_id: int) -> Sequence[DecisionUpdate]:
        """One decision's updates, oldest first."""
        result = await self.session.scalars(
            select(DecisionUpdate).where(DecisionUpdate.decision_id == decision_id)
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
            .where(Decision.group_id == group_id, DecisionUpdate.created_at >= start,
                   DecisionUpdate.created_at <= end)
            .order_by(DecisionUpdate.created_at, DecisionUpdate.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def action(self, group_id: int, number: int) -> Action | None:
        """The group's action with this number, if any."""
        return await self.session.scalar(
            select(Action).where(Action.group_id == group_id, Action.number == number)
        )

    async def open_actions(self, group_id: int) -> Sequence[Action]:
        """Actions not done yet, soonest first."""
        result = await self.session.scalars(
            select(Action).where(Action.group_id == group_id, Action.done_at.is_(None))
            .order_by(Action.due_on, Action.number)
        )
        return result.all()

    async def actions_due(self, group_id: int, first: date, last: date) -> Sequence[Action]:
        """Actions not done yet whose date is in [first, last]."""
        result = await self.session.scalars(
            select(Action).where(Action.group_id == group_id, Action.done_at.is_(None),
                                 Action.due_on >= first, Action.due_on <= last)
            .order_by(Action.number)
        )
        return result.all()

    async def actions_done_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Action]:
        """Actions marked done in [start, end)."""
        result = await self.session.scalars(
            select(Action).where(Action.group_id == group_id, Action.done_at >= start,
                                 Action.done_at < end).order_by(Action.number)
        )
        return result.all()

    async def minutes_of(self, meeting_id: int, occurrence: str) -> Minutes | None:
        """The latest minutes sent in for one meeting date, if any."""
        return await self.session.scalar(
            select(Minutes).where(Minutes.meeting_id == meeting_id,
                                  Minutes.occurrence == occurrence)
            .order_by(Minutes.created_at.desc(), Minutes.id.desc()).limit(1)
        )

    async def minutes_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Minutes]:
        """Minutes sent in during [start, end], oldest first."""
        result = await self.session.scalars(
            select(Minutes).where(Minutes.group_id == group_id, Minutes.created_at >= start,
                                  Minutes.created_at <= end)
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


#: Check-ins go out this many minutes before a meeting starts and after it ends,
#: unless a group changes it.
CHECKIN_DEFAULT_MINUTES = 60


class Checkins:
    """Check-in settings, rounds, answers (kept without names) and opt-outs."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def settings(self, group_id: int) -> CheckinSettings:
        """The group's settings; the defaults (not saved) if it never changed them."""
        found = await self.session.get(CheckinSettings, group_id)
        if found is None:
            found = CheckinSettings(
                group_id=group_id, before_minutes=CHECKIN_DEFAULT_MINUTES,
                after_minutes=CHECKIN_DEFAULT_MINUTES, icebreakers=True, wellbeing=None,
            )
        return found

    async def saved_settings(self, group_id: int) -> CheckinSettings:
        """The group's settings row, saved first if it had none, ready to change."""
        found = await self.settings(group_id)
        if found not in self.session:
            self.session.add(found)
            await self.session.flush()
        return found

    async def opted_out(self, person_ids: Sequence[int]) -> set[int]:
        """Which of these people asked for no check-ins."""
        if not person_ids:
            return set()
        result = await self.session.scalars(
            select(CheckinOptOut.person_id).where(CheckinOptOut.person_id.in_(person_ids))
        )
        return set(result.all())

    async def round(self, meeting_id: int, occurrence: str, kind: str) -> CheckinRound | None:
        """The check-in of this kind for one meeting date, if it has begun."""
        return await self.session.scalar(
            select(CheckinRound).where(
                CheckinRound.meeting_id == meeting_id, CheckinRound.occurrence == occurrence,
                CheckinRound.kind == kind,
            )
        )

    async def round_in(self, group_ids: Sequence[int], round_id: int) -> CheckinRound | None:
        """The check-in with this number, if it belongs to one of these groups."""
        return await self.session.scalar(
            select(CheckinRound).where(
                CheckinRound.id == round_id, CheckinRound.group_id.in_(group_ids)
            )
        )

    async def open_rounds(self, group_ids: Sequence[int], now: datetime) -> Sequence[CheckinRound]:
        """Check-ins taking answers now in these groups, latest first."""
        if not group_ids:
            return []
        result = await self.session.scalars(
            select(CheckinRound).where(
                CheckinRound.group_id.in_(group_ids), CheckinRound.opens_at <= now,
                CheckinRound.closes_at > now,
            ).order_by(CheckinRound.opens_at.desc(), CheckinRound.id.desc())
        )
        return result.all()

    async def latest_rounds(
        self, group_id: int, kind: str, before: datetime, limit: int
    ) -> Sequence[CheckinRound]:
        """The group's latest check-ins of one kind that opened before `before`, newest first."""
        result = await self.session.scalars(
            select(CheckinRound).where(
                CheckinRound.group_id == group_id, CheckinRound.kind == kind,
                CheckinRound.opens_at <= before,
            ).order_by(CheckinRound.opens_at.desc(), CheckinRound.id.desc()).limit(limit)
        )
        return result.all()

    async def answers(self, round_id: int) -> list[str]:
        """Every answer to one check-in, in no particular order (no names)."""
        result = await self.session.scalars(
            select(CheckinAnswer.answer).where(CheckinAnswer.round_id == round_id)
        )
        return sorted(result.all())

    async def answer_of(self, round_id: int, voter_hash: str) -> CheckinAnswer | None:
        """The answer behind this keyed hash, if they gave one."""
        return await self.session.scalar(
            select(CheckinAnswer).where(
                CheckinAnswer.round_id == round_id, CheckinAnswer.voter_hash == voter_hash
            )
        )

    async def notes(self, round_id: int) -> Sequence[CheckinNote]:
        """Every note given with one check-in (sorted by their words, not by time)."""
        result = await self.session.scalars(
            select(CheckinNote).where(CheckinNote.round_id == round_id).order_by(CheckinNote.text)
        )
        return result.all()

    async def note_of(self, round_id: int, voter_hash: str) -> CheckinNote | None:
        """The note behind this keyed hash, if they gave one."""
        return await self.session.scalar(
            select(CheckinNote).where(
                CheckinNote.round_id == round_id, CheckinNote.voter_hash == voter_hash
            )
        )


class Icebreakers:
    """Icebreakers: a group's own prompts, the rounds asked, and the answers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def prompts(self, group_id: int) -> Sequence[IcebreakerPrompt]:
        """The group's own prompts that are not removed, oldest first."""
        result = await self.session.scalars(
            select(IcebreakerPrompt).where(
                IcebreakerPrompt.group_id == group_id, IcebreakerPrompt.removed.is_(False)
            ).order_by(IcebreakerPrompt.id)
        )
        return result.all()

    async def used(self, group_id: int) -> dict[str, int]:
        """How many times the group has been asked each prompt, by its reference."""
        rows = await self.session.execute(
            select(IcebreakerRound.prompt_ref, func.count(IcebreakerRound.id))
            .where(IcebreakerRound.group_id == group_id)
            .group_by(IcebreakerRound.prompt_ref)
        )
        return {ref: count for ref, count in rows.all()}

    async def round(self, group_id: int, round_id: int) -> IcebreakerRound | None:
        """The group's icebreaker with this number, if any."""
        return await self.session.scalar(
            select(IcebreakerRound).where(
                IcebreakerRound.group_id == group_id, IcebreakerRound.id == round_id
            )
        )

    async def for_meeting(self, meeting_id: int, occurrence: str) -> IcebreakerRound | None:
        """The icebreaker for one meeting date, once it has been chosen."""
        return await self.session.scalar(
            select(IcebreakerRound).where(
                IcebreakerRound.meeting_id == meeting_id,
                IcebreakerRound.occurrence == occurrence,
            )
        )

    async def unfinished(self, group_id: int) -> Sequence[IcebreakerRound]:
        """The group's icebreakers not yet closed, the latest to start first."""
        result = await self.session.scalars(
            select(IcebreakerRound).where(
                IcebreakerRound.group_id == group_id, IcebreakerRound.phase != "closed"
            ).order_by(IcebreakerRound.starts_at.desc(), IcebreakerRound.id.desc())
        )
        return result.all()

    async def closing_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[IcebreakerRound]:
        """Icebreakers asked with /icebreaker (not at a meeting) that close in [start, end]."""
        result = await self.session.scalars(
            select(IcebreakerRound).where(
                IcebreakerRound.group_id == group_id, IcebreakerRound.meeting_id.is_(None),
                IcebreakerRound.closes_at >= start, IcebreakerRound.closes_at <= end,
            ).order_by(IcebreakerRound.id)
        )
        return result.all()

    async def answers(self, round_id: int) -> Sequence[IcebreakerAnswer]:
        """Every answer and pass to one icebreaker, in the order given."""
        result = await self.session.scalars(
            select(IcebreakerAnswer).where(IcebreakerAnswer.round_id == round_id)
            .order_by(IcebreakerAnswer.id)
        )
        return result.all()
