"""A group's own glossary: plain meanings for the words and acronyms it uses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class GlossaryTerm(Base):
    """A term and its plain meaning, added by a member. `key` is the term casefolded,
    so CMHT and cmht are one term."""

    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("group_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    term: Mapped[str] = mapped_column(String(80))
    meaning: Mapped[str] = mapped_column(Text)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()


class GlossaryOff(Base):
    """A term from the starter list that a group has turned off."""

    __tablename__ = "glossary_off"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(80), primary_key=True)


class JargonAsked(Base):
    """A term someone in the group was already asked to explain: asked once per term."""

    __tablename__ = "jargon_asked"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    asked_at: Mapped[datetime] = mapped_column()
