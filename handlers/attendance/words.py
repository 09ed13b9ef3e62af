"""Reading "I can't make it", "I'll be there" or "not sure if I can come" in a direct message.

Matching is on the same normalised text the distress check reads (lower case,
apostrophes dropped, "cannot" as "cant"). Words that also show distress are
left alone here, so the support message always answers them.
"""

from __future__ import annotations

import re

from handlers.attendance.answering import record
from handlers.attendance.dates import named_date
from handlers.attendance.wording import LABELS, MAYBE, NO, YES, button, date_words
from handlers.core.commands import Context
from handlers.core.messages import Choices, Message, Option, Paragraph, message
from handlers.help import NOT_NOW
from handlers.safety.distress import normalise, shows_distress

_GO = r"(?:make it|make the meeting|make this one|come|come along|attend|be there|join|get there)"
_ME = r"(?:i can|ill|i will|im able to|i|i am|im)(?: be able to)?"
_MAYBE = re.compile(
    r"\b(?:"
    rf"(?:not sure|dont know|unsure)(?: if| whether| that)? {_ME} {_GO}|"
    rf"(?:might|may) not (?:be able to )?{_GO}|"
    rf"(?:might|may|maybe i can|maybe ill|i hope to|hoping to) (?:be able to )?{_GO}"
    r")\b"
)
_NO = re.compile(
    r"\b(?:"
    rf"(?:cant|wont|couldnt|unable to|not able to|not going to|not gonna)"
    rf"(?: be able to)? {_GO}|"
    r"(?:send|sending|give|giving)(?: my)? apologies|"
    r"apologies for|(?:ill|i will|im going to|i am going to) (?:have to )?miss|"
    r"(?:ill|i will) not be there|im not coming|i am not coming|"
    rf"dont think {_ME} {_GO}"
    r")\b"
)
_YES = re.compile(
    r"\b(?:"
    rf"(?:ill|i will|i can|i shall|im going to|i am going to) {_GO}|"
    r"im coming|i am coming|see you (?:there|tomorrow|then|on)|count me in"
    r")\b"
)


def answer_in(text: str) -> str | None:
    """yes, no or maybe if the words say whether the person is coming; None otherwise."""
    folded = normalise(text)
    for answer, pattern in ((MAYBE, _MAYBE), (NO, _NO), (YES, _YES)):
        if pattern.search(folded):
            return answer
    return None


async def answer_words(ctx: Context, text: str) -> bool:
    """Record "I can't make it" and the like for the next meeting; True if it answered."""
    answer = answer_in(text)
    if answer is None or shows_distress(text):
        return False
    groups = list(await ctx.uow.groups.of_person(ctx.person.id))
    if not groups:
        return False
    dated = [(g, await named_date(ctx.uow, g, ctx.now, text)) for g in groups]
    found = [(g, o) for g, o in dated if o is not None]
    if not found:
        ctx.reply(
            message(
                "Thank you for telling me. There's no meeting planned yet, so I haven't "
                "noted anything. You don't need to do anything else."
            )
        )
        return True
    if len(found) > 1:
        choices = [Option(f"{g.name}: {date_words(o)}", button(o, answer), g.id) for g, o in found]
        question = Paragraph(f"Which meeting is that about? ({LABELS[answer]})")
        ctx.reply(Message((question, Choices((*choices, NOT_NOW)))))
        return True
    [(group, o)] = found
    ctx.reply(await record(ctx.uow, group, ctx.person, o, answer, ctx.now, undo=True))
    return True
