"""Saying whether you're coming: /coming, its buttons, and what the person is told."""

from __future__ import annotations

from datetime import datetime

import structlog

from handlers.attendance.dates import date_of, next_or_refuse
from handlers.attendance.wording import (
    ANSWERS,
    HOW_TO_CHANGE,
    MAYBE,
    NO,
    OTHER_WAYS,
    SYNONYMS,
    YES,
    button,
    date_words,
    noted,
)
from handlers.core.commands import Context, Handler, Refusal
from handlers.core.messages import Block, Choices, Message, Option, Paragraph
from handlers.core.occurrences import Occurrence
from handlers.help import NOT_NOW
from handlers.rotation.wording import verb
from storage.models import Group, Person
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

CLEAR = "clear"
UNDO = "Undo"


async def _roles_held(uow: UnitOfWork, group: Group, o: Occurrence, person: Person) -> str | None:
    """'chair and take the minutes' if the person holds roles at that date, else None."""
    held = [
        a.role for a in await uow.roles.assignments(o.meeting.id, o.key) if a.person_id == person.id
    ]
    if not held:
        return None
    roles = {r.name: r for r in await uow.roles.defined(group.id, removed=True)}
    doing = [verb(roles.get(name, name)) for name in dict.fromkeys(held)]
    return " and ".join(doing)


async def record(
    uow: UnitOfWork,
    group: Group,
    person: Person,
    o: Occurrence,
    answer: str,
    now: datetime,
    *,
    undo: bool = False,
) -> Message:
    """Keep the person's answer for this date (latest wins) and say so, with how to change it.

    undo: offer a button that puts back what they said before (for words the bot read).
    A member who can't come and holds a role at the next meeting is offered /roles pass.
    """
    before = await uow.attendance.answer_of(o.meeting.id, o.key, person.id)
    previous = before.answer if before else None
    await uow.attendance.say(o.meeting.id, o.key, person.id, answer, now)
    log.info("attendance.answered", group=group.id, changed=previous not in (None, answer))
    blocks: list[Block] = [Paragraph(noted(o, answer, previous))]
    options: list[Option] = []
    roles = await _roles_held(uow, group, o, person) if answer == NO else None
    if roles is not None:
        blocks.append(
            Paragraph(
                f"You're down to {roles} at that meeting. Would you like me to find someone "
                "else? You don't have to: you can say /roles pass any time before it."
            )
        )
        options += [Option("Find someone else for my role", "/roles pass", group.id), NOT_NOW]
    if undo:
        blocks.append(Paragraph(f"If I got that wrong, press {UNDO}. {HOW_TO_CHANGE}"))
        options.insert(0, Option(UNDO, button(o, previous or CLEAR), group.id))
    else:
        blocks.append(Paragraph(HOW_TO_CHANGE))
    if options:
        blocks.append(Choices(tuple(options)))
    return Message(tuple(blocks), summary=f"Noted for {o.meeting.title}")


async def _forget(ctx: Context, o: Occurrence) -> None:
    """Take back the speaker's answer for this date."""
    if await ctx.uow.attendance.forget(o.meeting.id, o.key, ctx.person.id):
        ctx.reply(
            Message(
                (
                    Paragraph(
                        f"Okay, I've taken back your answer for {date_words(o)}. "
                        "It's as if you hadn't said."
                    ),
                    Paragraph(HOW_TO_CHANGE),
                )
            )
        )
        return
    ctx.reply(
        Message((Paragraph(f"You haven't said anything about {date_words(o)}, so that's fine."),))
    )


def _answer(words: str) -> str:
    """yes, no or maybe from what follows /coming ('' is yes); a kind refusal otherwise."""
    folded = " ".join(words.lower().replace("’", "'").split())
    if not folded:
        return YES
    if folded.startswith("not sure") or folded.startswith("don't know"):
        return MAYBE
    found = SYNONYMS.get(folded.split()[0].strip(".,!"))
    if found is None:
        raise Refusal(f"I didn't understand '{words[:30]}'. Nothing was changed.", OTHER_WAYS)
    return found


async def coming(ctx: Context, args: str) -> None:
    """Say whether you're coming to the group's next meeting (yes when nothing is said)."""
    answer = _answer(args)
    o = await next_or_refuse(ctx)
    ctx.reply(await record(ctx.uow, ctx.the_group(), ctx.person, o, answer, ctx.now))


def _answering(answer: str) -> Handler:
    async def run(ctx: Context, args: str) -> None:
        o = await next_or_refuse(ctx)
        ctx.reply(await record(ctx.uow, ctx.the_group(), ctx.person, o, answer, ctx.now))

    run.__doc__ = f"Answer '{answer}' for the group's next meeting."
    return run


yes, no, maybe = (_answering(a) for a in ANSWERS)


async def clear(ctx: Context, args: str) -> None:
    """Take back your answer for the next meeting."""
    await _forget(ctx, await next_or_refuse(ctx))


async def at(ctx: Context, args: str) -> None:
    """A button's answer: `m<meeting> <date key> yes|no|maybe|clear`, for that date."""
    words = args.split()
    if len(words) != 3 or words[2].lower() not in (*ANSWERS, CLEAR):
        raise Refusal(
            "That button didn't carry an answer I understand. Nothing was changed.", OTHER_WAYS
        )
    o = await date_of(ctx, words[0], words[1])
    answer = words[2].lower()
    if answer == CLEAR:
        await _forget(ctx, o)
        return
    ctx.reply(await record(ctx.uow, ctx.the_group(), ctx.person, o, answer, ctx.now))
