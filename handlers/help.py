"""/help: every command explained in plain words, generated from the commands' metadata."""

from __future__ import annotations

import re

from handlers.core.commands import CommandSpec, Context, Refusal
from handlers.core.feature import Feature
from handlers.core.messages import BulletList, Heading, Option, message

MARKS = "Put your own words where you see <these>."
FACILITATORS = "(facilitators)"


def _unique(ctx: Context) -> list[CommandSpec]:
    seen: dict[str, CommandSpec] = {spec.name: spec for spec in ctx.catalog.commands.values()}
    return [seen[name] for name in sorted(seen)]


def _either(text: str) -> str:
    """'yes|no|maybe' -> 'yes, no or maybe'."""
    parts = [part.strip() for part in text.split("|")]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"


def plain(usage: str) -> str:
    """A command's usage in words, without grammar marks: '/agenda add <item> [minutes N]
    [lead @name]' -> '/agenda add <item> (you can add: minutes N; lead @name)'."""
    extras = [_either(extra) for extra in re.findall(r"\[([^\]]*)\]", usage)]
    core = _either(" ".join(re.sub(r"\[[^\]]*\]", " ", usage).split()))
    return f"{core} (you can add: {'; '.join(extras)})" if extras else core


def _line(usage: str, summary: str, facilitators: bool) -> str:
    """'/roles add <name> - Add a role that goes round. (facilitators)'."""
    usage = plain(usage)
    if not facilitators:
        return f"{usage} - {summary}"
    summary = summary.removeprefix("Facilitators: ")  # the mark says it already
    if summary.rstrip(".").endswith(FACILITATORS):  # like /rotate's own summary
        return f"{usage} - {summary}"
    return f"{usage} - {summary[:1].upper()}{summary[1:]} {FACILITATORS}"


async def show(ctx: Context, args: str) -> None:
    """List every command, or explain one."""
    wanted = args.strip().lstrip("/!").lower()
    if not wanted:
        specs = _unique(ctx)
        ctx.reply(
            message(
                Heading("What I can do"),
                "Type any of these. Nothing here is compulsory: you can always skip or pass.",
                *(
                    [
                        "Facilitators are the people who run the group. Lines marked "
                        "(facilitators) are for them."
                    ]
                    if any(s.facilitator_only for s in specs)
                    else []
                ),
                BulletList(
                    tuple(_line(f"/{s.name}", s.summary, s.facilitator_only) for s in specs)
                ),
                "For more about one, type /help and its name, like /help agenda.",
                summary="What I can do",
            )
        )
        return
    spec = ctx.catalog.commands.get(wanted.split()[0])
    if spec is None:
        raise Refusal(
            f"I don't have a command called /{wanted.split()[0][:40]}.",
            "Type /help to see them all.",
        )
    subs = [sub for sub in spec.subs if not sub.hidden]
    lines = [_line(spec.usage, spec.summary, spec.facilitator_only)]
    lines += [
        _line(sub.usage, sub.summary, spec.facilitator_only or sub.facilitator_only) for sub in subs
    ]
    notes = []
    if spec.facilitator_only or any(s.facilitator_only for s in subs):
        notes.append("Lines marked (facilitators) are for the people who run the group.")
    if spec.private:
        notes.append("Send this to me in a direct message, so only I see it.")
    ctx.reply(
        message(
            Heading(f"/{spec.name}"),
            *([MARKS] if any("<" in line for line in lines) else []),
            BulletList(tuple(lines)),
            "For example:",
            BulletList(spec.examples),
            *notes,
            summary=f"Help for /{spec.name}",
        )
    )


#: The option every question from the bot offers: nobody has to answer.
NOT_NOW = Option("Not now", "/skip")


async def skip(ctx: Context, args: str) -> None:
    """Leave a question unanswered: it is always fine."""
    ctx.reply(message("Okay, no need to answer that. Nothing was changed."))


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="skip",
        summary="Leave one of my questions unanswered. That's always fine.",
        usage="/skip",
        examples=("/skip",),
        run=skip,
        needs_group=False,
    ),
    CommandSpec(
        name="help",
        summary="See what I can do, or how one command works.",
        usage="/help [command]",
        examples=("/help", "/help agenda"),
        run=show,
        needs_group=False,
    ),
)

FEATURE = Feature(name="help", commands=COMMANDS)
