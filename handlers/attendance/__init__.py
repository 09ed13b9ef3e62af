"""Who is coming: members may say whether they'll be at a meeting date (never chased).

The day-before and hour-before reminders and the pack offer "I'll be there /
I can't make it this time / Not sure" (`offer`); each button names its date,
so an old reminder answers for the right one. `/coming` answers for the next
meeting, and so do plain words in a direct message ("sorry, I can't make it
on Thursday"). The latest answer counts. Nobody is ever asked again.
Facilitators get the numbers and the apologies in one short note a couple of
hours before the start (only when someone answered), and any time with
`/coming who`; the apologies are shown with the minutes. Someone who can't
come and holds a role at that meeting is offered `/roles pass`.
"""

from __future__ import annotations

from handlers.attendance.answering import at, clear, coming, maybe, no, yes
from handlers.attendance.counting import apologies_line, plan, who
from handlers.attendance.wording import offer
from handlers.attendance.words import answer_words
from handlers.core.commands import CommandSpec, Sub
from handlers.core.feature import Feature

__all__ = ["FEATURE", "apologies_line", "offer"]


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="coming",
        summary="Say whether you'll be at the next meeting. You never have to, and nobody "
        "will chase you.",
        usage="/coming [yes|no|maybe]",
        examples=("/coming", "/coming no", "/coming maybe", "/coming who"),
        run=coming,
        subs=(
            Sub("yes", yes, "/coming yes", "I'll be there."),
            Sub("no", no, "/coming no", "I can't make it this time. Nobody needs a reason."),
            Sub("maybe", maybe, "/coming maybe", "I'm not sure yet."),
            Sub(
                "clear",
                clear,
                "/coming clear",
                "Take back your answer, as if you hadn't said.",
            ),
            Sub(
                "who",
                who,
                "/coming who",
                "Facilitators: how many are coming, can't, aren't sure or didn't say, and "
                "who sent apologies.",
                facilitator_only=True,
            ),
            Sub(
                "at",
                at,
                "/coming at <meeting> <date> yes|no|maybe",
                "Answer for one meeting date (what the buttons do).",
                hidden=True,
            ),
        ),
    ),
)

FEATURE = Feature(
    name="attendance",
    commands=COMMANDS,
    planners=(plan,),
    free_text=(answer_words,),
)
