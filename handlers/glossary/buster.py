"""The jargon buster: when someone writes an acronym the group has no meaning for, they
are asked, privately and kindly, what it means. Once per term per group; it never
changes what their command did."""

from __future__ import annotations

from handlers.core.commands import Context
from handlers.core.messages import Choices, Message, message
from handlers.glossary.finding import acronyms
from handlers.glossary.terms import key_of, names_list, words_of
from handlers.help import NOT_NOW

MOST_IN_ONE_QUESTION = 3


async def ask_about_jargon(ctx: Context, *texts: str | None) -> None:
    """Ask the author what up to three new acronyms in `texts` mean, in one private
    question, and note that each was asked (so nobody in the group is asked again)."""
    group = ctx.group
    if group is None:
        return
    found = acronyms("\n".join(t for t in texts if t))
    if not found:
        return
    words = await words_of(ctx.uow, group.id)
    asked = await ctx.uow.glossary.asked(group.id)
    new = [a for a in found if key_of(a) not in asked and not words.knows(a)]
    new = new[:MOST_IN_ONE_QUESTION]
    if not new:
        return
    await ctx.uow.glossary.mark_asked(group.id, [key_of(a) for a in new], ctx.now)
    ctx.reply(question(new))


def question(terms: list[str]) -> Message:
    """What does CMHT stand for? ... (kind, skippable, with the command to answer)."""
    them = "it" if len(terms) == 1 else "them"
    verb = "does" if len(terms) == 1 else "do"
    return message(
        f"What {verb} {names_list(terms)} stand for? If you tell me, I'll explain {them} to "
        f"everyone in the pack: /jargon add {terms[0]} <what it means>"
        + ("" if len(terms) == 1 else ", and the same for the others."),
        "You don't have to.",
        Choices((NOT_NOW,)),
        summary=f"What {verb} {names_list(terms)} stand for?",
    )
