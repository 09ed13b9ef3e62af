"""/rotate: a facilitator gives out the next meeting's roles now, optionally as a co-chair pair.

A self-described perspective (`/prefs perspective`) is only used to pair a
lived-experience co-chair with a professional one (`/rotate pair`); it is
never shown next to anyone's name.
"""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.messages import message
from handlers.rotation.assigning import assign
from handlers.rotation.fairness import CHAIR
from handlers.rotation.lookup import member_names, next_meeting
from handlers.rotation.wording import NOT_PAIRED, PAIRED, announcement, holders


async def _rotate(ctx: Context, words: set[str]) -> None:
    unknown = words - {"pair", "again"}
    if unknown:
        raise Refusal(
            f"I don't know /rotate {sorted(unknown)[0][:30]}. Nothing was changed.",
            "Type /rotate, /rotate pair or /rotate again.",
        )
    group = ctx.the_group()
    o = await next_meeting(ctx)
    roles = await ctx.uow.roles.defined(group.id)
    if not roles:
        raise Refusal(
            "This group has no roles to give out. Nothing was changed.",
            "A facilitator can add one with /roles add chair.",
        )
    pair = "pair" in words
    if pair and not any(r.name == CHAIR for r in roles):
        raise Refusal(
            "This group has no chair role to pair. Nothing was changed.",
            "A facilitator can add it with /roles add chair.",
        )
    rows = list(await ctx.uow.roles.assignments(o.meeting.id, o.key))
    names = await member_names(ctx.uow, group)
    if rows and "again" not in words:
        raise Refusal(
            f"The roles for {o.meeting.title} ({o.when()}) are already given out: "
            f"{holders(rows, roles, names)} Nothing was changed.",
            "To pick again from the start, say /rotate again.",
        )
    await ctx.uow.roles.remove(*rows)
    rows, paired = await assign(ctx.uow, group, o, "rotate", pair)
    ctx.audit(
        f"gave out the roles for {o.meeting.title} on {o.when()}: {holders(rows, roles, names)}"
    )
    ctx.post(announcement(o, rows, roles, names, by=ctx.person.display_name))
    if pair:
        ctx.reply(
            message(
                PAIRED if paired else NOT_PAIRED,
                "I never show anyone's perspective (how they see their own part in the "
                "group) next to their name.",
            )
        )


async def rotate(ctx: Context, args: str) -> None:
    """Give out the next meeting's roles fairly, and say why."""
    await _rotate(ctx, set(args.lower().split()))


async def rotate_pair(ctx: Context, args: str) -> None:
    """Give out roles with a lived-experience co-chair and a professional co-chair."""
    await _rotate(ctx, {"pair", *args.lower().split()})


async def rotate_again(ctx: Context, args: str) -> None:
    """Pick the next meeting's roles again from the start."""
    await _rotate(ctx, {"again", *args.lower().split()})


ROTATE = CommandSpec(
    name="rotate",
    summary="Rotate roles: share them out in turn, so it's fair. I say why each one was picked.",
    usage="/rotate",
    examples=("/rotate", "/rotate pair", "/rotate again"),
    run=rotate,
    facilitator_only=True,
    subs=(
        Sub(
            "pair",
            rotate_pair,
            "/rotate pair",
            "Pick two co-chairs, who chair as a pair. One has lived experience, one is "
            "there for their job.",
        ),
        Sub(
            "again",
            rotate_again,
            "/rotate again",
            "Pick all the roles for next time again.",
        ),
    ),
)
