"""Safety: when someone seems to be in distress, they are answered at once, privately."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Sub
from handlers.core.feature import Feature
from handlers.safety.distress import shows_distress
from handlers.safety.support import (
    answer_distress,
    crisis_line,
    line,
    pack_section,
    show,
    support_message,
    tell,
)

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="support",
        summary="Who you can talk to if things are hard: a crisis line, and your group's "
        "wellbeing contact. Only you see the answer.",
        usage="/support",
        examples=("/support", "/support tell"),
        run=show,
        needs_group=False,
        takes_text=False,
        subs=(
            Sub(
                "tell",
                tell,
                "/support tell",
                "Ask for someone from your group to get in touch. I don't say why.",
                needs_group=False,
            ),
            Sub(
                "line",
                line,
                "/support line <words>",
                "Set the crisis line I give people, or 'default' for the usual numbers.",
                facilitator_only=True,
            ),
        ),
    ),
)

FEATURE = Feature(
    name="safety",
    commands=COMMANDS,
    pack_sections=(pack_section,),
    free_text=(answer_distress,),
)

__all__ = ["FEATURE", "crisis_line", "shows_distress", "support_message"]
