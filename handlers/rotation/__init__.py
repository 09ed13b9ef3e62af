"""/roles and /rotate: chair, minute-taker and any role a group adds, going round fairly.

Roles for the next meeting are given out by a facilitator with `/rotate`
(rotate.py), or otherwise automatically when the pack goes out, shown in the
pack and posted in the channel once (planning.py). Members offer, decline,
pass, take and swap roles with `/roles` (roles.py, offers.py); an open role is
offered to one person at a time, moving on if nobody answers (cover.py). Who
gets what is decided by a pure function (fairness.py), with co-chairs paired
by the sides their own words put them on (perspective.py); assigning.py
gathers what it needs and stores the result, and wording.py says why, in
plain words.
"""

from handlers.core.feature import Feature
from handlers.rotation import cover
from handlers.rotation.fairness import (
    ASKED,
    CHAIR,
    LIVED,
    PROFESSIONAL,
    UNPAIRED,
    Candidate,
    Pick,
    Slot,
    pick,
)
from handlers.rotation.planning import pack_section, plan
from handlers.rotation.roles import ROLES
from handlers.rotation.rotate import ROTATE

FEATURE = Feature(
    name="rotation",
    commands=(ROLES, ROTATE),
    planners=(plan, cover.plan),
    housekeeping=(cover.move_on,),
    pack_sections=(pack_section,),
)

__all__ = [
    "ASKED",
    "CHAIR",
    "FEATURE",
    "LIVED",
    "PROFESSIONAL",
    "UNPAIRED",
    "Candidate",
    "Pick",
    "Slot",
    "pick",
]
