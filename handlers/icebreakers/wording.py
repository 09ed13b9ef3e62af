"""The icebreaker's words, in one place so their tone can be reviewed, and its messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.core.messages import (
    Block,
    BulletList,
    Choices,
    Heading,
    Message,
    Option,
    Paragraph,
    PrivateInput,
    message,
)
from handlers.core.when import at_time
from storage.models import Group, IcebreakerAnswer, IcebreakerRound
from storage.uow import UnitOfWork

INVITE = (
    "Everyone is welcome to answer, the people who run the group too. Send me your answer "
    "in private. I'll show all the answers together {when}. It's always fine to pass, and "
    "nobody keeps count."
)
THANKS_HELD = "Thank you. I'll show your answer along with the rest {when}."
PASSED = "That's fine. You can always pass, and nobody keeps count."
THANKS_ALL = "Thank you to all who took part. It was good to hear from you."
ALL_SHARED = "Thank you. Everyone has answered or passed, so I've shared the answers together."
NONE_GOING = "There's no icebreaker going at the moment, so nothing was changed."
START_ONE = "You can start one with /icebreaker."
EVERYONE_PASSED = "Everyone passed this time, and that is fine. We can try a new one next time."
PACK_INVITE = (
    "You can think about it ahead, or answer now with /icebreaker answer {id} and your "
    "words. Answers are shown together when the meeting starts. Passing is always fine."
)


def _local(group: Group, at: datetime) -> str:
    return at_time(at, ZoneInfo(group.timezone)).text


def until(group: Group, r: IcebreakerRound) -> str:
    """When the answers will be shown: 'when all have answered or passed, or at 12:20'."""
    return f"when all have answered or passed, or at {_local(group, r.closes_at)}"


def ask(group: Group, r: IcebreakerRound, ahead: list[str]) -> Message:
    """The question in the channel, with any answers given ahead, and a way to answer or pass."""
    blocks: list[Block] = [Heading("Icebreaker"), Paragraph(r.text)]
    if ahead:
        blocks += [Paragraph("Answers given ahead:"), BulletList(tuple(ahead))]
    if r.phase == "closed":
        blocks.append(Paragraph("Everyone has answered or passed. Thank you."))
    else:
        blocks += [
            Paragraph(
                INVITE.format(when=until(group, r)),
                (at_time(r.closes_at, ZoneInfo(group.timezone)),),
            ),
            PrivateInput(
                "Answer the icebreaker", "Your answer:", f"/icebreaker answer {r.id}", group.id
            ),
            Choices((Option("Pass", f"/icebreaker pass {r.id}", group.id),)),
        ]
    return Message(tuple(blocks), summary=f"Icebreaker: {r.text}")


def answers_message(r: IcebreakerRound, lines: list[str]) -> Message:
    """Everyone's answers, shown together (or that everyone passed)."""
    return message(
        Heading("Icebreaker answers"),
        r.text,
        *((BulletList(tuple(lines)), THANKS_ALL) if lines else (EVERYONE_PASSED,)),
        summary="Icebreaker answers",
    )


async def answer_lines(uow: UnitOfWork, answers: Sequence[IcebreakerAnswer]) -> list[str]:
    """'Alice: my cat' for each answer; passes are never shown."""
    lines = []
    for answer in answers:
        if answer.text is None:
            continue  # a pass: never shown, never counted
        person = await uow.people.get(answer.person_id)
        lines.append(f"{person.display_name if person else 'Someone'}: {answer.text}")
    return lines
