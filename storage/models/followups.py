"""What happens after a meeting: decisions and their updates, actions, minutes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
    concern_id: Mapped[str | None] = mapped_column(ForeignKey("concerns.id", ondelete="SET NULL"))
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
    """Something one person said they would do by a date (a local date in the group's zone).

    Open until it is done (`done_at`) or its owner says it won't happen after all
    (`dropped_at`). `going_at`: when someone last said it is still going.
    """

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
    dropped_at: Mapped[datetime | None] = mapped_column()
    going_at: Mapped[datetime | None] = mapped_column()
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
