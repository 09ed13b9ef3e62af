"""/agenda: what the next meeting will cover, with time per item, leads and content notes."""

from __future__ import annotations

import re
from collections.abc import Sequence

import structlog

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.feature import Feature
from handlers.core.messages import BulletList, Heading, Outgoing, Paragraph, ToPerson, message
from handlers.core.occurrences import Occurrence, of_meeting, upcoming
from handlers.core.parsing import find_member, is_number
from handlers.core.when import at_time, when_shown
from handlers.followups import name_of
from handlers.glossary import ask_about_jargon
from handlers.timekeeping import (
    Timetable,
    agenda_times,
    clock,
    length_of,
    overrun_note,
    start_moments,
    timetable,
)
from storage.models import AgendaItem
from storage.repositories.erasure import FORMER_MEMBER
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

MAX_ITEMS = 30
MAX_TEXT = 300
MAX_NOTE = 300
_MINUTES = re.compile(r"\s+minutes\s+([0-9]+)(?=\s+(?:lead|note)\b|\s*$)", re.I)
_LEAD = re.compile(r"\s+lead\s+(@?\S+)", re.I)
_NOTE = re.compile(r"\s+note\s+(.+)$", re.I)


async def _next(ctx: Context) -> Occurrence:
    coming = await upcoming(ctx.uow, ctx.the_group(), ctx.now, limit=1)
    if not coming:
        raise Refusal(
            "There is no meeting planned yet, so there is no agenda. Nothing was changed.",
            "A facilitator can plan one with /meeting new.",
        )
    return coming[0]


async def item_lines(
    uow: UnitOfWork, o: Occurrence, items: Sequence[AgendaItem], table: Timetable
) -> list[str]:
    """The agenda as lines with start times, leads and content notes."""
    lines = []
    for number, (item, start) in enumerate(zip(items, table.starts, strict=True), 1):
        parts = [f"{number}. {clock(o, start):%H:%M} {item.text}"]
        if item.minutes:
            parts.append(f"({item.minutes} min)")
        if item.lead_person_id:
            lead = await name_of(uow, item.lead_person_id, group_id=o.meeting.group_id)
            parts.append(f"- led by {lead}")
        if item.content_note:
            parts.append(f"[Content note: {item.content_note}]")
        lines.append(" ".join(parts))
    return lines


async def _show(ctx: Context, occurrence: Occurrence) -> None:
    items, table = await agenda_times(ctx.uow, ctx.the_group(), occurrence)
    lines = await item_lines(ctx.uow, occurrence, items, table)
    late = overrun_note(occurrence, items, table) if ctx.is_facilitator else None
    when, moments = when_shown(occurrence)
    ctx.reply(
        message(
            Heading(f"Agenda: {occurrence.meeting.title}, {when}", moments),
            BulletList(tuple(lines), start_moments(occurrence, table))
            if lines
            else "Nothing on the agenda yet.",
            *([late] if late else []),
            "Anyone in the group can add an item with /agenda add <item>.",
            summary=f"Agenda for {occurrence.meeting.title}",
        )
    )


async def show(ctx: Context, args: str) -> None:
    """Show the next meeting's agenda."""
    await _show(ctx, await _next(ctx))


async def for_meeting(ctx: Context, args: str) -> None:
    """Show the agenda of a given meeting's next date."""
    number = args.strip()
    meeting = (
        await ctx.uow.meetings.get(ctx.the_group().id, int(number)) if is_number(number) else None
    )
    dates = await of_meeting(ctx.uow, meeting, ctx.now) if meeting else []
    if not dates:
        raise Refusal(
            f"I can't find an upcoming meeting number {number[:20] or '(none given)'}.",
            "Type /meeting to see the meetings and their numbers.",
        )
    await _show(ctx, dates[0])


async def add(ctx: Context, args: str) -> None:
    """Add an item to the next meeting's agenda: [minutes N] [lead @name] [note <text>]."""
    text = " " + args.strip()
    note = _NOTE.search(text)
    if note:
        text = text[: note.start()]
    minutes = _MINUTES.search(text)
    if minutes:
        text = text[: minutes.start()] + text[minutes.end() :]
    lead = _LEAD.search(text)
    if lead:
        text = text[: lead.start()] + text[lead.end() :]
    text = " ".join(text.split())
    if not text:
        raise Refusal(
            "Please say what the item is after /agenda add. Nothing was changed.",
            "For example: /agenda add Budget for 2027 minutes 20 lead @sam",
        )
    if len(text) > MAX_TEXT or (note and len(note.group(1)) > MAX_NOTE):
        raise Refusal(
            f"Please keep the item and its note under {MAX_TEXT} characters each. "
            "Nothing was changed."
        )
    count = int(minutes.group(1)[:4]) if minutes else None
    if count is not None and not 1 <= count <= 480:
        raise Refusal("Please give between 1 and 480 minutes for an item. Nothing was changed.")
    lead_member = await find_member(ctx, lead.group(1)) if lead else None
    occurrence = await _next(ctx)
    items = await ctx.uow.meetings.agenda(occurrence.meeting.id, occurrence.key)
    if len(items) >= MAX_ITEMS:
        raise Refusal(
            f"This agenda already has {MAX_ITEMS} items, which is the most I keep. "
            "Nothing was changed."
        )
    added = AgendaItem(
        meeting_id=occurrence.meeting.id,
        occurrence=occurrence.key,
        position=len(items) + 1,
        text=text,
        minutes=count,
        lead_person_id=lead_member.person_id if lead_member else None,
        content_note=" ".join(note.group(1).split()) if note else None,
        owner_person_id=ctx.person.id,
        created_at=ctx.now,
    )
    await ctx.uow.meetings.add(added)
    log.info("agenda.added", meeting=occurrence.meeting.id)
    timing = await _timekeeping(ctx, occurrence, items, [*items, added], f"added '{text}'")
    ctx.reply(
        message(
            f"Added to the agenda for {occurrence.meeting.title} ({occurrence.when()}): {text}",
            "You can remove it with /agenda remove and its number. Type /agenda to see it all.",
            *timing,
        )
    )
    await ask_about_jargon(ctx, text, added.content_note)


async def _item(
    ctx: Context, number: str, verb: str
) -> tuple[Occurrence, Sequence[AgendaItem], int]:
    if not number:
        raise Refusal(
            f"Which item? Say /agenda {verb} and its number, like /agenda {verb} 2. "
            "Nothing was changed.",
            "Type /agenda to see the items and their numbers.",
        )
    occurrence = await _next(ctx)
    items = await ctx.uow.meetings.agenda(occurrence.meeting.id, occurrence.key)
    if not is_number(number) or not 1 <= int(number) <= len(items):
        raise Refusal(
            f"There is no item {number[:20]} on the agenda. Nothing was changed.",
            "Type /agenda to see the items and their numbers.",
        )
    index = int(number) - 1
    item = items[index]
    if item.owner_person_id != ctx.person.id and not ctx.is_facilitator:
        raise Refusal(
            "Only the person who added this item, or a facilitator, can change it. "
            "Nothing was changed."
        )
    return occurrence, items, index


async def remove(ctx: Context, args: str) -> None:
    """Remove an item (your own, or any if you are a facilitator)."""
    _, items, index = await _item(ctx, args.strip(), "remove")
    removed = items[index]
    await ctx.uow.meetings.remove(removed)
    if removed.owner_person_id != ctx.person.id:
        ctx.audit(f"took {await _whose(ctx, removed)} item off the agenda: {removed.text}")
    for position, item in enumerate((i for i in items if i is not removed), 1):
        item.position = position
    ctx.reply(message(f"Removed from the agenda: {removed.text}"))
    await _tell_owner(
        ctx,
        removed,
        "took your item off the agenda",
        "If you'd still like to talk about it, you could ask them why, or add it "
        "again for another meeting.",
    )


async def move(ctx: Context, args: str) -> None:
    """Move an item to another place in the order."""
    number, _, target = args.strip().partition(" ")
    target = target.strip().removeprefix("to ").strip()
    occurrence, items, index = await _item(ctx, number, "move")
    if len(items) == 1:
        raise Refusal("There's only one item, so there's nothing to move. Nothing was changed.")
    if not is_number(target) or not 1 <= int(target) <= len(items):
        raise Refusal(
            f"Please give a place between 1 and {len(items)}. Nothing was changed.",
            "For example: /agenda move 3 1 puts item 3 first.",
        )
    order = list(items)
    item = order.pop(index)
    order.insert(int(target) - 1, item)
    for position, each in enumerate(order, 1):
        each.position = position
    timing = await _timekeeping(
        ctx, occurrence, items, order, f"moved '{item.text}' to place {target}"
    )
    ctx.reply(message(f"Moved '{item.text}' to place {target} on the agenda.", *timing))
    await _tell_owner(
        ctx,
        item,
        f"moved your item to place {target} on the agenda",
        "It is still on the agenda. Type /agenda to see the new order.",
    )


async def _timekeeping(
    ctx: Context,
    o: Occurrence,
    before: Sequence[AgendaItem],
    after: Sequence[AgendaItem],
    did: str,
) -> list[Paragraph]:
    """When a change makes the agenda run past the end, the facilitators hear, privately.

    A facilitator who made the change reads it in their reply; when a member did,
    each facilitator gets a direct message and the member is told that they will.
    Returns the lines to add to the reply.
    """
    group = ctx.the_group()
    length, every = length_of(o), group.break_every_minutes or None
    old, new = (timetable([i.minutes for i in x], length, every) for x in (before, after))
    late_before = {id(before[i]) for i in old.past_end}
    late_after = {id(after[i]) for i in new.past_end}
    note = overrun_note(o, after, new)
    # Adding can only make it longer; moving changes which items run late.
    worse = new.overrun > old.overrun or (len(before) == len(after) and late_before != late_after)
    if note is None or not worse:
        return []
    if ctx.is_facilitator:
        return [note]
    for member in await ctx.uow.groups.members(group.id):
        if member.is_facilitator and member.person_id != ctx.person.id:
            ctx.outgoing.append(
                Outgoing(
                    message(
                        f"{ctx.person.display_name} {did} on the agenda.",
                        note,
                        summary=f"The agenda for {o.meeting.title} runs past the end",
                    ),
                    ToPerson(member.person_id, group.id),
                )
            )
    end = at_time(clock(o, length), o.zone)
    return [
        Paragraph(
            f"With this, the agenda runs past the end at {end.text}. "
            "I've let the facilitators know, so they can plan the time. You don't need to do "
            "anything.",
            (end,),
        )
    ]


async def _whose(ctx: Context, item: AgendaItem) -> str:
    """ "sam's", or "an" for an item whose owner is gone."""
    if item.owner_person_id is None:
        return "an"
    owner = await name_of(ctx.uow, item.owner_person_id, group_id=ctx.the_group().id)
    return "an" if owner == FORMER_MEMBER else f"{owner}'s"


async def _tell_owner(ctx: Context, item: AgendaItem, did: str, next_step: str) -> None:
    """A facilitator changed someone else's item: its owner hears, kindly and privately
    (not once they have left the group)."""
    owner = item.owner_person_id
    if owner is None or owner == ctx.person.id:
        return
    if await ctx.uow.groups.membership(ctx.the_group().id, owner) is None:
        return
    ctx.outgoing.append(
        Outgoing(
            message(
                f"{ctx.person.display_name}, a facilitator, {did}: {item.text}",
                next_step,
                summary=f"A change to your agenda item: {item.text[:60]}",
            ),
            ToPerson(owner, ctx.the_group().id),
        )
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="agenda",
        summary="See the next meeting's agenda, and add to it.",
        usage="/agenda",
        examples=("/agenda", "/agenda add Budget for 2027 minutes 20 lead @sam"),
        run=show,
        takes_text=False,
        subs=(
            Sub(
                "add",
                add,
                "/agenda add <item> [minutes N] [lead @name] [note <content note>]",
                "Add an item. A content note is a gentle warning that a topic may be hard.",
            ),
            Sub(
                "remove",
                remove,
                "/agenda remove <number>",
                "Remove an item you added. Facilitators can remove any.",
            ),
            Sub(
                "move",
                move,
                "/agenda move <number> <place>",
                "Move your own item up or down. Facilitators can move any.",
            ),
            Sub(
                "for",
                for_meeting,
                "/agenda for <meeting number>",
                "See the agenda of another meeting.",
            ),
        ),
    ),
)

FEATURE = Feature(name="agenda", commands=COMMANDS)
