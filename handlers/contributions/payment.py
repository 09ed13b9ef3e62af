"""(being written)"""

from __future__ import annotations

from handlers.core.commands import Context


async def choose(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
