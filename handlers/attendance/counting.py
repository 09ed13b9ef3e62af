"""What the facilitators see: the numbers for a date and who sent apologies, before the
meeting (one short note, only if someone answered) and any time with /coming who; and
the apologies line shown with the minutes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from handlers.attendance.wording import NO, apologies, date_words, numbers
from handlers.core.commands import Context, Refusal
from handlers.core.due import Due
from handlers.core.messages import Heading, Message, message
from handlers.core.occurrences import Occurrence, between, upcoming
from storage.models import Group, Person
from storage.uow import UnitOfWork

#: When the facilitators get the numbers: a couple of hours before the start.
NOTE_BEFORE = timedelta(hours=2)


async def apology_names(uow: UnitOfWork, o: Occurrence) -> list[str]:
    """The names of those who said they can't make it to this date, in the order they said."""
    rows = await uow.attendance.of_date(o.meeting.id, o.key)
    names = []
    for row in rows:
        person = await uow.people.get(row.person_id) if row.answer == NO else None
        if person is not None:
            names.append(person.display_name)
    return names


async def apologies_line(uow: UnitOfWork, o: Occurrence) -> str | None:
    """'Apologies: dan and erin.' for the minutes; None if nobody sent any."""
    names = await apology_names(uow, o)
    return apologies(names) if names else None


async def tally(uow: UnitOfWork, group: Group, o: Occurrence) -> tuple[str, list[str]] | None:
    """The numbers line and the apologies for a date; None if no member has answered."""
    members = {m.person_id for m in await uow.groups.members(group.id)}
    said = {r.person_id: r.answer for r in await uow.attendance.of_date(o.meeting.id, o.key)}
    answered = {p: a for p, a in said.items() if p in members}
    if not answered:
        return None
    counts = Counter(answered.values())
    return numbers(counts, len(members - answered.keys())), await apology_names(uow, o)


def _summary(o: Occurrence, line: str, names: list[str]) -> Message:
    return message(
        Heading(f"Who is coming: {date_words(o)}"),
        f"{line}.",
        apologies(names),
        "Only facilitators get this. Nobody is asked again: saying is always optional. "
        "To see it again, say /coming who.",
        summary=f"Who is coming to {o.meeting.title}",
    )


async def who(ctx: Context, args: str) -> None:
    """Facilitators: the numbers for the next (or current) meeting, and who sent apologies."""
    group = ctx.the_group()
    dates = await upcoming(ctx.uow, group, ctx.now, limit=1)
    if not dates:
        raise Refusal("There's no meeting planned yet. Nothing was changed.")
    o = dates[0]
    found = await tally(ctx.uow, group, o)
    if found is None:
        members = len(await ctx.uow.groups.members(group.id))
        ctx.reply(
            message(
                f"Nobody has said yet whether they're coming to {date_words(o)} "
                f"({members} members). That's fine: saying is always optional."
            )
        )
        return
    ctx.reply(_summary(o, *found))


def _note(group: Group, o: Occurrence) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        found = await tally(uow, group, o)
        return None if found is None else _summary(o, *found)

    at = o.start - NOTE_BEFORE
    return Due(
        key=f"coming:m{o.meeting.id}:{o.key}",
        kind="coming",
        label=f"who is coming to {o.meeting.title} ({o.when()})",
        due_at=at,
        group=group,
        recipients="facilitators",
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=o.start,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The facilitators' note before each meeting whose time is in [start, end]."""
    dues = [_note(group, o) for o in await between(uow, group, start, end + NOTE_BEFORE)]
    return [d for d in dues if start <= d.due_at <= end]
