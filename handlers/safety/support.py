"""Who to talk to: the crisis line and the wellbeing contact, given at once and privately.

Nobody else is told unless the person asks (/support tell), and then only that
they would like someone to get in touch, never what they wrote.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Block, Message, Outgoing, Paragraph, ToPerson, message
from handlers.core.occurrences import Occurrence
from handlers.safety import words
from handlers.safety.distress import shows_distress
from storage.models import Group
from storage.uow import UnitOfWork

MAX_LINE = 500


def crisis_line(group: Group | None) -> str:
    """The group's crisis line in its own words, or the usual UK numbers."""
    return (group.crisis_line if group is not None else None) or words.DEFAULT_CRISIS_LINE


async def wellbeing_contact(uow: UnitOfWork, group: Group) -> str | None:
    """The group's wellbeing contact, as a facilitator wrote it (None if not named)."""
    return (await uow.checkins.settings(group.id)).wellbeing


async def support_message(uow: UnitOfWork, groups: Sequence[Group]) -> Message:
    """The crisis line and every wellbeing contact the person's groups have named."""
    lines = [words.SORRY]
    lines.append(words.TALK_NOW.format(line=crisis_line(groups[0] if groups else None)))
    for group in groups:
        contact = await wellbeing_contact(uow, group)
        if contact:
            lines.append(words.CONTACT.format(group=group.name, contact=contact))
    if groups:
        lines.append(words.NOBODY_TOLD)
    return message(*lines, summary="Who you can talk to")


async def answer_distress(ctx: Context, text: str) -> bool:
    """Free text in a DM that shows distress gets the support message at once."""
    if not shows_distress(text):
        return False
    groups = [ctx.group] if ctx.group else list(await ctx.uow.groups.of_person(ctx.person.id))
    msg = await support_message(ctx.uow, groups)
    ctx.reply(message(*msg.blocks, words.SOMETHING_ELSE, summary=msg.summary))
    return True


async def show(ctx: Context, args: str) -> None:
    """The crisis line and wellbeing contacts, privately."""
    groups = [ctx.group] if ctx.group else list(await ctx.uow.groups.of_person(ctx.person.id))
    ctx.reply(await support_message(ctx.uow, groups))


async def tell(ctx: Context, args: str) -> None:
    """Let the facilitators know the person would like someone to get in touch."""
    groups = [ctx.group] if ctx.group else list(await ctx.uow.groups.of_person(ctx.person.id))
    told = []
    for group in groups:
        facilitators = [
            m
            for m in await ctx.uow.groups.members(group.id)
            if m.is_facilitator and m.person_id != ctx.person.id
        ]
        for member in facilitators:
            ctx.outgoing.append(
                Outgoing(
                    message(
                        words.ASKED.format(name=ctx.person.display_name, group=group.name),
                        summary=f"{ctx.person.display_name} would like someone to get in touch",
                    ),
                    ToPerson(member.person_id, group.id),
                )
            )
        if facilitators:
            told.append(group.name)
    if not told:
        raise Refusal(words.NOBODY_TO_TELL)
    ctx.reply(message(words.TOLD.format(groups=" and ".join(told))))


async def line(ctx: Context, args: str) -> None:
    """Facilitators: show or set the group's crisis line."""
    group = ctx.the_group()
    text = " ".join(args.split())
    if not text:
        ctx.reply(
            message(
                words.LINE_NOW.format(group=group.name, line=crisis_line(group)), words.LINE_HOW
            )
        )
        return
    if len(text) > MAX_LINE:
        raise Refusal(words.LINE_TOO_LONG.format(limit=MAX_LINE))
    if text.lower() == "default":
        group.crisis_line = None
        ctx.audit("set the crisis line back to the usual numbers")
        ctx.reply(message(words.LINE_RESET.format(line=crisis_line(group))))
        return
    group.crisis_line = text
    ctx.audit(f"changed the crisis line to: {text}")
    ctx.reply(message(words.LINE_SET.format(line=text)))


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """Every pack says who to talk to, and that /support gives a crisis line at any time."""
    contact = await wellbeing_contact(uow, group)
    if contact:
        return [Paragraph(words.PACK_CONTACT.format(contact=contact))]
    return [Paragraph(words.PACK_NO_CONTACT)]
