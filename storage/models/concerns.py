"""Anonymous concerns: no person, no exact time, nothing that links back."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
