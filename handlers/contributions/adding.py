"""(being written)"""

from __future__ import annotations

from handlers.core.commands import Context


async def add(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError


async def expenses(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
