"""The check-in's words, in one place so their tone can be reviewed, and the question."""

from __future__ import annotations

from handlers.checkins.rounds import BEFORE
from handlers.core.messages import (
    Block,
    Choices,
    Heading,
    Message,
    Option,
    PrivateInput,
    message,
)
from handlers.safety import crisis_line
from storage.models import CheckinRound, Group
from storage.uow import UnitOfWork

#: The fewest answers a meeting needs before how heard people felt there is shown at all
#: (in words or in a chart), so nobody's answer can be picked out.
FEWEST_TO_SHOW = 3
COLOURS = {
    "green": "Green: I'm doing okay",
    "amber": "Amber: I'm getting by, but it's a harder day",
    "red": "Red: I'm struggling today",
}
SHORT_COLOURS = {
    "green": "Green (doing okay)",
    "amber": "Amber (a harder day)",
    "red": "Red (struggling today)",
}
SCORES = {"1": "Not at all", "2": "Not really", "3": "Partly", "4": "Mostly", "5": "Yes, fully"}
ARRIVING = "How are you arriving today? There's no right or wrong answer."
HEARD = "Did you feel heard today? Choose from not at all to yes, fully."
WHO_SEES_BEFORE = (
    "Only the facilitators see a summary: how many chose each colour, and any needs, without names."
)
WHO_SEES_AFTER = (
    "Your answer is anonymous: I keep no name with it. The group sees the average only "
    "when at least 3 people have answered."
)
IN_CHANNEL = (
    "Answers are private. To answer, send /checkin to me in a direct message. "
    "You don't have to answer, and you can pass."
)
TURN_OFF = "You can pass on any question. To stop check-ins, say /checkin off."
THANKS = {
    "green": "Thank you. I'm glad you're here.",
    "amber": (
        "Thank you for telling me. Take things at your own pace today. You can take a break "
        "whenever you need one, and you don't have to explain."
    ),
    "red": (
        "Thank you for telling me. I'm sorry today is hard. You don't have to come, and if "
        "you do, it's fine to just listen. Nobody will see that you chose red."
    ),
}
THANKS_HEARD = "Thank you. I've kept your answer without your name."
NOT_HEARD = (
    "I'm sorry you didn't feel heard. If you'd like to say more, you can add a note "
    "without your name, or raise a concern anonymously with /concern."
)
PASSED = "That's fine. Thank you. You don't need to do anything else."
NOTE_KEPT = "Thank you. I'll pass this on to the facilitators without your name."
NAMED = "Okay. The facilitators will see your name with what you wrote (but not your answer)."
UNNAMED = "Okay. The facilitators will see what you wrote, without your name."
TOO_FEW = (
    "Fewer than 3 people answered, so I won't show the numbers. With so few, you might "
    "tell who said what."
)
NO_CONTACT = (
    "This group hasn't named a wellbeing contact yet. You could talk to someone you "
    "trust, or to a facilitator{names}."
)
URGENT = "If you need help now: {line}"
NO_CONTACT_FOR_FACILITATORS = (
    "This group has no wellbeing contact yet, so people who find today hard only get a "
    "crisis line from me. Please name someone with /checkin wellbeing."
)
CLOSED = "That check-in has closed, so I haven't kept your answer. Nothing was changed."


def moved(closed_id: int, r: CheckinRound, meeting_title: str) -> str:
    """What leads a reply when a closed check-in's number was given and another is open."""
    which = f"before {meeting_title}" if r.kind == BEFORE else f"after {meeting_title}"
    return (
        f"Check-in {closed_id} has closed, so I've used the check-in open now instead: "
        f"number {r.id}, {which}."
    )


def plural(n: int, one: str, many: str) -> str:
    """'1 person', '3 people'."""
    return f"{n} {one if n == 1 else many}"


def title(o_title: str, kind: str) -> str:
    """The check-in's heading, from its meeting's title."""
    return f"Check-in before {o_title}" if kind == BEFORE else f"After {o_title}"


async def wellbeing_lines(uow: UnitOfWork, group: Group) -> list[str]:
    """Who the group's wellbeing contact is, said kindly, or who else to talk to."""
    settings = await uow.checkins.settings(group.id)
    if settings.wellbeing:
        return [
            f"If you'd like to talk to someone, {group.name}'s wellbeing contact is "
            f"{settings.wellbeing}. They're outside the meeting, and you don't need to "
            "explain why you're getting in touch.",
            URGENT.format(line=crisis_line(group)),
        ]
    names = [m.person.display_name for m in await uow.groups.members(group.id) if m.is_facilitator]
    return [
        NO_CONTACT.format(names=f" ({', '.join(names)})" if names else ""),
        URGENT.format(line=crisis_line(group)),
    ]


def question(
    r: CheckinRound, meeting_title: str, group_id: int, lines: tuple[Block | str, ...] = ()
) -> Message:
    """The check-in as one person sees it privately: choices, pass, and an optional note.

    `lines` lead it when it travels in a meeting reminder.
    """
    if r.kind == BEFORE:
        options = [
            Option(label, f"/checkin answer {r.id} {k}", group_id) for k, label in COLOURS.items()
        ]
        asks, note_label, who_sees = (
            ARRIVING,
            "Anything you need from us today? (optional)",
            (WHO_SEES_BEFORE),
        )
        note = PrivateInput("Anything you need?", note_label, f"/checkin need {r.id}", group_id)
    else:
        options = [
            Option(label, f"/checkin answer {r.id} {k}", group_id) for k, label in SCORES.items()
        ]
        asks, who_sees = HEARD, WHO_SEES_AFTER
        note = PrivateInput(
            "Anything to add?",
            "Anything you want to add? (optional)",
            f"/checkin add {r.id}",
            group_id,
        )
    options.append(Option("Pass", f"/checkin pass {r.id}", group_id))
    return message(
        Heading(title(meeting_title, r.kind)),
        *lines,
        asks,
        Choices(tuple(options)),
        note,
        who_sees,
        TURN_OFF,
        summary=title(meeting_title, r.kind),
    )
