"""The meeting cycle: housekeeping opens check-ins; planners send them, the facilitators'
summaries and the group's 'felt heard' post; the pack says when check-ins come."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from handlers.checkins.rounds import AFTER, BEFORE, windows, with_reminder
from handlers.checkins.summaries import heard_post, summary_of
from handlers.checkins.wording import ARRIVING, HEARD, IN_CHANNEL, question, title
from handlers.core.due import Due, ForEach, prepared
from handlers.core.messages import Block, Heading, Message, Paragraph, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.parsing import describe_duration
from storage.models import CheckinRound, Group, Person
from storage.uow import UnitOfWork

SUMMARY_BEFORE_START = timedelta(minutes=10)


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Open each check-in when it falls due (so its question can name it)."""
    settings = await uow.checkins.settings(group.id)
    if settings.before_minutes is None and settings.after_minutes is None:
        return
    for o in await between(uow, group, now - timedelta(days=3), now + timedelta(days=2)):
        for kind, opens, closes in windows(settings, o):
            if (
                opens <= now < closes
                and await uow.checkins.round(o.meeting.id, o.key, kind) is None
            ):
                await uow.checkins.add(
                    CheckinRound(
                        group_id=group.id,
                        meeting_id=o.meeting.id,
                        occurrence=o.key,
                        kind=kind,
                        opens_at=opens,
                        closes_at=closes,
                    )
                )


async def _asking_each(
    uow: UnitOfWork,
    group: Group,
    o: Occurrence,
    kind: str,
    recipients: Sequence[Person | None],
    lines: tuple[Block | str, ...] = (),
) -> ForEach:
    """The check-in for each of `recipients` (a member, or None for the channel's pointer
    to it), read once for all of them; None for whoever it is not for."""
    r = await uow.checkins.round(o.meeting.id, o.key, kind)
    if r is None:
        return _nothing
    off = await uow.checkins.opted_out([p.id for p in recipients if p is not None])
    pointer = None
    if any(p is None for p in recipients):
        pointer = await _pointer(uow, group, o, kind, lines)
    asked = question(r, o.meeting.title, group.id, lines)

    def each(to: Person | None) -> Message | None:
        if to is None:
            return pointer
        return None if to.id in off else asked

    return each


def _nothing(_to: Person | None) -> None:
    return None


async def _pointer(
    uow: UnitOfWork, group: Group, o: Occurrence, kind: str, lines: tuple[Block | str, ...]
) -> Message | None:
    """The channel's pointer to the check-in; None if nobody who takes part wants the channel."""
    members = [m.person_id for m in await uow.groups.members(group.id)]
    off = await uow.checkins.opted_out(members)
    prefs = await uow.people.preferences_of([p for p in members if p not in off])
    if not any(p.reminders_via == "channel" for p in prefs.values()):
        return None  # only people who turned check-ins off wanted the channel
    return message(
        Heading(title(o.meeting.title, kind)),
        *lines,
        ARRIVING if kind == BEFORE else HEARD,
        IN_CHANNEL,
        summary=title(o.meeting.title, kind),
    )


async def asked_with_reminder(
    uow: UnitOfWork,
    group: Group,
    o: Occurrence,
    at: datetime,
    recipients: Sequence[Person | None],
    reminder: Message,
    lines: tuple[Block | str, ...],
) -> ForEach:
    """For each of `recipients`, the check-in opening at `at`, led by the reminder's
    `lines`; None for whoever is asked none then. Read once for all of them.

    Its summary (what a notification shows) is the reminder's, with the check-in named.
    """
    kinds = [
        kind
        for kind, opens, _closes in windows(await uow.checkins.settings(group.id), o)
        if opens == at and with_reminder(kind, o, opens)
    ]
    if not kinds:
        return _nothing
    asking = await _asking_each(uow, group, o, kinds[0], recipients, lines)
    summary = f"{reminder.summary}, and a check-in"

    def each(to: Person | None) -> Message | None:
        asked = asking(to)
        return None if asked is None else replace(asked, summary=summary)

    return each


def _ask(group: Group, o: Occurrence, kind: str, opens: datetime, closes: datetime) -> Due:
    async def prepare(uow: UnitOfWork, recipients: Sequence[Person | None]) -> ForEach:
        return await _asking_each(uow, group, o, kind, recipients)

    return Due(
        key=f"checkin-{kind}:m{o.meeting.id}:{o.key}",
        kind=f"checkin-{kind}",
        label=f"the check-in {kind} {o.meeting.title}",
        due_at=opens,
        group=group,
        recipients="members",
        build=prepared(prepare),
        prepare=prepare,
        planned_at=o.meeting.created_at,
        expires_at=o.start if kind == BEFORE else closes,
    )


def _summarise(group: Group, o: Occurrence, kind: str, at: datetime) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await uow.checkins.round(o.meeting.id, o.key, kind)
        return None if r is None else await summary_of(uow, group, r, o.meeting.title)

    return Due(
        key=f"checkin-summary-{kind}:m{o.meeting.id}:{o.key}",
        kind=f"checkin-summary-{kind}",
        label=f"the check-in summary for {o.meeting.title}",
        due_at=at,
        group=group,
        recipients="facilitators",
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=at + timedelta(days=1),
    )


def _heard(group: Group, o: Occurrence, at: datetime) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        r = await uow.checkins.round(o.meeting.id, o.key, AFTER)
        return None if r is None else await heard_post(uow, group, r, o.meeting.title, at)

    return Due(
        key=f"checkin-heard:m{o.meeting.id}:{o.key}",
        kind="checkin-heard",
        label=f"how heard people felt at {o.meeting.title}",
        due_at=at,
        group=group,
        recipients="channel",
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=at + timedelta(days=1),
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Check-ins, the facilitators' summaries and the group's 'felt heard' post in [start, end]."""
    settings = await uow.checkins.settings(group.id)
    dues: list[Due] = []
    for o in await between(uow, group, start - timedelta(days=3), end + timedelta(days=2)):
        for kind, opens, closes in windows(settings, o):
            if not with_reminder(kind, o, opens):
                dues.append(_ask(group, o, kind, opens, closes))
            if kind == BEFORE:
                lead = o.start - opens
                dues.append(
                    _summarise(group, o, BEFORE, o.start - min(SUMMARY_BEFORE_START, lead / 2))
                )
            else:
                dues += [_summarise(group, o, AFTER, closes), _heard(group, o, closes)]
    return [d for d in dues if start <= d.due_at <= end]


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """A line in the pack saying when the check-ins come, and that passing is fine."""
    settings = await uow.checkins.settings(group.id)
    if settings.before_minutes is None and settings.after_minutes is None:
        return []
    when = [
        f"{describe_duration(timedelta(minutes=m))} {words}"
        for m, words in ((settings.before_minutes, "before"), (settings.after_minutes, "after"))
        if m is not None
    ]
    return [
        Paragraph(
            f"Check-ins: {' and '.join(when)} the meeting I'll ask how you are. Answers are "
            "private and you can always pass. /checkin off stops them."
        )
    ]
