"""Groups, people, who is in which group, and each person's preferences."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import DEFAULT_TIMEZONE, Base, UTCDateTime


class Group(Base):
    """A co-production group: one channel (or room) on one platform."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("platform", "channel_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel_ref: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    aims: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    pack_lead_minutes: Mapped[int] = mapped_column(Integer, default=3 * 24 * 60)
    break_every_minutes: Mapped[int | None] = mapped_column(Integer, default=50)
    late_grace_minutes: Mapped[int] = mapped_column(Integer, default=120)
    concern_daily_limit: Mapped[int] = mapped_column(Integer, default=3)
    minutes_due_minutes: Mapped[int] = mapped_column(Integer, default=2 * 24 * 60)
    #: Who to call in a crisis, in the group's words; None means the UK default.
    crisis_line: Mapped[str | None] = mapped_column(Text)
    #: Whether the bot calls each agenda item in the channel as the meeting goes (/meeting live).
    live_meeting: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: The group's ground rules, in its own words (/group rules).
    ground_rules: Mapped[str | None] = mapped_column(Text)
    #: What the group offers people for their time, in its own words (/group payment).
    payment_offer: Mapped[str | None] = mapped_column(Text)
    #: How often members are asked where the group stands on the ladder (0: never).
    ladder_every_months: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    #: How long check-in answers, delivery records and contribution details are kept.
    retention_days: Mapped[int] = mapped_column(Integer, default=730, server_default="730")
    created_at: Mapped[datetime] = mapped_column()
    #: When the delivery engine next has something to do for this group (never later than
    #: its look-ahead); None: plan the group again at the next wake-up (something changed).
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)
    #: When the engine last planned the group; None: not since this process started.
    planned_at: Mapped[datetime | None] = mapped_column()
    #: Counts the changes that asked for a new plan, so a plan made from older data is
    #: never stored over a newer request (see storage/repositories/plans.py).
    replans: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The Slack workspace (team id) whose channel this is, where one deployment serves
    #: several (OAuth); None on other platforms and with a single bot token.
    workspace: Mapped[str | None] = mapped_column(String(32), index=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )


class Person(Base):
    """Someone the bot has met on a platform. Holds no more than the platform gave us."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column()
    #: Another bot (it sent a bot's notice, or its platform says so): never a member.
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: When they asked to be forgotten (/forget me): the row stays only so the group's
    #: record reads "a former member"; its name and platform id are gone.
    forgotten_at: Mapped[datetime | None] = mapped_column()

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(Base):
    """A person's place in a group; facilitators run the group's settings."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    is_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column()

    group: Mapped[Group] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="joined")


class Preferences(Base):
    """How and when a person wants to hear from the bot."""

    __tablename__ = "preferences"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    reminders_via: Mapped[str] = mapped_column(String(10), default="dm")
    lead_minutes: Mapped[int | None] = mapped_column(Integer)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    pronouns: Mapped[str | None] = mapped_column(String(60))
    access_needs: Mapped[str | None] = mapped_column(Text)
    perspective: Mapped[str | None] = mapped_column(String(60))
    #: When the daily digest of non-urgent messages comes (None: each comes on its own).
    digest_at: Mapped[time | None] = mapped_column(Time)
    #: Charts come as pictures too (their words always come); False: words only.
    pictures: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class AwayPeriod(Base):
    """Dates someone is away: no reminders and no roles, first and last day included."""

    __tablename__ = "away_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class Departure(Base):
    """Someone left a group, or was taken out of it, while perhaps still in its channel.

    `person_key` is a keyed hash of their platform id (handlers/core/keyed.py), so it
    names nobody without the server's key: a restart's catch-up on a channel's members
    must not add them back. Saying something in the channel, or joining it again, does.
    """

    __tablename__ = "departures"
    __table_args__ = (UniqueConstraint("group_id", "person_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(64))
    left_on: Mapped[date] = mapped_column(Date)


class CalendarLink(Base):
    """A member's private calendar subscription to one group's meetings.

    Only a keyed hash of the link's random token is kept (handlers/core/keyed.py), so
    someone who reads the database can't rebuild a working link. One a member a group;
    stopping it, leaving the group or being forgotten deletes it.
    """

    __tablename__ = "calendar_links"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
