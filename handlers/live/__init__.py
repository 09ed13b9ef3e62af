"""Live meeting mode: the bot keeps time in the meeting, and the chair steers it.

On by default (`/meeting live on|off`). As a meeting starts, the channel gets
today's agenda; each item is called at its time (its content note first); the
chair gets a private note when an item has 5 minutes left; breaks fall between
items. The chair moves on with /next, gives more time with /more 10m, goes
back with /back, pauses with /pause and finishes with /end; the times of the
rest follow. Anyone else's /pause asks the chair for one, privately.

The modules: `schedule` (where items and breaks fall after the chair's moves,
a pure function), `planning` (what the delivery engine sends, and when),
`steering` (the chair's commands), `settings` (/meeting live), `wording`.
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.live.commands import COMMANDS
from handlers.live.planning import plan

FEATURE = Feature(name="live", commands=COMMANDS, planners=(plan,))
