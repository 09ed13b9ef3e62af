"""Meetings, changes to single dates of a series, and agenda items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
    lead_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    content_note: Mapped[str | None] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column()


class Attendance(Base):
    """Whether a member expects to come to one meeting date, if they chose to say.

    answer: 'yes' (I'll be there), 'no' (I can't make it this time) or 'maybe'
    (not sure). Nobody is ever chased for one; no row means they didn't say.
    """

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(8))
    said_at: Mapped[datetime] = mapped_column()


class LiveMeeting(Base):
    """How the chair has steered one meeting date in live mode (no row: as planned).

    `item` (from 0) is the agenda item the chair last moved to, starting at
    `item_start`, with `extra_minutes` added to it by /more (and /pause); every
    later item and break moves with it. `ended_at` is when the chair said /end:
    nothing more is called, and the thank-you comes an hour after it.
    """

    __tablename__ = "live_meetings"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    item: Mapped[int | None] = mapped_column(Integer)
    item_start: Mapped[datetime | None] = mapped_column()
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column()
    changed_at: Mapped[datetime] = mapped_column()
