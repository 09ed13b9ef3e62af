"""/prefs export: everything the bot holds about you, as a file. (being written)"""

from __future__ import annotations

from handlers.core.commands import Context


async def export(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
