"""/contributions and /expenses: a record of what each member gives to the group.

Who was at each meeting (confirmed by the chair with one "Who was there?" prompt),
roles held, agenda items led, minutes written, preparation time people report for
themselves, and travel or digital costs; how each member wants to be paid; an export
for the finance team; and, for facilitators, how leading is shared between
perspectives, only ever as counts.

Modules: `commands`, `presence` (Who was there?), `adding` (time and expenses),
`payment` (each member's private choice), `views`, `export` (CSV), `leading` (who
leads, by perspective), `equal_pay` (the equal pay for equal roles check).
"""

from __future__ import annotations

from handlers.contributions import leading, presence
from handlers.contributions.commands import COMMANDS
from handlers.core.feature import Feature

FEATURE = Feature(
    name="contributions",
    commands=COMMANDS,
    planners=(presence.plan, leading.plan),
)
