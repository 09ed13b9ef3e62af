"""Reminders around each meeting: the day before, an hour before, personal lead times,
break reminders during it (between agenda items: handlers/timekeeping.py; in live
meeting mode handlers/live places them, following the chair), and a kind word an hour
after it ends (or after the chair's /end).

A check-in that opens at the same time as one of these (by default, an hour
before and an hour after) is asked in the reminder's message: one message,
not two in the same minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from handlers import attendance, checkins
from handlers.core.due import (
    DAY_BEFORE,
    HOUR_AFTER,
    HOUR_BEFORE,
    Build,
    Due,
    ForEach,
    Prepare,
    prepared,
)
from handlers.core.feature import Feature
from handlers.core.messages import Block, Message, Moment, Paragraph, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.parsing import describe_duration
from handlers.core.when import zone_name
from handlers.timekeeping import BREAK_LENGTH, Timetable, agenda_times
from storage.models import Group, Person
from storage.uow import UnitOfWork

LONGEST_LEAD = timedelta(days=7)


def fixed(msg: Message) -> Build:
    """A build function for a message that does not depend on when it is sent."""

    async def build(_uow: UnitOfWork, _to: Person | None) -> Message:
        return msg

    return build


def _where(o: Occurrence) -> str:
    return f"Where: {o.meeting.place}" if o.meeting.place else "Where: to be confirmed."


CANT_MAKE_IT = (
    "If you can't make it, that's okay. You can tell me with /coming no if you'd like to."
)


def _reminder_lines(o: Occurrence, when_words: str) -> tuple[Block | str, ...]:
    at = Moment(f"{o.local_start:%H:%M}", o.start, "time", f" {zone_name(o.zone.key)}")
    return (
        Paragraph(
            f"A reminder: {o.meeting.title} is {when_words}, at {at.text}{at.zone_text}.", (at,)
        ),
        _where(o),
    )


def _reminder(o: Occurrence, when_words: str) -> Message:
    """The reminder on its own, with the optional "will you be there?" (attendance)."""
    return message(
        *_reminder_lines(o, when_words),
        *attendance.offer(o),
        summary=f"Reminder: {o.meeting.title} at {o.local_start:%H:%M}",
    )


def _with_checkin(
    group: Group, o: Occurrence, when: datetime, alone: Message, lines: tuple[Block | str, ...]
) -> Prepare:
    """Send `alone`, or the check-in that opens at `when`, with `lines` leading it."""

    async def prepare(uow: UnitOfWork, recipients: Sequence[Person | None]) -> ForEach:
        joined = await checkins.asked_with_reminder(uow, group, o, when, recipients, alone, lines)

        def each(to: Person | None) -> Message:
            asked = joined(to)
            return alone if asked is None else asked

        return each

    return prepare


def _before(group: Group, o: Occurrence, kind: str, delta: timedelta, words: str) -> Due:
    prepare = _with_checkin(
        group, o, o.start - delta, _reminder(o, words), (*_reminder_lines(o, words), CANT_MAKE_IT)
    )
    return Due(
        key=f"{kind}:m{o.meeting.id}:{o.key}",
        kind=kind,
        label=f"a reminder for {o.meeting.title} ({o.when()})",
        due_at=o.start - delta,
        group=group,
        recipients="members",
        build=prepared(prepare),
        prepare=prepare,
        expires_at=o.start,
        planned_at=o.meeting.created_at,
    )


def _breaks(group: Group, o: Occurrence, table: Timetable) -> list[Due]:
    msg = message(
        "Time for a break. Stretch, get a drink, rest your eyes.",
        f"We'll carry on in about {BREAK_LENGTH} minutes. "
        "Take longer if you need to: nobody has to explain.",
        summary="Time for a break",
    )
    dues = []
    for number, minutes in enumerate(table.breaks, 1):
        at = o.start + timedelta(minutes=minutes)
        dues.append(
            Due(
                key=f"break{number}:m{o.meeting.id}:{o.key}",
                kind="break",
                label=f"a break reminder during {o.meeting.title}",
                due_at=at,
                group=group,
                recipients="channel",
                build=fixed(msg),
                expires_at=at + timedelta(minutes=5),
                planned_at=o.meeting.created_at,
            )
        )
    return dues


def _after(group: Group, o: Occurrence) -> Due:
    thanks = (
        f"Thank you for being part of {o.meeting.title} today.",
        "What you brought matters, whether you spoke a lot, a little, or just listened.",
        "If something from today is on your mind, you can talk to a facilitator.",
    )
    alone = message(
        *thanks,
        "You don't need to reply to this.",
        summary=f"Thank you for coming to {o.meeting.title}",
    )
    at = o.end + HOUR_AFTER
    prepare = _with_checkin(group, o, at, alone, thanks)
    return Due(
        key=f"after:m{o.meeting.id}:{o.key}",
        kind="after",
        label=f"a note after {o.meeting.title}",
        due_at=at,
        group=group,
        recipients="members",
        build=prepared(prepare),
        prepare=prepare,
        expires_at=o.end + timedelta(days=2),
        planned_at=o.meeting.created_at,
    )


def _personal(group: Group, o: Occurrence, leads: dict[int, timedelta]) -> list[Due]:
    return [
        Due(
            key=f"lead:m{o.meeting.id}:{o.key}",
            kind="lead",
            label=f"your reminder for {o.meeting.title} ({o.when()})",
            due_at=o.start - lead,
            group=group,
            recipients="person",
            person_id=person_id,
            build=fixed(_reminder(o, f"in {describe_duration(lead)}")),
            expires_at=o.start,
            planned_at=o.meeting.created_at,
        )
        for person_id, lead in leads.items()
        if lead not in (DAY_BEFORE, HOUR_BEFORE)
    ]


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Every reminder for the group's meetings whose nominal time is in [start, end]."""
    dues: list[Due] = []
    occurrences = await between(uow, group, start - timedelta(days=1), end + LONGEST_LEAD)
    members = [m.person_id for m in await uow.groups.members(group.id)]
    leads = {
        person_id: timedelta(minutes=prefs.lead_minutes)
        for person_id, prefs in (await uow.people.preferences_of(members)).items()
        if prefs.lead_minutes
    }
    for o in occurrences:
        dues.append(_before(group, o, "daybefore", DAY_BEFORE, "tomorrow"))
        dues.append(_before(group, o, "hourbefore", HOUR_BEFORE, "in 1 hour"))
        if not group.live_meeting:  # in live mode the breaks follow the chair (handlers/live)
            _, table = await agenda_times(uow, group, o)
            dues.extend(_breaks(group, o, table))
        dues.append(_after(group, o))
        dues.extend(_personal(group, o, leads))
    return [d for d in dues if start <= d.due_at <= end]


FEATURE = Feature(name="reminders", planners=(plan,))
