"""/ladder: members say, anonymously, where the group stands on the Ladder of
Co-production, and the group sees the result when at least 3 chose a rung.

Stored like concerns and anonymous proposal answers: answers hold no person and no
time, and who answered is kept apart from what. Modules: `commands`, `rounds` (when
rounds open, what falls due), `wording`. The schedule is described in `rounds`.
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.ladder.commands import COMMANDS
from handlers.ladder.rounds import plan, plan_next

FEATURE = Feature(
    name="ladder",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(plan_next,),
)
