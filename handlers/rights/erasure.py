"""/leave, /forget me and /group remove. (being written)"""

from __future__ import annotations

from handlers.core.commands import Context


async def leave(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError


async def forget(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError


async def remove(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
