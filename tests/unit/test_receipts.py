"""A message handed over again after a crash never does its work twice.

A platform records that it handled a message in a commit of its own, after the
command's work. If the bot stops between the two, the platform hands the message
over again; the receipt saved with the work stops it being done twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.app import App
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from storage.models import AgendaItem, CommandReceipt
from storage.uow import UnitOfWork
from tests.support import GROUP, handle, privately
from tests.unit.test_agenda import group_with_meeting


def from_bob(text: str, receipt: str | None, dm: bool = False) -> Incoming:
    return Incoming("console", "bob", "bob", text, None if dm else GROUP, receipt=receipt)


async def items_named(app: App, title: str) -> int:
    async with app.db.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(AgendaItem).where(AgendaItem.text == title)
        )
    return int(count or 0)


async def test_a_command_handed_over_again_is_not_done_twice(app: App) -> None:
    await group_with_meeting(app)
    first = await handle(app, from_bob("/agenda add Budget for 2027", "event-1"))
    assert "Added" in privately(first, "bob")

    again = await handle(app, from_bob("/agenda add Budget for 2027", "event-1"))
    told = privately(again, "bob")
    assert "I did that already" in told and "send it once more" in told
    assert await items_named(app, "Budget for 2027") == 1
    async with app.db.sessions() as session:  # it traces nobody: a keyed hash and a day
        (receipt,) = await session.scalars(select(CommandReceipt))
    assert "event-1" not in receipt.key and len(receipt.key) == 64
    assert not isinstance(receipt.day, datetime)

    # The same words in a new message are a new request: done again, as asked.
    await handle(app, from_bob("/agenda add Budget for 2027", "event-2"))
    assert await items_named(app, "Budget for 2027") == 2


async def test_a_command_that_saves_nothing_keeps_no_receipt_and_answers_every_time(
    app: App,
) -> None:
    await group_with_meeting(app)
    for _ in range(2):
        result = await handle(app, from_bob("/agenda", "event-3"))
        assert "Agenda" in privately(result, "bob")
    async with app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CommandReceipt)) == 0


async def test_receipts_are_forgotten_after_a_month(app: App, clock: VirtualClock) -> None:
    await group_with_meeting(app)
    await handle(app, from_bob("/agenda add Budget for 2027", "event-5"))
    async with UnitOfWork(app.db.sessions) as uow:
        await uow.receipts.prune(clock.now() + timedelta(days=29))
        await uow.commit()
        assert await uow.session.scalar(select(func.count()).select_from(CommandReceipt)) == 1
        await uow.receipts.prune(clock.now() + timedelta(days=31))
        await uow.commit()
        assert await uow.session.scalar(select(func.count()).select_from(CommandReceipt)) == 0
