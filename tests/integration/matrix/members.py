"""People on Matrix for the bot's tests: real matrix-nio clients, optionally with E2E.

A Member syncs on demand, accepts the bot's invitations (its DMs), decrypts what
it can, and remembers every event it has seen, so a test asserts on exactly
what a person would read. Waiting is always a bounded loop of short syncs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    MegolmEvent,
    RedactionEvent,
    RoomCreateResponse,
    RoomSendResponse,
    SyncResponse,
)
from nio.store import SqliteStore

from tests.integration.matrix.homeserver import Homeserver, RegisteredUser

SYNC_FILTER = {"room": {"timeline": {"limit": 100}}, "presence": {"not_types": ["*"]}}
ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
DELIVERY = "org.alongside.delivery"


@dataclass(frozen=True)
class Seen:
    """One room event as this person's client showed it."""

    room_id: str
    event_id: str
    sender: str
    type: str
    content: dict[str, Any]
    encrypted: bool
    undecryptable: bool

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    @property
    def html(self) -> str:
        return str(self.content.get("formatted_body", ""))

    @property
    def kind(self) -> str | None:
        """The delivery kind (pack, daybefore, ...) when this is a scheduled delivery."""
        key = self.content.get(DELIVERY)
        return str(key).split(":")[0] if key else None


class Member:
    """A person with a real Matrix client (E2E when given a store folder)."""

    def __init__(
        self,
        server: Homeserver,
        user: RegisteredUser,
        bot_id: str,
        store_dir: Path | None = None,
    ) -> None:
        self.user = user
        self.user_id = user.user_id
        self.bot_id = bot_id
        self.encrypted = store_dir is not None
        if store_dir is not None:
            store_dir.mkdir(parents=True, exist_ok=True)
        store: dict[str, Any] = {"store": SqliteStore} if self.encrypted else {}
        config = AsyncClientConfig(
            encryption_enabled=self.encrypted,
            store_sync_tokens=False,
            max_timeouts=20,
            max_timeout_retry_wait_time=1,
            pickle_key="test-only-member-key",
            **store,
        )
        self.client = AsyncClient(
            server.base_url,
            user.user_id,
            device_id=user.device_id,
            store_path=str(store_dir) if store_dir else "",
            config=config,
        )
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.seen: list[Seen] = []
        self.redacted: set[str] = set()
        self.dm_rooms: set[str] = set()

    async def start(self) -> None:
        """Upload keys (E2E) and catch up once."""
        if self.encrypted and self.client.should_upload_keys:
            await self.client.keys_upload()
        await self.sync()

    async def close(self) -> None:
        await self.client.close()

    # -- reading -------------------------------------------------------------

    async def sync(self, wait_ms: int = 0) -> None:
        """One sync: accept the bot's invitations, note every event, keep keys flowing."""
        response = await self.client.sync(timeout=wait_ms, sync_filter=SYNC_FILTER)
        assert isinstance(response, SyncResponse), response
        for room_id, invited in response.rooms.invite.items():
            inviter = next(
                (
                    e.sender
                    for e in invited.invite_state
                    if isinstance(e, InviteMemberEvent)
                    and e.state_key == self.user_id
                    and e.membership == "invite"
                ),
                None,
            )
            if inviter == self.bot_id:
                joined = await self.client.join(room_id)
                assert isinstance(joined, JoinResponse), joined
                self.dm_rooms.add(room_id)
        for room_id, joined_room in response.rooms.join.items():
            for event in joined_room.timeline.events:
                self._note(room_id, event)
        if self.encrypted:
            await self._keys()

    def _note(self, room_id: str, event: Any) -> None:
        if isinstance(event, RedactionEvent):
            self.redacted.add(event.redacts)
            return
        source = event.source
        self.seen.append(
            Seen(
                room_id=room_id,
                event_id=event.event_id,
                sender=event.sender,
                type=str(source.get("type", "")),
                content=dict(source.get("content", {})),
                encrypted=bool(getattr(event, "decrypted", False)),
                undecryptable=isinstance(event, MegolmEvent),
            )
        )

    async def _keys(self) -> None:
        client = self.client
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()

    async def until(self, check: Callable[[], bool], what: str, seconds: float = 20) -> None:
        """Sync until `check()` holds; fail with `what` after `seconds`."""
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.user_id} waited {seconds:.0f} s for {what}; saw: "
                    + repr([(s.room_id[:8], s.body[:60]) for s in self.seen[-12:]])
                )
            await self.sync(wait_ms=300)

    def from_bot(self, room_id: str | None = None, dm: bool | None = None) -> list[Seen]:
        """What the bot sent, in one room, in DMs only (dm=True) or outside them (dm=False)."""
        return [
            s
            for s in self.seen
            if s.sender == self.bot_id
            and s.type == "m.room.message"
            and (room_id is None or s.room_id == room_id)
            and (dm is None or (s.room_id in self.dm_rooms) == dm)
        ]

    def bot_said(self, text: str, room_id: str | None = None, dm: bool | None = None) -> list[Seen]:
        return [s for s in self.from_bot(room_id, dm) if text in s.body]

    async def hears(
        self, text: str, room_id: str | None = None, dm: bool | None = None, count: int = 1
    ) -> Seen:
        """Wait for the bot to have said `text` `count` times (there or in a DM); the last one."""
        where = room_id or ("a DM" if dm else "any room")
        await self.until(
            lambda: len(self.bot_said(text, room_id, dm)) >= count,
            f"{text!r} x{count} in {where}",
        )
        return self.bot_said(text, room_id, dm)[-1]

    def kinds(self, room_id: str | None = None, dm: bool | None = None) -> list[str]:
        """The delivery kinds received, sorted (pack, daybefore, ...)."""
        return sorted(s.kind for s in self.from_bot(room_id, dm) if s.kind)

    def in_room(self, room_id: str, user_id: str) -> bool:
        """Whether this client's state shows user_id joined to room_id."""
        room = self.client.rooms.get(room_id)
        return bool(room and user_id in room.users and not room.users[user_id].invited)

    # -- acting --------------------------------------------------------------

    async def say(
        self, room_id: str, text: str, msgtype: str = "m.text", html: str | None = None
    ) -> str:
        """Send a message (with an HTML version, as clients send mention pills); its event id."""
        await self.until(lambda: room_id in self.client.rooms, "the room to sync")
        content = {"msgtype": msgtype, "body": text}
        if html is not None:
            content |= {"format": "org.matrix.custom.html", "formatted_body": html}
        sent = await self.client.room_send(
            room_id,
            "m.room.message",
            content,
            ignore_unverified_devices=True,
        )
        assert isinstance(sent, RoomSendResponse), sent
        return sent.event_id

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        """React to an event (m.reaction, an m.annotation with `key`); returns its id."""
        await self.until(lambda: room_id in self.client.rooms, "the room to sync")
        sent = await self.client.room_send(
            room_id,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}},
            ignore_unverified_devices=True,
        )
        assert isinstance(sent, RoomSendResponse), sent
        return sent.event_id

    async def send_raw(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        """Send an event exactly as given (no encryption by this client)."""
        sent = await self.client.room_send(room_id, event_type, content)
        assert isinstance(sent, RoomSendResponse), sent
        return sent.event_id

    async def create_room(
        self,
        name: str,
        invite: list[str],
        public: bool = False,
        power: dict[str, int] | None = None,
        encrypted: bool = False,
        direct: bool = False,
    ) -> str:
        """Create a room (optionally public, encrypted, a DM, or with power levels)."""
        from nio import RoomPreset, RoomVisibility

        override = {"users": dict(power)} if power else None  # room v12: creators are implied
        created = await self.client.room_create(
            name=None if direct else name,
            invite=invite,
            is_direct=direct,
            visibility=RoomVisibility.public if public else RoomVisibility.private,
            preset=RoomPreset.public_chat if public else RoomPreset.private_chat,
            initial_state=[ENCRYPTION] if encrypted else [],
            power_level_override=override,
        )
        assert isinstance(created, RoomCreateResponse), created
        if direct:
            self.dm_rooms.add(created.room_id)
        return created.room_id

    async def join(self, room_id: str) -> None:
        joined = await self.client.join(room_id)
        assert isinstance(joined, JoinResponse), joined


async def start_members(members: list[Member]) -> None:
    """Start several members at once."""
    await asyncio.gather(*(m.start() for m in members))
