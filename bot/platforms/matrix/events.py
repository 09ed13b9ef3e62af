"""What happens in rooms, turned into the app's `Incoming`: invites, joins, messages,
number reactions, and messages the bot cannot decrypt.

Each handled event is recorded with its replies in the same step, while the
outbox sends them, so an event handled again after a crash answers nothing
twice (a reply sent just before a crash goes again with the same transaction
id, which the homeserver drops). A command's work is saved with the event's
receipt, so an event handled again never does its work twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import structlog
from nio import (
    InviteMemberEvent,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    Response,
    RoomMemberEvent,
    RoomMessageNotice,
    RoomMessageText,
)

from bot.app import App
from bot.platforms.effects import Wake, forgotten, new_groups, no_wake, wake_if_changed
from bot.platforms.matrix.calls import MatrixRefused
from bot.platforms.matrix.choices import Choices, reaction_number
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.dms import DirectRooms, only
from bot.platforms.matrix.mentions import pills_as_ids
from bot.platforms.matrix.outbox import Outbox
from bot.platforms.matrix.store import PLATFORM, MatrixStore, Pending, Redaction
from handlers.core.messages import Address, Addressed, message
from handlers.core.router import Incoming, Result

log = structlog.get_logger(__name__)

#: The longest the next sync waits for the replies of the batch before it to be tried.
REPLIES_FIRST = 2.0

UNDECRYPTABLE = message(
    "I couldn't read your message because it was encrypted with keys I don't have. "
    "Please send it again.",
    summary="I couldn't read your message",
)


class Events:
    """Handles each event of a sync batch once."""

    def __init__(
        self,
        app: App,
        conn: Connection,
        store: MatrixStore,
        dms: DirectRooms,
        choices: Choices,
        outbox: Outbox,
    ) -> None:
        self.app = app
        self.conn = conn
        self.store = store
        self.dms = dms
        self.choices = choices
        self.outbox = outbox
        #: Wakes the delivery engine after a command that changed the schedule.
        self.wake: Wake = no_wake
        #: Told of every command's result (the pinned summaries look again).
        self.after: Callable[[Result], None] = lambda result: None

    def _may_invite(self, user_id: str) -> bool:
        server = user_id.partition(":")[2]
        allowed_users = self.conn.settings.allowed_inviters
        allowed_servers = self.conn.settings.allowed_servers
        if not allowed_users and not allowed_servers:
            return server == self.conn.user_id.partition(":")[2]
        return user_id in allowed_users or server in allowed_servers

    async def replies_tried(self) -> None:
        """Until the replies to the batch just handled have been tried (at most a few
        seconds). The sync loop waits for this before its next long poll, so the
        homeserver is not serving that poll while it takes our replies (as with a bare
        bot, which answers inside its sync)."""
        await self.outbox.tried(REPLIES_FIRST)

    async def on_invite(self, room_id: str, state: Iterable[Any]) -> None:
        """Join a room someone allowed invited the bot to (decline anyone else's)."""
        client = self.conn.live()
        call = self.conn.requests.call
        invite = next(
            (
                e
                for e in state
                if isinstance(e, InviteMemberEvent)
                and e.state_key == self.conn.user_id
                and e.membership == "invite"
            ),
            None,
        )
        if invite is None:
            return
        if not self._may_invite(invite.sender):
            log.info("matrix.invite_declined")
            with contextlib.suppress(MatrixRefused):
                await call("decline invite", lambda: client.room_leave(room_id), Response)
            return
        try:
            await call("join", lambda: client.join(room_id), Response)
        except MatrixRefused as error:
            log.info("matrix.join_refused", errcode=error.errcode)
            return
        if invite.content.get("is_direct"):
            await self.store.remember_direct(room_id, invite.sender)
        log.info("matrix.joined", direct=bool(invite.content.get("is_direct")))

    async def on_event(self, room: MatrixRoom, event: Any) -> None:
        """Handle one timeline event (the bot's own are skipped)."""
        if getattr(event, "sender", None) == self.conn.user_id:
            return
        if isinstance(event, RoomMemberEvent):
            await self._on_membership(room, event)
        elif isinstance(event, RoomMessageNotice):  # what bots send: this one is a bot
            await self.app.router.not_a_person(PLATFORM, event.sender)
        elif isinstance(event, RoomMessageText):
            content = event.source.get("content", {})
            if not _is_edit(content):
                await self._on_text(room, event, content)
        elif isinstance(event, ReactionEvent):
            await self._on_reaction(room, event)
        elif isinstance(event, MegolmEvent):
            await self._on_undecryptable(room, event)

    async def _on_membership(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        """Joining a group's room makes someone a member (never a bot); leaving it ends that,
        with a kind goodbye."""
        user = event.state_key
        if event.membership == "join" and event.prev_membership != "join":
            name = room.user_name(user) or _localpart(user)
            await self.app.router.join(
                PLATFORM,
                room.room_id,
                user,
                name,
                self.app.clock.now(),
                is_bot=looks_like_bot(user),
            )
        elif event.membership in ("leave", "ban") and event.prev_membership == "join":
            if await self.store.handled(event.event_id):
                return
            result = await self.app.router.leave(PLATFORM, room.room_id, user)
            await self.store.record(event.event_id, result.sent, None)
            self.outbox.wake()

    async def _on_text(
        self, room: MatrixRoom, event: RoomMessageText, content: dict[str, Any]
    ) -> None:
        sender = event.sender
        seen = await self.store.seen(event.event_id, room.room_id, sender)
        if seen.handled:
            self.conn.stats.replayed += 1
            return
        text = pills_as_ids(event.body, content.get("formatted_body"))
        if "m.in_reply_to" in (content.get("m.relates_to") or {}):
            text = strip_reply_fallback(text)
        is_dm = seen.room_of == sender and only(room, self.conn.user_id, sender)
        group_id = answered = None
        if is_dm:
            if seen.sender_room != room.room_id or not seen.used_today:
                await self.store.remember_direct(room.room_id, sender)
            chosen = await self.choices.by_number(sender, text)
            if chosen is not None:
                text, group_id, answered = chosen.command, chosen.group_id, chosen.used
        incoming = Incoming(
            platform=PLATFORM,
            user_id=sender,
            display_name=room.user_name(sender) or _localpart(sender),
            text=text,
            channel=None if is_dm else room.room_id,
            group_id=group_id,
            receipt=f"matrix:{event.event_id}",
        )
        dm_room = room.room_id if is_dm else seen.sender_room
        await self._answer(room, event.event_id, incoming, answered, dm_room)

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        """A number reaction on one of the bot's messages chooses that option."""
        number = reaction_number(event.key)
        if number is None:
            return
        if await self.store.handled(event.event_id):
            self.conn.stats.replayed += 1
            return
        chosen = await self.choices.by_reaction(room.room_id, event.sender, event.reacts_to, number)
        if chosen is None:
            return
        incoming = Incoming(
            platform=PLATFORM,
            user_id=event.sender,
            display_name=room.user_name(event.sender) or _localpart(event.sender),
            text=chosen.command,
            channel=None,
            group_id=chosen.group_id,
            receipt=f"matrix:{event.event_id}",
        )
        is_dm = await self.dms.is_dm(room, event.sender)
        await self._answer(
            room, event.event_id, incoming, chosen.used, room.room_id if is_dm else None
        )

    async def _answer(
        self,
        room: MatrixRoom,
        event_id: str,
        incoming: Incoming,
        used: str | None,
        dm_room: str | None,
    ) -> None:
        """Handle what someone said (or chose from the options of message `used`), then
        record the event with its replies while the outbox sends them (replies to the
        writer go to `dm_room`, their direct room, while only the two of us are in it);
        then act on what the command reports it did."""
        result = await self.app.handle(incoming)
        in_room = incoming.channel is not None
        redact = (
            Redaction(room.room_id, event_id, incoming.user_id)
            if result.remove_original and in_room
            else None
        )
        dm = (dm_room, incoming.user_id) if dm_room is not None else None
        forget = tuple(forgotten(result))
        # The outbox is woken first, so its send is on the wire before the recording
        # starts (both wait their turn on the event loop, in the order they were woken).
        recorded: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.outbox.send(Pending(event_id, result.sent, 0, redact, dm, forget), recorded)
        recording = asyncio.ensure_future(
            self.store.record(event_id, result.sent, redact, used, dm, forget)
        )
        recording.add_done_callback(partial(_pass_on, recorded))
        await recording
        self.conn.stats.handled += 1
        if room.room_id in new_groups(result):
            await self._join_everyone(room)
        wake_if_changed(result, self.wake)
        self.after(result)

    async def _join_everyone(self, room: MatrixRoom) -> None:
        """A room just became a group: everyone already in it is a member."""
        now = self.app.clock.now()
        for user_id, user in list(room.users.items()):
            if user_id != self.conn.user_id and not user.invited:
                name = room.user_name(user_id) or _localpart(user_id)
                await self.app.router.join(
                    PLATFORM, room.room_id, user_id, name, now, is_bot=looks_like_bot(user_id)
                )

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if await self.store.handled(event.event_id):
            return
        log.info("matrix.undecryptable")
        is_dm = await self.dms.is_dm(room, event.sender)
        reply = Addressed(UNDECRYPTABLE, Address(None if is_dm else room.room_id, event.sender))
        await self.store.record(event.event_id, [reply], None)
        self.outbox.wake()


_BOT_NAME = re.compile(r"(?:^|[-_.=])bot(?:$|[-_.=\d])", re.IGNORECASE)


def _pass_on(target: asyncio.Future[bool], source: asyncio.Future[bool]) -> None:
    """Give `target` the outcome of `source` (the recording, to the outbox waiting on it)."""
    if source.cancelled():
        target.cancel()
    elif (error := source.exception()) is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())


def looks_like_bot(user_id: str) -> bool:
    """'@reminder-bot:server', '@bot.github:server': named as a bot, so never a member."""
    return bool(_BOT_NAME.search(_localpart(user_id)))


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted '> <@who> ...' lines clients put in front of a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    rest = list(lines)
    while rest and rest[0].startswith(">"):
        rest.pop(0)
    if rest and not rest[0].strip():
        rest.pop(0)
    return "\n".join(rest)


def _is_edit(content: dict[str, Any]) -> bool:
    return (content.get("m.relates_to") or {}).get("rel_type") == "m.replace"


def _localpart(user_id: str) -> str:
    return user_id.removeprefix("@").partition(":")[0]
