"""Adding an action: what, who (you, unless you name someone) and by when."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.actions.listing import EXAMPLE, show
from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from handlers.core.parsing import find_member
from handlers.core.when import parse_day
from handlers.digest.after_meeting import share
from handlers.followups import day_words, facilitator_names, local_today, may_record
from storage.models import Action

MAX_TEXT = 300
FURTHEST = timedelta(days=2 * 365)
_OWNER = re.compile(r"^(?P<rest>.*)\s+owner\s+(?P<who>@\S+)\s*$", re.I | re.S)
_BY = re.compile(r"^(?P<rest>.*)\s+by\s+(?P<when>.+?)\s*$", re.I | re.S)


def _parse(args: str) -> tuple[str, str | None, str | None]:
    """Split '<text> owner @name by <date>' (either order) into its parts."""
    text = " " + " ".join(args.split())
    who = when = None
    for _ in range(2):
        if who is None and (found := _OWNER.match(text)):
            text, who = found.group("rest"), found.group("who")
        elif when is None and (found := _BY.match(text)):
            text, when = found.group("rest"), found.group("when")
    return text.strip(), who, when


async def add(ctx: Context, args: str) -> None:
    """Add an action: what, who (you, unless you name someone) and by when."""
    if not args.strip():
        await show(ctx, args)
        return
    group = ctx.the_group()
    text, who, when = _parse(args)
    if not text or when is None:
        raise Refusal(
            "Please say what the action is and by when. Nothing was changed.",
            f"For example: {EXAMPLE}",
        )
    if len(text) > MAX_TEXT:
        raise Refusal(f"Please keep an action under {MAX_TEXT} characters. Nothing was changed.")
    today = local_today(group, ctx.now)
    due_on = parse_day(when, today)
    if due_on is None or not today <= due_on <= today + FURTHEST:
        raise Refusal(
            f"I couldn't read '{when[:40]}' as a date from today on. Nothing was changed.",
            "Please write it like 10 December, next Friday or 2026-12-10.",
        )
    owner = await find_member(ctx, who) if who else ctx.membership
    assert owner is not None
    if owner.person_id != ctx.person.id and not await may_record(ctx):
        raise Refusal(
            "Only the chair, the minute-taker or a facilitator "
            f"({await facilitator_names(ctx)}) can give an action to someone else. "
            "Nothing was changed.",
            f"You can add one for yourself: /action {text[:60]} by {when[:30]}",
        )
    number = await ctx.uow.followups.next_number(Action, group.id)
    action = Action(
        group_id=group.id,
        number=number,
        text=text,
        owner_id=owner.person_id,
        created_by=ctx.person.id,
        due_on=due_on,
        created_at=ctx.now,
    )
    await ctx.uow.followups.add(action)
    name = owner.person.display_name
    await share(
        ctx,
        message(
            f"Action {action.number}: {text}",
            f"{name} will do this by {day_words(due_on, group)}. "
            f"I'll remind {name} privately the day before and on the day.",
            summary=f"Action {action.number} for {name}",
        ),
        "action",
    )
    if owner.person_id == ctx.person.id:
        ctx.reply(
            message(
                f"Added as action {action.number}. When it's done, say "
                f"/action done {action.number}, or choose Done on my reminder."
            )
        )
    else:
        ctx.reply(
            message(
                f"Added as action {action.number}. {name} will get reminders. "
                f"Either of you can mark it done with /action done {action.number}."
            )
        )
