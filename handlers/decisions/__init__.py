"""/decision and /update: decisions with an owner, and a feedback loop that closes.

A decision is recorded by the chair, the minute-taker or a facilitator, with the
meeting (and agenda item) it came from. Whoever recorded it is then asked, not
assumed, whether members with lived experience were part of making it.

Follow-ups: the owner is asked privately when an update is due (or on their first
day back, if they are away then), asked once more three days later, and a week
after they were asked the facilitators are told it is still waiting, and what was
really sent; the next pack lists it as "waiting for an update". Each goes out
once, and an update stops the rest (their build finds the cycle moved on).

Every update goes to every member once, by DM or in the channel as each person
asked (a "members" item for the delivery engine, due the moment it is made), as a
plain "You said -> we did (or didn't, and why)"; it also shows in the next pack
and in the monthly "what changed because of this group" digest in the channel.
A decision that answers an anonymous concern shows every update to the concern's
writer through their receipt code (the feature's `concern_status`, read by /concern status).

The modules: `commands` (what /decision and /update are), `recording` (a new
decision, and the lived-experience answer), `listing` (the open decisions, one
decision), `updates` (/update), `planning` (what falls due), `asking` (the
follow-up questions), `waiting` (the facilitators' note), `digest` (the monthly
digest), `pack` and `concern_status` (what other features show), `wording`,
`reading` (what people type) and `lookups`.
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.decisions.commands import COMMANDS
from handlers.decisions.concern_status import concern_status
from handlers.decisions.pack import pack_section
from handlers.decisions.planning import plan

FEATURE = Feature(
    name="decisions",
    commands=COMMANDS,
    planners=(plan,),
    pack_sections=(pack_section,),
    concern_status=(concern_status,),
)
