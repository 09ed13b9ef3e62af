"""The words rotation uses, in one place so their tone can be reviewed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from handlers.core.messages import Block, BulletList, Heading, Message, message
from handlers.core.occurrences import Occurrence
from handlers.core.when import when_shown
from handlers.rotation.fairness import (
    AGAIN,
    ASKED,
    DOUBLE,
    FEWEST,
    FEWEST_OVERALL,
    FIRST_TURN,
    LONGEST,
    ONLY,
    Pick,
)
from storage.models import GroupRole, RoleAssignment

CANT_MAKE_IT = (
    "Can't make it, or would rather not this time? Say /roles pass and I'll find someone "
    "else. Nobody needs a reason. To swap with someone, say /roles swap @name."
)
ROLES_GO_ROUND = "Roles go round so everyone who wants a turn gets one. Nobody has to take a role."
PAIRED = (
    "As you asked, there are two co-chairs (people who chair together). One has lived "
    "experience and one is a professional. I went by how people describe themselves in "
    "/prefs perspective."
)
NOT_PAIRED = (
    "I couldn't find two co-chairs (people who chair together), one with lived experience "
    "and one professional. Not from the people free to chair this time. So I picked the "
    "two it was fairest to ask."
)
NOT_YET_IN_USE = (
    "Roles: none given out yet. If you'd like to chair or take the minutes one day, "
    "say /roles willing chair or /roles willing minutes. Nobody has to."
)

_VERBS = {"chair": "chair", "minutes": "take the minutes"}


def verb(role: GroupRole | str) -> str:
    """What holding the role means, as a verb: 'chair', 'take the minutes', 'be the tea'."""
    name = role if isinstance(role, str) else role.name
    label = name if isinstance(role, str) else role.label
    return _VERBS.get(name, f"be the {label}")


def title(label: str) -> str:
    """The label with a capital first letter."""
    return label[:1].upper() + label[1:]


def listing(roles: Sequence[GroupRole]) -> str:
    """'chair, minute-taker and timekeeper'."""
    labels = [r.label for r in roles]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def why(p: Pick, name: str, role: GroupRole, offered: bool = True) -> str:
    """One or two plain sentences on why this person was picked (no judging words).

    offered: whether anyone in the group has offered to take this role at all.
    """
    does = verb(role)
    if p.person_id is None and not offered:
        return (
            f"Nobody has offered to {does} yet. Anyone can say /roles willing {role.name}. "
            f"To {does} at this meeting, say /roles take {role.name}."
        )
    if p.person_id is None:
        return (
            f"Everyone who offered to {does} is away or can't this time. "
            f"If you'd like to, say /roles take {role.name}."
        )
    r = p.reasons
    if ASKED in r:
        # Said as it is: they were given the role, not asked (nobody sent them a question).
        first = (
            f"Nobody who offered to {does} was free, so I've given it to {name}, who hadn't "
            f"offered. If not this time, {name} can say /roles pass and I'll ask someone else."
        )
    elif ONLY in r:
        first = f"{name} offered to {does} and was the only one free who had."
    elif FIRST_TURN in r:
        first = f"{name} offered to {does} and hasn't had a turn at it yet."
    elif FEWEST in r:
        first = f"{name} offered to {does} and has had the fewest turns at it."
    elif FEWEST_OVERALL in r:
        first = f"{name} offered to {does} and has had fewer turns at roles overall."
    elif LONGEST in r:
        first = f"{name} offered to {does}, and it's been longest since their last turn at it."
    else:
        first = f"{name} offered to {does}, and it was their turn."
    if AGAIN in r:
        return f"{first} {name} did this last time too, as nobody else who offered was free."
    if DOUBLE in r:
        return f"{first} {name} has another role too, as there weren't enough people free."
    return first


def holders(
    rows: Sequence[RoleAssignment], roles: Sequence[GroupRole], names: dict[int, str]
) -> str:
    """'Chair: Bob. Minute-taker: Carol.' in the group's order of roles."""
    order = {r.name: i for i, r in enumerate(roles)}
    labels = {r.name: r.label for r in roles}
    by_role: dict[str, list[str]] = defaultdict(list)
    for row in sorted(rows, key=lambda a: (order.get(a.role, 99), a.slot)):
        if row.role in labels:
            by_role[row.role].append(names.get(row.person_id, "open") if row.person_id else "open")
    parts = []
    for role, who in by_role.items():
        if len(who) == 2:
            parts.append(f"Co-{labels[role]}s: {who[0]} and {who[1]}.")
        else:
            parts.append(f"{title(labels[role])}: {', '.join(who)}.")
    return " ".join(parts)


def announcement(
    o: Occurrence,
    rows: Sequence[RoleAssignment],
    roles: Sequence[GroupRole],
    names: dict[int, str],
    by: str | None = None,
) -> Message:
    """The channel message giving out one meeting date's roles, with why for each."""
    order = {r.name: i for i, r in enumerate(roles)}
    whys = tuple(
        row.why
        for row in sorted(rows, key=lambda a: (order.get(a.role, 99), a.slot))
        if row.why and row.role in order
    )
    when, moments = when_shown(o)
    blocks: list[Block | str] = [
        Heading(f"Roles for {o.meeting.title}, {when}", moments),
        holders(rows, roles, names),
    ]
    if whys:
        blocks.append(BulletList(whys))
    if by:
        blocks.append(f"{by} gave out these roles with /rotate.")
    blocks.append(CANT_MAKE_IT)
    return message(*blocks, summary=f"Roles for {o.meeting.title}: {holders(rows, roles, names)}")
