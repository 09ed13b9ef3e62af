"""One row per message the delivery engine claimed, so nothing is sent twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Delivery(Base):
    """One message the bot has claimed or sent, under its unique key.

    status: 'sending' (claimed; if the bot died here the send is in doubt and is
    checked with the platform on the next run), 'sent', 'summarised' (too late,
    included in one apology summary), 'skipped' (nothing to send when it fell due),
    'digested' (held for the person's daily round-up, in `digest_items`), 'unreachable'
    (the platform can never take it: the app was removed from that Slack workspace).
    While 'sending', the rendered message and its address are kept so it can be
    sent again exactly as it was; they are cleared once it is confirmed.

    owner and deadline (while 'sending'): the instance sending it, and when that
    send is surely over (it is given up before then). Only the owner, or anyone
    after the deadline (the owner died), may treat the row as a crash and finish it.
    """

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    #: Indexed: every wake-up looks for the 'sending' rows among all the history.
    status: Mapped[str] = mapped_column(String(12), index=True)
    channel: Mapped[str | None] = mapped_column(String(255))
    user_ref: Mapped[str | None] = mapped_column(String(255))
    payload: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column()
    claimed_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
    owner: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[datetime | None] = mapped_column()


class QueuedMessage(Base):
    """A direct message someone's command caused for another person, waiting for the engine.

    It goes out through the delivery engine, so it waits for the end of the
    recipient's quiet hours and away dates, and is sent exactly once. The row is
    removed once it has been delivered.
    """

    __tablename__ = "queued_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, never reused (ids can be, once rows are removed): names its delivery.
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    payload: Mapped[str] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column()


class DigestItem(Base):
    """A non-urgent message held for someone's daily digest (`/prefs digest daily`).

    Kept as rendered when it fell due; `digest_key` is the delivery key of the
    digest it went out in (None while it waits). Rows that went out are removed.
    """

    __tablename__ = "digest_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    payload: Mapped[str] = mapped_column(Text)
    held_at: Mapped[datetime] = mapped_column()
    digest_key: Mapped[str | None] = mapped_column(String(255))
