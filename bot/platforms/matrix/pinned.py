"""Each group room's pinned summary: next meeting, agenda and roles (handlers/home/summary.py).

Posted once, pinned (`m.room.pinned_events`, keeping whatever else is pinned), then
edited in place (`m.replace` with `m.new_content`) whenever it changes: after a
command changes something in the group, for every group after a scheduled message goes out
(a pack gives out roles, a meeting ends) or someone is forgotten (their name may be
there), and once at start (a change made while the bot was away, or a crash
between a change and its edit). It is never posted again; a
summary that would read the same is not edited. Its event id is kept per group
(`pinned_summaries`). A group with no meeting planned gets no summary yet.

Pinning needs power in the room (moderator, by default). If the bot has none, the
summary is still posted and kept up to date, and the facilitators are told once, in a
direct message, how to give it that power (or to pin the message themselves).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import structlog
from nio import RoomGetStateEventResponse, RoomPutStateResponse, RoomSendResponse

from bot.app import App
from bot.platforms.effects import changed_groups, forgotten
from bot.platforms.matrix.calls import MatrixRefused
from bot.platforms.matrix.connection import Connection
from bot.platforms.matrix.render import REPLY_FIELD, render
from bot.platforms.matrix.sending import Sending, transaction_id
from bot.platforms.matrix.store import PLATFORM
from handlers.core.effects import GroupCreated
from handlers.core.messages import Address, Addressed, message
from handlers.core.occurrences import upcoming
from handlers.core.router import Result
from handlers.home.summary import group_summary
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

PINS = "m.room.pinned_events"
SETTLE = 0.3
NO_POWER = message(
    "I've posted a summary of the group's next meeting in the room, and I keep it up to date. "
    "I couldn't pin it, because I don't have the power to pin messages there.",
    "To fix this, a room admin can make me a Moderator in the room's settings. "
    "Or you can pin the summary yourself. You can also leave it as it is.",
    summary="I couldn't pin the group's summary",
)


def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class PinnedSummaries:
    """Keeps each group room's pinned summary up to date, one group at a time."""

    def __init__(self, app: App, conn: Connection, sending: Sending) -> None:
        self.app = app
        self.conn = conn
        self.sending = sending
        self._waiting: dict[int, None] = {}
        self._everyone = True  # at start: every group, for changes made while away
        self._wake = asyncio.Event()
        #: Seconds to wait after a change before editing, so several changes make one edit.
        self.settle = SETTLE
        #: Set while no summary is being posted or edited.
        self.idle = asyncio.Event()
        self.idle.set()

    def after(self, result: Result) -> None:
        """A command was handled: look again at the summaries of the groups it changed."""
        created = [e.group_id for e in result.effects if isinstance(e, GroupCreated)]
        for group_id in [*changed_groups(result), *created]:
            self._waiting[group_id] = None
        if forgotten(result):  # their name may be in any summary (as a role's holder)
            self._everyone = True
        if self._waiting or self._everyone:
            self._wake.set()

    def delivered(self, item: Addressed) -> None:
        """A scheduled message went out (a pack gives out roles; a meeting ends): look again
        at every summary (only those that now read differently are edited)."""
        self._everyone = True
        self._wake.set()

    async def run_forever(self) -> None:
        """Bring every group's summary up to date, then each one that changes, as it does."""
        await self.conn.first_sync.wait()
        failures = 0
        while not self.conn.stopping:
            await asyncio.sleep(self.settle)  # replies go first; quick changes share one edit
            self._wake.clear()
            if self._everyone:
                try:
                    await self._all_groups()
                except Exception as error:  # the database is busy: the next wake tries again
                    log.warning("matrix.summary_retry", error=type(error).__name__)
            while self._waiting:
                group_id = next(iter(self._waiting))
                self.idle.clear()
                try:
                    await self.refresh(group_id)
                    del self._waiting[group_id]
                    failures = 0
                except MatrixRefused as error:  # it will never work: don't try again
                    del self._waiting[group_id]
                    log.warning("matrix.summary_refused", errcode=error.errcode)
                except Exception as error:  # the homeserver is away: try again shortly
                    failures += 1
                    log.warning("matrix.summary_retry", error=type(error).__name__)
                    tuning = self.conn.tuning
                    self.idle.set()
                    await asyncio.sleep(min(tuning.backoff * 2**failures, tuning.backoff_cap))
                finally:
                    self.idle.set()
            await self._wake.wait()

    async def _all_groups(self) -> None:
        async with UnitOfWork(self.app.db.sessions) as uow:
            for group in await uow.groups.all():
                if group.platform == PLATFORM:
                    self._waiting.setdefault(group.id, None)
        self._everyone = False

    async def refresh(self, group_id: int) -> None:
        """Post, pin or edit one group's summary so it shows the group as it is now."""
        async with UnitOfWork(self.app.db.sessions) as uow:
            group = await uow.groups.get(group_id)
            if group is None or group.platform != PLATFORM:
                return
            room_id = group.channel_ref
            row = await uow.pinned.of_group(group_id)
            now = self.app.clock.now()
            if row is None and not await upcoming(uow, group, now, limit=1):
                return  # nothing worth pinning yet
            content = render(await group_summary(uow, group, now), in_room=True).content
            digest = _digest(content)
            if row is not None and row.digest == digest:
                return
            if row is None:
                event_id = await self._send(room_id, content, f"{room_id}:{group_id}")
                row = await uow.pinned.posted(group_id, event_id, digest)
                await uow.commit()
                pinned = await self._pin(room_id, event_id)
                if not pinned and not row.told_no_power:
                    await self._tell_facilitators(uow, group_id)
                    row.told_no_power = True
            else:
                await self._edit(room_id, row.event_id, content, row.edits + 1)
                row.digest, row.edits = digest, row.edits + 1
            await uow.commit()
        log.info("matrix.summary_updated", group=group_id)

    async def _send(self, room_id: str, content: dict[str, Any], key: str) -> str:
        client = self.conn.live()
        await self.conn.wait_for_room(room_id, None)
        txn = transaction_id("summary", key)
        async with self.conn.send_lock:
            sent = await self.conn.requests.call(
                "summary",
                lambda: client.room_send(
                    room_id, "m.room.message", content, tx_id=txn, ignore_unverified_devices=True
                ),
                RoomSendResponse,
            )
        return str(sent.event_id)

    async def _edit(
        self, room_id: str, event_id: str, content: dict[str, Any], number: int
    ) -> None:
        """Replace the summary's words in place (clients show the new ones, marked edited).
        The edit's number makes its transaction id: sent again after a crash, it is dropped
        as a repeat; a later edit back to earlier words is still a new edit."""
        edit = {
            "msgtype": content["msgtype"],
            "body": "* " + content["body"],
            "m.mentions": {},
            "m.new_content": content,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        await self._send(room_id, edit, f"{event_id}:{number}")

    async def _pin(self, room_id: str, event_id: str) -> bool:
        """Pin the summary first, keeping what else is pinned; False if the bot may not."""
        client = self.conn.live()
        pinned: list[str] = []
        try:
            found = await self.conn.requests.call(
                "pins",
                lambda: client.room_get_state_event(room_id, PINS),
                RoomGetStateEventResponse,
            )
            pinned = [str(e) for e in found.content.get("pinned", []) if e != event_id]
        except MatrixRefused:  # nothing pinned yet
            pass
        try:
            await self.conn.requests.call(
                "pin",
                lambda: client.room_put_state(room_id, PINS, {"pinned": [event_id, *pinned]}),
                RoomPutStateResponse,
            )
        except MatrixRefused as error:
            log.info("matrix.pin_refused", errcode=error.errcode)
            return False
        return True

    async def _tell_facilitators(self, uow: UnitOfWork, group_id: int) -> None:
        for m in await uow.groups.members(group_id):
            if not m.is_facilitator or m.person.platform != PLATFORM:
                continue
            txn = transaction_id("no-power", f"{group_id}:{m.person.external_id}")
            note = Addressed(NO_POWER, Address(user=m.person.external_id))
            try:
                await self.sending.send_item(note, {REPLY_FIELD: txn}, txn)
            except MatrixRefused as error:
                log.warning("matrix.reply_refused", errcode=error.errcode)
