"""Typed SQLAlchemy 2 models. Times are stored in UTC; local time is for display only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

DEFAULT_TIMEZONE = "Europe/London"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Group(Base):
    """A co-production group: one channel (or room) on one platform."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("platform", "channel_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_ref: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    aims: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    pack_lead_minutes: Mapped[int] = mapped_column(Integer, default=3 * 24 * 60)
    break_every_minutes: Mapped[int | None] = mapped_column(Integer, default=50)
    late_grace_minutes: Mapped[int] = mapped_column(Integer, default=120)
    concern_daily_limit: Mapped[int] = mapped_column(Integer, default=3)
    minutes_due_minutes: Mapped[int] = mapped_column(Integer, default=2 * 24 * 60)
    created_at: Mapped[datetime] = mapped_column()

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )


class Person(Base):
    """Someone the bot has met on a platform. Holds no more than the platform gave us."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column()

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(Base):
    """A person's place in a group; facilitators run the group's settings."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    is_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column()

    group: Mapped[Group] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="joined")


class Preferences(Base):
    """How and when a person wants to hear from the bot."""

    __tablename__ = "preferences"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    reminders_via: Mapped[str] = mapped_column(String(10), default="dm")
    lead_minutes: Mapped[int | None] = mapped_column(Integer)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    pronouns: Mapped[str | None] = mapped_column(String(60))
    access_needs: Mapped[str | None] = mapped_column(Text)
    perspective: Mapped[str | None] = mapped_column(String(60))


class AwayPeriod(Base):
    """Dates someone is away: no reminders and no roles, first and last day included."""

    __tablename__ = "away_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class Meeting(Base):
    """A meeting or a recurring series, kept in the group's local wall-clock time.

    `local_start` is the first start as local time without a zone; with the
    group's zone and the recurrence rule, each occurrence stays at the same
    local time across clock changes.
    """

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    local_start: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    timezone: Mapped[str] = mapped_column(String(64))
    rrule: Mapped[str | None] = mapped_column(String(200))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    place: Mapped[str | None] = mapped_column(Text)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()


class OccurrenceChange(Base):
    """One date of a series cancelled or moved. `occurrence` is its original local start."""

    __tablename__ = "occurrence_changes"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    new_local_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class AgendaItem(Base):
    """An item on one occurrence's agenda; the person who added it owns it."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int | None] = mapped_column(Integer)
    lead_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    content_note: Mapped[str | None] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column()


class Delivery(Base):
    """One message the bot has claimed or sent, under its unique key.

    status: 'sending' (claimed; if the bot died here the send is in doubt and is
    checked with the platform on the next run), 'sent', 'summarised' (too late,
    included in one apology summary), 'skipped' (nothing to send when it fell due).
    While 'sending', the rendered message and its address are kept so it can be
    sent again exactly as it was; they are cleared once it is confirmed.
    """

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str | None] = mapped_column(String(255))
    user_ref: Mapped[str | None] = mapped_column(String(255))
    payload: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column()
    claimed_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()


class Concern(Base):
    """An anonymous concern. Holds no person, no room and no time of writing.

    The id is random (not a counter) and on SQLite the table has no rowid, so
    row order says nothing about the order of writing. `batch_at` is the time
    of the release it is waiting for; `number` is given at release, in a
    random order. The receipt code is kept only as a keyed hash.
    """

    __tablename__ = "concerns"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    batch_at: Mapped[datetime | None] = mapped_column()
    number: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)
    responded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column()
    withheld_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    withheld_reason: Mapped[str | None] = mapped_column(Text)


class ConcernDraft(Base):
    """Concern text waiting for its writer to confirm (small group, or which group).

    Found only by a keyed hash of the random token in the writer's confirm
    button; no person, no time; deleted when used, and all drafts from earlier
    days are deleted.
    """

    __tablename__ = "concern_drafts"
    __table_args__ = ({"sqlite_with_rowid": False},)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(12))
    day: Mapped[date] = mapped_column(Date)


class ConcernQuota(Base):
    """Concerns sent today per keyed hash of (person, day); earlier days are deleted."""

    __tablename__ = "concern_quota"
    __table_args__ = ({"sqlite_with_rowid": False},)

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)


class PlatformState(Base):
    """A chat platform's own small state, such as Matrix's sync position, kept by name."""

    __tablename__ = "platform_state"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DirectChannel(Base):
    """A direct conversation the bot has with one person, where the platform makes them rooms.

    A person may have several (they opened a new one); the one used last is theirs.
    """

    __tablename__ = "direct_channels"
    __table_args__ = (UniqueConstraint("platform", "channel_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_ref: Mapped[str] = mapped_column(String(255))
    user_ref: Mapped[str] = mapped_column(String(255), index=True)
    last_used_at: Mapped[datetime] = mapped_column()


class InboxEvent(Base):
    """An incoming platform event that was handled, so a replay never handles it twice.

    status: 'replying' (handled; its replies, kept in `payload`, are still being
    sent) or 'done' (payload cleared). Old 'done' rows are deleted.
    """

    __tablename__ = "inbox_events"
    __table_args__ = (UniqueConstraint("platform", "event_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_ref: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12))
    payload: Mapped[str | None] = mapped_column(Text)
    handled_at: Mapped[datetime] = mapped_column()


class SlackInbox(Base):
    """A Slack request that was acknowledged, kept until its work is done (the durable inbox).

    `key` is Slack's own id: an event's event_id, or the trigger_id of a slash
    command or an interaction, so a retried event is recognised. status: 'new'
    (to do), 'handled' (done; `sent` of its `replies` went out so far), 'done'
    (kept only for events, to recognise Slack's retries). `payload` and `replies`
    hold words and ids only while in flight and are cleared when done;
    `lease_until` stops two workers taking the same row. No time of day is
    kept once done: `day` is only for deleting old rows.
    """

    __tablename__ = "slack_inbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    payload: Mapped[str | None] = mapped_column(Text)
    replies: Mapped[str | None] = mapped_column(Text)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column()
    day: Mapped[date] = mapped_column(Date)


class SlackStash(Base):
    """A button value longer than Slack allows (2,000 characters), kept under a short ref."""

    __tablename__ = "slack_stash"

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)


class GroupRole(Base):
    """A role that goes round the group, like chair or minute-taker.

    Removed roles are kept (marked removed) so the turns people took stay counted.
    """

    __tablename__ = "group_roles"
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class RoleWillingness(Base):
    """Whether a member offered to take a role (True) or said no to it (False).

    `credit`: turns counted as already taken, so someone who offers later starts
    level with the others rather than taking many turns in a row to catch up.
    """

    __tablename__ = "role_willingness"
    __table_args__ = (UniqueConstraint("group_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))
    willing: Mapped[bool] = mapped_column(Boolean)
    credit: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column()


class RoleAssignment(Base):
    """Who holds a role at one meeting date (None: nobody yet). `slot` 1 is a co-chair.

    how: 'auto' (given out with the pack), 'rotate', 'swap', 'cover' (took over
    from someone who couldn't make it) or 'take' (offered for an open role).
    """

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence", "role", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column()
    role: Mapped[str] = mapped_column(String(30))
    slot: Mapped[int] = mapped_column(Integer, default=0)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    how: Mapped[str] = mapped_column(String(12))
    why: Mapped[str | None] = mapped_column(Text)


class RolePass(Base):
    """Someone said "not this time" for one meeting date: no role for them then."""

    __tablename__ = "role_passes"
    __table_args__ = (UniqueConstraint("person_id", "meeting_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))


class RoleOffer(Base):
    """A question to one person: swap roles, or take over a role someone can't do.

    kind: 'swap' (from_person asks; `other_id` is the asked person's own role,
    if they have one) or 'cover'. status: 'open', 'accepted', 'declined', 'closed'.
    """

    __tablename__ = "role_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("role_assignments.id", ondelete="CASCADE")
    )
    other_id: Mapped[int | None] = mapped_column(
        ForeignKey("role_assignments.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(8))
    from_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    to_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column()


class Decision(Base):
    """A decision the group made, who looks after it, and when the next update is due.

    status: 'open' (no update yet), 'in progress', 'blocked' (both still open),
    'done', 'changed', 'dropped' (closed). `lived_experience` is what the person
    who recorded it answered when asked whether members with lived experience
    were part of making it: 'yes', 'no', 'unsure', or None (not answered yet).
    `next_update_at` is None once the decision is closed. `concern_id` links it
    to the anonymous concern it answers (the concern, not its writer).
    """

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("group_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    occurrence: Mapped[str | None] = mapped_column(String(32))
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    concern_id: Mapped[str | None] = mapped_column(
        ForeignKey("concerns.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    lived_experience: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="open")
    update_every_days: Mapped[int] = mapped_column(Integer)
    next_update_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column()


class DecisionUpdate(Base):
    """What happened to a decision, as told by its owner, its recorder or a facilitator."""

    __tablename__ = "decision_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(index=True)


class Action(Base):
    """Something one person said they would do by a date (a local date in the group's zone)."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("group_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column()
    done_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()


class Minutes(Base):
    """The minutes of one meeting date, as sent in; a later row for the same date corrects it."""

    __tablename__ = "minutes"
    __table_args__ = (Index("ix_minutes_meeting_occurrence", "meeting_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()


class CheckinSettings(Base):
    """A group's check-in and icebreaker settings; no row means the defaults.

    `before_minutes` / `after_minutes`: when the check-ins go out, before the
    meeting starts and after it ends (None: that check-in is off).
    `wellbeing`: who people can talk to outside the meeting, and how to reach them.
    """

    __tablename__ = "checkin_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    before_minutes: Mapped[int | None] = mapped_column(Integer)
    after_minutes: Mapped[int | None] = mapped_column(Integer)
    icebreakers: Mapped[bool] = mapped_column(Boolean, default=True)
    wellbeing: Mapped[str | None] = mapped_column(Text)


class CheckinOptOut(Base):
    """Someone who asked not to get check-ins, in any group (a row means 'off')."""

    __tablename__ = "checkin_optouts"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )


class CheckinRound(Base):
    """One check-in for one meeting date: 'before' it starts or 'after' it ends.

    Answers are taken from `opens_at` until `closes_at`.
    """

    __tablename__ = "checkin_rounds"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()


class CheckinAnswer(Base):
    """One person's answer to a check-in (a colour, or 1 to 5), kept without their name.

    `voter_hash` is a keyed hash of (round, person): it lets someone change
    their answer and stops double counting, and links to nobody without the
    server's key. Random ids, no rowid and no time: row order says nothing.
    """

    __tablename__ = "checkin_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "voter_hash"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_rounds.id", ondelete="CASCADE"))
    voter_hash: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(8))


class CheckinNote(Base):
    """What someone needs from the group, or wants to add, with a check-in.

    Kept apart from their answer, so even a named note never shows a colour or a
    score next to a name. `person_id` is set only when they chose to be named.
    """

    __tablename__ = "checkin_notes"
    __table_args__ = (
        UniqueConstraint("round_id", "voter_hash"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_rounds.id", ondelete="CASCADE"))
    voter_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class IcebreakerPrompt(Base):
    """A group's own icebreaker, added by a facilitator; removed ones are kept, marked."""

    __tablename__ = "icebreaker_prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column()


class IcebreakerRound(Base):
    """One icebreaker asked in a group: at a meeting's start, or now with /icebreaker.

    `prompt_ref` names the prompt ('bank:<id>' or 'group:<id>') so the group gets
    no repeats until its bank is used up. phase: 'open' (in the pack, answers
    taken ahead), 'started' (asked in the channel), 'closed' (all answers shown).
    """

    __tablename__ = "icebreaker_rounds"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    prompt_ref: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str | None] = mapped_column(String(32))
    phase: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column()


class IcebreakerAnswer(Base):
    """Someone's answer to an icebreaker (`text` None: they passed, which counts for nothing).

    `shown_at` is when it was shown to the group, together with the others.
    """

    __tablename__ = "icebreaker_answers"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("icebreaker_rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)
    shown_at: Mapped[datetime | None] = mapped_column()


class ChoiceMessage(Base):
    """A message the bot sent on Matrix with numbered options, so a number or a reaction
    can still choose one later, after a restart too.

    `user_hash` is a keyed hash of the person the options were for (in their DM),
    never their id; None for a group room's message, which any member may answer.
    `latest`: still the newest options shown to that person, so a bare number answers
    it (at most one per person). Options that run a private command (like /concern)
    are never stored. No time of day is kept: `day` is only for deleting old rows.
    """

    __tablename__ = "choice_messages"
    __table_args__ = (UniqueConstraint("platform", "event_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_ref: Mapped[str] = mapped_column(String(255))
    user_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    options: Mapped[str] = mapped_column(Text)
    latest: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[date] = mapped_column(Date)
