"""/propose and /proposal: members answer Agree, Abstain, Disagree or Block (Loomio's
consent model), and the outcome is shared when it closes.

Anyone in the group can propose. A named proposal's channel post carries the four
answers; an anonymous one's doesn't (reactions in a group room are public): each member
gets them privately, and answers with a private sub-command. Anonymous answers keep no
person and no time, and who answered is kept apart from what was answered. The owner and
the facilitators see the count while it is open; everyone sees the outcome when it
closes. Before the close the channel hears how many have answered (and, once at least 3
have, how many of them have lived experience), and each member who hasn't is nudged
once. The outcome becomes a decision, with its follow-ups, in one step.

Modules: `commands`, `proposing` (/propose), `answering` (answers and reasons),
`listing`, `closing` (close early, decide), `tally` (counts and the outcome),
`planning` (what falls due), `reading` (what people type), `wording`.
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.proposals.commands import COMMANDS
from handlers.proposals.planning import close_due, plan

FEATURE = Feature(
    name="proposals",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(close_due,),
)
