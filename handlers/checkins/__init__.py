"""/checkin: asking how people are, before and after meetings, and listening.

Before a meeting (1 hour before, by default) each member is asked "How are
you arriving today?" (green, amber or red, or pass) and, if they like, what
they need from the group today. After it (1 hour after the end) they are
asked whether they felt heard (1 to 5) and if they want to add anything.

What is kept: each answer with a keyed hash of (check-in, person) so it can
be changed and is counted once, but no name, no time and no order of
answering. A note (a need, or something to add) is kept apart from the answer,
and with a name only if its writer chose that. Facilitators get a summary:
how many chose each answer, and the notes. The group sees how heard people
felt only when at least 3 answered, so nobody can be picked out.

Check-ins go the way each person's /prefs say (a DM, or the channel, where the
question only points to a DM, so answers stay private), never in quiet hours,
and not at all to anyone who said /checkin off. A check-in that opens just as a
meeting reminder goes (as both do by default) is asked in the reminder's message.
Someone who answers red, or asks /checkin help, is told privately who the
group's wellbeing contact is.
`/checkin pause` tells the meeting's chair (or, without one, the facilitators)
privately that someone needs a pause.
"""

from __future__ import annotations

from handlers.checkins.commands import COMMANDS
from handlers.checkins.planning import asked_with_reminder, housekeep, pack_section, plan
from handlers.checkins.settings import wellbeing
from handlers.core.feature import Feature

__all__ = ["COMMANDS", "FEATURE", "asked_with_reminder", "wellbeing"]

FEATURE = Feature(
    name="checkins",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(housekeep,),
    pack_sections=(pack_section,),
)
