"""What check-in answers add up to: the facilitators' summaries (counts, no names), and how
heard the group felt (shown only where at least 3 answered)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from handlers.checkins.chart import HeardAt, heard_chart
from handlers.checkins.rounds import AFTER, BEFORE
from handlers.checkins.wording import (
    COLOURS,
    FEWEST_TO_SHOW,
    NO_CONTACT_FOR_FACILITATORS,
    SHORT_COLOURS,
    TOO_FEW,
)
from handlers.core.commands import Context
from handlers.core.messages import Block, BulletList, Heading, Message, Paragraph, message
from storage.models import CheckinRound, Group
from storage.uow import UnitOfWork

TREND_MEETINGS = 5


def _average(answers: Sequence[str]) -> float:
    return sum(int(a) for a in answers) / len(answers)


async def heard_trend(uow: UnitOfWork, group: Group, now: datetime) -> list[HeardAt]:
    """How heard people felt at recent meetings with at least 3 answers, oldest first."""
    found = []
    for r in await uow.checkins.latest_rounds(group.id, AFTER, now, TREND_MEETINGS * 3):
        answers = await uow.checkins.answers(r.id)
        if len(answers) >= FEWEST_TO_SHOW:
            day = datetime.strptime(r.occurrence, "%Y-%m-%dT%H:%M").date()
            found.append(HeardAt(day, round(_average(answers), 1), len(answers)))
        if len(found) == TREND_MEETINGS:
            break
    return list(reversed(found))


async def trend_lines(uow: UnitOfWork, group: Group, now: datetime) -> list[str]:
    """'Thursday 3 December: 4.2 (5 answers)' for recent meetings with at least 3 answers."""
    return [h.line() for h in await heard_trend(uow, group, now)]


async def _notes(uow: UnitOfWork, r: CheckinRound) -> list[str]:
    lines = []
    for n in await uow.checkins.notes(r.id):
        person = await uow.people.get(n.person_id) if n.person_id else None
        lines.append(f"{person.display_name}: {n.text}" if person else n.text)
    return lines


async def summary_of(uow: UnitOfWork, group: Group, r: CheckinRound, title: str) -> Message | None:
    """What facilitators see: counts (no names) and notes (named only if their writer chose)."""
    answers = await uow.checkins.answers(r.id)
    notes = await _notes(uow, r)
    if not answers and not notes:
        return None
    blocks: list[Block] = []
    if r.kind == BEFORE:
        counts = Counter(answers)
        contact = (await uow.checkins.settings(group.id)).wellbeing
        blocks.append(Heading(f"How people are arriving: {title}"))
        if len(answers) >= FEWEST_TO_SHOW:
            blocks += [
                Paragraph(f"{len(answers)} people answered the check-in."),
                BulletList(tuple(f"{SHORT_COLOURS[c]}: {counts[c]}" for c in COLOURS)),
            ]
            if counts["red"]:
                blocks.append(
                    Paragraph(
                        "Someone is finding today hard. Please make breaks easy to take, and "
                        "remind everyone who they can talk to"
                        + (f": {contact}." if contact else ".")
                    )
                )
        else:
            blocks.append(Paragraph(TOO_FEW))
        if not contact:
            blocks.append(Paragraph(NO_CONTACT_FOR_FACILITATORS))
        if notes:
            blocks += [Paragraph("What people said they need today:"), BulletList(tuple(notes))]
        blocks.append(Paragraph("I never show names next to colours."))
    else:
        blocks.append(Heading(f"After {title}: did people feel heard?"))
        if len(answers) >= FEWEST_TO_SHOW:
            blocks.append(
                Paragraph(
                    f"{len(answers)} people answered. On average: {_average(answers):.1f} out of 5."
                )
            )
        else:
            blocks.append(Paragraph(TOO_FEW))
        if notes:
            blocks += [Paragraph("What people wanted to add:"), BulletList(tuple(notes))]
        blocks.append(
            Paragraph("Answers are anonymous. Notes show a name only if the writer chose that.")
        )
    return Message(tuple(blocks), summary=f"Check-in summary: {title}")


async def heard_post(
    uow: UnitOfWork, group: Group, r: CheckinRound, title: str, at: datetime
) -> Message | None:
    """The group's post on how heard people felt; None if too few answered to show it."""
    answers = await uow.checkins.answers(r.id)
    if len(answers) < FEWEST_TO_SHOW:
        return None  # too few to show without people being recognised
    blocks: list[Block] = [
        Heading(f"Did people feel heard at {title}?"),
        Paragraph(
            f"On average {_average(answers):.1f} out of 5, from "
            f"{len(answers)} people. Thank you to everyone who answered."
        ),
    ]
    found = await trend_lines(uow, group, at)
    if len(found) > 1:
        blocks += [Paragraph("Recent meetings, oldest first:"), BulletList(tuple(found))]
    blocks.append(
        Paragraph(
            "Answers are anonymous. If something didn't feel right, you "
            "can raise it with /concern, without your name."
        )
    )
    return Message(tuple(blocks), summary=f"Did people feel heard at {title}?")


async def summary(ctx: Context, args: str) -> None:
    """Facilitators: the latest check-in summaries, with answers given since they were sent."""
    group = ctx.the_group()
    blocks: list[Block] = []
    for kind in (BEFORE, AFTER):
        for r in await ctx.uow.checkins.latest_rounds(group.id, kind, ctx.now, 1):
            meeting = await ctx.uow.meetings.get(group.id, r.meeting_id)
            built = await summary_of(ctx.uow, group, r, meeting.title if meeting else "a meeting")
            if built is not None:
                blocks.extend(built.blocks)
    if not blocks:
        ctx.reply(message("There are no check-in answers to show yet."))
        return
    ctx.reply(Message(tuple(blocks), summary="Check-in summaries"))


async def trend(ctx: Context, args: str) -> None:
    """How heard people felt at recent meetings (only where at least 3 answered)."""
    found = await heard_trend(ctx.uow, ctx.the_group(), ctx.now)
    if not found:
        ctx.reply(
            message(
                "There's nothing to show yet. I show how heard people felt after a meeting "
                "once at least 3 people have answered.",
            )
        )
        return
    ctx.reply(
        message(
            Heading("Did people feel heard?"),
            "The average answer out of 5, at recent meetings, oldest first:",
            BulletList(tuple(h.line() for h in found)),
            "Answers never show who gave them. I leave out meetings where fewer than 3 people "
            "answered.",
            *([chart] if (chart := heard_chart(found)) else []),
            summary="Did people feel heard?",
        )
    )
