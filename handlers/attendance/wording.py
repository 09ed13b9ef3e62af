"""The words "who is coming" uses, in one place so their tone can be reviewed."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.messages import Block, Choices, Option, Paragraph
from handlers.core.occurrences import Occurrence

YES, NO, MAYBE = "yes", "no", "maybe"
ANSWERS = (YES, NO, MAYBE)

#: What each answer's button says.
LABELS = {YES: "I'll be there", NO: "I can't make it this time", MAYBE: "Not sure"}

#: Other words people type after /coming for each answer.
SYNONYMS = {
    YES: YES,
    "y": YES,
    "coming": YES,
    "there": YES,
    NO: NO,
    "n": NO,
    "cant": NO,
    "can't": NO,
    "apologies": NO,
    MAYBE: MAYBE,
    "unsure": MAYBE,
    "perhaps": MAYBE,
    "notsure": MAYBE,
}

ASK = (
    "Will you be there? You don't need to reply. If you do, the facilitators will see it. "
    "If you can't make it, that's okay."
)
HOW_TO_CHANGE = "To change your answer, say /coming yes, /coming no or /coming maybe."
OTHER_WAYS = "Try /coming yes, /coming no or /coming maybe. Type /help coming to see more."


def date_words(o: Occurrence) -> str:
    """'Steering on Saturday 5 December, 14:00 to 16:00'."""
    return f"{o.meeting.title} on {o.when()}"


def button(o: Occurrence, answer: str) -> str:
    """The hidden command a button runs: it names its date, so an old button stays right."""
    return f"/coming at m{o.meeting.id} {o.key} {answer}"


def offer(o: Occurrence) -> tuple[Block, ...]:
    """The optional question, with its three answers, for a reminder or the pack."""
    group_id = o.meeting.group_id
    return (
        Paragraph(ASK),
        Choices(tuple(Option(LABELS[a], button(o, a), group_id) for a in ANSWERS)),
    )


def noted(o: Occurrence, answer: str, before: str | None) -> str:
    """What the person is told once their answer is kept."""
    when = date_words(o)
    changed = before is not None and before != answer
    if answer == YES:
        said = f"Lovely. I've noted that you'll be at {when}."
    elif answer == NO:
        said = (
            f"Thank you for letting me know. I've noted that you can't make it to {when}. "
            "That's okay, and nobody needs a reason. Your apologies will go in the minutes."
        )
    else:
        said = f"That's fine. I've noted that you're not sure yet about {when}."
    if changed:
        said = f"I've changed your answer. {said}"
    return f"{said} The facilitators can see your answer."


def numbers(counts: dict[str, int], not_said: int) -> str:
    """'3 coming, 1 can't make it, 1 not sure, 2 didn't say'."""
    return (
        f"{counts.get(YES, 0)} coming, {counts.get(NO, 0)} can't make it, "
        f"{counts.get(MAYBE, 0)} not sure, {not_said} didn't say"
    )


def apologies(names: Sequence[str]) -> str:
    """'Apologies: dan and erin.' or 'No apologies.'."""
    if not names:
        return "No apologies."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Apologies: {listed}."
