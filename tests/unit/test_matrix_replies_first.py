"""The Matrix sync loop's next long poll waits for the replies in hand to be tried, and
never for long: while the homeserver takes our replies it isn't also serving our poll,
and a homeserver that is away holds nothing up for more than a moment."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bot.platforms.matrix.calls import Tuning
from bot.platforms.matrix.outbox import Outbox
from bot.platforms.matrix.store import Pending
from handlers.core.messages import Address, Addressed, message


class FakeConn:
    def __init__(self) -> None:
        self.tuning = Tuning(backoff=30.0)
        self.stopping = False
        self.first_sync = asyncio.Event()
        self.first_sync.set()


class FakeStore:
    def __init__(self) -> None:
        self.done_events: list[str] = []

    async def pending(self) -> list[Pending]:
        return []

    async def done(self, event_id: str) -> None:
        self.done_events.append(event_id)


class GatedSending:
    """Sends only when let through (or fails, when told the homeserver is away)."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.away = False
        self.sent: list[str] = []

    async def send_item(self, item: Addressed, *args: Any, **kwargs: Any) -> None:
        await self.gate.wait()
        if self.away:
            raise OSError("the homeserver is away")
        self.sent.append(item.message.summary or "")


def reply(event_id: str) -> Pending:
    answer = Addressed(message("Your agenda.", summary="agenda"), Address(user="@bea:x"))
    return Pending(event_id, [answer], 0, None)


async def recorded() -> asyncio.Future[bool]:
    done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    done.set_result(True)
    return done


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_the_next_poll_waits_until_the_replies_are_sent() -> None:
    sending, store = GatedSending(), FakeStore()
    outbox = Outbox(FakeConn(), store, sending)  # type: ignore[arg-type]
    loop = asyncio.create_task(outbox.run_forever())
    outbox.send(reply("$one"), await recorded())
    waiting = asyncio.create_task(outbox.tried(5.0))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    sending.gate.set()
    await asyncio.wait_for(waiting, 1.0)
    assert sending.sent == ["agenda"] and store.done_events == ["$one"]
    await stop(loop)


async def test_nothing_in_hand_means_no_wait() -> None:
    outbox = Outbox(FakeConn(), FakeStore(), GatedSending())  # type: ignore[arg-type]
    await asyncio.wait_for(outbox.tried(5.0), 0.1)


async def test_a_homeserver_that_is_away_holds_the_poll_up_only_briefly() -> None:
    sending = GatedSending()
    outbox = Outbox(FakeConn(), FakeStore(), sending)  # type: ignore[arg-type]
    loop = asyncio.create_task(outbox.run_forever())
    outbox.send(reply("$one"), await recorded())
    await asyncio.wait_for(outbox.tried(0.05), 1.0)  # still sending: waits no longer
    sending.away = True
    sending.gate.set()
    await asyncio.wait_for(outbox.tried(5.0), 1.0)  # failed for now: retried later
    assert sending.sent == []
    await stop(loop)
