"""Fewer, kinder messages: a member's daily round-up and the channel's after-the-meeting post.

`/prefs digest daily [at 18:00] | off` (choosing.py, a /prefs sub-command) lets a member
get the news that can wait (handlers/core/digestible.py) once a day (daily.py); the
delivery engine holds it for them (scheduler/digest.py), and commands hold theirs
(holding.py). In the hour after a meeting, decisions, actions and responses to concerns
go into one channel post (after_meeting.py). Sent round-ups are forgotten (upkeep.py).
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.digest import after_meeting, daily, upkeep

FEATURE = Feature(
    name="digest",
    planners=(daily.plan, after_meeting.plan),
    housekeeping=(upkeep.housekeep,),
)
