"""One person's home: what matters to them now, across their groups, in one message.

Each group gets its next meeting (when, where, agenda, whether the pack has gone out),
the roles at that meeting and the person's own next turn, their open actions and the
decisions they look after (with Done buttons that run /action done and /update), and
the open proposals and check-ins. Facilitators also see what is still to do before the
group is ready, and what is waiting for them: how many concerns are ready to review
(a count only, and only once they can be reviewed, as /concern pending shows them) and
how many updates are late. Last come the person's preferences, with buttons to change
them. Every button runs an ordinary command, so it works the same typed or pressed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.actions.listing import when_words
from handlers.concerns.review import REVIEW_BEFORE
from handlers.core.messages import Block, BulletList, Choices, Heading, Message, Option, Paragraph
from handlers.core.occurrences import Occurrence, upcoming
from handlers.core.when import when_shown, zone_name
from handlers.decisions.asking import TELL_FACILITATORS_AFTER
from handlers.followups import day_words, local_today, zone_of
from handlers.readiness import MISSING, checklist
from handlers.timekeeping import agenda_times, clock
from storage.models import Group, Person, Preferences
from storage.uow import UnitOfWork

SKIP = "Here is what is coming up for you. Every button is optional. You can skip any of it."
NO_GROUPS = (
    "You're not in a group yet. When you join a group's channel, your next meeting, "
    "roles and actions will show here."
)


async def roles_at(uow: UnitOfWork, o: Occurrence) -> list[tuple[str, int | None]]:
    """The roles given out for one meeting date, as (role's name, who holds it)."""
    labels = {r.name: r.label for r in await uow.roles.defined(o.meeting.group_id, removed=True)}
    held = await uow.roles.assignments(o.meeting.id, o.key)
    return [(labels.get(a.role, a.role), a.person_id) for a in held]


async def meeting_lines(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """The next meeting: when and where, then its agenda, one item a line."""
    when, moments = when_shown(o, f", {zone_name(group.timezone)}")
    parts: list[Block] = [Paragraph(f"Next meeting: {o.meeting.title}, {when}.", moments)]
    if o.meeting.place:
        parts.append(Paragraph(f"Where: {o.meeting.place}"))
    items, table = await agenda_times(uow, group, o)
    if items:
        lines = [
            f"{clock(o, start):%H:%M} {item.text}"
            for item, start in zip(items, table.starts, strict=True)
        ]
        parts += [Paragraph("Agenda:"), BulletList(tuple(lines))]
    else:
        parts.append(Paragraph("Nothing is on the agenda yet. Anyone can add an item."))
    return parts


def _pack_line(group: Group, o: Occurrence, now: datetime, via: str) -> str:
    goes = o.start - timedelta(minutes=group.pack_lead_minutes)
    if now < goes:
        return f"The pack for this meeting goes out on {day_words(goes, group)}."
    where = "your direct messages" if via == "dm" else "the group's channel"
    return f"The pack for this meeting has gone out. It is in {where}."


async def _roles(uow: UnitOfWork, group: Group, person: Person, o: Occurrence | None) -> list[str]:
    lines = []
    if o is not None:
        for label, holder in await roles_at(uow, o):
            if holder == person.id:
                lines.append(f"You are the {label.lower()} at the next meeting.")
    later = [
        a
        for a in await uow.roles.history(group.id)
        if a.person_id == person.id and (o is None or a.starts_at > o.start)
    ]
    if later:
        labels = {r.name: r.label for r in await uow.roles.defined(group.id, removed=True)}
        first = later[0]
        day = first.starts_at.astimezone(zone_of(group))
        after = " after that" if lines else ""
        lines.append(
            f"Your next turn{after}: {labels.get(first.role, first.role).lower()} "
            f"on {day:%A} {day.day} {day:%B}."
        )
    if not lines and o is not None:
        lines.append("You have no role at the next meeting.")
    return lines


async def _yours(
    uow: UnitOfWork, group: Group, person: Person, now: datetime
) -> tuple[list[str], list[Option]]:
    """The person's open actions and the open decisions they look after, with Done buttons."""
    today = local_today(group, now)
    lines: list[str] = []
    buttons: list[Option] = []
    for action in await uow.followups.open_actions(group.id):
        if action.owner_id == person.id:
            lines.append(
                f"Action {action.number}: {action.text} ({when_words(action, group, today)})"
            )
            buttons.append(
                Option(f"Action {action.number} is done", f"/action done {action.number}", group.id)
            )
    for d in await uow.followups.decisions(group.id, open_only=True):
        if d.owner_id == person.id:
            lines.append(f"Decision {d.number} you look after: {d.text}")
            buttons.append(
                Option(f"Decision {d.number} is done", f"/update {d.number} done", group.id)
            )
    return lines, buttons


async def _open_now(uow: UnitOfWork, group: Group, now: datetime) -> tuple[list[str], list[Option]]:
    """Open proposals and check-ins, with a button to see each."""
    lines: list[str] = []
    buttons: list[Option] = []
    for p in await uow.proposals.open(group.id, now):
        lines.append(f"Proposal {p.number} is open for answers: {p.text}")
        buttons.append(Option(f"See proposal {p.number}", f"/proposal show {p.number}", group.id))
    if await uow.checkins.open_rounds([group.id], now):
        lines.append("A check-in is open. You can answer it or pass.")
        buttons.append(Option("See the check-in", "/checkin", group.id))
    return lines, buttons


async def waiting_for_facilitators(uow: UnitOfWork, group: Group, now: datetime) -> list[str]:
    """What waits for the facilitators: counts only, never who wrote or when."""
    lines = []
    concerns = [
        c
        for c in await uow.concerns.waiting(group.id)
        if c.batch_at is not None and c.batch_at - REVIEW_BEFORE <= now
    ]
    if concerns:
        count = len(concerns)
        said = "1 concern is" if count == 1 else f"{count} concerns are"
        lines.append(
            f"{said} ready to review before the group sees them. "
            "Type /concern pending to read them."
        )
    late = [
        d
        for d in await uow.followups.decisions(group.id, open_only=True)
        if d.next_update_at is not None and d.next_update_at + TELL_FACILITATORS_AFTER <= now
    ]
    if late:
        numbers = ", ".join(str(d.number) for d in late)
        lines.append(f"Updates are late on decision {numbers}. You could ask how it's going.")
    today = local_today(group, now)
    overdue = [a for a in await uow.followups.open_actions(group.id) if a.due_on < today]
    if overdue:
        numbers = ", ".join(str(a.number) for a in overdue)
        lines.append(f"Past their date: action {numbers}.")
    return lines


async def group_part(uow: UnitOfWork, group: Group, person: Person, now: datetime) -> list[Block]:
    """Everything about one group for one person."""
    membership = await uow.groups.membership(group.id, person.id)
    prefs = (await uow.people.preferences_of([person.id]))[person.id]
    coming = await upcoming(uow, group, now, limit=1)
    o = coming[0] if coming else None
    parts: list[Block] = [Heading(group.name)]
    if o is None:
        parts.append(Paragraph("No meeting is planned yet."))
    else:
        parts += await meeting_lines(uow, group, o)
        parts.append(Paragraph(_pack_line(group, o, now, prefs.reminders_via)))
    roles = await _roles(uow, group, person, o)
    if roles:
        parts.append(BulletList(tuple(roles)))
    lines, buttons = await _yours(uow, group, person, now)
    if lines:
        parts += [Paragraph("Yours to do:"), BulletList(tuple(lines)), Choices(tuple(buttons))]
    else:
        parts.append(Paragraph("You have no open actions or decisions."))
    lines, buttons = await _open_now(uow, group, now)
    if lines:
        parts += [BulletList(tuple(lines)), Choices(tuple(buttons))]
    if membership is not None and membership.is_facilitator:
        parts += await _facilitator_part(uow, group, now)
    return parts


async def _facilitator_part(uow: UnitOfWork, group: Group, now: datetime) -> list[Block]:
    parts: list[Block] = []
    missing = [MISSING[i.name] for i in await checklist(uow, group, now) if not i.done]
    if missing:
        parts += [
            Paragraph("For facilitators. Still to do before the group is ready:"),
            BulletList(tuple(missing)),
            Choices((Option("How to do each one", "/group ready", group.id),)),
        ]
    else:
        parts.append(Paragraph("For facilitators: the group has everything it needs."))
    waiting = await waiting_for_facilitators(uow, group, now)
    if waiting:
        parts += [Paragraph("Waiting for you:"), BulletList(tuple(waiting))]
    return parts


def prefs_part(prefs: Preferences) -> list[Block]:
    """The person's main preferences, with buttons to change them."""
    via_dm = prefs.reminders_via == "dm"
    quiet = (
        f"{prefs.quiet_start:%H:%M} to {prefs.quiet_end:%H:%M}"
        if prefs.quiet_start and prefs.quiet_end
        else "none"
    )
    lines = [
        "Reminders come " + ("in a direct message." if via_dm else "in the group's channel."),
        f"Quiet hours: {quiet}.",
    ]
    buttons = [
        Option("Get reminders in the channel", "/prefs reminders channel")
        if via_dm
        else Option("Get reminders by direct message", "/prefs reminders dm")
    ]
    if prefs.quiet_start:
        buttons.append(Option("Turn quiet hours off", "/prefs quiet off"))
    else:
        buttons.append(Option("Quiet from 9pm to 8am", "/prefs quiet 21:00-08:00"))
    buttons.append(Option("See all my preferences", "/prefs"))
    return [Heading("Your preferences"), BulletList(tuple(lines)), Choices(tuple(buttons))]


async def home(uow: UnitOfWork, person: Person, now: datetime) -> Message:
    """The person's home, across every group they are in."""
    groups = await uow.groups.of_person(person.id)
    prefs = (await uow.people.preferences_of([person.id]))[person.id]
    parts: list[Block] = [Heading("Your home"), Paragraph(SKIP)]
    if not groups:
        parts.append(Paragraph(NO_GROUPS))
    for group in groups:
        parts += await group_part(uow, group, person, now)
    parts += prefs_part(prefs)
    return Message(tuple(parts), summary="Your home: your next meeting, roles and actions")
