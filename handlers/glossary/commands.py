"""/jargon: see the group's words, look one up, add, change and remove them, and turn
starter words off and on. Every change is posted in the channel."""

from __future__ import annotations

import structlog

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.messages import BulletList, Heading, message
from handlers.glossary.reading import term_and_meaning, term_only
from handlers.glossary.terms import (
    MAX_MEANING,
    MAX_TERM,
    Entry,
    key_of,
    names_list,
    sentence,
    starter,
    starter_entry,
    words_of,
)
from storage.models import GlossaryTerm

log = structlog.get_logger(__name__)

EXAMPLE = "/jargon add CMHT Community mental health team"
SHOWS_ALL = "/jargon shows all the group's words."


async def show(ctx: Context, args: str) -> None:
    """The group's own words in full, and how many starter words it has; or one word."""
    if term := term_only(args):
        await _look_up(ctx, term)
        return
    words = await words_of(ctx.uow, ctx.the_group().id)
    kept = words.kept
    ctx.reply(
        message(
            Heading("The group's words"),
            BulletList(tuple(e.line() for e in words.own))
            if words.own
            else "The group hasn't added any words of its own yet.",
            f"There are also {len(kept)} starter words, like "
            f"{names_list([e.term for e in kept if not e.term.isupper()][:3])}. "
            "To see them, type /jargon starter.",
            f"Anyone can add a word and what it means, like this: {EXAMPLE}",
            summary="The group's words",
        )
    )


async def show_starter(ctx: Context, args: str) -> None:
    """Every starter word the group has on, and the ones it turned off."""
    words = await words_of(ctx.uow, ctx.the_group().id)
    off = [e.term for e in starter() if e.key in words.off]
    ctx.reply(
        message(
            Heading("Starter words"),
            "These common NHS, social care and council words come with me. "
            "The pack explains the ones its agenda uses.",
            BulletList(tuple(e.line() for e in words.kept)),
            *([f"Turned off for this group: {', '.join(off)}."] if off else []),
            "A facilitator can turn one off, or back on: /jargon off GP, /jargon on GP.",
            summary="Starter words",
        )
    )


async def _look_up(ctx: Context, term: str) -> None:
    words = await words_of(ctx.uow, ctx.the_group().id)
    found = words.by_name.get(key_of(term))
    if found is not None:
        ctx.reply(message(found[0].line(found[1])))
        return
    shown = term[:MAX_TERM]
    turned_off = starter_entry(term)
    if turned_off is not None and turned_off.key in words.off:
        ctx.reply(
            message(
                f"{shown} is a starter word this group turned off. "
                f"It means: {sentence(turned_off.meaning)}",
                f"A facilitator can turn it back on with /jargon on {turned_off.term}.",
            )
        )
        return
    ctx.reply(
        message(
            f"I don't know what {shown} means yet.",
            f"If you know, you can add it for everyone: /jargon add {shown} <what it means>",
        )
    )


async def add(ctx: Context, args: str) -> None:
    """Add a word and its meaning, or change the meaning of one (its author or a facilitator)."""
    term, meaning = term_and_meaning(args)
    _check(term, meaning)
    group = ctx.the_group()
    row = await ctx.uow.glossary.term(group.id, key_of(term))
    if row is not None:
        await _change(ctx, row, meaning)
        return
    words = await words_of(ctx.uow, group.id)
    existing = words.meaning(term)
    if existing is not None and existing.starter and not ctx.is_facilitator:
        raise Refusal(
            f"{term} is already one of the starter words. It means: "
            f"{sentence(existing.meaning)} Nothing was changed.",
            "A facilitator can give it the group's own meaning.",
        )
    await ctx.uow.glossary.add(
        GlossaryTerm(
            group_id=group.id,
            key=key_of(term),
            term=term,
            meaning=meaning,
            added_by=ctx.person.id,
            created_at=ctx.now,
        )
    )
    log.info("glossary.added", group=group.id)
    did = "gave the starter word" if existing else "added"
    own = " the group's own meaning" if existing else ""
    _tell(ctx, f"{ctx.person.display_name} {did} {term}{own}: {sentence(meaning)} {SHOWS_ALL}")


async def _change(ctx: Context, row: GlossaryTerm, meaning: str) -> None:
    if row.meaning == meaning:
        raise Refusal(f"{row.term} already means that. Nothing was changed.")
    if row.added_by != ctx.person.id and not ctx.is_facilitator:
        raise Refusal(
            f"{await _only(ctx, row)} can change what it means. It means: "
            f"{sentence(row.meaning)} Nothing was changed.",
            "You could tell them your idea.",
        )
    row.meaning = meaning
    if row.added_by != ctx.person.id:
        ctx.audit(f"changed what {row.term} means in the group's words")
    log.info("glossary.changed", group=row.group_id)
    _tell(
        ctx,
        f"{ctx.person.display_name} changed what {row.term} means: {sentence(meaning)} {SHOWS_ALL}",
    )


async def remove(ctx: Context, args: str) -> None:
    """Remove one of the group's own words (its author or a facilitator)."""
    term = term_only(args)
    if not term:
        raise Refusal(
            "Which word? Say /jargon remove and the word, like /jargon remove CMHT. "
            "Nothing was changed."
        )
    group = ctx.the_group()
    row = await ctx.uow.glossary.term(group.id, key_of(term))
    if row is None:
        found = starter_entry(term)
        if found is not None:
            raise Refusal(
                f"{found.term} is a starter word, so it can't be removed. Nothing was changed.",
                f"A facilitator can turn it off with /jargon off {found.term}.",
            )
        raise Refusal(
            f"{term[:MAX_TERM]} isn't in the group's words. Nothing was changed.",
            "Type /jargon to see them.",
        )
    if row.added_by != ctx.person.id and not ctx.is_facilitator:
        raise Refusal(
            f"{await _only(ctx, row)} can take it out. Nothing was changed.",
            "You could ask them to.",
        )
    await ctx.uow.glossary.remove(row)
    if row.added_by != ctx.person.id:
        ctx.audit(f"removed {row.term} from the group's words")
    log.info("glossary.removed", group=group.id)
    _tell(ctx, f"{ctx.person.display_name} removed {row.term} from the group's words.")


async def turn_off(ctx: Context, args: str) -> None:
    """Turn a starter word off for the group: packs no longer explain it."""
    entry, off = await _starter_word(ctx, args, "off")
    if off:
        raise Refusal(f"{entry.term} is already turned off. Nothing was changed.")
    await ctx.uow.glossary.turn_off(ctx.the_group().id, entry.key)
    ctx.audit(f"turned off the starter word {entry.term}")
    _tell(
        ctx,
        f"{ctx.person.display_name} turned off the starter word {entry.term}, so packs won't "
        f"explain it. /jargon on {entry.term} turns it back on.",
    )


async def turn_on(ctx: Context, args: str) -> None:
    """Turn a starter word back on for the group."""
    entry, off = await _starter_word(ctx, args, "on")
    if not off:
        raise Refusal(f"{entry.term} is already on. Nothing was changed.")
    await ctx.uow.glossary.turn_on(ctx.the_group().id, entry.key)
    ctx.audit(f"turned the starter word {entry.term} back on")
    _tell(
        ctx,
        f"{ctx.person.display_name} turned the starter word {entry.term} back on, so packs "
        f"will explain it again. It means: {sentence(entry.meaning)}",
    )


async def _starter_word(ctx: Context, args: str, verb: str) -> tuple[Entry, bool]:
    """The starter word named in `args`, and whether the group has it turned off."""
    term = term_only(args)
    entry = starter_entry(term) if term else None
    if entry is None:
        raise Refusal(
            f"{term[:MAX_TERM] or 'That'} isn't one of the starter words. Nothing was changed.",
            f"Type /jargon starter to see them, then /jargon {verb} and the word.",
        )
    return entry, entry.key in await ctx.uow.glossary.turned_off(ctx.the_group().id)


def _check(term: str, meaning: str) -> None:
    """A kind refusal for a term or meaning that is missing or too long."""
    if not term:
        raise Refusal(
            "Please say the word and what it means. Nothing was changed.",
            f"For example: {EXAMPLE}",
        )
    if len(term) > MAX_TERM or not any(c.isalnum() for c in term):
        raise Refusal(
            f"Please keep a word or phrase under {MAX_TERM} characters, with letters in it. "
            "Nothing was changed.",
            'For a phrase, put it in quotes: /jargon add "care plan" A written plan of care',
        )
    if meaning.startswith("<") and meaning.endswith(">"):
        raise Refusal(
            f"Please write what {term} means in place of {meaning[:40]}. Nothing was changed.",
            f"For example: {EXAMPLE}",
        )
    if not meaning:
        raise Refusal(
            f"Please say what {term} means, after the word. Nothing was changed.",
            f"For example: /jargon add {term} <what it means in plain words>",
        )
    if len(meaning) > MAX_MEANING:
        raise Refusal(
            f"Please keep a meaning under {MAX_MEANING} characters: one or two short "
            "sentences. Nothing was changed."
        )


async def _only(ctx: Context, row: GlossaryTerm) -> str:
    """'bob added CMHT, so only bob or a facilitator'."""
    person = await ctx.uow.people.get(row.added_by) if row.added_by else None
    if person is None:
        return f"Someone who has left added {row.term}, so only a facilitator"
    name = person.display_name
    return f"{name} added {row.term}, so only {name} or a facilitator"


def _tell(ctx: Context, text: str) -> None:
    """Post a change in the channel; said in a direct message, say where it went."""
    ctx.post(message(text))
    if ctx.in_dm:
        ctx.reply(message("Done. I've told the group in its channel."))


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="jargon",
        summary="See the group's words and what they mean. Add a word to look it up.",
        usage="/jargon",
        examples=("/jargon", "/jargon CMHT", EXAMPLE, '/jargon add "care plan" A written plan'),
        run=show,
        subs=(
            Sub(
                "add",
                add,
                "/jargon add <word> <what it means>",
                "Add a word and what it means. Anyone can. Only the person who added it, or a "
                "facilitator, can change it.",
            ),
            Sub(
                "remove",
                remove,
                "/jargon remove <word>",
                "Remove a word you added (facilitators can remove any).",
            ),
            Sub(
                "starter",
                show_starter,
                "/jargon starter",
                "See the common NHS and council words I explain already.",
            ),
            Sub(
                "off",
                turn_off,
                "/jargon off <starter word>",
                "Stop explaining a starter word in this group.",
                facilitator_only=True,
            ),
            Sub(
                "on",
                turn_on,
                "/jargon on <starter word>",
                "Explain a starter word again.",
                facilitator_only=True,
            ),
        ),
    ),
)
