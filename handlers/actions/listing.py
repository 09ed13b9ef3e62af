"""The open actions as lines (in /action and in the pack), overdue ones marked as such."""

from __future__ import annotations

from datetime import date

from handlers.core.commands import Context
from handlers.core.messages import BulletList, Heading, message
from handlers.followups import day_words, local_today, name_of
from storage.models import Action, Group
from storage.uow import UnitOfWork

EXAMPLE = "/action Book a bigger room owner @sam by 10 December"


def when_words(action: Action, group: Group, today: date) -> str:
    """'by Thursday 10 December'; once that day has passed, 'overdue since Monday 15 March'
    (and 'still going' if its owner said so since)."""
    if action.due_on >= today:
        return f"by {day_words(action.due_on, group)}"
    words = f"overdue since {day_words(action.due_on, group)}"
    if action.going_at is not None and local_today(group, action.going_at) > action.due_on:
        words += ", still going"
    return words


async def lines(uow: UnitOfWork, group: Group, today: date) -> list[str]:
    """Open actions as lines: number, what, who, by when (as it stands on `today`)."""
    found = []
    for action in await uow.followups.open_actions(group.id):
        owner = await name_of(uow, action.owner_id, group_id=group.id)
        found.append(
            f"Action {action.number}: {action.text} ({owner}, {when_words(action, group, today)})"
        )
    return found


async def show(ctx: Context, args: str) -> None:
    """List the open actions."""
    group = ctx.the_group()
    found = await lines(ctx.uow, group, local_today(group, ctx.now))
    ctx.reply(
        message(
            Heading("Open actions"),
            BulletList(tuple(found)) if found else "There are no open actions.",
            f"To add one: {EXAMPLE}",
            summary="Open actions",
        )
    )
