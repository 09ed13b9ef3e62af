"""Typed SQLAlchemy 2 models, one module per area. Times are stored in UTC, shown local."""

from __future__ import annotations

from storage.models.audit import AuditEntry
from storage.models.base import DEFAULT_TIMEZONE, Base, UTCDateTime
from storage.models.checkins import (
    CheckinAnswer,
    CheckinNote,
    CheckinOptOut,
    CheckinRound,
    CheckinSettings,
)
from storage.models.concerns import Concern, ConcernDraft, ConcernQuota
from storage.models.contributions import (
    Contribution,
    Expense,
    PaymentChoice,
    Presence,
    PresenceCheck,
)
from storage.models.deliveries import Delivery, DigestItem, QueuedMessage
from storage.models.followups import Action, Decision, DecisionUpdate, Minutes
from storage.models.glossary import GlossaryOff, GlossaryTerm, JargonAsked
from storage.models.icebreakers import IcebreakerAnswer, IcebreakerPrompt, IcebreakerRound
from storage.models.ladder import LadderAnswer, LadderRound, LadderVoter
from storage.models.meetings import (
    AgendaItem,
    Attendance,
    LiveMeeting,
    Meeting,
    OccurrenceChange,
)
from storage.models.people import (
    AwayPeriod,
    CalendarLink,
    Departure,
    Group,
    Membership,
    Person,
    Preferences,
)
from storage.models.platform import (
    ChoiceMessage,
    CommandReceipt,
    DirectChannel,
    InboxEvent,
    PinnedSummary,
    PlatformState,
    SlackInbox,
    SlackStash,
)
from storage.models.proposals import Proposal, ProposalAnswer, ProposalVoter
from storage.models.roles import GroupRole, RoleAssignment, RoleOffer, RolePass, RoleWillingness
from storage.models.slack_installs import SlackInstallation, SlackOAuthState

__all__ = [
    "DEFAULT_TIMEZONE",
    "Action",
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "AwayPeriod",
    "Base",
    "CalendarLink",
    "CheckinAnswer",
    "CheckinNote",
    "CheckinOptOut",
    "CheckinRound",
    "CheckinSettings",
    "ChoiceMessage",
    "CommandReceipt",
    "Concern",
    "ConcernDraft",
    "ConcernQuota",
    "Contribution",
    "Decision",
    "DecisionUpdate",
    "Delivery",
    "Departure",
    "DigestItem",
    "DirectChannel",
    "Expense",
    "GlossaryOff",
    "GlossaryTerm",
    "Group",
    "GroupRole",
    "IcebreakerAnswer",
    "IcebreakerPrompt",
    "IcebreakerRound",
    "InboxEvent",
    "JargonAsked",
    "LadderAnswer",
    "LadderRound",
    "LadderVoter",
    "LiveMeeting",
    "Meeting",
    "Membership",
    "Minutes",
    "OccurrenceChange",
    "PaymentChoice",
    "Person",
    "PinnedSummary",
    "PlatformState",
    "Preferences",
    "Presence",
    "PresenceCheck",
    "Proposal",
    "ProposalAnswer",
    "ProposalVoter",
    "QueuedMessage",
    "RoleAssignment",
    "RoleOffer",
    "RolePass",
    "RoleWillingness",
    "SlackInbox",
    "SlackInstallation",
    "SlackOAuthState",
    "SlackStash",
    "UTCDateTime",
]
