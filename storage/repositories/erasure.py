"""Leaving a group, or being forgotten: rows about a person removed or anonymised.

And the retention housekeeping: details older than a group keeps them are deleted
(check-in answers, attendance, presence, finished delivery records) or blanked
(what a contribution or an expense was for).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, true, update

from storage.models import (
    Attendance,
    AuditEntry,
    AwayPeriod,
    CalendarLink,
    CheckinAnswer,
    CheckinNote,
    CheckinOptOut,
    CheckinRound,
    Contribution,
    Delivery,
    DigestItem,
    DirectChannel,
    Expense,
    Group,
    IcebreakerAnswer,
    IcebreakerRound,
    LadderRound,
    LadderVoter,
    Meeting,
    Membership,
    PaymentChoice,
    Person,
    Preferences,
    Presence,
    PresenceCheck,
    Proposal,
    ProposalAnswer,
    ProposalVoter,
    QueuedMessage,
    RoleAssignment,
    RoleOffer,
    RolePass,
    RoleWillingness,
)
from storage.repositories.base import Repository

#: How the group's record shows someone who asked to be forgotten.
FORMER_MEMBER = "a former member"

#: A delivery that will never be sent: its person left or asked to be forgotten.
CANCELLED = "cancelled"


def _meetings(group_id: int) -> Select[int]:
    """The ids of the group's meetings."""
    return select(Meeting.id).where(Meeting.group_id == group_id)


class Erasure(Repository):
    """Deletes a person's rows, or keeps the group's record with 'a former member'."""

    async def leave(self, group_id: int, person: Person, now: datetime) -> None:
        """Take the person out of one group, deleting what is theirs in it.

        Kept for the group's record, which shows them as 'a former member' from now on
        (handlers/followups.py name_of): decisions, actions, agenda items, minutes, past
        roles and presence. Their name goes from the group's audit log and waiting messages.
        """
        await self._own_rows(person.id, group_id, now)
        await self.session.execute(
            delete(CalendarLink).where(
                CalendarLink.group_id == group_id, CalendarLink.person_id == person.id
            )
        )
        meetings = (await self.session.scalars(_meetings(group_id))).all()
        about_group = [Delivery.key.like(f"%:g{group_id}:%")]
        about_group += [Delivery.key.like(f"%:m{m}:%") for m in meetings]
        await self._cancel_in_doubt(person, or_(*about_group))
        await self._unname(person, group_id)
        await self.session.execute(
            delete(Membership).where(
                Membership.group_id == group_id, Membership.person_id == person.id
            )
        )
        await self.session.flush()

    async def forget(self, person: Person, now: datetime) -> None:
        """Forget the person everywhere, groups they left earlier too: the row stays only
        so the groups' records read 'a former member'; their name and platform id go."""
        pid, run = person.id, self.session.execute
        await self._own_rows(pid, None, now)
        for model in (Preferences, AwayPeriod, CheckinOptOut, CalendarLink, Membership):
            await run(delete(model).where(model.person_id == pid))
        await run(update(AuditEntry).where(AuditEntry.person_id == pid).values(person_id=None))
        await run(
            delete(DirectChannel).where(
                DirectChannel.platform == person.platform,
                DirectChannel.user_ref == person.external_id,
            )
        )
        await self._cancel_in_doubt(person, None)
        await self._unname(person)
        person.display_name = FORMER_MEMBER
        person.external_id = f"forgotten-{secrets.token_hex(16)}"
        person.forgotten_at = now
        await self.session.flush()

    async def _own_rows(self, pid: int, group_id: int | None, now: datetime) -> None:
        """Delete what is the person's own, in one group (or in every group: None).
        Their roles to come are left open; their named answers to proposals stay, unnamed."""
        run = self.session.execute

        def of(column: Any, model: Any) -> ColumnElement[bool]:
            """`column` is in the group's rows of `model` (anything, for every group)."""
            if group_id is None:
                return true()
            return cast(
                ColumnElement[bool], column.in_(select(model.id).where(model.group_id == group_id))
            )

        def mine(model: Any, column: str = "person_id") -> list[ColumnElement[bool]]:
            found = [getattr(model, column) == pid]
            return found + ([model.group_id == group_id] if group_id is not None else [])

        for model in (RoleWillingness, RolePass, Contribution, Expense, PaymentChoice):
            await run(delete(model).where(*mine(model)))
        for held in (QueuedMessage, DigestItem):
            await run(delete(held).where(*mine(held)))
        await run(delete(RoleOffer).where(*mine(RoleOffer, "to_person_id")))
        await run(
            update(RoleAssignment)
            .where(*mine(RoleAssignment), RoleAssignment.starts_at > now)
            .values(person_id=None)
        )
        await run(
            delete(Attendance).where(
                Attendance.person_id == pid, of(Attendance.meeting_id, Meeting)
            )
        )
        await run(
            delete(IcebreakerAnswer).where(
                IcebreakerAnswer.person_id == pid, of(IcebreakerAnswer.round_id, IcebreakerRound)
            )
        )
        await run(
            delete(CheckinNote).where(
                CheckinNote.person_id == pid, of(CheckinNote.round_id, CheckinRound)
            )
        )
        await run(
            update(ProposalAnswer)
            .where(ProposalAnswer.person_id == pid, of(ProposalAnswer.proposal_id, Proposal))
            .values(person_id=None)
        )
        await run(
            delete(ProposalVoter).where(
                ProposalVoter.person_id == pid, of(ProposalVoter.proposal_id, Proposal)
            )
        )
        await run(
            delete(LadderVoter).where(
                LadderVoter.person_id == pid, of(LadderVoter.round_id, LadderRound)
            )
        )

    async def _unname(self, person: Person, group_id: int | None = None) -> None:
        """Put 'a former member' for their name in what the bot wrote with it since they
        came: the audit log ("made Sam a facilitator") and messages waiting for others;
        in one group's only, if `group_id` is given."""
        name = person.display_name
        if not name.strip():
            return
        named = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        for model, column, at in (
            (AuditEntry, "action", "at"),
            (DigestItem, "payload", "held_at"),
            (QueuedMessage, "payload", "queued_at"),
        ):
            words = getattr(model, column)
            where = [words.contains(name), getattr(model, at) >= person.created_at]
            if group_id is not None:
                where.append(model.group_id == group_id)
            for row in await self.session.scalars(select(model).where(*where)):
                setattr(row, column, named.sub(FORMER_MEMBER, getattr(row, column)))

    async def _cancel_in_doubt(self, person: Person, about: ColumnElement[bool] | None) -> None:
        """Deliveries to the person claimed but not confirmed (the bot stopped mid-send):
        never sent now, and their words and address are forgotten."""
        where = [Delivery.status == "sending", Delivery.user_ref == person.external_id]
        if about is not None:
            where.append(about)
        await self.session.execute(
            update(Delivery)
            .where(*where)
            .values(status=CANCELLED, payload=None, channel=None, user_ref=None)
        )

    async def only_facilitator(self, group_id: int, person_id: int) -> bool:
        """Whether the person is the group's only facilitator, with other members left."""
        rows = (
            await self.session.execute(
                select(Membership.person_id, Membership.is_facilitator).where(
                    Membership.group_id == group_id
                )
            )
        ).all()
        facilitators = {p for p, f in rows if f}
        return facilitators == {person_id} and len(rows) > 1

    # Retention: each is one statement, so nothing old costs one query per table.

    async def longest_retention(self) -> int:
        """The longest time, in days, any group keeps its details."""
        return int(await self.session.scalar(select(func.max(Group.retention_days))) or 0)

    async def drop_old_checkins(self, group_id: int, before: datetime) -> None:
        """Check-in rounds that closed before `before`, with their answers and notes."""
        old = select(CheckinRound.id).where(
            CheckinRound.group_id == group_id, CheckinRound.closes_at < before
        )
        if (await self.session.scalar(old.limit(1))) is None:
            return
        await self.session.execute(delete(CheckinAnswer).where(CheckinAnswer.round_id.in_(old)))
        await self.session.execute(delete(CheckinNote).where(CheckinNote.round_id.in_(old)))
        await self.session.execute(
            delete(CheckinRound).where(
                CheckinRound.group_id == group_id, CheckinRound.closes_at < before
            )
        )

    async def drop_old_attendance(self, group_id: int, before: datetime) -> None:
        """What members said about coming to meetings, said before `before`."""
        await self.session.execute(
            delete(Attendance).where(
                Attendance.said_at < before, Attendance.meeting_id.in_(_meetings(group_id))
            )
        )

    async def drop_old_presence(self, group_id: int, before: datetime) -> None:
        """Who was at meetings checked before `before` (the check stays, so it isn't
        asked again)."""
        old = select(PresenceCheck.id).where(
            PresenceCheck.group_id == group_id, PresenceCheck.checked_at < before
        )
        await self.session.execute(delete(Presence).where(Presence.check_id.in_(old)))

    async def blank_old_details(self, group_id: int, before: datetime) -> None:
        """What time given and expenses were for, said before `before` (the amounts stay)."""
        for model in (Contribution, Expense):
            await self.session.execute(
                update(model)
                .where(model.group_id == group_id, model.said_at < before, model.what != "")
                .values(what="")
            )

    async def drop_old_deliveries(self, before: datetime) -> None:
        """Finished delivery records claimed before `before`. The oldest row is looked at
        first (by its key, no scan), so nothing is done when nothing is old."""
        oldest = await self.session.scalar(
            select(Delivery.claimed_at).order_by(Delivery.id).limit(1)
        )
        if oldest is None or oldest >= before:
            return
        await self.session.execute(
            delete(Delivery).where(Delivery.claimed_at < before, Delivery.status != "sending")
        )
