"""Router-level helpers: speak to the router itself (no app, no delivery engine)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.core.router import Incoming, Result, Router
from scheduler.clock import Clock
from storage.db import Database
from tests.support import changes_nothing, privately

PLATFORM = "test"
CHANNEL = "general"


@dataclass
class Chat:
    """Speak to the router as a person, in a channel or in a direct conversation."""

    router: Router
    clock: Clock

    async def say(
        self,
        user: str,
        said: str,
        *,
        dm: bool = False,
        channel: str = CHANNEL,
        group_id: int | None = None,
        name: str | None = None,
    ) -> Result:
        """`user` says `said`; their display name is their id capitalised unless given."""
        incoming = Incoming(
            platform=PLATFORM,
            user_id=user,
            display_name=name if name is not None else user.capitalize(),
            text=said,
            channel=None if dm else channel,
            group_id=group_id,
        )
        return await self.router.handle(incoming, self.clock.now())


async def refused_without_change(
    chat: Chat, db: Database, user: str, said: str, expect: str, **where: Any
) -> str:
    """`user` says `said`; they alone get a reply containing `expect`; no data changes.

    Unlike `tests.support.refused`, the reply need not say that nothing was changed: many
    replies to malformed input only say what to write instead.
    """
    async with changes_nothing(db, said):
        reply = privately(await chat.say(user, said, **where), user)
    assert expect in reply, reply
    return reply
