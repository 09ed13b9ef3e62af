"""What the Matrix platform keeps in the bot's database.

- the sync position, saved only after a batch of events has been handled;
- each person's direct room with the bot (the day it was last used, no time);
- the events already handled (by day, no time of day), with their replies until
  those are sent, so a batch handled again after a crash answers nothing twice
  and loses no reply;
- the numbered options of each message the bot sent, by its event id, so a
  number or a reaction chooses one later, after a restart too. The person they
  were for is kept only as a keyed hash (`person` below is that hash).

When someone is forgotten, their direct rooms and the options shown to them go
too, once the last replies to them are sent (`forget_person`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.messages import Address, Addressed, Option, from_json, to_json
from scheduler.clock import Clock
from storage.claims import commit_once
from storage.models import (
    ChoiceMessage,
    DirectChannel,
    Group,
    InboxEvent,
    Membership,
    Person,
    PlatformState,
)
from storage.repositories import Receipts

PLATFORM = "matrix"
SYNC_TOKEN = "sync_token"
SYNC_DEVICE = "sync_device"


def _seen_query() -> Select[Any]:
    """What `MatrixStore.seen` reads, built once (building it for each event costs more
    than running it): whether the event was handled, whose direct room the room is, and
    the sender's current direct room with when it was last used."""
    handled = select(InboxEvent.id).where(
        InboxEvent.platform == PLATFORM, InboxEvent.event_ref == bindparam("event_id")
    )
    owner = select(DirectChannel.user_ref).where(
        DirectChannel.platform == PLATFORM, DirectChannel.channel_ref == bindparam("room_id")
    )
    current = (
        select(DirectChannel.channel_ref, DirectChannel.last_used_at)
        .where(DirectChannel.platform == PLATFORM, DirectChannel.user_ref == bindparam("sender"))
        .order_by(DirectChannel.last_used_at.desc(), DirectChannel.id.desc())
        .limit(1)
        .subquery()
    )
    return select(
        handled.exists(),
        owner.scalar_subquery(),
        select(current.c.channel_ref).scalar_subquery(),
        select(current.c.last_used_at).scalar_subquery(),
    )


_SEEN = _seen_query()


@dataclass(frozen=True)
class Sent:
    """The options of one message the bot sent; `person` None: a group room's message."""

    event_id: str
    person: str | None
    options: list[Option]


@dataclass(frozen=True)
class Redaction:
    """Words said in a room that must not stay there, and who wrote them (None: not known,
    from a row kept before the writer was)."""

    room_id: str
    event_id: str
    writer: str | None = None


@dataclass(frozen=True)
class Seen:
    """What the store knows about a new event, read in one statement before handling it."""

    #: It was handled already (its replies may still be on their way).
    handled: bool
    #: Whose direct room the event's room is, if it is one.
    room_of: str | None
    #: The sender's current direct room, and whether it was last used today.
    sender_room: str | None
    used_today: bool


@dataclass(frozen=True)
class Pending:
    """A handled event whose replies are not all sent yet."""

    event_id: str
    replies: list[Addressed]
    sent: int
    redact: Redaction | None
    #: The writer's direct room (the one the event came from, or their current one) and
    #: who wrote it: replies to them go there while only the two of us are in it.
    dm: tuple[str, str] | None = None
    #: People the command forgot: once its replies are sent, nothing ties them to the bot.
    forget: tuple[str, ...] = ()


class MatrixStore:
    """The platform's rows, read and written in short transactions of their own."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock

    # -- sync position -----------------------------------------------------

    async def sync_token(self) -> str | None:
        """Where the last fully handled sync batch ended; None on the very first start."""
        async with self.sessions() as session:
            row = await session.get(PlatformState, (PLATFORM, SYNC_TOKEN))
            return row.value if row else None

    async def save_sync_token(self, token: str) -> None:
        """Remember where to continue from (call only once the batch is handled)."""
        async with self.sessions() as session:
            row = await session.get(PlatformState, (PLATFORM, SYNC_TOKEN))
            if row is None:
                session.add(PlatformState(platform=PLATFORM, name=SYNC_TOKEN, value=token))
            else:
                row.value = token
            await session.commit()

    async def sync_device(self) -> str | None:
        """The device that syncs from the stored position (None: not noted yet)."""
        async with self.sessions() as session:
            row = await session.get(PlatformState, (PLATFORM, SYNC_DEVICE))
            return row.value if row else None

    async def save_sync_device(self, device_id: str) -> None:
        """Note the device that syncs from here on."""
        async with self.sessions() as session:
            row = await session.get(PlatformState, (PLATFORM, SYNC_DEVICE))
            if row is None:
                session.add(PlatformState(platform=PLATFORM, name=SYNC_DEVICE, value=device_id))
            else:
                row.value = device_id
            await session.commit()

    # -- direct rooms ------------------------------------------------------

    async def direct_room(self, user_id: str) -> str | None:
        """The person's direct room with the bot, the one used last."""
        async with self.sessions() as session:
            return await session.scalar(
                select(DirectChannel.channel_ref)
                .where(DirectChannel.platform == PLATFORM, DirectChannel.user_ref == user_id)
                .order_by(DirectChannel.last_used_at.desc(), DirectChannel.id.desc())
                .limit(1)
            )

    async def direct_user(self, room_id: str) -> str | None:
        """Whose direct room this is, if it is one."""
        async with self.sessions() as session:
            return await session.scalar(
                select(DirectChannel.user_ref).where(
                    DirectChannel.platform == PLATFORM, DirectChannel.channel_ref == room_id
                )
            )

    async def remember_direct(self, room_id: str, user_id: str) -> None:
        """Record (or touch) a direct room, making it the person's current one.

        Only the day is kept (no time of day that could match a message to them), and
        the person's other direct rooms are moved back a day, so this one is current.
        """
        today = _day(self.clock.now())
        async with self.sessions() as session:
            await session.execute(
                update(DirectChannel)
                .where(
                    DirectChannel.platform == PLATFORM,
                    DirectChannel.user_ref == user_id,
                    DirectChannel.channel_ref != room_id,
                    DirectChannel.last_used_at >= today,
                )
                .values(last_used_at=today - timedelta(days=1))
            )
            changed = await session.execute(
                update(DirectChannel)
                .where(DirectChannel.platform == PLATFORM, DirectChannel.channel_ref == room_id)
                .values(user_ref=user_id, last_used_at=today)
            )
            if not getattr(changed, "rowcount", 0):
                session.add(
                    DirectChannel(
                        platform=PLATFORM, channel_ref=room_id, user_ref=user_id, last_used_at=today
                    )
                )
            await commit_once(session)

    async def forget_direct(self, room_id: str) -> None:
        """The bot can no longer use this room (it was removed from it)."""
        async with self.sessions() as session:
            await session.execute(
                delete(DirectChannel).where(
                    DirectChannel.platform == PLATFORM, DirectChannel.channel_ref == room_id
                )
            )
            await session.commit()

    async def forget_person(self, user_id: str, person: str) -> None:
        """Someone was forgotten: drop their direct rooms and the options shown to them
        (`person`: how the options table knows them, a keyed hash)."""
        async with self.sessions() as session:
            await session.execute(
                delete(DirectChannel).where(
                    DirectChannel.platform == PLATFORM, DirectChannel.user_ref == user_id
                )
            )
            await session.execute(
                delete(ChoiceMessage).where(
                    ChoiceMessage.platform == PLATFORM, ChoiceMessage.user_hash == person
                )
            )
            await session.commit()

    # -- handled events ----------------------------------------------------

    async def seen(self, event_id: str, room_id: str, sender: str) -> Seen:
        """Whether the event was handled, whose direct room its room is, and the sender's
        current direct room: everything handling it needs to know first, in one read."""
        values = {"event_id": event_id, "room_id": room_id, "sender": sender}
        async with self.sessions() as session:
            row = (await session.execute(_SEEN, values)).one()
        last_used: datetime | None = row[3]
        today = last_used is not None and last_used >= _day(self.clock.now())
        return Seen(bool(row[0]), row[1], row[2], today)

    async def handled(self, event_id: str) -> bool:
        """Whether this event was handled already (its replies may still be on their way)."""
        async with self.sessions() as session:
            found = await session.scalar(
                select(InboxEvent.id).where(
                    InboxEvent.platform == PLATFORM, InboxEvent.event_ref == event_id
                )
            )
            return found is not None

    async def record(
        self,
        event_id: str,
        replies: list[Addressed],
        redact: Redaction | None,
        used_options: str | None = None,
        dm: tuple[str, str] | None = None,
        forget: tuple[str, ...] = (),
    ) -> bool:
        """Mark the event handled, keeping its replies until they are sent. False if it was.

        `used_options`: the message whose options the event chose from; in the same
        transaction a bare number stops answering them, so a replay can't choose twice.
        `dm`: the direct room the event came from, and its writer. `forget`: people the
        command forgot (see `Pending`).
        """
        pending = bool(replies) or redact is not None or bool(forget)
        item = Pending(event_id, replies, 0, redact, dm, forget)
        payload = _payload(item, 0) if pending else None
        async with self.sessions() as session:
            if used_options is not None:
                await session.execute(
                    update(ChoiceMessage)
                    .where(
                        ChoiceMessage.platform == PLATFORM, ChoiceMessage.event_ref == used_options
                    )
                    .values(latest=False)
                )
            session.add(
                InboxEvent(
                    platform=PLATFORM,
                    event_ref=event_id,
                    status="replying" if pending else "done",
                    payload=payload,
                    handled_at=_day(self.clock.now()),
                )
            )
            return await commit_once(session)

    async def pending(self) -> list[Pending]:
        """Handled events whose replies are still to be sent, oldest first."""
        async with self.sessions() as session:
            rows = (
                await session.scalars(
                    select(InboxEvent)
                    .where(InboxEvent.platform == PLATFORM, InboxEvent.status == "replying")
                    .order_by(InboxEvent.id)
                )
            ).all()
        found: list[Pending] = []
        for row in rows:
            data: dict[str, Any] = json.loads(row.payload or "{}")
            replies = [
                Addressed(from_json(r["message"]), Address(r["channel"], r["user"]))
                for r in data.get("replies", [])
            ]
            redact, dm = data.get("redact"), data.get("dm")
            found.append(
                Pending(
                    row.event_ref,
                    replies,
                    int(data.get("sent", 0)),
                    Redaction(*redact) if redact else None,
                    (dm[0], dm[1]) if dm else None,
                    tuple(data.get("forget", ())),
                )
            )
        return found

    async def progress(self, item: Pending, sent: int) -> None:
        """`sent` of the event's replies have gone out."""
        await self._set(item.event_id, "replying", _payload(item, sent))

    async def done(self, event_id: str) -> None:
        """Every reply went out: forget them."""
        await self._set(event_id, "done", None)

    async def prune(self, before: datetime) -> None:
        """Forget handled events from before `before` (a replay only ever repeats one batch)."""
        async with self.sessions() as session:
            await session.execute(
                delete(InboxEvent).where(
                    InboxEvent.platform == PLATFORM,
                    InboxEvent.status == "done",
                    InboxEvent.handled_at < before,
                )
            )
            await Receipts(session).prune(before)
            await session.commit()

    # -- options of sent messages -----------------------------------------

    async def remember_options(
        self, event_id: str, person: str | None, options: list[Option]
    ) -> None:
        """A message with options was sent (to `person`'s DM, or to a group room):
        for that person it is now the latest, and nothing older is."""
        async with self.sessions() as session:
            if person is not None:
                await _not_latest(session, person)
            session.add(
                ChoiceMessage(
                    platform=PLATFORM,
                    event_ref=event_id,
                    user_hash=person,
                    options=json.dumps([asdict(o) for o in options]),
                    latest=person is not None,
                    day=self.clock.now().date(),
                )
            )
            await commit_once(session)

    async def no_latest_options(self, person: str) -> None:
        """Newer options that are not kept were shown: a bare number answers nothing here."""
        async with self.sessions() as session:
            await _not_latest(session, person)
            await session.commit()

    async def latest_options(self, person: str) -> Sent | None:
        """The newest options shown to this person, if no number has answered them yet."""
        async with self.sessions() as session:
            row = await session.scalar(
                select(ChoiceMessage)
                .where(
                    ChoiceMessage.platform == PLATFORM,
                    ChoiceMessage.user_hash == person,
                    ChoiceMessage.latest.is_(True),
                )
                .order_by(ChoiceMessage.id.desc())
                .limit(1)
            )
            return _sent(row) if row else None

    async def options_of(self, event_id: str) -> Sent | None:
        """The options of one message the bot sent, if it had any (and they are kept)."""
        async with self.sessions() as session:
            row = await session.scalar(
                select(ChoiceMessage).where(
                    ChoiceMessage.platform == PLATFORM, ChoiceMessage.event_ref == event_id
                )
            )
            return _sent(row) if row else None

    async def group_of_member(self, room_id: str, user_id: str) -> int | None:
        """The group whose room this is, if this person is one of its members."""
        async with self.sessions() as session:
            return await session.scalar(
                select(Group.id)
                .join(Membership, Membership.group_id == Group.id)
                .join(Person, Person.id == Membership.person_id)
                .where(
                    Group.platform == PLATFORM,
                    Group.channel_ref == room_id,
                    Person.platform == PLATFORM,
                    Person.external_id == user_id,
                )
            )

    async def prune_options(self, before: datetime) -> None:
        """Forget the options of messages sent before the day of `before`."""
        async with self.sessions() as session:
            await session.execute(
                delete(ChoiceMessage).where(
                    ChoiceMessage.platform == PLATFORM, ChoiceMessage.day < before.date()
                )
            )
            await session.commit()

    async def _set(self, event_id: str, status: str, payload: str | None) -> None:
        async with self.sessions() as session:
            await session.execute(
                update(InboxEvent)
                .where(InboxEvent.platform == PLATFORM, InboxEvent.event_ref == event_id)
                .values(status=status, payload=payload)
            )
            await session.commit()


def _day(now: datetime) -> datetime:
    """The start of the (UTC) day: rows keep no time of day that could match a person's
    message (a concern's writing time, say) to them; the day is enough for pruning."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _payload(item: Pending, sent: int) -> str:
    redact = item.redact
    return json.dumps(
        {
            "replies": [
                {
                    "message": to_json(r.message),
                    "channel": r.address.channel,
                    "user": r.address.user,
                }
                for r in item.replies
            ],
            "sent": sent,
            "redact": [redact.room_id, redact.event_id, redact.writer] if redact else None,
            "dm": list(item.dm) if item.dm else None,
            "forget": list(item.forget),
        }
    )


async def _not_latest(session: AsyncSession, person: str) -> None:
    await session.execute(
        update(ChoiceMessage)
        .where(
            ChoiceMessage.platform == PLATFORM,
            ChoiceMessage.user_hash == person,
            ChoiceMessage.latest.is_(True),
        )
        .values(latest=False)
    )


def _sent(row: ChoiceMessage) -> Sent:
    return Sent(row.event_ref, row.user_hash, [Option(**o) for o in json.loads(row.options)])
