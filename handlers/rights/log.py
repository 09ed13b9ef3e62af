"""/group log: what facilitators did, in plain words. (being written)"""

from __future__ import annotations

from handlers.core.commands import Context


async def show(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
