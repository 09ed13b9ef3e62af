"""How the ladder pulse reads: the rungs in plain words, the question, and the result."""

from __future__ import annotations

from collections import Counter
from statistics import median_low

from handlers.core.messages import BulletList, Choices, Heading, Message, Option, message
from handlers.core.when import said_at
from handlers.help import NOT_NOW
from handlers.proposals.wording import people
from storage.models import Group, LadderRound

PASS = 0
#: Think Local Act Personal's Ladder of Co-production, low to high, each in plain words.
RUNGS = {
    1: ("Coercion", "we have to go along with what others decided."),
    2: ("Educating", "we are helped to understand services, but not asked."),
    3: ("Informing", "we are told what has been decided."),
    4: ("Consulting", "we are asked what we think, but others decide."),
    5: ("Engaging", "we are listened to more, but others still hold the power."),
    6: ("Co-design", "we help shape plans, but others make the final choice."),
    7: ("Co-production", "we share power and decide together, as equals."),
}
#: Fewest answers (passes not counted) for a round's result to be shared.
FEWEST_TO_SHOW = 3
NOT_ENOUGH = (
    "Not enough answers yet to share a result (fewer than 3). That keeps the answers anonymous."
)
STEPS = {1: "one rung", 2: "two rungs", 3: "three rungs"}


def rung_line(rung: int) -> str:
    """'3. Informing: we are told what has been decided.'"""
    name, means = RUNGS[rung]
    return f"{rung}. {name}: {means}"


def question(r: LadderRound, group: Group) -> Message:
    """The question one member is sent privately, with each rung and Pass as a choice."""
    options = [Option(RUNGS[n][0], f"/ladder answer {r.id} {n}", group.id) for n in RUNGS]
    options += [Option("Pass", f"/ladder answer {r.id} pass", group.id), NOT_NOW]
    return message(
        Heading("Where do you think this group stands?"),
        "This is the Ladder of Co-production, from the lowest rung to the highest:",
        BulletList(tuple(rung_line(n) for n in RUNGS)),
        "Your answer is anonymous. I don't keep who answered what. You can answer once, "
        "or pass. It's fine not to answer at all.",
        said_at(
            "The group sees the result after ",
            r.closes_at,
            group.timezone,
            f", if at least {FEWEST_TO_SHOW} people chose a rung.",
        ),
        Choices(tuple(options)),
        summary="Where do you think this group stands?",
    )


def middle(rungs: list[int]) -> int:
    """The middle answer (the lower of the two middle ones when there is an even number)."""
    return int(median_low(rungs))


def trend(now: int, before: int | None, since: str) -> str:
    """'That is up one rung since March.' (or nothing to compare with)."""
    if before is None:
        return "There is no earlier result to compare with yet."
    if now == before:
        return f"That is the same as in {since}."
    way = "up" if now > before else "down"
    return (
        f"That is {way} {STEPS.get(abs(now - before), f'{abs(now - before)} rungs')} since {since}."
    )


def result(group: Group, answers: list[int], before: int | None, since: str) -> Message:
    """What the group sees when a round closes: counts only, never anything per person."""
    rungs = [a for a in answers if a != PASS]
    if len(rungs) < FEWEST_TO_SHOW:
        return message(NOT_ENOUGH, summary="The ladder question has closed")
    found = Counter(rungs)
    passed = len(answers) - len(rungs)
    mid = middle(rungs)
    name, means = RUNGS[mid]
    return message(
        Heading("Where the group thinks it stands"),
        f"{people(len(rungs))} chose a rung" + (f", and {passed} passed." if passed else "."),
        BulletList(tuple(f"{RUNGS[n][0]}: {found.get(n, 0)}" for n in reversed(RUNGS))),
        f"The middle answer is {name}: {means}",
        trend(mid, before, since),
        "You might talk about what would help the group climb a rung.",
        summary="Where the group thinks it stands",
    )
