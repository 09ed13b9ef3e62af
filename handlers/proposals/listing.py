"""Showing proposals: the open ones, and one with what the asker may see of its answers."""

from __future__ import annotations

from handlers.core.commands import Context
from handlers.core.messages import Block, BulletList, Heading, message
from handlers.followups import name_of
from handlers.proposals.answering import is_closed
from handlers.proposals.proposing import find
from handlers.proposals.tally import outcome, running
from handlers.proposals.wording import EXAMPLE, LABEL, answer_command, choices, meanings
from handlers.proposals.wording import when_words as when
from storage.models import Proposal


async def list_open(ctx: Context, args: str = "") -> None:
    """The group's open proposals, and whether the asker has answered each."""
    group = ctx.the_group()
    rows = await ctx.uow.proposals.open(group.id, ctx.now)
    if not rows:
        ctx.reply(
            message(
                "There are no open proposals.",
                f"Anyone can ask the group what they think of an idea. Like this: {EXAMPLE}",
            )
        )
        return
    lines = []
    for p in rows:
        answered = await ctx.uow.proposals.has_answered(p.id, ctx.person.id)
        owner = await name_of(ctx.uow, p.owner_id, group_id=group.id)
        lines.append(
            f"Proposal {p.number}: {p.text} ({owner}; "
            f"closes {when(p.closes_at, group)}{'; anonymous' if p.anonymous else ''}; "
            f"{'you have answered' if answered else 'you have not answered yet'})"
        )
    ctx.reply(
        message(
            Heading("Open proposals"),
            BulletList(tuple(lines)),
            "Type /proposal and a number to see one and answer it.",
            summary="Open proposals",
        )
    )


async def show(ctx: Context, args: str) -> None:
    """One proposal: the outcome once closed; while open, the count for its owner and the
    facilitators, and the choices for someone who hasn't answered."""
    p = await find(ctx, args.strip(), "/proposal show 3")
    group = ctx.the_group()
    if is_closed(ctx, p):
        ctx.reply(await outcome(ctx.uow, group, p))
        if p.decision_id is not None:
            d = await ctx.uow.followups.decision_with_id(p.decision_id)
            if d is not None:
                ctx.reply(message(f"It is recorded as decision {d.number}: /decision {d.number}"))
        return
    owner = await name_of(ctx.uow, p.owner_id, group_id=p.group_id)
    blocks: list[Block | str] = [
        Heading(f"Proposal {p.number}, from {owner}"),
        p.text,
        f"Open until {when(p.closes_at, group)}."
        + (" Answers are anonymous." if p.anonymous else ""),
    ]
    if ctx.is_facilitator or ctx.person.id == p.owner_id:
        blocks += await running(ctx.uow, group, p)
    else:
        blocks.append("Everyone sees the answers when it closes.")
    blocks += await _yours(ctx, p)
    ctx.reply(message(*blocks, summary=f"Proposal {p.number}"))


async def _yours(ctx: Context, p: Proposal) -> list[Block | str]:
    if not await ctx.uow.proposals.has_answered(p.id, ctx.person.id):
        return [
            "You haven't answered yet. What the answers mean:",
            meanings(),
            "You can answer once: answers can't be changed afterwards.",
            choices(p, ctx.the_group(), answer_command(p), not_now=True),
        ]
    if p.anonymous:
        return ["You've answered. Your answer is kept without your name."]
    mine = await ctx.uow.proposals.answer_of(p.id, ctx.person.id)
    return [f"You answered {LABEL[mine.answer]}." if mine else "You've answered."]
