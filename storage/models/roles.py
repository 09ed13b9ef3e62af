"""Roles that go round: the roles, who is willing, who holds which, passes and offers."""

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
    if they have one) or 'cover'. status: 'open', 'accepted', 'declined', 'closed', or
    'unanswered' (a cover question that waited a day: the next person was asked, but
    it can still be accepted while the role is open; handlers/rotation/cover.py).
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
    from_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    to_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column()
