"""What became of an action: done, still going (perhaps with a new date), or not going to
happen after all. Its owner, whoever added it, or a facilitator says so."""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Block, message
from handlers.core.when import parse_day
from handlers.digest.after_meeting import share
from handlers.followups import day_words, local_today, name_of, number_of
from storage.models import Action

MAX_WHY = 300


async def _open_action(ctx: Context, word: str, example: str) -> Action:
    """The group's open action numbered `word`, if the speaker may say what became of it."""
    number = number_of(word, "action", example)
    action = await ctx.uow.followups.action(ctx.the_group().id, number)
    if action is None:
        raise Refusal(
            f"There is no action {number}. Nothing was changed.",
            "Type /action to see the open actions and their numbers.",
        )
    if action.done_at is not None:
        raise Refusal(f"Action {number} is already done. Nothing was changed.")
    if action.dropped_at is not None:
        raise Refusal(
            f"Action {number} is no longer planned: it was said it won't go ahead. "
            "Nothing was changed.",
            "If it's back on, add it again with /action.",
        )
    if ctx.person.id not in (action.owner_id, action.created_by) and not ctx.is_facilitator:
        owner = await name_of(ctx.uow, action.owner_id, group_id=action.group_id)
        raise Refusal(
            f"Only {owner}, the person who added it, or a facilitator can say what became of "
            f"action {number}. Nothing was changed."
        )
    return action


async def done(ctx: Context, args: str) -> None:
    """Mark an action done (its owner, whoever added it, or a facilitator)."""
    action = await _open_action(ctx, args, "/action done 2")
    number = action.number
    action.done_at, action.done_by = ctx.now, ctx.person.id
    owner = await name_of(ctx.uow, action.owner_id, group_id=action.group_id)
    posted = await share(
        ctx,
        message(
            f"Action {number} is done: {action.text}",
            f"Thank you, {owner}.",
            summary=f"Action {number} is done",
        ),
        "action",
    )
    if posted and ctx.in_dm:
        ctx.reply(message(f"Thank you. I've told the group that action {number} is done."))


async def going(ctx: Context, args: str) -> None:
    """Say an action is still going, with a new date if you know one."""
    word, _, rest = args.strip().partition(" ")
    action = await _open_action(ctx, word, "/action going 2 by 30 March")
    group = ctx.the_group()
    rest = " ".join(rest.split())
    when = rest[3:] if rest.lower().startswith("by ") else rest
    today = local_today(group, ctx.now)
    if when:
        due_on = parse_day(when, today)
        if due_on is None or due_on < today:
            raise Refusal(
                f"I couldn't read '{when[:40]}' as a date from today on. Nothing was changed.",
                f"Please write it like /action going {action.number} by 30 March, or leave "
                "the date out.",
            )
        action.due_on = due_on
    action.going_at = ctx.now
    blocks: list[Block | str] = ["Thank you for letting me know."]
    if when:
        blocks.append(
            f"Action {action.number} is now due by {day_words(action.due_on, group)}. "
            "I'll send a reminder the day before and on the day."
        )
    else:
        n = action.number
        blocks += [
            f"Action {n} stays on the list as still going.",
            f"If you know a new date, you can add it: /action going {n} by <date>. "
            f"When it's done: /action done {n}.",
        ]
    ctx.reply(message(*blocks))


async def drop(ctx: Context, args: str) -> None:
    """Say an action won't happen after all; the group is told, so nobody waits for it."""
    word, _, why = args.strip().partition(" ")
    action = await _open_action(ctx, word, "/action drop 2 The hall is closed for repairs")
    why = " ".join(why.split())
    if len(why) > MAX_WHY:
        raise Refusal(f"Please keep the reason under {MAX_WHY} characters. Nothing was changed.")
    action.dropped_at = ctx.now
    number = action.number
    posted = await share(
        ctx,
        message(
            f"Action {number} won't go ahead after all. It was: {action.text}",
            *([f"Why: {why}"] if why else []),
            "If it still matters, anyone can add it to the next agenda. Use /agenda add.",
            summary=f"Action {number} won't go ahead",
        ),
        "action",
    )
    if posted and ctx.in_dm:
        ctx.reply(
            message(
                f"Thank you for letting me know. I've told the group that action {number} "
                "won't go ahead, so nobody waits for it."
            )
        )
