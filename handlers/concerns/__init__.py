"""/concern: anonymous concerns that stay anonymous.

What is stored: the words, the group, who should see them (the group or only
the facilitators), and the time of the release batch they wait for. Not
stored: who wrote them, where, or when. The receipt code is kept only as a
keyed hash. Concerns are released in batches (with the pack, and at the start
of the meeting) in a random order, so the time of release says nothing about
the time of writing. Nothing in this package logs anything.

Modules: `writing` (the form, drafts, quota, storing), `receipts` (status,
withdraw, audience by receipt code), `review` (facilitators: pending,
withhold, respond, limit), `release` (batches, planning, the pack's
responses), `wording` (who sees what, in words).
"""

from __future__ import annotations

from handlers.concerns.receipts import audience, status, withdraw
from handlers.concerns.release import housekeep, pack_section, plan
from handlers.concerns.review import limit, pending, respond, withhold
from handlers.concerns.wording import explain
from handlers.concerns.writing import discard, raise_concern, send, who
from handlers.core.commands import CommandSpec, Sub
from handlers.core.feature import Feature

__all__ = ["COMMANDS", "FEATURE"]

_CODE = {"needs_group": False}

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="concern",
        summary="Raise a concern anonymously. Send it to me in a direct message.",
        usage="/concern <your words>",
        examples=(
            "/concern The room was too hot to think",
            "/concern to facilitators I felt talked over",
        ),
        run=raise_concern,
        needs_group=False,
        private=True,
        subs=(
            Sub("help", explain, "/concern help", "Who can see what.", needs_group=False),
            Sub(
                "status",
                status,
                "/concern status <code>",
                "See what happened to your concern.",
                **_CODE,
            ),
            Sub(
                "withdraw",
                withdraw,
                "/concern withdraw <code>",
                "Take it back before it is shared.",
                **_CODE,
            ),
            Sub(
                "audience",
                audience,
                "/concern audience <code> group|facilitators",
                "Choose who sees it before it is shared.",
                **_CODE,
            ),
            Sub(
                "send",
                send,
                "/concern send <token>",
                "Send a concern you were asked to confirm.",
                hidden=True,
            ),
            Sub(
                "who",
                who,
                "/concern who <token> group|facilitators",
                "Choose who sees a concern before it is saved.",
                hidden=True,
            ),
            Sub(
                "discard",
                discard,
                "/concern discard <token>",
                "Don't send it.",
                hidden=True,
                **_CODE,
            ),
            Sub(
                "pending",
                pending,
                "/concern pending",
                "See concerns waiting to be shared.",
                facilitator_only=True,
            ),
            Sub(
                "withhold",
                withhold,
                "/concern withhold <code> <reason>",
                "Withhold one, with a reason the group sees.",
                facilitator_only=True,
            ),
            Sub(
                "respond",
                respond,
                "/concern respond <number> <text>",
                "Reply to a shared concern. The reply goes where the concern went.",
                facilitator_only=True,
            ),
            Sub(
                "limit",
                limit,
                "/concern limit <number>",
                "The most concerns one person can send in a day.",
                facilitator_only=True,
            ),
        ),
    ),
)

FEATURE = Feature(
    name="concerns",
    commands=COMMANDS,
    planners=(plan,),
    housekeeping=(housekeep,),
    pack_sections=(pack_section,),
)
