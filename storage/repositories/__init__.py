"""Repositories: the queries and changes handlers need, one module per area."""

from __future__ import annotations

from storage.repositories.attendance import Attendances
from storage.repositories.audit import AuditLog
from storage.repositories.calendar_links import CalendarLinks
from storage.repositories.checkins import CHECKIN_DEFAULT_MINUTES, Checkins
from storage.repositories.concerns import Concerns
from storage.repositories.contribution_records import ContributionRecords
from storage.repositories.contributions import Contributions
from storage.repositories.deliveries import Deliveries
from storage.repositories.digests import Digests
from storage.repositories.erasure import Erasure
from storage.repositories.followups import FollowUps
from storage.repositories.glossary import Glossary
from storage.repositories.icebreakers import Icebreakers
from storage.repositories.ladder import Ladder
from storage.repositories.live import LiveMeetings
from storage.repositories.meetings import Meetings
from storage.repositories.people import Groups, People
from storage.repositories.personal_export import PersonalExport
from storage.repositories.pinned import PinnedSummaries
from storage.repositories.plans import Plans
from storage.repositories.proposals import Proposals
from storage.repositories.receipts import Receipts
from storage.repositories.roles import DEFAULT_ROLES, Roles
from storage.repositories.slack_installs import SlackInstalls

__all__ = [
    "CHECKIN_DEFAULT_MINUTES",
    "DEFAULT_ROLES",
    "Attendances",
    "AuditLog",
    "CalendarLinks",
    "Checkins",
    "Concerns",
    "ContributionRecords",
    "Contributions",
    "Deliveries",
    "Digests",
    "Erasure",
    "FollowUps",
    "Glossary",
    "Groups",
    "Icebreakers",
    "Ladder",
    "LiveMeetings",
    "Meetings",
    "People",
    "PersonalExport",
    "PinnedSummaries",
    "Plans",
    "Proposals",
    "Receipts",
    "Roles",
    "SlackInstalls",
]
