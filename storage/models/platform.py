"""What the platforms keep: sync state, direct conversations, inboxes and choices."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class PlatformState(Base):
    """A chat platform's own small state, such as Matrix's sync position, kept by name."""

    __tablename__ = "platform_state"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DirectChannel(Base):
    """A direct conversation the bot has with one person, where the platform makes them rooms.

    A person may have several (they opened a new one); the one used last is theirs.
    """

    __tablename__ = "direct_channels"
    __table_args__ = (UniqueConstraint("platform", "channel_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_ref: Mapped[str] = mapped_column(String(255))
    user_ref: Mapped[str] = mapped_column(String(255), index=True)
    last_used_at: Mapped[datetime] = mapped_column()


class InboxEvent(Base):
    """An incoming platform event that was handled, so a replay never handles it twice.

    status: 'replying' (handled; its replies, kept in `payload`, are still being
    sent) or 'done' (payload cleared). Old 'done' rows are deleted.
    """

    __tablename__ = "inbox_events"
    __table_args__ = (UniqueConstraint("platform", "event_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_ref: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12))
    payload: Mapped[str | None] = mapped_column(Text)
    handled_at: Mapped[datetime] = mapped_column()


class SlackInbox(Base):
    """A Slack request that was acknowledged, kept until its work is done (the durable inbox).

    `key` is Slack's own id: an event's event_id, or the trigger_id of a slash
    command or an interaction, so a retried event is recognised. status: 'new'
    (to do), 'handled' (done; `sent` of its `replies` went out so far), 'done'
    (kept for two days, so a retried or replayed event, command, button press
    or form is recognised and never runs twice). `payload` and `replies`
    hold words and ids only while in flight and are cleared when done;
    `lease_until` stops two workers taking the same row. No time of day is
    kept once done: `day` is only for deleting old rows.
    """

    __tablename__ = "slack_inbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    payload: Mapped[str | None] = mapped_column(Text)
    replies: Mapped[str | None] = mapped_column(Text)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column()
    day: Mapped[date] = mapped_column(Date)


class SlackStash(Base):
    """A button value longer than Slack allows (2,000 characters), kept under a short ref."""

    __tablename__ = "slack_stash"

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)


class ChoiceMessage(Base):
    """A message the bot sent on Matrix with numbered options, so a number or a reaction
    can still choose one later, after a restart too.

    `user_hash` is a keyed hash of the person the options were for (in their DM),
    never their id; None for a group room's message, which any member may answer.
    `latest`: still the newest options shown to that person, so a bare number answers
    it (at most one per person). Options that run a private command (like /concern)
    are never stored. No time of day is kept: `day` is only for deleting old rows.
    """

    __tablename__ = "choice_messages"
    __table_args__ = (UniqueConstraint("platform", "event_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_ref: Mapped[str] = mapped_column(String(255))
    user_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    options: Mapped[str] = mapped_column(Text)
    latest: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[date] = mapped_column(Date)


class PinnedSummary(Base):
    """The group's summary message the bot keeps pinned in its room, edited in place.

    `event_id` is the message to edit; `digest` a hash of what it shows now (so an
    unchanged summary is not edited); `told_no_power`: the facilitators were told once
    that the bot may not pin messages in the room.
    """

    __tablename__ = "pinned_summaries"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(255))
    digest: Mapped[str] = mapped_column(String(64))
    #: How many times it has been edited (each edit's transaction id is made from it).
    edits: Mapped[int] = mapped_column(Integer, default=0)
    told_no_power: Mapped[bool] = mapped_column(Boolean, default=False)


class CommandReceipt(Base):
    """A message whose command saved something, saved in the same commit as its work.

    A platform may handle a message again after a crash (its own record of the message
    is a separate commit); the receipt's key then stops the work being done twice.
    It traces nobody: the key is a keyed hash of the platform's id for the message,
    and only the day is kept (an anonymous concern's writer can't be found from when,
    or from which message). Kept for a month (storage/repositories/receipts.py).
    """

    __tablename__ = "command_receipts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
