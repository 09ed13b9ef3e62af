"""What /action is: its help, and which function answers each form."""

from __future__ import annotations

from handlers.actions.adding import add
from handlers.actions.listing import EXAMPLE
from handlers.actions.outcomes import done, drop, going
from handlers.core.commands import CommandSpec, Sub

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
            Sub(
                "going",
                going,
                "/action going <number> [by <new date>]",
                "Say an action is still going, with a new date if you know one.",
            ),
            Sub(
                "drop",
                drop,
                "/action drop <number> [why]",
                "Say an action won't happen after all; the group is told, so nobody waits.",
            ),
        ),
    ),
)
