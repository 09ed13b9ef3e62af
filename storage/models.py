"""Typed SQLAlchemy 2 models. Times are stored in UTC; local time is for display only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
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
