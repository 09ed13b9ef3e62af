"""The contribution log: who was at each meeting, time people gave, their expenses,
and how each member wants to be paid for taking part.

Roles held, agenda items led and minutes written are already kept where they
happen (roles, agenda items, minutes); these tables hold only what isn't.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class PresenceCheck(Base):
    """The chair (or minute-taker, or a facilitator) said who was at one meeting date."""

    __tablename__ = "presence_checks"
    __table_args__ = (UniqueConstraint("meeting_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(32))
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column()


class Presence(Base):
    """One person was at one meeting date, as confirmed in its PresenceCheck."""

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("check_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("presence_checks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))


class Contribution(Base):
    """Time a member gave outside the meeting, in their own words (/contributions add).

    Counted with the meeting date it was for (`meeting_id`, `occurrence`): the
    meeting nearest to when it was said, unless they named one.
    """

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    occurrence: Mapped[str | None] = mapped_column(String(32))
    minutes: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    said_at: Mapped[datetime] = mapped_column()


class Expense(Base):
    """A cost a member had for taking part (travel, phone data), to be paid back.

    `amount` is in the currency's smallest unit (pence), `currency` an ISO code.
    """

    __tablename__ = "expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    occurrence: Mapped[str | None] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    what: Mapped[str] = mapped_column(Text)
    said_at: Mapped[datetime] = mapped_column()


class PaymentChoice(Base):
    """How a member wants to be paid for taking part: 'paid', 'vouchers' or 'none'.

    Never assumed: no row means they haven't said.
    """

    __tablename__ = "payment_choices"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    choice: Mapped[str] = mapped_column(String(10))
    chosen_at: Mapped[datetime] = mapped_column()
