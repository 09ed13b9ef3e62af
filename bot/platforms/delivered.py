"""A delivery engine `Sender` that says what it delivered, so views kept up to date (a Slack
Home tab, a Matrix pinned summary) can look again after a scheduled message goes out (the
pack, roles given out with it, a meeting's end)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.core.messages import Addressed
from scheduler.delivery import Sender


class Telling:
    """Sends through `sender`, then tells `then` what was sent."""

    def __init__(self, sender: Sender, then: Callable[[Addressed], None]) -> None:
        self.sender = sender
        self.then = then

    async def send(self, item: Addressed, key: str) -> None:
        """Send one delivery, then tell."""
        await self.sender.send(item, key)
        self.then(item)

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether it went out already (as the sender knows)."""
        return await self.sender.already_sent(item, key)
