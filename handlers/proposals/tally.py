"""Counting a proposal's answers, who took part, and the outcome everyone sees at the close.

Lived experience is counted from the words people chose for `/prefs perspective`
(read as rotation reads them), only ever as a number, and only once at least
`FEWEST_FOR_COUNT` people have answered, so a small count can't point at anyone.
"""

from __future__ import annotations

from collections import Counter

from handlers.core.messages import Block, BulletList, Choices, Heading, Message, Option, message
from handlers.followups import name_of
from handlers.proposals.chart import outcome_chart
from handlers.proposals.wording import (
    ANSWERS,
    BLOCK,
    FEWEST_FOR_COUNT,
    LABEL,
    counts_line,
    people,
    when_words,
)
from handlers.rotation.fairness import LIVED
from handlers.rotation.perspective import perspective_side
from storage.models import Group, Proposal
from storage.uow import UnitOfWork


async def counts(uow: UnitOfWork, p: Proposal) -> dict[str, int]:
    """How many gave each answer (reasons added later are not answers)."""
    found = Counter(a.answer for a in await uow.proposals.answers(p.id) if a.answer)
    return {a: found.get(a, 0) for a in ANSWERS}


async def taking_part(uow: UnitOfWork, p: Proposal) -> str:
    """'4 of 6 members have answered, 2 of them with lived experience ...'."""
    voters = await uow.proposals.voters(p.id)
    members = len(await uow.groups.members(p.group_id))
    line = f"{len(voters)} of {members} members have answered"
    if len(voters) < FEWEST_FOR_COUNT:
        return line + "."
    prefs = await uow.people.preferences_of(voters)
    lived = sum(perspective_side(prefs[v].perspective) == LIVED for v in voters if v in prefs)
    return (
        f"{line}. {lived} of them have lived experience, going by how they describe "
        "themselves in /prefs perspective."
    )


async def reasons(uow: UnitOfWork, p: Proposal) -> list[str]:
    """Every reason given: with names, or without them when answers are anonymous."""
    lines = []
    for a in await uow.proposals.answers(p.id):
        if not a.reason:
            continue
        kind = LABEL[a.answer] if a.answer else ""
        if p.anonymous:
            lines.append(f"{kind}: {a.reason}" if kind else a.reason)
        else:
            lines.append(
                f"{await name_of(uow, a.person_id, group_id=p.group_id)} ({kind}): {a.reason}"
            )
    return sorted(lines) if not p.anonymous else lines


async def _who_answered_what(uow: UnitOfWork, p: Proposal) -> tuple[str, ...]:
    """'Agree: bob and carol', one line per answer someone gave (named proposals only)."""
    names: dict[str, list[str]] = {a: [] for a in ANSWERS}
    for a in await uow.proposals.answers(p.id):
        names[a.answer].append(await name_of(uow, a.person_id, group_id=p.group_id))
    return tuple(f"{LABEL[a]}: {_and(sorted(names[a]))}" for a in ANSWERS if names[a])


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


async def outcome(uow: UnitOfWork, group: Group, p: Proposal) -> Message:
    """What everyone sees once it has closed: counts, blocks, reasons, who took part."""
    tally = await counts(uow, p)
    blocks: list[Block | str] = [
        Heading(f"Proposal {p.number} has closed"),
        p.text,
        f"Answers: {counts_line(tally)}.",
    ]
    if chart := outcome_chart(p.number, tally):
        blocks.append(chart)
    if tally[BLOCK]:
        blocks.append(
            f"{people(tally[BLOCK])} blocked it. A block is a strong no: not OK with it "
            "going ahead. It's worth talking this through before you decide."
        )
    else:
        blocks.append("Nobody blocked it.")
    if not p.anonymous and (named := await _who_answered_what(uow, p)):
        blocks.append(BulletList(named))
    found = await reasons(uow, p)
    if found:
        blocks += ["Reasons people gave" + (", without names:" if p.anonymous else ":")]
        blocks.append(BulletList(tuple(found)))
    blocks.append((await taking_part(uow, p)).replace("have answered", "answered"))
    if p.decision_id is None:
        blocks += [
            "The person who proposed it, or a facilitator, can now add it to the decision "
            "log. There, someone looks after it and gives updates.",
            Choices((Option("Record it as a decision", f"/proposal decide {p.number}", group.id),)),
        ]
    return message(*blocks, summary=f"Proposal {p.number} has closed")


async def running(uow: UnitOfWork, group: Group, p: Proposal) -> list[str]:
    """What the owner and facilitators see while it is open."""
    said = [await taking_part(uow, p)]
    if p.anonymous:
        said.append(
            "The answers themselves are shown to everyone when it closes, on "
            f"{when_words(p.closes_at, group)}: showing them as they come in could tell "
            "who answered what."
        )
    else:
        said.append(f"So far: {counts_line(await counts(uow, p))}.")
    return said
