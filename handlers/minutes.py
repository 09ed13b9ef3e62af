"""/minutes: the minute-taker sends in the minutes; everyone gets them the same way.

The minutes go to every member through the delivery engine (a "members" item
due the moment they are sent in), not as one channel post: so each person gets
them once, by DM or in the channel as their /prefs say, never in their quiet
hours, and not while they are away. If no minutes are in within the group's
setting (2 days after the meeting by default, `/minutes due`), the bot reminds
the minute-taker once (or the facilitators, when nobody held that role).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.attendance import apologies_line
from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.due import Due, Recipients
from handlers.core.feature import Feature
from handlers.core.messages import Heading, Message, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.parsing import describe_duration, parse_duration
from handlers.followups import (
    MINUTES_ROLE,
    facilitator_names,
    holds_role,
    meeting_of_record,
    name_of,
    occurrence_words,
)
from handlers.glossary import ask_about_jargon
from storage.models import Group, Minutes, Person
from storage.uow import UnitOfWork

MAX_TEXT = 3500
SHORTEST, LONGEST = timedelta(hours=1), timedelta(days=14)
REMINDER_USEFUL_FOR = timedelta(days=7)
EXAMPLE = "/minutes https://example.org/notes/5-december"


async def _last_meeting(ctx: Context) -> Occurrence:
    occurrence = await meeting_of_record(ctx.uow, ctx.the_group(), ctx.now)
    if occurrence is None:
        raise Refusal(
            "There hasn't been a meeting lately, so there are no minutes to send in. "
            "Nothing was changed.",
            "Type /meeting to see the meetings.",
        )
    return occurrence


def _minutes_message(
    o: Occurrence, minutes: Minutes, by: str, again: bool, apologies: str | None
) -> Message:
    return message(
        Heading(f"{'Corrected minutes' if again else 'Minutes'}: {occurrence_words(o)}"),
        *([apologies] if apologies else []),
        minutes.text,
        f"Sent in by {by}. If something is missing or not quite right, you can tell {by} "
        "or a facilitator. You don't need to reply.",
        summary=f"Minutes of {o.meeting.title}",
    )


async def send_in(ctx: Context, args: str) -> None:
    """Send in the minutes of the last meeting (the minute-taker, or a facilitator)."""
    text = args.strip()
    if not text:
        await show(ctx)
        return
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"Please keep the minutes under {MAX_TEXT:,} characters. Nothing was changed.",
            "For longer minutes, share a link to them instead.",
        )
    o = await _last_meeting(ctx)
    if not ctx.is_facilitator and not await holds_role(ctx, o, MINUTES_ROLE):
        raise Refusal(
            f"The minutes of {occurrence_words(o)} are sent in by its minute-taker or a "
            f"facilitator ({await facilitator_names(ctx)}). Nothing was changed.",
            "If you have notes to share, you could send them to one of them.",
        )
    again = await ctx.uow.followups.minutes_of(o.meeting.id, o.key) is not None
    await ctx.uow.followups.add(
        Minutes(
            group_id=ctx.the_group().id,
            meeting_id=o.meeting.id,
            occurrence=o.key,
            text=text,
            by_id=ctx.person.id,
            created_at=ctx.now,
        )
    )
    ctx.reply(
        message(
            f"Thank you. I'm sending the {'corrected ' if again else ''}minutes of "
            f"{occurrence_words(o)} to everyone now. Each person gets them the way they asked."
        )
    )
    await ask_about_jargon(ctx, text)


async def show(ctx: Context) -> None:
    """Show the minutes of the last meeting, if they are in."""
    o = await _last_meeting(ctx)
    minutes = await ctx.uow.followups.minutes_of(o.meeting.id, o.key)
    if minutes is None:
        ctx.reply(
            message(
                f"The minutes of {occurrence_words(o)} aren't in yet.",
                *([line] if (line := await apologies_line(ctx.uow, o)) else []),
                f"The minute-taker or a facilitator can send them in: {EXAMPLE}",
            )
        )
        return
    by = await name_of(ctx.uow, minutes.by_id, group_id=minutes.group_id)
    ctx.reply(_minutes_message(o, minutes, by, False, await apologies_line(ctx.uow, o)))


async def due_after(ctx: Context, args: str) -> None:
    """Facilitators: how long after a meeting to remind about missing minutes."""
    group = ctx.the_group()
    if args.strip().lower() in ("off", "none", "never"):
        group.minutes_due_minutes = 0
        ctx.audit("turned off reminders for the minutes")
        ctx.post(
            message(
                f"{ctx.person.display_name} turned off reminders for the minutes. I won't ask "
                "the minute-taker, the person who writes down what was decided, to send them in."
            )
        )
        return
    delta = parse_duration(args)
    if delta is None or not SHORTEST <= delta <= LONGEST:
        raise Refusal(
            f"Please give a time between {describe_duration(SHORTEST)} and "
            f"{describe_duration(LONGEST)}, like 2d, or say off. Nothing was changed."
        )
    group.minutes_due_minutes = int(delta.total_seconds() // 60)
    ctx.audit(f"set minutes to be due {describe_duration(delta)} after each meeting")
    ctx.post(
        message(
            f"{ctx.person.display_name} set when minutes are due to "
            f"{describe_duration(delta)} after each meeting."
        )
    )


def _circulate(group: Group, minutes: Minutes) -> Due:
    minutes_id = minutes.id

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        row = await uow.followups.minutes_with_id(minutes_id)
        meeting = await uow.meetings.get(group.id, row.meeting_id) if row else None
        if row is None or meeting is None:
            return None
        found = await between(uow, group, row.created_at - timedelta(days=60), row.created_at)
        o = next((x for x in found if x.meeting.id == meeting.id and x.key == row.occurrence), None)
        if o is None:
            return None
        latest = await uow.followups.minutes_of(meeting.id, row.occurrence)
        if latest is not None and latest.id != row.id:
            return None  # corrected since: only the newest goes out
        again = await uow.followups.corrects(row)
        by = await name_of(uow, row.by_id, group_id=row.group_id)
        return _minutes_message(o, row, by, again, await apologies_line(uow, o))

    return Due(
        key=f"minutes:n{minutes_id}",
        kind="minutes",
        label="the minutes of the last meeting",
        due_at=minutes.created_at,
        group=group,
        recipients="members",
        build=build,
        planned_at=minutes.created_at,
        digest=True,
    )


def _reminder(group: Group, o: Occurrence, holder: int | None) -> Due:
    due_at = o.end + timedelta(minutes=group.minutes_due_minutes)

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        if await uow.followups.minutes_of(o.meeting.id, o.key) is not None:
            return None
        if holder is not None:
            return message(
                f"A gentle reminder: the minutes of {occurrence_words(o)} aren't in yet.",
                "When you're ready, send them with /minutes and then the words or a link. "
                f"Like this: {EXAMPLE}. If you can't do them, that's okay. Just let a "
                "facilitator know.",
                summary="The minutes aren't in yet",
            )
        return message(
            f"The minutes of {occurrence_words(o)} aren't in yet. Nobody was down as the "
            "minute-taker (the person who writes down what was decided).",
            f"A facilitator can send them in with /minutes. Like this: {EXAMPLE}.",
            summary="The minutes aren't in yet",
        )

    who: Recipients = "person" if holder is not None else "facilitators"
    return Due(
        key=f"minutesdue:m{o.meeting.id}:{o.key}",
        kind="minutesdue",
        label=f"a reminder about the minutes of {o.meeting.title}",
        due_at=due_at,
        group=group,
        recipients=who,
        person_id=holder,
        build=build,
        planned_at=o.meeting.created_at,
        expires_at=due_at + REMINDER_USEFUL_FOR,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Minutes going out to everyone, and a reminder when a meeting's minutes aren't in."""
    repo = uow.followups
    dues = [_circulate(group, m) for m in await repo.minutes_between(group.id, start, end)]
    if group.minutes_due_minutes:
        after = timedelta(minutes=group.minutes_due_minutes)
        for o in await between(uow, group, start - after - timedelta(days=1), end):
            if not start <= o.end + after <= end:
                continue
            holders = await repo.holders(o.meeting.id, o.key, MINUTES_ROLE)
            dues.append(_reminder(group, o, min(holders) if holders else None))
    return dues


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="minutes",
        summary="Send in the minutes of the last meeting; I send them to everyone.",
        usage="/minutes <the minutes, or a link to them>",
        examples=(EXAMPLE, "/minutes", "/minutes due 3d"),
        run=send_in,
        subs=(
            Sub(
                "due",
                due_after,
                "/minutes due <time after the meeting>|off",
                "Facilitators: when to remind about minutes not yet in, like 2d (the default).",
                facilitator_only=True,
            ),
        ),
    ),
)

FEATURE = Feature(name="minutes", commands=COMMANDS, planners=(plan,))
