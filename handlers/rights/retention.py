"""/group keep: how long details are kept, and the housekeeping that applies it. (being written)"""

from __future__ import annotations

from datetime import datetime

from handlers.core.commands import Context
from storage.models import Group
from storage.uow import UnitOfWork


async def keep(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """(being written)"""
