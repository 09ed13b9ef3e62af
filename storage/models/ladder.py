"""The ladder pulse: where members think the group stands on the Ladder of Co-production.

Stored like concerns: answers hold no person and no time, their ids are random and
on SQLite the table has no rowid; who has answered a round is kept apart, never
with what they answered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class LadderRound(Base):
    """One asking of the ladder question to a group: open from `opens_at` to `closes_at`."""

    __tablename__ = "ladder_rounds"
    __table_args__ = (UniqueConstraint("group_id", "opens_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()


class LadderAnswer(Base):
    """One anonymous answer: a rung from 1 (coercion) to 7 (co-production), or 0 for a pass."""

    __tablename__ = "ladder_answers"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("ladder_rounds.id", ondelete="CASCADE"))
    rung: Mapped[int] = mapped_column(Integer)


class LadderVoter(Base):
    """Who has answered a round (never what they answered): one answer each."""

    __tablename__ = "ladder_voters"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("ladder_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
