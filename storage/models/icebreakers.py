"""Icebreakers: the prompts, each round, and the answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
