"""/home: one person's next meeting, roles, actions, open questions and preferences, in one
place (the Slack Home tab shows the same); and the group's summary that Matrix pins."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Context
from handlers.core.feature import Feature
from handlers.home.view import home


async def show(ctx: Context, args: str) -> None:
    """Show the speaker their home, privately (said in a group's room, it comes by DM)."""
    ctx.reply(await home(ctx.uow, ctx.person, ctx.now))


FEATURE = Feature(
    name="home",
    commands=(
        CommandSpec(
            name="home",
            summary="Your own page. It shows your next meeting, roles, tasks and settings.",
            usage="/home",
            examples=("/home",),
            run=show,
            needs_group=False,
            takes_text=False,
            unknown_hint="Type /home on its own.",
        ),
    ),
)
