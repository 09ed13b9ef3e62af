"""Forgetting held messages once the round-up they went out in is sent."""

from __future__ import annotations

from datetime import datetime

from handlers.digest.daily import PREFIX
from storage.models import Group
from storage.uow import UnitOfWork


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Remove the held messages whose round-up was sent. A daily round-up that was not
    sent after all (recorded as skipped) gives its messages back to the next one; one
    still being sent keeps them until it is confirmed."""
    items = await uow.digests.marked(group.id)
    records = await uow.deliveries.records(sorted({i.digest_key or "" for i in items}))
    gone: list[int] = []
    back: list[int] = []
    for item in items:
        record = records.get(item.digest_key or "")
        if record is None or record.status == "sending":
            continue
        daily = (item.digest_key or "").startswith(PREFIX)
        (back if daily and record.status != "sent" else gone).append(item.id)
    await uow.digests.forget(gone)
    await uow.digests.release(back)
