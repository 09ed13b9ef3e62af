"""Proposals the group answers (Agree, Abstain, Disagree, Block), and who has answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Proposal(Base):
    """Something a member proposes, open for answers until `closes_at`.

    `closed_at` is set when its outcome is worked out; `decision_id` links it to
    the decision it became, if it did.
    """

    __tablename__ = "proposals"
    __table_args__ = (UniqueConstraint("group_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column(index=True)
    closed_at: Mapped[datetime | None] = mapped_column()
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))


class ProposalAnswer(Base):
    """One answer: 'agree', 'abstain', 'disagree' or 'block', with an optional reason.

    For an anonymous proposal `person_id` is None; the id is random and on
    SQLite the table has no rowid, and there is no time, so nothing links an
    answer to the person who gave it (the same standard as concerns).
    """

    __tablename__ = "proposal_answers"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)


class ProposalVoter(Base):
    """Who has answered a proposal (never what they answered): one answer each."""

    __tablename__ = "proposal_voters"
    __table_args__ = ({"sqlite_with_rowid": False},)

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
