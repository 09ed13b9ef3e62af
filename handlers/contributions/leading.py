"""Who leads, who speaks: how leading is shared between perspectives, as counts only.

For the facilitators, once a month (10:00 on the 1st, group time, when the group met in
the month before) and any time with `/contributions leads`: over the last three months,
how many chair and minute-taker turns, agenda items led (the lead, else whoever added
the item), proposals made and decisions looked after went to people of each perspective,
as people described themselves with `/prefs perspective`.

Privacy: counts only, never names, never anyone's own perspective. A perspective is
counted on its own only when at least `FEWEST` people in the group share it; smaller
ones join "other or not said", whose counts are shown only if that, too, has `FEWEST`.
Counts are for people in the group now. With the counts comes at most one gentle
suggestion, when professionals hold much more of one kind of leading than their share of
the group, and a group with less power (lived experience, else carers) is large enough
to be counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from handlers.core.commands import Context
from handlers.core.due import Due
from handlers.core.messages import BulletList, Heading, Message, message
from handlers.core.occurrences import between
from handlers.followups import zone_of
from handlers.rotation.fairness import LIVED, PROFESSIONAL
from handlers.rotation.perspective import perspective_side
from storage.models import Group, Person
from storage.uow import UnitOfWork

CARER = "carer"
OWN_WORDS = "own words"
NOT_SAID = "not said"
OTHER = "other or not said"
#: The perspectives counted on their own (when big enough), in the order shown.
SHOWN_ORDER = (LIVED, CARER, PROFESSIONAL, OWN_WORDS, OTHER)
#: The fewest people a perspective needs before its counts are shown.
FEWEST = 3
#: How far back the view looks.
PERIOD = relativedelta(months=3)
#: When the monthly view goes out: the 1st of the month, group time.
VIEW_AT = time(10, 0)
#: Fewer turns than this say nothing about a share.
MIN_TURNS = 4
#: Lopsided: professionals hold at least this share, and this much more than their share
#: of the group.
LOPSIDED = 2 / 3
MORE_THAN_FAIR = 0.2

_CARER = re.compile(
    r"\b(?:(?:unpaid |young )?carers?|(?:parent|mum|dad|mother|father|family member|relative) of)\b"
)

#: What each count is of, in the order shown: (kind, words for one, words for more).
KINDS = (
    ("chair", "Chaired once", "Chaired {n} times"),
    ("minutes", "Took the minutes once", "Took the minutes {n} times"),
    ("items", "Led {n} agenda item", "Led {n} agenda items"),
    ("proposals", "Made {n} proposal", "Made {n} proposals"),
    ("decisions", "Look after {n} decision", "Look after {n} decisions"),
)
#: How each counted group is named in the view.
NAMED = {
    LIVED: "People with lived experience",
    CARER: "Carers",
    PROFESSIONAL: "Professionals",
    OWN_WORDS: "People who used their own words",
    OTHER: "Other words, or not said",
}
_SUGGEST = {
    "chair": (
        "The chair has been a professional {n} times out of the last {total}.",
        "You could ask if {who} would like to chair next time, with support.",
    ),
    "minutes": (
        "The minute-taker has been a professional {n} times out of the last {total}.",
        "You could ask if {who} would like to take the minutes next time, with support.",
    ),
    "items": (
        "Professionals led {n} of the last {total} agenda items.",
        "You could ask if {who} would like to lead an item next time, with support.",
    ),
    "proposals": (
        "Professionals made {n} of the last {total} proposals.",
        "You could ask if {who} has an idea they would like to propose.",
    ),
    "decisions": (
        "Professionals look after {n} of the last {total} decisions.",
        "You could ask if {who} would like to look after the next one, with support.",
    ),
}
_SOMEONE = {LIVED: "someone with lived experience", CARER: "someone who is a carer"}


def category(text: str | None) -> str:
    """LIVED, CARER, PROFESSIONAL, OWN_WORDS (words for neither side, or both) or NOT_SAID."""
    if not (text or "").strip():
        return NOT_SAID
    side = perspective_side(text)
    if side == LIVED:
        return CARER if _CARER.search(" ".join((text or "").casefold().split())) else LIVED
    return side or OWN_WORDS


def buckets(perspectives: Mapping[int, str | None]) -> dict[int, str | None]:
    """Each person's counted group: their category if `FEWEST` share it, else OTHER, or
    None when OTHER itself is too small to show."""
    found = {person: category(text) for person, text in perspectives.items()}
    sizes = Counter(found.values())
    counted = {
        p: c if c not in (NOT_SAID, OTHER) and sizes[c] >= FEWEST else OTHER
        for p, c in found.items()
    }
    other = sum(1 for c in counted.values() if c == OTHER)
    return {p: None if c == OTHER and other < FEWEST else c for p, c in counted.items()}


@dataclass(frozen=True)
class Share:
    """How one kind of leading was shared: counts for the groups shown, and the total."""

    kind: str
    counts: Mapping[str, int]
    total: int


@dataclass(frozen=True)
class Leading:
    """The whole view for one period."""

    since: date
    sizes: Mapping[str, int]  # people in each group shown
    members: int
    hidden: bool  # some people are in groups too small to count
    shares: tuple[Share, ...]


async def gather(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> Leading:
    """Count who led what in [start, end), by counted group."""
    members = [m.person_id for m in await uow.groups.members(group.id)]
    counted = buckets(await uow.roles.perspectives(members))
    who: dict[str, list[int | None]] = {kind: [] for kind, *_ in KINDS}
    for o in await between(uow, group, start, end):
        for a in await uow.roles.assignments(o.meeting.id, o.key):
            if a.role in ("chair", "minutes"):
                who[a.role].append(a.person_id)
        for item in await uow.meetings.agenda(o.meeting.id, o.key):
            who["items"].append(item.lead_person_id or item.owner_person_id)
    who["proposals"] = [p.owner_id for p in await uow.proposals.made_between(group.id, start, end)]
    who["decisions"] = [
        d.owner_id for d in await uow.followups.decisions_made_between(group.id, start, end)
    ]
    shares = []
    for kind, *_ in KINDS:
        mine = [p for p in who[kind] if p in counted]
        shown = Counter(b for p in mine if (b := counted[p]) is not None)
        shares.append(Share(kind, dict(shown), len(mine)))
    sizes = Counter(b for b in counted.values() if b is not None)
    return Leading(
        since=start.astimezone(zone_of(group)).date(),
        sizes=dict(sizes),
        members=len(members),
        hidden=any(b is None for b in counted.values()),
        shares=tuple(shares),
    )


def suggestion(leading: Leading) -> str | None:
    """One gentle suggestion for the first kind of leading that professionals hold far
    more of than their share of the group; None when the shares look fair."""
    less = next((c for c in (LIVED, CARER) if c in leading.sizes), None)
    pros = leading.sizes.get(PROFESSIONAL, 0)
    if less is None or not pros or not leading.members:
        return None
    fair = pros / leading.members
    ours = leading.sizes[less] / leading.members
    for share in leading.shares:
        if share.total < MIN_TURNS:
            continue
        n = share.counts.get(PROFESSIONAL, 0)
        held = n / share.total
        theirs = share.counts.get(less, 0) / share.total
        if held >= LOPSIDED and held >= fair + MORE_THAN_FAIR and theirs < ours:
            said, ask = _SUGGEST[share.kind]
            return f"{said.format(n=n, total=share.total)} {ask.format(who=_SOMEONE[less])}"
    return None


def _line(leading: Leading, group: str) -> str:
    """'Professionals (3 of them): Chaired 5 times. Took the minutes once. ...'"""
    said = []
    for share, (_, one, more) in zip(leading.shares, KINDS, strict=True):
        n = share.counts.get(group, 0)
        said.append((one if n == 1 else more).format(n=n) + ".")
    return f"{NAMED[group]} ({leading.sizes[group]} of them): {' '.join(said)}"


def view(leading: Leading, *, monthly: bool = False) -> Message | None:
    """The facilitators' view; None when no group is big enough to show."""
    if not leading.sizes:
        return None
    since = f"{leading.since.day} {leading.since:%B}"
    parts: list[str | Heading | BulletList] = [
        Heading("Who leads"),
        f"How leading was shared since {since}, by how people describe themselves. "
        "Only facilitators see this. It shows counts, never names.",
        BulletList(tuple(_line(leading, g) for g in SHOWN_ORDER if g in leading.sizes)),
    ]
    if leading.hidden:
        parts.append(
            "Some people are in groups smaller than 3, so their counts are left out. "
            "This keeps anyone from being picked out."
        )
    tip = suggestion(leading)
    if tip:
        parts.append(tip)
    if monthly:
        parts.append("You get this once a month. To see it any time, type /contributions leads.")
    return message(*parts, summary="Who leads: how leading was shared")


NOT_ENOUGH = message(
    "Not enough people have said how they describe themselves yet. "
    f"I only show counts for groups of {FEWEST} or more people, so nobody is picked out.",
    "Members can add a few words about their perspective, if they want to, with "
    "/prefs perspective.",
)


async def leads(ctx: Context, args: str) -> None:
    """Facilitators: how leading was shared between perspectives over the last three
    months, as counts."""
    group = ctx.the_group()
    leading = await gather(ctx.uow, group, ctx.now - PERIOD, ctx.now)
    ctx.reply(view(leading) or NOT_ENOUGH)


def _monthly(group: Group, at: datetime) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        if not await between(uow, group, at - relativedelta(months=1), at):
            return None  # the group didn't meet last month: nothing new to say
        start = (at.astimezone(zone_of(group)) - PERIOD).astimezone(UTC)
        return view(await gather(uow, group, start, at), monthly=True)

    local = at.astimezone(zone_of(group))
    return Due(
        key=f"leads:g{group.id}:{local:%Y-%m}",
        kind="leads",
        label=f"who leads ({local:%B %Y})",
        due_at=at,
        group=group,
        recipients="facilitators",
        build=build,
        planned_at=group.created_at,
        expires_at=at + timedelta(days=7),
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The monthly view for each 1st of the month, 10:00 group time, in [start, end]."""
    zone = zone_of(group)
    local = start.astimezone(zone)
    month = date(local.year, local.month, 1)
    dues: list[Due] = []
    while (at := datetime.combine(month, VIEW_AT, zone).astimezone(UTC)) <= end:
        if at >= start:
            dues.append(_monthly(group, at))
        month += relativedelta(months=1)
    return dues
