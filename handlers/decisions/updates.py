"""/update: what happened to a decision, from its owner, its recorder or a facilitator.

The update itself goes out to everyone from the planner (see `planning`); here it
is checked, stored, and the decision's next question is set (or the decision closes).
"""

from __future__ import annotations

from datetime import timedelta

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Block, BulletList, Heading, message
from handlers.decisions.lookups import asks, find_decision
from handlers.decisions.reading import status_of
from handlers.decisions.wording import (
    CLOSED,
    NEEDS_A_REASON,
    STATUS_WORDS,
    UPDATE_EXAMPLE,
    line,
)
from handlers.followups import at_local, day_words, local_today, name_of
from handlers.glossary import ask_about_jargon
from storage.models import Decision, DecisionUpdate

MAX_UPDATE = 1000


async def update(ctx: Context, args: str) -> None:
    """Record what happened to a decision; everyone hears "you said, we did"."""
    if not args.strip():
        await _mine(ctx)
        return
    word, _, rest = args.strip().partition(" ")
    d = await find_decision(ctx, word, UPDATE_EXAMPLE)
    status, text = status_of(rest)
    if status is None:
        raise Refusal(
            "Please say how it went: done, in progress, changed, dropped or blocked. "
            "Nothing was changed.",
            f"For example: {UPDATE_EXAMPLE}",
        )
    if ctx.person.id not in (d.owner_id, d.recorded_by) and not ctx.is_facilitator:
        owner = await name_of(ctx.uow, d.owner_id, group_id=d.group_id)
        raise Refusal(
            f"Updates on decision {d.number} come from {owner}, who looks after it, whoever "
            "recorded it, or a facilitator. Nothing was changed.",
            f"You could ask {owner} how it's going.",
        )
    if status in NEEDS_A_REASON and not text:
        raise Refusal(
            f"Please add a few words on why it was {status}, so everyone knows. "
            "Nothing was changed.",
            f"For example: /update {d.number} {status} The budget was cut, so we'll try "
            "again in April.",
        )
    if len(text) > MAX_UPDATE:
        raise Refusal(
            f"Please keep an update under {MAX_UPDATE:,} characters. Nothing was changed.",
            "You could link to the details.",
        )
    await _not_a_repeat(ctx, d, status, text)
    group = ctx.the_group()
    await ctx.uow.followups.add(
        DecisionUpdate(
            decision_id=d.id, status=status, text=text, by_id=ctx.person.id, created_at=ctx.now
        )
    )
    d.status = status
    if status in CLOSED:
        d.next_update_at = None
        after = "This decision is now closed."
    else:
        next_day = local_today(group, ctx.now) + timedelta(days=d.update_every_days)
        d.next_update_at = at_local(next_day, group)
        after = f"I'll ask for the next update on {day_words(next_day, group)}."
    ctx.reply(
        message(
            f"Thank you. I'm sharing your update on decision {d.number} with everyone now. "
            "Each person gets it the way they asked.",
            after,
        )
    )
    await ask_about_jargon(ctx, text)


async def _not_a_repeat(ctx: Context, d: Decision, status: str, text: str) -> None:
    """Refuse what would tell everyone again what they were just told: a button pressed
    twice, or a button on an old question pressed after the decision closed."""
    updates = await ctx.uow.followups.updates(d.id)
    last = updates[-1] if updates else None
    if (
        last is not None
        and (last.status, last.text) == (status, text)
        and ctx.now - last.created_at < timedelta(days=1)
    ):
        raise Refusal(
            f"That update on decision {d.number} was already shared with everyone. "
            "Nothing was changed.",
            f"Type /decision {d.number} to see it with its updates.",
        )
    if d.status in CLOSED:
        raise Refusal(
            f"Decision {d.number} is already closed ({STATUS_WORDS[d.status]}), so I haven't "
            "shared anything. Nothing was changed.",
            "If there is something new to decide, record it as a new decision with /decision.",
        )


async def _mine(ctx: Context) -> None:
    group = ctx.the_group()
    rows = [
        d
        for d in await ctx.uow.followups.decisions(group.id, open_only=True)
        if asks(d) == ctx.person.id
    ]
    lines = [await line(ctx.uow, group, d) for d in rows]
    shown: list[Block | str] = (
        [Heading("Decisions you look after"), BulletList(tuple(lines))]
        if lines
        else ["You don't look after any open decisions."]
    )
    ctx.reply(
        message(
            *shown,
            "To say what happened: /update <number> done, in progress, changed, dropped or "
            f"blocked, and a few words. For example: {UPDATE_EXAMPLE}",
            "Changed or dropped always needs a reason.",
        )
    )
