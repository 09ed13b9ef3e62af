"""/action: something one person said they would do, by a date, with gentle reminders.

Anyone can add an action for themselves. Giving one to someone else is for the
chair, the minute-taker or a facilitator (see handlers/followups.may_record).
The owner is reminded privately the day before and on the day, with a Done
button; open actions are listed in the pack (by handlers/decisions).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.due import Due
from handlers.core.feature import Feature
from handlers.core.messages import BulletList, Choices, Heading, Message, Option, message
from handlers.core.parsing import find_member
from handlers.core.when import parse_day
from handlers.followups import (
    at_local,
    day_words,
    facilitator_names,
    local_today,
    may_record,
    name_of,
    number_of,
)
from storage.models import Action, Group, Person
from storage.uow import UnitOfWork

MAX_TEXT = 300
FURTHEST = timedelta(days=2 * 365)
_OWNER = re.compile(r"^(?P<rest>.*)\s+owner\s+(?P<who>@\S+)\s*$", re.I | re.S)
_BY = re.compile(r"^(?P<rest>.*)\s+by\s+(?P<when>.+?)\s*$", re.I | re.S)
EXAMPLE = "/action Book a bigger room owner @sam by 10 December"


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
    ctx.post(
        message(
            f"Action {action.number}: {text}",
            f"{name} will do this by {day_words(due_on, group)}. "
            f"I'll remind {name} privately the day before and on the day.",
            summary=f"Action {action.number} for {name}",
        )
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


async def done(ctx: Context, args: str) -> None:
    """Mark an action done (its owner, whoever added it, or a facilitator)."""
    group = ctx.the_group()
    number = number_of(args, "action", "/action done 2")
    action = await ctx.uow.followups.action(group.id, number)
    if action is None:
        raise Refusal(
            f"There is no action {number}. Nothing was changed.",
            "Type /action to see the open actions and their numbers.",
        )
    if action.done_at is not None:
        raise Refusal(f"Action {number} is already done. Nothing was changed.")
    if ctx.person.id not in (action.owner_id, action.created_by) and not ctx.is_facilitator:
        owner = await name_of(ctx.uow, action.owner_id)
        raise Refusal(
            f"Only {owner}, the person who added it, or a facilitator can mark action "
            f"{number} done. Nothing was changed."
        )
    action.done_at, action.done_by = ctx.now, ctx.person.id
    owner = await name_of(ctx.uow, action.owner_id)
    ctx.post(
        message(
            f"Action {number} is done: {action.text}",
            f"Thank you, {owner}.",
            summary=f"Action {number} is done",
        )
    )
    if ctx.in_dm:
        ctx.reply(message(f"Thank you. I've told the group that action {number} is done."))


async def lines(uow: UnitOfWork, group: Group) -> list[str]:
    """Open actions as lines: number, what, who, by when."""
    found = []
    for action in await uow.followups.open_actions(group.id):
        owner = await name_of(uow, action.owner_id)
        found.append(
            f"Action {action.number}: {action.text} ({owner}, by {day_words(action.due_on, group)})"
        )
    return found


async def show(ctx: Context, args: str) -> None:
    """List the open actions."""
    found = await lines(ctx.uow, ctx.the_group())
    ctx.reply(
        message(
            Heading("Open actions"),
            BulletList(tuple(found)) if found else "There are no open actions.",
            f"To add one: {EXAMPLE}",
            summary="Open actions",
        )
    )


def _reminder(group: Group, action: Action, day_before: bool) -> Due:
    action_id, number = action.id, action.number
    when_words = "tomorrow" if day_before else "today"

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.followups.action_with_id(action_id)
        if current is None or current.done_at is not None:
            return None
        return message(
            f"A gentle reminder: action {number} is due {when_words} "
            f"({day_words(current.due_on, group)}): {current.text}",
            "If it's done, choose Done below. If you need more time or a hand, that's okay: "
            "let a facilitator know.",
            Choices((Option("Done", f"/action done {number}", group.id),)),
            summary=f"Action {number} is due {when_words}",
        )

    day = action.due_on - timedelta(days=1) if day_before else action.due_on
    return Due(
        key=f"{'actionbefore' if day_before else 'actionday'}:a{action_id}:{action.due_on}",
        kind="action",
        label=f"a reminder about action {number}",
        due_at=at_local(day, group),
        group=group,
        recipients="person",
        person_id=action.owner_id,
        build=build,
        planned_at=action.created_at,
        expires_at=at_local(action.due_on + timedelta(days=1), group),
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Reminders the day before and on the day, for actions not done yet."""
    first, last = local_today(group, start), local_today(group, end) + timedelta(days=1)
    dues = []
    for action in await uow.followups.actions_due(group.id, first, last):
        if action.owner_id is None:
            continue
        dues += [_reminder(group, action, True), _reminder(group, action, False)]
    return [d for d in dues if start <= d.due_at <= end]


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="action",
        summary="Say who will do what by when; I remind them and list open actions in the pack.",
        usage="/action <what> [owner @name] by <date>",
        examples=(EXAMPLE, "/action Send the survey link by Friday", "/action done 2"),
        run=add,
        subs=(
            Sub(
                "done",
                done,
                "/action done <number>",
                "Mark an action done (its owner, whoever added it, or a facilitator).",
            ),
        ),
    ),
)

FEATURE = Feature(name="actions", commands=COMMANDS, planners=(plan,))
