"""Everything the bot holds about one person, gathered for /prefs export.

Each area is one query, filtered on the person's id, returning plain rows (dicts of
column label -> value). `COVERS` names the people.id columns each area reads; together
with `NOT_EXPORTED` it must account for every foreign key to people.id
(tests/unit/test_export.py walks the models to check), so a new table can't be forgotten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from storage.models import (
    Action,
    AgendaItem,
    Attendance,
    AuditEntry,
    AwayPeriod,
    CalendarLink,
    CheckinNote,
    CheckinOptOut,
    CheckinRound,
    Concern,
    Contribution,
    Decision,
    DecisionUpdate,
    Delivery,
    DigestItem,
    DirectChannel,
    Expense,
    GlossaryTerm,
    Group,
    IcebreakerAnswer,
    IcebreakerPrompt,
    IcebreakerRound,
    LadderRound,
    LadderVoter,
    Meeting,
    Membership,
    Minutes,
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

Row = dict[str, Any]

#: Area (the export's top-level key) -> the people.id columns it reads, as "table.column".
COVERS: dict[str, tuple[str, ...]] = {
    "person": (),
    "preferences": ("preferences.person_id", "checkin_optouts.person_id"),
    "away_periods": ("away_periods.person_id",),
    "memberships": ("memberships.person_id",),
    "calendar_links": ("calendar_links.person_id",),
    "meetings_set_up": ("meetings.created_by",),
    "role_turns": ("role_assignments.person_id",),
    "role_willingness": ("role_willingness.person_id",),
    "role_passes": ("role_passes.person_id",),
    "role_offers": ("role_offers.from_person_id", "role_offers.to_person_id"),
    "agenda_items": ("agenda_items.owner_person_id", "agenda_items.lead_person_id"),
    "decisions": ("decisions.owner_id", "decisions.recorded_by"),
    "decision_updates": ("decision_updates.by_id",),
    "actions": ("actions.owner_id", "actions.created_by", "actions.done_by"),
    "minutes_sent": ("minutes.by_id",),
    "coming": ("attendance.person_id",),
    "was_there": ("presence.person_id",),
    "said_who_was_there": ("presence_checks.by_person_id",),
    "checkin_notes": ("checkin_notes.person_id",),
    "icebreaker_answers": ("icebreaker_answers.person_id",),
    "icebreakers_added": ("icebreaker_prompts.added_by",),
    "contributions": ("contributions.person_id",),
    "expenses": ("expenses.person_id",),
    "payment_choices": ("payment_choices.person_id",),
    "proposals": ("proposals.owner_id",),
    "proposal_answers": ("proposal_answers.person_id", "proposal_voters.person_id"),
    "ladder_rounds_answered": ("ladder_voters.person_id",),
    "glossary_terms": ("glossary_terms.added_by",),
    "concern_replies": ("concerns.responded_by", "concerns.withheld_by"),
    "facilitator_actions": ("audit_entries.person_id",),
    "digest_waiting": ("digest_items.person_id",),
    "messages_waiting": ("queued_messages.person_id",),
    "deliveries": (),
    "direct_conversations": (),
}

#: people.id columns deliberately left out of the export, and why (none today: the
#: anonymous tables hold no person at all, which is why they can't be exported).
NOT_EXPORTED: dict[str, str] = {}

#: Tables kept without anybody's name: nothing in them can be matched to the person.
ANONYMOUS: tuple[str, ...] = (
    "concerns",
    "concern_drafts",
    "concern_quota",
    "checkin_answers",
    "ladder_answers",
    "proposal_answers (for anonymous proposals)",
)


class PersonalExport(Repository):
    """Reads every row about one person, in every group, for their own export."""

    async def gather(self, person: Person) -> dict[str, Any]:
        """Every area in `COVERS`, in that order: the person and preferences as one row
        (None when not set), the rest as lists of rows."""
        pid = person.id
        found: dict[str, Any] = {
            "person": {
                "name": person.display_name,
                "platform": person.platform,
                "first_met": person.created_at,
            },
            "preferences": await self._preferences(pid),
        }
        for area, statement in _statements(person).items():
            found[area] = await self._rows(statement)
        for row in found["deliveries"]:
            row["kind"] = row["kind"].split(":")[0]
        assert list(found) == list(COVERS), "every area in COVERS is gathered, in order"
        return found

    async def _rows(self, statement: Select[Any]) -> list[Row]:
        result = await self.session.execute(statement)
        return [dict(row) for row in result.mappings().all()]

    async def _preferences(self, pid: int) -> Row | None:
        prefs = await self.session.get(Preferences, pid)
        off = await self.session.get(CheckinOptOut, pid)
        if prefs is None and off is None:
            return None
        row: Row = {
            "reminders_via": prefs.reminders_via if prefs else None,
            "reminder_minutes_before": prefs.lead_minutes if prefs else None,
            "quiet_start": prefs.quiet_start if prefs else None,
            "quiet_end": prefs.quiet_end if prefs else None,
            "pronouns": prefs.pronouns if prefs else None,
            "access_needs": prefs.access_needs if prefs else None,
            "perspective": prefs.perspective if prefs else None,
            "daily_digest_at": prefs.digest_at if prefs else None,
            "charts_as_pictures": prefs.pictures if prefs else True,
            "checkins_off": off is not None,
        }
        return row


def _statements(person: Person) -> dict[str, Select[Any]]:
    """One query per list area, each reading only rows about `person`."""
    pid = person.id
    return {
        "away_periods": select(AwayPeriod.first_day, AwayPeriod.last_day)
        .where(AwayPeriod.person_id == pid)
        .order_by(AwayPeriod.first_day),
        "memberships": _in_group(
            Membership,
            Membership.is_facilitator.label("facilitator"),
            Membership.joined_at.label("joined"),
        )
        .where(Membership.person_id == pid)
        .order_by(Membership.joined_at, Membership.id),
        "calendar_links": _in_group(CalendarLink, CalendarLink.made_at.label("made"))
        .where(CalendarLink.person_id == pid)
        .order_by(CalendarLink.made_at, CalendarLink.id),
        "meetings_set_up": _in_group(
            Meeting,
            Meeting.title,
            Meeting.local_start.label("first_start_local"),
            Meeting.rrule.label("repeats"),
            Meeting.created_at.label("set_up"),
        )
        .where(Meeting.created_by == pid)
        .order_by(Meeting.created_at, Meeting.id),
        "role_turns": _in_group(
            RoleAssignment,
            RoleAssignment.role,
            RoleAssignment.occurrence.label("meeting_date"),
            RoleAssignment.how,
            RoleAssignment.why,
        )
        .where(RoleAssignment.person_id == pid)
        .order_by(RoleAssignment.starts_at, RoleAssignment.id),
        "role_willingness": _in_group(
            RoleWillingness,
            RoleWillingness.role,
            RoleWillingness.willing,
            RoleWillingness.created_at.label("said"),
        )
        .where(RoleWillingness.person_id == pid)
        .order_by(RoleWillingness.id),
        "role_passes": _in_group(RolePass, RolePass.occurrence.label("meeting_date"))
        .where(RolePass.person_id == pid)
        .order_by(RolePass.id),
        "role_offers": _offers(pid),
        "agenda_items": _by_meeting(
            AgendaItem,
            AgendaItem.occurrence.label("meeting_date"),
            AgendaItem.text,
            AgendaItem.minutes.label("time_in_minutes"),
            (AgendaItem.owner_person_id == pid).label("you_added_it"),
            (AgendaItem.lead_person_id == pid).label("you_lead_it"),
            AgendaItem.created_at.label("added"),
        )
        .where(or_(AgendaItem.owner_person_id == pid, AgendaItem.lead_person_id == pid))
        .order_by(AgendaItem.created_at, AgendaItem.id),
        "decisions": _in_group(
            Decision,
            Decision.number,
            Decision.text,
            Decision.status,
            (Decision.owner_id == pid).label("you_look_after_it"),
            (Decision.recorded_by == pid).label("you_recorded_it"),
            Decision.lived_experience.label("lived_experience_part_of_it"),
            Decision.created_at.label("recorded"),
        )
        .where(or_(Decision.owner_id == pid, Decision.recorded_by == pid))
        .order_by(Decision.created_at, Decision.id),
        "decision_updates": _in_group(
            Decision,
            Decision.number.label("decision"),
            DecisionUpdate.status,
            DecisionUpdate.text,
            DecisionUpdate.created_at.label("said"),
        )
        .join(DecisionUpdate, DecisionUpdate.decision_id == Decision.id)
        .where(DecisionUpdate.by_id == pid)
        .order_by(DecisionUpdate.created_at, DecisionUpdate.id),
        "actions": _in_group(
            Action,
            Action.number,
            Action.text,
            Action.due_on,
            (Action.owner_id == pid).label("yours_to_do"),
            (Action.created_by == pid).label("you_added_it"),
            (Action.done_by == pid).label("you_marked_it_done"),
            Action.done_at.label("done"),
            Action.dropped_at.label("dropped"),
            Action.created_at.label("added"),
        )
        .where(or_(Action.owner_id == pid, Action.created_by == pid, Action.done_by == pid))
        .order_by(Action.created_at, Action.id),
        "minutes_sent": _in_group(
            Minutes,
            Minutes.occurrence.label("meeting_date"),
            Minutes.text,
            Minutes.created_at.label("sent"),
        )
        .where(Minutes.by_id == pid)
        .order_by(Minutes.created_at, Minutes.id),
        "coming": _by_meeting(
            Attendance,
            Attendance.occurrence.label("meeting_date"),
            Attendance.answer,
            Attendance.said_at.label("said"),
        )
        .where(Attendance.person_id == pid)
        .order_by(Attendance.said_at, Attendance.id),
        "was_there": _in_group(
            PresenceCheck,
            PresenceCheck.occurrence.label("meeting_date"),
            PresenceCheck.checked_at.label("recorded"),
        )
        .join(Presence, Presence.check_id == PresenceCheck.id)
        .where(Presence.person_id == pid)
        .order_by(PresenceCheck.checked_at, PresenceCheck.id),
        "said_who_was_there": _in_group(
            PresenceCheck,
            PresenceCheck.occurrence.label("meeting_date"),
            PresenceCheck.checked_at.label("said"),
        )
        .where(PresenceCheck.by_person_id == pid)
        .order_by(PresenceCheck.checked_at, PresenceCheck.id),
        "checkin_notes": _in_group(
            CheckinRound,
            CheckinRound.occurrence.label("meeting_date"),
            CheckinRound.kind.label("check_in"),
            CheckinNote.text,
        )
        .join(CheckinNote, CheckinNote.round_id == CheckinRound.id)
        .where(CheckinNote.person_id == pid)
        .order_by(CheckinRound.opens_at, CheckinRound.id),
        "icebreaker_answers": _in_group(
            IcebreakerRound,
            IcebreakerRound.text.label("question"),
            IcebreakerAnswer.text.label("answer"),
            (IcebreakerAnswer.text.is_(None)).label("passed"),
            IcebreakerRound.starts_at.label("asked"),
        )
        .join(IcebreakerAnswer, IcebreakerAnswer.round_id == IcebreakerRound.id)
        .where(IcebreakerAnswer.person_id == pid)
        .order_by(IcebreakerRound.starts_at, IcebreakerRound.id),
        "icebreakers_added": _in_group(
            IcebreakerPrompt,
            IcebreakerPrompt.text,
            IcebreakerPrompt.removed,
            IcebreakerPrompt.created_at.label("added"),
        )
        .where(IcebreakerPrompt.added_by == pid)
        .order_by(IcebreakerPrompt.created_at, IcebreakerPrompt.id),
        "contributions": _in_group(
            Contribution,
            Contribution.minutes.label("time_in_minutes"),
            Contribution.what,
            Contribution.occurrence.label("meeting_date"),
            Contribution.said_at.label("said"),
        )
        .where(Contribution.person_id == pid)
        .order_by(Contribution.said_at, Contribution.id),
        "expenses": _in_group(
            Expense,
            Expense.amount.label("amount_in_pence_or_cents"),
            Expense.currency,
            Expense.what,
            Expense.occurrence.label("meeting_date"),
            Expense.said_at.label("said"),
        )
        .where(Expense.person_id == pid)
        .order_by(Expense.said_at, Expense.id),
        "payment_choices": _in_group(
            PaymentChoice, PaymentChoice.choice, PaymentChoice.chosen_at.label("chosen")
        )
        .where(PaymentChoice.person_id == pid)
        .order_by(PaymentChoice.chosen_at),
        "proposals": _in_group(
            Proposal,
            Proposal.number,
            Proposal.text,
            Proposal.anonymous.label("answers_kept_without_names"),
            Proposal.created_at.label("proposed"),
            Proposal.closes_at.label("closes"),
        )
        .where(Proposal.owner_id == pid)
        .order_by(Proposal.created_at, Proposal.id),
        "proposal_answers": _answers(pid),
        "ladder_rounds_answered": _in_group(LadderRound, LadderRound.opens_at.label("asked"))
        .join(LadderVoter, LadderVoter.round_id == LadderRound.id)
        .where(LadderVoter.person_id == pid)
        .order_by(LadderRound.opens_at),
        "glossary_terms": _in_group(
            GlossaryTerm,
            GlossaryTerm.term,
            GlossaryTerm.meaning,
            GlossaryTerm.created_at.label("added"),
        )
        .where(GlossaryTerm.added_by == pid)
        .order_by(GlossaryTerm.created_at, GlossaryTerm.id),
        "concern_replies": _in_group(
            Concern,
            Concern.number.label("concern"),
            (Concern.responded_by == pid).label("you_replied"),
            Concern.response.label("your_reply"),
            Concern.responded_at.label("replied"),
            (Concern.withheld_by == pid).label("you_held_it_back"),
            Concern.withheld_reason.label("your_reason"),
        )
        .where(or_(Concern.responded_by == pid, Concern.withheld_by == pid))
        .order_by(Concern.responded_at, Concern.number),
        "facilitator_actions": _in_group(
            AuditEntry, AuditEntry.action.label("what"), AuditEntry.at.label("when")
        )
        .where(AuditEntry.person_id == pid)
        .order_by(AuditEntry.at, AuditEntry.id),
        "digest_waiting": _in_group(
            DigestItem, DigestItem.payload.label("message"), DigestItem.held_at.label("held")
        )
        .where(DigestItem.person_id == pid, DigestItem.digest_key.is_(None))
        .order_by(DigestItem.held_at, DigestItem.id),
        "messages_waiting": _in_group(
            QueuedMessage,
            QueuedMessage.payload.label("message"),
            QueuedMessage.queued_at.label("queued"),
        )
        .where(QueuedMessage.person_id == pid)
        .order_by(QueuedMessage.queued_at, QueuedMessage.id),
        # Delivery keys end with ":p<person id>" when addressed to one person.
        "deliveries": select(
            Delivery.key.label("kind"),
            Delivery.status,
            Delivery.due_at.label("due"),
            Delivery.done_at.label("done"),
        )
        .where(Delivery.key.endswith(f":p{pid}"))
        .order_by(Delivery.due_at, Delivery.id),
        "direct_conversations": select(
            DirectChannel.channel_ref.label("conversation"),
            DirectChannel.last_used_at.label("last_used"),
        )
        .where(
            DirectChannel.platform == person.platform, DirectChannel.user_ref == person.external_id
        )
        .order_by(DirectChannel.last_used_at),
    }


def _in_group(table: Any, *columns: Any) -> Select[Any]:
    """Select `columns` of `table` with its group's name first, as "group"."""
    return (
        select(Group.name.label("group"), *columns)
        .select_from(table)
        .join(Group, Group.id == table.group_id)
    )


def _by_meeting(table: Any, *columns: Any) -> Select[Any]:
    """Like `_in_group`, for a table that knows only its meeting."""
    return (
        select(Group.name.label("group"), *columns)
        .select_from(table)
        .join(Meeting, Meeting.id == table.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
    )


def _offers(pid: int) -> Select[Any]:
    asker = aliased(Person)
    asked = aliased(Person)
    return (
        _in_group(
            RoleOffer,
            RoleOffer.kind,
            RoleAssignment.role,
            RoleAssignment.occurrence.label("meeting_date"),
            asker.display_name.label("from"),
            asked.display_name.label("to"),
            RoleOffer.status,
            RoleOffer.created_at.label("asked"),
        )
        .join(RoleAssignment, RoleAssignment.id == RoleOffer.assignment_id)
        .outerjoin(asker, asker.id == RoleOffer.from_person_id)
        .join(asked, asked.id == RoleOffer.to_person_id)
        .where(or_(RoleOffer.from_person_id == pid, RoleOffer.to_person_id == pid))
        .order_by(RoleOffer.created_at, RoleOffer.id)
    )


def _answers(pid: int) -> Select[Any]:
    """Proposals they answered: the answer itself only when it carries their name."""
    named = aliased(ProposalAnswer)
    return (
        _in_group(
            Proposal,
            Proposal.number.label("proposal"),
            Proposal.text.label("proposal_text"),
            Proposal.anonymous.label("answer_kept_without_your_name"),
            named.answer,
            named.reason,
        )
        .join(ProposalVoter, ProposalVoter.proposal_id == Proposal.id)
        .outerjoin(named, (named.proposal_id == Proposal.id) & (named.person_id == pid))
        .where(ProposalVoter.person_id == pid)
        .order_by(Proposal.created_at, Proposal.id)
    )
