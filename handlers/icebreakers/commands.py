"""The /icebreaker command: what each sub-command does and who may use it."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Sub
from handlers.icebreakers.answering import answer, pass_, run_now
from handlers.icebreakers.managing import add, at_meetings, list_own, remove

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="icebreaker",
        summary="A gentle question so we meet as people. All are welcome, and you can pass.",
        usage="/icebreaker",
        examples=("/icebreaker", "/icebreaker answer 3 My cat, Mabel", "/icebreaker pass 3"),
        run=run_now,
        takes_text=False,
        unknown_hint="Type /help icebreaker to see what it can do.",
        subs=(
            Sub(
                "answer",
                answer,
                "/icebreaker answer <number> <your words>",
                "Answer an icebreaker. I show all the answers at once, so take your time.",
            ),
            Sub(
                "pass",
                pass_,
                "/icebreaker pass <number>",
                "Pass on an icebreaker. That is always fine, and nobody keeps count.",
            ),
            Sub(
                "add",
                add,
                "/icebreaker add <question>",
                "Add your own question for the group. Keep it light and easy.",
                facilitator_only=True,
            ),
            Sub(
                "list",
                list_own,
                "/icebreaker list",
                "See the questions your group has added.",
                facilitator_only=True,
            ),
            Sub(
                "remove",
                remove,
                "/icebreaker remove <number>",
                "Remove a question your group added.",
                facilitator_only=True,
            ),
            Sub(
                "meetings",
                at_meetings,
                "/icebreaker meetings on|off",
                "Say if each meeting starts with an icebreaker (it does at first).",
                facilitator_only=True,
            ),
        ),
    ),
)
