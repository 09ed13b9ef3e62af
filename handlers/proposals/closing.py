"""Closing a proposal early, and making its outcome a decision in the decision log.

Both are for the person who proposed it and the facilitators. The decision is
recorded by the decisions feature's own code, so it gets an owner (whoever
proposed it), follow-up dates and the "you said, we did" updates like any other.
"""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from handlers.decisions.reading import first_due
from handlers.decisions.recording import MAX_TEXT, add_decision
from handlers.followups import facilitator_names, local_today, name_of
from handlers.proposals.answering import is_closed
from handlers.proposals.proposing import find
from handlers.proposals.tally import counts
from handlers.proposals.wording import counts_line, when_words
from storage.models import Proposal


async def _may_run(ctx: Context, p: Proposal, doing: str) -> None:
    if ctx.is_facilitator or ctx.person.id == p.owner_id:
        return
    owner = await name_of(ctx.uow, p.owner_id, "the person who proposed it", group_id=p.group_id)
    raise Refusal(
        f"Only {owner}, who proposed it, or a facilitator ({await facilitator_names(ctx)}) "
        f"can {doing} proposal {p.number}. Nothing was changed.",
        "You could ask one of them.",
    )


async def close(ctx: Context, args: str) -> None:
    """Close a proposal before its time; the outcome goes to the group at once."""
    p = await find(ctx, args.strip(), "/proposal close 3")
    if is_closed(ctx, p):
        raise Refusal(
            f"Proposal {p.number} has already closed. Nothing was changed.",
            f"Type /proposal {p.number} to see the outcome.",
        )
    await _may_run(ctx, p, "close")
    p.closes_at = p.closed_at = ctx.now
    ctx.reply(
        message(
            f"Proposal {p.number} is closed. I'm sharing the outcome with the group now.",
            f"You can then record it as a decision: /proposal decide {p.number}",
        )
    )


async def decide(ctx: Context, args: str) -> None:
    """Make a closed proposal's outcome a decision (in its own words, or in new ones)."""
    word, _, words = args.strip().partition(" ")
    p = await find(ctx, word, "/proposal decide 3")
    await _may_run(ctx, p, "record a decision from")
    if p.decision_id is not None:
        d = await ctx.uow.followups.decision_with_id(p.decision_id)
        which = f"decision {d.number}" if d else "a decision"
        raise Refusal(
            f"Proposal {p.number} is already recorded as {which}. Nothing was changed.",
            f"Type /decision {d.number} to see it." if d else "Type /decision to see them.",
        )
    group = ctx.the_group()
    if not is_closed(ctx, p):
        raise Refusal(
            f"Proposal {p.number} is open until {when_words(p.closes_at, group)}, so its "
            "outcome isn't known yet. Nothing was changed.",
            f"You can close it early with /proposal close {p.number}, then record it.",
        )
    text = " ".join(words.split()) or p.text
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"Please keep a decision under {MAX_TEXT} characters. Nothing was changed.",
        )
    owner = await ctx.uow.groups.membership(group.id, p.owner_id) if p.owner_id else None
    owner = owner or ctx.membership
    assert owner is not None
    tally = counts_line(await counts(ctx.uow, p))
    d = await add_decision(
        ctx,
        text,
        owner,
        first_due({}, None, local_today(group, ctx.now)),
        origin=f"It came from proposal {p.number}. The answers were: {tally}.",
    )
    p.decision_id = d.id
