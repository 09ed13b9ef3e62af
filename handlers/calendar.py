"""/meeting calendar: a meeting or a whole series as an .ics calendar file. (being written)"""

from __future__ import annotations

from handlers.core.commands import Context


async def calendar(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
