"""What /decision and /update are: their help, and which function answers each form."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Context, Sub
from handlers.decisions.listing import list_decisions, show
from handlers.decisions.lookups import find_decision
from handlers.decisions.recording import lived_experience, record
from handlers.decisions.updates import update
from handlers.decisions.wording import EXAMPLE, UPDATE_EXAMPLE


async def decision(ctx: Context, args: str) -> None:
    """Record a decision; with no words, list the open ones; with a number, show one."""
    words = args.strip()
    if not words or words.lower() in ("open", "all"):
        await list_decisions(ctx, everything=words.lower() == "all")
        return
    if words.lstrip("#").isascii() and words.lstrip("#").isdigit():
        await show(ctx, await find_decision(ctx, words, "/decision 3"))
        return
    await record(ctx, words)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="decision",
        summary="See what the group has decided. The chair, a facilitator or the minute-taker "
        "can add a new one. The minute-taker is the person who writes down what was decided.",
        usage="/decision <what was decided> [owner @name] [update in 2 weeks] [item <n>] "
        "[from concern <n>]",
        examples=(EXAMPLE, "/decision", "/decision 3", "/decision all"),
        run=decision,
        subs=(
            Sub(
                "lived-experience",
                lived_experience,
                "/decision lived-experience <number> yes|no|unsure",
                "Say if people with lived experience helped to make it.",
            ),
        ),
    ),
    CommandSpec(
        name="update",
        summary="Say what happened to a decision; everyone hears 'you said, we did'.",
        usage="/update <number> done|in progress|changed|dropped|blocked <a few words>",
        examples=(
            UPDATE_EXAMPLE,
            "/update 4 dropped The budget was cut; we'll bring it back in April.",
            "/update",
        ),
        run=update,
    ),
)
