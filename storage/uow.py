"""The unit of work: one session, explicit commit; closing without commit saves nothing.

Closing (rather than rolling back) keeps loaded objects readable afterwards, so
what was planned in one unit of work can be shown from another.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

from storage.claims import commit_once
from storage.repositories import (
    Attendances,
    AuditLog,
    CalendarLinks,
    Checkins,
    Concerns,
    ContributionRecords,
    Contributions,
    Deliveries,
    Digests,
    Erasure,
    FollowUps,
    Glossary,
    Groups,
    Icebreakers,
    Ladder,
    LiveMeetings,
    Meetings,
    People,
    PersonalExport,
    PinnedSummaries,
    Plans,
    Proposals,
    Receipts,
    Roles,
    SlackInstalls,
)


class UnitOfWork:
    """Open with `async with`; nothing is saved unless `commit()` is called."""

    session: AsyncSession
    people: People
    contributions: Contributions
    audit: AuditLog
    calendar_links: CalendarLinks
    erasure: Erasure
    export: PersonalExport
    records: ContributionRecords
    groups: Groups
    meetings: Meetings
    deliveries: Deliveries
    roles: Roles
    checkins: Checkins
    icebreakers: Icebreakers
    followups: FollowUps
    concerns: Concerns
    attendance: Attendances
    live: LiveMeetings
    proposals: Proposals
    glossary: Glossary
    digests: Digests
    ladder: Ladder
    pinned: PinnedSummaries
    plans: Plans
    receipts: Receipts

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._changed = False
        #: Whether the last commit saved any change (a read-only command saves none).
        self.wrote = False

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        event.listen(self.session.sync_session, "after_flush", self._flushed)
        event.listen(self.session.sync_session, "do_orm_execute", self._executed)
        self.people = People(self.session)
        self.groups = Groups(self.session)
        self.meetings = Meetings(self.session)
        self.deliveries = Deliveries(self.session)
        self.roles = Roles(self.session)
        self.checkins = Checkins(self.session)
        self.icebreakers = Icebreakers(self.session)
        self.followups = FollowUps(self.session)
        self.concerns = Concerns(self.session)
        self.attendance = Attendances(self.session)
        self.live = LiveMeetings(self.session)
        self.proposals = Proposals(self.session)
        self.glossary = Glossary(self.session)
        self.digests = Digests(self.session)
        self.ladder = Ladder(self.session)
        self.plans = Plans(self.session)
        self.contributions = Contributions(self.session)
        self.audit = AuditLog(self.session)
        self.calendar_links = CalendarLinks(self.session)
        self.erasure = Erasure(self.session)
        self.export = PersonalExport(self.session)
        self.records = ContributionRecords(self.session)
        self.pinned = PinnedSummaries(self.session)
        self.slack_installs = SlackInstalls(self.session)
        self.receipts = Receipts(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.close()

    async def changed(self) -> bool:
        """Whether anything has been written in this unit of work since it last committed."""
        await self.session.flush()
        return self._changed

    def _flushed(self, session: Session, _context: object) -> None:
        if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
            self._changed = True

    def _executed(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            self._changed = True

    async def commit(self) -> None:
        """Save everything done in this unit of work."""
        await self.session.commit()
        self.wrote, self._changed = self._changed, False

    async def commit_once(self) -> bool:
        """Commit a claim; False, with nothing saved, if someone else claimed it first."""
        saved = await commit_once(self.session)
        self.wrote, self._changed = saved and self._changed, False
        return saved

    async def rollback(self) -> None:
        """Forget everything done since the last commit."""
        await self.session.rollback()
        self._changed = False
