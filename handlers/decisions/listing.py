"""Showing decisions: the open ones (or all), and one decision with its updates."""

from __future__ import annotations

from handlers.core.commands import Context
from handlers.core.messages import Block, BulletList, Heading, message
from handlers.decisions.lookups import public_concern
from handlers.decisions.wording import EXAMPLE, LIVED_WORDS, STATUS_WORDS, from_words, line
from handlers.followups import day_words, name_of
from storage.models import Decision


async def list_decisions(ctx: Context, everything: bool) -> None:
    """The group's open decisions, or all of them."""
    group = ctx.the_group()
    rows = await ctx.uow.followups.decisions(group.id, open_only=not everything)
    lines = [await line(ctx.uow, group, d) for d in rows]
    if not lines:
        ctx.reply(
            message(
                "There are no open decisions." if not everything else "No decisions yet.",
                "To add one, you need to be the chair, the minute-taker or a facilitator. "
                "The minute-taker is the person who writes down what was decided. "
                f"Like this: {EXAMPLE}",
            )
        )
        return
    ctx.reply(
        message(
            Heading("All decisions" if everything else "Open decisions"),
            BulletList(tuple(lines)),
            "Type /decision and a number to see one with its updates"
            + ("." if everything else ", or /decision all to see the closed ones too."),
            summary="Decisions",
        )
    )


async def show(ctx: Context, d: Decision) -> None:
    """One decision: where it came from, who looks after it, and every update."""
    group = ctx.the_group()
    blocks: list[Block | str] = [Heading(f"Decision {d.number}: {STATUS_WORDS[d.status]}"), d.text]
    if (origin := await from_words(ctx.uow, group, d)) is not None:
        blocks.append(origin)
    if (proposal := await ctx.uow.proposals.of_decision(d.id)) is not None:
        blocks.append(f"From proposal {proposal.number}.")
    owner = await name_of(ctx.uow, d.owner_id, group_id=group.id)
    recorder = await name_of(ctx.uow, d.recorded_by, group_id=group.id)
    blocks.append(
        f"Looked after by {owner}. Recorded by {recorder} on {day_words(d.created_at, group)}."
    )
    blocks.append(
        LIVED_WORDS[d.lived_experience]
        if d.lived_experience
        else "Did people with lived experience help to make it? Not answered yet."
    )
    if (number := await public_concern(ctx.uow, d)) is not None:
        blocks.append(f"It answers concern {number}, raised anonymously.")
    updates = await ctx.uow.followups.updates(d.id)
    if updates:
        blocks.append("Updates:")
        blocks.append(
            BulletList(
                tuple(
                    [
                        f"{day_words(u.created_at, group)}, "
                        f"{await name_of(ctx.uow, u.by_id, group_id=group.id)}: "
                        f"{STATUS_WORDS[u.status]}" + (f". {u.text}" if u.text else "")
                        for u in updates
                    ]
                )
            )
        )
    if d.next_update_at is not None:
        blocks.append(f"Next update due on {day_words(d.next_update_at, group)}.")
    ctx.reply(message(*blocks, summary=f"Decision {d.number}"))
