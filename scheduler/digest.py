"""Holding news for a daily round-up, in the delivery engine.

For someone who chose a daily round-up (`/prefs digest daily`), news that can wait
(`Due.digest`) is not sent when it falls due: the engine claims its delivery key as
now, with status 'digested', and keeps the rendered message for the round-up, both
in one transaction. So it is held exactly once, like any delivery is sent once. The
round-up itself is an ordinary delivery (handlers/digest/daily.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.digestible import keep
from handlers.core.messages import Message
from storage.claims import insert_once
from storage.models import Delivery, DigestItem

HELD = "digested"


async def hold(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    due_at: datetime,
    person_id: int,
    group_id: int,
    kind: str,
    msg: Message,
    now: datetime,
) -> bool:
    """Claim the delivery `key` and keep `msg` for the person's round-up, in one transaction.
    False if the key was already claimed (nothing is kept twice)."""
    return await insert_once(
        sessions,
        Delivery(key=key, status=HELD, due_at=due_at, claimed_at=now, done_at=now),
        DigestItem(
            person_id=person_id,
            group_id=group_id,
            payload=keep(kind, msg),
            held_at=now,
        ),
    )
