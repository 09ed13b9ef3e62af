"""/help: every command explained in plain words, generated from the commands' metadata."""

from __future__ import annotations

from handlers.commands import CommandSpec, Context, Refusal
from handlers.messages import BulletList, Heading, message


def _unique(ctx: Context) -> list[CommandSpec]:
    seen: dict[str, CommandSpec] = {spec.name: spec for spec in ctx.commands.values()}
    return [seen[name] for name in sorted(seen)]


async def show(ctx: Context, args: str) -> None:
    """List every command, or explain one."""
    wanted = args.strip().lstrip("/!").lower()
    if not wanted:
        ctx.reply(
            message(
                Heading("What I can do"),
                "Type any of these. Nothing here is compulsory: you can always skip or pass.",
                BulletList(tuple(f"/{s.name} - {s.summary}" for s in _unique(ctx))),
                "For more about one, type /help and its name, like /help agenda.",
                summary="What I can do",
            )
        )
        return
    spec = ctx.commands.get(wanted.split()[0])
    if spec is None:
        raise Refusal(
            f"I don't have a command called /{wanted.split()[0][:40]}.",
            "Type /help to see them all.",
        )
    lines = [f"{spec.usage} - {spec.summary}"]
    lines += [f"{sub.usage} - {sub.summary}" for sub in spec.subs]
    notes = []
    if spec.facilitator_only or any(s.facilitator_only for s in spec.subs):
        notes.append("Some of these are for facilitators only; I'll tell you if so.")
    if spec.private:
        notes.append("Send this to me in a direct message, so only I see it.")
    ctx.reply(
        message(
            Heading(f"/{spec.name}"),
            BulletList(tuple(lines)),
            "For example: " + "  ".join(spec.examples),
            *notes,
            summary=f"Help for /{spec.name}",
        )
    )


COMMANDS = (
    CommandSpec(
        name="help",
        summary="See what I can do, or how one command works.",
        usage="/help [command]",
        examples=("/help", "/help agenda"),
        run=show,
        needs_group=False,
    ),
)
