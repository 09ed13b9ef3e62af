"""/icebreaker: gentle questions so people meet as people, not job titles.

Everyone is invited, facilitators too; nobody is pressed. "Pass" is always an
option and is never counted or shown. Answers are held and shown together: at
the meeting's start (for answers given ahead, from the pack), once everyone
has answered or passed, or when the icebreaker closes.

Prompts come from the bank in handlers/data/icebreakers.toml plus the group's
own (`/icebreaker add`). A group gets no repeats until it has had every one.

When things happen (the delivery engine runs housekeeping, then plans):
- the pack goes out: the meeting's icebreaker is chosen (housekeeping) and the
  pack shows it, so people can think ahead or answer early;
- the meeting starts: housekeeping marks early answers as shown; the channel
  gets the question with those answers, and a way to answer or pass;
- everyone has answered or passed: the answers are posted together at once;
- it closes (20 minutes after the start; an hour after /icebreaker): if any
  answers came since, everyone's answers (the early ones too) are posted together.
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.icebreakers.commands import COMMANDS
from handlers.icebreakers.planning import housekeep, pack_section, plan
from handlers.icebreakers.prompts import AVOID, TAGS, Prompt, bank, choose

__all__ = ["AVOID", "COMMANDS", "FEATURE", "TAGS", "Prompt", "bank", "choose"]

FEATURE = Feature(
    name="icebreakers",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(housekeep,),
    pack_sections=(pack_section,),
)
