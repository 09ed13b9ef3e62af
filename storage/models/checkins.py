"""Check-ins: settings, opt-outs, rounds, and answers kept without names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
