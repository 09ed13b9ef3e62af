"""/contributions: a member's own record, privately; facilitators also see one short line
for each member. Nobody else ever sees another person's record."""

from __future__ import annotations

from handlers.contributions.record import (
    THERE,
    Share,
    day,
    how_long,
    money,
    shares,
    times,
    took_place,
    totals,
)
from handlers.core.commands import Context
from handlers.core.messages import Block, BulletList, Heading, Paragraph, message
from handlers.core.occurrences import Occurrence
from handlers.core.words import and_list
from storage.repositories.contribution_records import DateKey, Log

RECENT = 3
NOT_SAID = "You haven't said how you'd like to be paid. You can with /contributions payment."
CHOSEN = {
    "paid": "You'd like to be paid for taking part.",
    "vouchers": "You'd like vouchers for taking part.",
    "none": "You'd rather not be paid. You can change this with /contributions payment.",
}
#: The payment choice in a facilitator's one-line summary.
CHOICE_SHORT = {"paid": "paid", "vouchers": "vouchers", "none": "no payment"}
ONLY_YOU = "Only you and the facilitators can see this."


async def show(ctx: Context, args: str) -> None:
    """Show the speaker their own record; a facilitator also sees the group's, one line each."""
    group = ctx.the_group()
    log = await ctx.uow.records.log(group.id, None if ctx.is_facilitator else ctx.person.id)
    dates = await took_place(ctx, group, log.dates())
    labels = {r.name: r.label for r in await ctx.uow.roles.defined(group.id, removed=True)}
    blocks: list[Block] = [Heading(f"What you've given to {group.name}")]
    mine = shares(log, ctx.person.id, dates, labels)
    blocks += _own(mine, dates, log.choices.get(ctx.person.id))
    if ctx.is_facilitator:
        members = await ctx.uow.groups.members(group.id)
        lines = []
        for m in sorted(members, key=lambda m: m.person.display_name.lower()):
            by_date, undated = shares(log, m.person_id, dates, labels)
            lines.append(f"{m.person.display_name}: {_line(by_date, undated, log, m.person_id)}")
        blocks += [
            Heading(f"Everyone in {group.name}"),
            Paragraph("One line for each member. Only the facilitators see this part."),
            BulletList(tuple(lines)),
            Paragraph("For a month's spreadsheet, type /contributions export and the month."),
        ]
    ctx.reply(message(*blocks, summary=f"What you've given to {group.name}"))


def _own(
    mine: tuple[dict[DateKey, Share], Share],
    dates: dict[DateKey, Occurrence],
    choice: str | None,
) -> list[Block]:
    """The speaker's own record, in short sentences."""
    by_date, undated = mine
    every = [*by_date.values(), undated]
    there = sorted(
        (dates[k] for k, s in by_date.items() if s.there == THERE), key=lambda o: o.start
    )
    parts: list[Block] = []
    if there:
        recent = and_list([day(o) for o in there[-RECENT:]])
        lately = "Most recently: " if len(there) > RECENT else "That was "
        count = "1 meeting" if len(there) == 1 else f"{len(there)} meetings"
        parts.append(Paragraph(f"You were at {count}. {lately}{recent}."))
    roles: dict[str, int] = {}
    for share in every:
        for role in share.roles:
            roles[role] = roles.get(role, 0) + 1
    if roles:
        held = and_list([f"{role} {times(n)}" for role, n in roles.items()])
        parts.append(Paragraph(f"You took on roles: {held}."))
    led = sum(s.led for s in every)
    if led:
        parts.append(Paragraph(f"You led {_items(led)} on the agenda."))
    wrote = sum(s.minutes for s in every)
    if wrote:
        parts.append(Paragraph(f"You wrote the minutes {times(wrote)}."))
    time = sorted((c for s in every for c in s.time), key=lambda c: (c.said_at, c.id))
    if time:
        total = how_long(sum(c.minutes for c in time))
        parts.append(Paragraph(f"You spent {total} getting ready. The latest:"))
        parts.append(BulletList(tuple(f"{how_long(c.minutes)}: {c.what}" for c in time[-RECENT:])))
    spent = sorted((e for s in every for e in s.expenses), key=lambda e: (e.said_at, e.id))
    if spent:
        total = and_list([money(n, c) for c, n in totals(spent).items()])
        parts.append(Paragraph(f"Your expenses come to {total}:"))
        parts.append(BulletList(tuple(f"{money(e.amount, e.currency)}: {e.what}" for e in spent)))
    if parts:
        parts.append(Paragraph("Thank you for all of this."))
    else:
        parts.append(
            Paragraph(
                "Nothing is written down for you yet. That's fine. "
                "It builds up as you take part. "
                "You can add time you spent getting ready with /contributions add."
            )
        )
    parts.append(Paragraph(CHOSEN.get(choice or "", NOT_SAID)))
    parts.append(Paragraph(ONLY_YOU))
    return parts


def _line(by_date: dict[DateKey, Share], undated: Share, log: Log, person_id: int) -> str:
    """One member's record in one short line, for the facilitators."""
    every = [*by_date.values(), undated]
    there = sum(s.there == THERE for s in by_date.values())
    bits = [f"at {there} meeting{'' if there == 1 else 's'}" if there else "no meetings confirmed"]
    roles = [r for s in every for r in s.roles]
    for role in dict.fromkeys(roles):
        bits.append(f"{role} {times(roles.count(role))}")
    led = sum(s.led for s in every)
    if led:
        bits.append(f"led {_items(led)}")
    wrote = sum(s.minutes for s in every)
    if wrote:
        bits.append(f"minutes {times(wrote)}")
    minutes = sum(s.minutes_given for s in every)
    if minutes:
        bits.append(f"{how_long(minutes)} getting ready")
    spent = [e for s in every for e in s.expenses]
    if spent:
        bits.append(and_list([money(n, c) for c, n in totals(spent).items()]) + " expenses")
    choice = log.choices.get(person_id)
    bits.append(f"payment: {CHOICE_SHORT.get(choice or '', 'not said yet')}")
    return ", ".join(bits) + "."


def _items(n: int) -> str:
    return "1 item" if n == 1 else f"{n} items"
