"""(being written)"""

from __future__ import annotations

from datetime import datetime

from handlers.core.commands import Context
from handlers.core.due import Due
from storage.models import Group
from storage.uow import UnitOfWork


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """(being written)"""
    return []


async def there(ctx: Context, args: str) -> None:
    """(being written)"""
    raise NotImplementedError
