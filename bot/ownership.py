"""One owner at a time for a platform that must run in one instance only (Matrix's sync).

Slack pushes each request to one instance, but a Matrix bot pulls its events
with /sync: two instances syncing would both answer every command. So on a
shared PostgreSQL database only one instance at a time runs the Matrix
platform (the sync owner); the others stand by, with no client and the
end-to-end store left closed, and one of them takes over when the owner ends.

The owner is the delivery leader (bot/leadership.py): one advisory lock for
both, not a second one. The Matrix delivery engine sends through the syncing
client (nio must have synced a room to encrypt for its members), and only one
process at a time may use the bot's device and its end-to-end keys; with two
locks the deliveries could land on an instance with no live client.

`Ownership` wraps the platform's service. It starts the platform when this
instance takes the lead, after `grace` seconds (the leader's check interval:
an old owner whose database connection was cut notices at its next check and
stops, so the two don't sync at once), and stops it when the lead is lost.
Each term starts as a restart would: the platform logs in again from the saved
session (the same device), loads the end-to-end store afresh and carries on
from the stored sync position. Handled events are recorded in the database,
so an event the old owner answered is not answered again, one it received but
had not answered is answered once, and its recorded replies still to be sent
go out (with the same transaction ids, which the homeserver drops if they
already arrived). As after a restart, a kill in the moment between a command's
own commit and its record hands the event over again, but its work is not done
twice: the command saved the event's receipt with its work (handlers/core/router.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import structlog

from bot.platforms.effects import Wake, no_wake
from scheduler.delivery import DeliveryEngine

if TYPE_CHECKING:
    from bot.runtime import Service

log = structlog.get_logger(__name__)


class Ownership:
    """Runs `service` only while `leads()`; is itself a service for the runtime.

    `turned()` is to be called whenever the lead changes hands; `serving()` says
    whether the platform is up here now (the delivery engine sends only then);
    `on_serving` is called each time it has come up (to deliver what is due).
    """

    def __init__(self, service: Service, leads: Callable[[], bool], grace: float) -> None:
        self.service = service
        self.leads = leads
        self.grace = grace
        self.on_serving: Callable[[], None] = lambda: None
        self._wake: Wake = no_wake
        self._turned = asyncio.Event()
        self._started = False
        self._running = False
        self._task: asyncio.Task[None] | None = None

    @property
    def engine(self) -> DeliveryEngine:
        """The delivery engine sending through the platform."""
        return self.service.engine

    def turned(self, _leading: bool = True) -> None:
        """The lead changed hands: start or stop the platform to match."""
        self._turned.set()

    def serving(self) -> bool:
        """Whether the platform runs here now (this instance owns it)."""
        return self._running and self.leads()

    async def start(self, wake: Wake) -> None:
        """Stand by: the platform starts when this instance takes the lead."""
        self._wake = wake
        log.info("ownership.standing_by")
        self._turned.set()  # look once now, in case the lead is already ours
        self._task = asyncio.ensure_future(self._follow())

    async def wait(self) -> None:
        """Until the platform stops by itself while owned (raising its error)."""
        assert self._task is not None
        await asyncio.shield(self._task)

    async def stop(self) -> None:
        """Stop following the lead and stop the platform if it runs here."""
        if self._task is not None:
            self._task.cancel()
            # a platform that died raised its error through wait() already
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self._end_term()

    async def _follow(self) -> None:
        while True:
            if self._running:
                ended = await self._until_turned_or_ended()
                if ended:
                    return
            else:
                await self._turned.wait()
            self._turned.clear()
            if self.leads() and not self._running:
                await asyncio.sleep(self.grace)  # an old owner cut off notices and stops
                if self.leads():
                    await self._begin_term()
            elif not self.leads() and self._running:
                await self._end_term()

    async def _until_turned_or_ended(self) -> bool:
        """Wait for the lead to change hands (False) or the platform to stop by itself
        (True; its error is raised)."""
        ended = asyncio.ensure_future(self.service.wait())
        turned = asyncio.ensure_future(self._turned.wait())
        try:
            await asyncio.wait([ended, turned], return_when=asyncio.FIRST_COMPLETED)
        finally:
            turned.cancel()
            if not ended.done():
                ended.cancel()  # the platform's loops run on until it is stopped
        if ended.done() and not ended.cancelled():
            ended.result()
            return True
        return False

    async def _begin_term(self) -> None:
        log.info("ownership.starting")
        self._started = True
        await self.service.start(self._wake)
        self._running = True
        log.info("ownership.serving")
        self.on_serving()

    async def _end_term(self) -> None:
        if not self._started:
            return
        self._running = False
        self._started = False
        log.info("ownership.stopping")
        await self.service.stop()
