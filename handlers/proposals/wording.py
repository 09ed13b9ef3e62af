"""How proposals read: what each answer means, the proposal as posted, and its choices."""

from __future__ import annotations

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
    message,
)
from handlers.core.when import said_at
from handlers.help import NOT_NOW
from storage.models import Group, Proposal

AGREE, ABSTAIN, DISAGREE, BLOCK = "agree", "abstain", "disagree", "block"
ANSWERS = (AGREE, ABSTAIN, DISAGREE, BLOCK)
#: The fewest answers before counts (and charts) of who answered what are shown.
FEWEST_FOR_COUNT = 3
#: What each answer means, in plain words (Loomio's consent model).
MEANS = {
    AGREE: "I'm happy with this.",
    ABSTAIN: "I'm happy for the group to decide without me.",
    DISAGREE: "I have concerns, but I won't stand in the way.",
    BLOCK: "I have a serious objection, and I'm not OK with this going ahead.",
}
LABEL = {a: a.capitalize() for a in ANSWERS}
EXAMPLE = "/propose We meet online in January closes in 3 days"
ONCE = "You can answer once: answers can't be changed afterwards. A reason is welcome, not needed."


def local_words(at: datetime, zone: ZoneInfo) -> str:
    """'Friday 4 December at 17:00', in that time zone."""
    local = at.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def when_words(at: datetime, group: Group) -> str:
    """'Friday 4 December at 17:00', in the group's time zone."""
    return local_words(at, ZoneInfo(group.timezone))


def meanings() -> BulletList:
    """'Agree: I'm happy with this.' and the other three."""
    return BulletList(tuple(f"{LABEL[a]}: {MEANS[a]}" for a in ANSWERS))


def choices(p: Proposal, group: Group, command: str, not_now: bool = False) -> Choices:
    """The four answers as options that run `/proposal <command> <n> <answer>`."""
    opts = [Option(LABEL[a], f"/proposal {command} {p.number} {a}", group.id) for a in ANSWERS]
    return Choices(tuple(opts + ([NOT_NOW] if not_now else [])))


def answer_command(p: Proposal) -> str:
    """The sub-command that answers this proposal: private when answers are anonymous."""
    return "privately" if p.anonymous else "answer"


def posted(p: Proposal, group: Group, owner: str) -> Message:
    """The proposal as the group sees it in the channel."""
    blocks: list[Block | str] = [
        Heading(f"Proposal {p.number}, from {owner}"),
        p.text,
        said_at("It's open until ", p.closes_at, group.timezone, ". What the answers mean:"),
        meanings(),
        ONCE,
    ]
    if p.anonymous:
        blocks.append(
            "Answers to this one are anonymous: nobody, facilitators included, can see who "
            "answered what. I'll send each of you the choices privately."
        )
    else:
        blocks += [
            "Answers are shared, with names, when it closes.",
            choices(p, group, "answer"),
        ]
    return message(*blocks, summary=f"Proposal {p.number} from {owner}")


def invitation(p: Proposal, group: Group, owner: str, nudge: bool) -> Message:
    """The choices sent privately to one member (an anonymous proposal, or a nudge)."""
    first: Paragraph | str = (
        said_at(
            f"A gentle reminder: proposal {p.number} closes on ",
            p.closes_at,
            group.timezone,
            ", and you haven't answered yet. It's fine not to.",
        )
        if nudge
        else f"Proposal {p.number}, from {owner}, is open for answers."
    )
    blocks: list[Block | str] = [first, f"Proposal {p.number}: {p.text}"]
    if p.anonymous:
        blocks.append("Your answer is anonymous: I don't keep who answered what.")
    blocks += [meanings(), ONCE, choices(p, group, answer_command(p), not_now=True)]
    return message(*blocks, summary=f"Proposal {p.number}: your answer")


def counts_line(counts: dict[str, int]) -> str:
    """'Agree 3, Abstain 0, Disagree 0, Block 1'."""
    return ", ".join(f"{LABEL[a]} {counts.get(a, 0)}" for a in ANSWERS)


def people(n: int) -> str:
    """'1 person', '3 people'."""
    return f"{n} {'person' if n == 1 else 'people'}"
