"""/action: something one person said they would do, by a date, with gentle reminders.

Anyone can add an action for themselves. Giving one to someone else is for the
chair, the minute-taker or a facilitator (see handlers/followups.may_record).
The owner is reminded privately the day before and on the day, with a Done
button. If it is still open a few days after its date, the owner is asked once,
privately, how it is going (Done / Still going / Not going to happen); open
actions are listed in the pack (by handlers/decisions) and by /action, those past
their date as "overdue since ...".

The modules: `commands` (what /action is), `adding` (a new action), `outcomes`
(done, still going, won't happen), `listing` (the open actions) and `planning`
(the reminders and the question).
"""

from __future__ import annotations

from handlers.actions.commands import COMMANDS
from handlers.actions.listing import lines
from handlers.actions.planning import plan
from handlers.core.feature import Feature

FEATURE = Feature(name="actions", commands=COMMANDS, planners=(plan,))

__all__ = ["FEATURE", "lines"]
