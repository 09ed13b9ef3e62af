"""/roles history: how the roles have been shared out so far, in words and as a chart.

Everyone sees the turns each person in the group has had. Facilitators also see them by
perspective (as people describe themselves with `/prefs perspective`), as counts only:
a perspective is counted on its own only when at least `FEWEST` people share it, as in
/contributions leads (handlers/contributions/leading.py), and never shown next to a name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from handlers.charts import picture, sentences
from handlers.charts.drawing import bars
from handlers.contributions.leading import FEWEST, NAMED, SHOWN_ORDER, buckets
from handlers.core.commands import Context
from handlers.core.messages import Block, BulletList, Heading, Image, message
from handlers.followups import zone_of
from handlers.rotation.lookup import member_names
from handlers.rotation.wording import title

#: Turns per row, per role: {"Alice": {"Chair": 2, "Minutes": 1}}.
Turns = Mapping[str, Mapping[str, int]]


def _turns(n: int) -> str:
    return "1 turn" if n == 1 else f"{n} turns"


def turn_lines(turns: Turns, roles: Sequence[str]) -> list[str]:
    """'Alice: Chair 2, Minutes 1' for each row, roles in the order given ('none yet')."""
    return [
        f"{row}: "
        + (", ".join(f"{role} {counts[role]}" for role in roles if counts.get(role)) or "none yet")
        for row, counts in turns.items()
    ]


def turns_chart(name: str, heading: str, turns: Turns, roles: Sequence[str]) -> Image | None:
    """Stacked bars, one row per person (or perspective), a segment per role with its
    number; None when nobody has had a turn."""
    if not any(sum(c.values()) for c in turns.values()):
        return None
    rows = list(turns)
    drawn = bars(
        heading,
        rows,
        [(role, [turns[row].get(role, 0) for row in rows]) for role in roles],
        axis="Turns",
        stacked=True,
    )
    alt = sentences(
        [
            f"A bar chart: {heading.lower()}. One bar for each row, split by role",
            *(
                f"{row}: {_turns(sum(turns[row].values()))}"
                + "".join(f", {role} {turns[row][role]}" for role in roles if turns[row].get(role))
                for row in rows
            ),
        ]
    )
    return picture(name, heading, drawn, alt)


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


async def history(ctx: Context, args: str) -> None:
    """The turns each person has had at each role; by perspective too, for facilitators."""
    group = ctx.the_group()
    names = await member_names(ctx.uow, group)
    labels = {r.name: title(r.label) for r in await ctx.uow.roles.defined(group.id, removed=True)}
    held = [
        a
        for a in await ctx.uow.roles.history(group.id)
        if a.person_id in names and a.starts_at <= ctx.now
    ]
    if not held:
        ctx.reply(
            message(
                "Nobody in the group has had a role yet. Roles go out with the pack "
                "before each meeting. Type /roles to see who has offered.",
                summary="Roles so far",
            )
        )
        return
    per_person: dict[int, Counter[str]] = defaultdict(Counter)
    for a in held:
        assert a.person_id is not None
        per_person[a.person_id][labels.get(a.role, title(a.role))] += 1
    roles = sorted({role for c in per_person.values() for role in c})
    by_person = {names[p]: dict(per_person.get(p, Counter())) for p in names}
    since = _day(held[0].starts_at.astimezone(zone_of(group)).date())
    heading = "Turns at each role, by person"
    blocks: list[Block | str] = [
        Heading("Roles so far"),
        f"The turns each person has had at each role, since {since}:",
        BulletList(tuple(turn_lines(by_person, roles))),
    ]
    if chart := turns_chart("roles-by-person", heading, by_person, roles):
        blocks.append(chart)
    if ctx.is_facilitator:
        blocks += await _by_perspective(ctx, per_person, roles)
    blocks.append("Roles go round fairly: whoever has had the fewest turns goes first.")
    ctx.reply(message(*blocks, summary="Roles so far"))


async def _by_perspective(
    ctx: Context, per_person: Mapping[int, Counter[str]], roles: Sequence[str]
) -> list[Block | str]:
    """Facilitators: the same turns, counted by perspective (only groups of FEWEST or more)."""
    members = [m.person_id for m in await ctx.uow.groups.members(ctx.the_group().id)]
    counted = buckets(await ctx.uow.roles.perspectives(members))
    sizes = Counter(b for b in counted.values() if b is not None)
    found: dict[str, Counter[str]] = {}
    for bucket in SHOWN_ORDER:
        if sizes.get(bucket, 0) < FEWEST:
            continue
        total: Counter[str] = Counter()
        for person, b in counted.items():
            if b == bucket:
                total.update(per_person.get(person, Counter()))
        found[f"{NAMED[bucket]} ({sizes[bucket]})"] = total
    if not found:
        return [
            f"By perspective: not shown yet. I only count a perspective when at least {FEWEST} "
            "people in the group share it. Members can describe theirs with /prefs perspective."
        ]
    heading = "Turns at each role, by perspective"
    blocks: list[Block | str] = [
        "For facilitators, the same turns by perspective (how many people, then their "
        f"turns). I only count a perspective when at least {FEWEST} people share it:",
        BulletList(tuple(turn_lines(found, roles))),
    ]
    if chart := turns_chart("roles-by-perspective", heading, found, roles):
        blocks.append(chart)
    return blocks
