"""/meeting: plan meetings and series in plain words; cancel or move them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import structlog

from handlers import calendar
from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.feature import Feature
from handlers.core.messages import BulletList, Heading, Message, Moment, Paragraph, message
from handlers.core.occurrences import Occurrence, exists_locally, localise, of_meeting, upcoming
from handlers.core.parsing import describe_duration, is_number, parse_duration
from handlers.core.when import parse_day, parse_local_datetime, when_shown, zone_name
from handlers.digest.holding import can_wait, tell
from handlers.live.settings import live_setting
from storage.models import Meeting

log = structlog.get_logger(__name__)

DEFAULT_DURATION = timedelta(minutes=90)
MAX_DURATION = timedelta(hours=8)
MAX_TITLE = 120
MAX_PLACE = 500
OPTION_WORDS = ("every", "for", "at")
_HAS_TIME = re.compile(r"\d{1,2}(:\d{2})?\s*(am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidday\b", re.I)
_EVERY = re.compile(r"^(?:(\d+)\s+)?(day|week|fortnight|month)s?$", re.I)
_FREQ = {"day": "DAILY", "week": "WEEKLY", "fortnight": "WEEKLY", "month": "MONTHLY"}
HOW_TO_NEW = (
    "For example: /meeting new Steering group next Tuesday 2pm every 2 weeks "
    "for 90m at Room 4 or a video link"
)


@dataclass(frozen=True)
class NewMeeting:
    """What /meeting new was asked for, before it is checked against the calendar."""

    title: str
    when: str
    every: str | None = None
    duration: timedelta = DEFAULT_DURATION
    place: str | None = None


def _rrule(every: str) -> str:
    text = {"weekly": "week", "fortnightly": "fortnight", "monthly": "month", "daily": "day"}.get(
        every.lower(), every
    )
    match = _EVERY.match(text.strip())
    if match is None:
        raise Refusal(
            f"I didn't understand 'every {every[:40]}'. Nothing was changed.",
            "Try every week, every 2 weeks, every fortnight or every month.",
        )
    count = int(match.group(1) or 1) * (2 if match.group(2).lower() == "fortnight" else 1)
    if not 1 <= count <= 52:
        raise Refusal(
            "Please choose a gap between meetings of up to 52 weeks. Nothing was changed."
        )
    return f"FREQ={_FREQ[match.group(2).lower()]};INTERVAL={count}"


def _options(words: list[str]) -> dict[str, str] | None:
    """Parse 'every 2 weeks for 90m at Room 4' into its parts; None if it isn't that."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for word in words:
        lowered = word.lower()
        if current != "at" and lowered in OPTION_WORDS and lowered not in found:
            current = lowered
            found[current] = []
        elif current is None:
            return None
        else:
            found[current].append(word)
    parts = {k: " ".join(v) for k, v in found.items()}
    if any(not v for v in parts.values()):
        return None
    if "for" in parts and parse_duration(parts["for"]) is None:
        return None
    if "at" in parts and _HAS_TIME.fullmatch(parts["at"].strip()):
        return None
    return parts


def has_day(when: str) -> bool:
    """True when `when` names a time of day and a day ('tomorrow 2pm', not just '2pm')."""
    rest = _HAS_TIME.sub(" ", when).replace(" at ", " ").strip(" ,")
    return bool(_HAS_TIME.search(when)) and rest not in ("", "at")


def parse_new(text: str, now: datetime, zone: ZoneInfo) -> NewMeeting | None:
    """Split '/meeting new' text into title, time and options; None if no time is found."""
    text = " ".join(text.split())
    quoted = re.match(r'^"([^"]+)"\s*(.*)$', text)
    words = quoted.group(2).split() if quoted else text.split()
    starts = [i for i, w in enumerate(words) if w.lower() in OPTION_WORDS] + [len(words)]
    for cut in starts:
        options = _options(words[cut:]) if cut < len(words) else {}
        if options is None:
            continue
        head = words[:cut]
        splits = (
            [(quoted.group(1), head)]
            if quoted
            else [(" ".join(head[:i]), head[i:]) for i in range(1, len(head))]
        )
        for title, when_words in splits:
            when = " ".join(when_words)
            if not has_day(when) or parse_local_datetime(when, now, zone) is None:
                continue
            duration = parse_duration(options["for"]) if "for" in options else None
            return NewMeeting(
                title=title.strip(),
                when=when,
                every=options.get("every"),
                duration=DEFAULT_DURATION if duration is None else duration,
                place=options.get("at"),
            )
    return None


def _checked_start(ctx: Context, when: str, zone: ZoneInfo) -> datetime:
    local = parse_local_datetime(when, ctx.now, zone)
    if local is None or not has_day(when):
        raise Refusal(
            f"I couldn't work out the date and time from '{when[:60]}'. Nothing was changed.",
            "Please give a day and a time, like 2026-12-03 14:00, next Tuesday 2pm "
            "or tomorrow 10:30.",
        )
    if not exists_locally(local, zone):
        raise Refusal(
            f"{local:%H:%M} on {local:%d %B %Y} doesn't exist in {zone.key}: the clocks "
            "go forward then. Nothing was changed.",
            "Please choose a time an hour later or earlier.",
        )
    if localise(local, zone) <= ctx.now:
        raise Refusal(
            f"{local:%d %B %Y, %H:%M} has already passed. Nothing was changed.",
            "Please choose a time in the future.",
        )
    return local


_NEXT_DAY = re.compile(
    r"\bnext\s+(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)[a-z]*\b", re.I
)


async def new(ctx: Context, args: str) -> None:
    """Plan a meeting or a series."""
    group = ctx.the_group()
    zone = ZoneInfo(group.timezone)
    parsed = parse_new(args, ctx.now, zone)
    if parsed is None:
        raise Refusal(
            "I couldn't find a title and a date with a time in that. Nothing was changed.",
            HOW_TO_NEW,
        )
    if not parsed.title or len(parsed.title) > MAX_TITLE:
        raise Refusal(
            f"Please give the meeting a title of up to {MAX_TITLE} characters. Nothing was changed."
        )
    if not timedelta(minutes=10) <= parsed.duration <= MAX_DURATION:
        raise Refusal(
            "Please choose a length between 10 minutes and 8 hours, like for 90m. "
            "Nothing was changed."
        )
    if parsed.place and len(parsed.place) > MAX_PLACE:
        raise Refusal(
            f"Please keep the place or link under {MAX_PLACE} characters. Nothing was changed."
        )
    rule = _rrule(parsed.every) if parsed.every else None
    local = _checked_start(ctx, parsed.when, zone)
    meeting = Meeting(
        group_id=group.id,
        title=parsed.title,
        local_start=local,
        timezone=zone.key,
        rrule=rule,
        duration_minutes=int(parsed.duration.total_seconds() // 60),
        place=parsed.place,
        cancelled=False,
        created_by=ctx.person.id,
        created_at=ctx.now,
    )
    await ctx.uow.meetings.add(meeting)
    first = (await of_meeting(ctx.uow, meeting, ctx.now))[0]
    repeat = f" It repeats every {parsed.every}." if parsed.every else ""
    ctx.audit(f"planned {meeting.title} (meeting {meeting.id}) for {first.when()}{repeat[:-1]}")
    log.info("meeting.created", group=group.id, meeting=meeting.id, recurring=bool(rule))
    pack_now = first.start - timedelta(minutes=group.pack_lead_minutes) <= ctx.now
    lead = describe_duration(timedelta(minutes=group.pack_lead_minutes))
    when, moments = when_shown(first, f", {zone_name(zone.key)}")
    ctx.post(
        message(
            Heading(f"New meeting: {meeting.title}"),
            Paragraph(f"{when}.{repeat}", moments),
            f"Where: {meeting.place}" if meeting.place else "Where: to be confirmed.",
            (
                f"It is less than {lead} away, so everyone gets the pack with the agenda now. "
                if pack_now
                else f"Everyone will get a pack with the agenda {lead} before. "
            )
            + f"You can add to the agenda with /agenda add. This is meeting number {meeting.id}.",
            summary=f"New meeting: {meeting.title}, {first.when()}",
        )
    )
    if check := ambiguous_next(args, first, meeting.id):
        ctx.reply(check)


def ambiguous_next(said: str, first: Occurrence, number: int) -> Message | None:
    """'next Wednesday' said on a Monday: say which Wednesday was understood."""
    said_next = _NEXT_DAY.search(said)
    start = first.start.astimezone(first.zone)
    planned_on = first.meeting.created_at.astimezone(first.zone).date()
    if said_next is None or (start.date() - planned_on).days >= 7:
        return None
    return message(
        f"You said '{said_next.group(0)}'. I took that as this coming {start:%A}, "
        f"{start.day} {start:%B}.",
        f"If you meant the week after, move it with /meeting move {number} and the date.",
    )


async def show(ctx: Context, args: str) -> None:
    """List the next meetings."""
    group = ctx.the_group()
    coming = await upcoming(ctx.uow, group, ctx.now)
    if not coming:
        ctx.reply(
            message(
                "There are no meetings planned yet.",
                "A facilitator can plan one with /meeting new. " + HOW_TO_NEW,
            )
        )
        return
    ctx.reply(
        message(
            Heading("Next meetings"),
            _lines(coming, group.timezone),
            Paragraph(f"Times are in {zone_name(group.timezone)}.", zone_note=True),
            "The number is the meeting's number.",
            summary="Next meetings",
        )
    )


def _lines(coming: list[Occurrence], group_zone: str) -> BulletList:
    """One line a meeting, with its times marked (so Slack shows them in each reader's zone)."""
    items: list[str] = []
    moments: list[Moment] = []
    for o in coming:
        place = f" at {o.meeting.place}" if o.meeting.place else ""
        # A meeting planned before the group changed its time zone keeps its own.
        zone = f" ({zone_name(o.zone.key)})" if o.zone.key != group_zone else ""
        when, marked = when_shown(o, zone)
        items.append(f"{o.meeting.id}. {o.meeting.title}: {when}{place}")
        moments += marked
    return BulletList(tuple(items), tuple(moments))


async def _meeting(ctx: Context, number: str) -> Meeting:
    group = ctx.the_group()
    meeting = await ctx.uow.meetings.get(group.id, int(number)) if is_number(number) else None
    if meeting is None or meeting.cancelled:
        raise Refusal(
            f"I can't find meeting {number[:20] or '(no number given)'} in this group. "
            "Nothing was changed.",
            "Type /meeting to see the meetings and their numbers.",
        )
    return meeting


async def cancel(ctx: Context, args: str) -> None:
    """Cancel a meeting, a whole series, or one date of a series."""
    number, _, day_text = args.strip().partition(" ")
    meeting = await _meeting(ctx, number)
    zone = ZoneInfo(meeting.timezone)
    if day_text and not meeting.rrule:
        day = parse_day(day_text, ctx.now.astimezone(zone).date())
        dates = await of_meeting(ctx.uow, meeting, ctx.now)
        if not dates or dates[0].local_start.date() != day:
            raise Refusal(
                f"Meeting {meeting.id} doesn't happen on {day_text[:40]}. Nothing was changed.",
                "Type /meeting to see its date.",
            )
    if day_text and meeting.rrule:
        day = parse_day(day_text, ctx.now.astimezone(zone).date())
        dates = await of_meeting(ctx.uow, meeting, ctx.now, limit=60)
        match = next((o for o in dates if day and o.local_start.date() == day), None)
        if match is None:
            raise Refusal(
                f"Meeting {meeting.id} doesn't happen on {day_text[:40]}. Nothing was changed.",
                "Type /meeting to see its next date.",
            )
        await ctx.uow.meetings.cancel_date(meeting.id, match.key)
        ctx.audit(f"cancelled {meeting.title} on {match.when()}")
        await _tell_everyone(
            ctx,
            message(
                f"{meeting.title} on {match.when()} is cancelled. The other dates stay the same.",
                summary=f"{meeting.title} on {match.when()} is cancelled",
            ),
            match.start,
        )
        return
    nearest = next((o.start for o in await of_meeting(ctx.uow, meeting, ctx.now)), None)
    meeting.cancelled = True
    ctx.audit(f"cancelled {meeting.title} (meeting {meeting.id})")
    what = "All its dates are cancelled." if meeting.rrule else ""
    log.info("meeting.cancelled", meeting=meeting.id)
    await _tell_everyone(
        ctx,
        message(
            f"{meeting.title} (meeting {meeting.id}) is cancelled. {what}".strip(),
            "You won't get reminders for it.",
            summary=f"{meeting.title} is cancelled",
        ),
        nearest,
    )


async def move(ctx: Context, args: str) -> None:
    """Move a meeting (or the next date of a series) to a new time."""
    number, _, when = args.strip().partition(" ")
    meeting = await _meeting(ctx, number)
    zone = ZoneInfo(meeting.timezone)
    if not when.strip():
        raise Refusal(
            "Please say when it should move to. Nothing was changed.",
            f"For example: /meeting move {meeting.id} next Thursday 2pm",
        )
    local = _checked_start(ctx, when, zone)
    coming = await of_meeting(ctx.uow, meeting, ctx.now)
    if not coming:
        raise Refusal(f"Meeting {meeting.id} has no dates left to move. Nothing was changed.")
    old = coming[0]
    await ctx.uow.meetings.move_date(meeting.id, old.key, local)
    moved = Occurrence(meeting, old.key, localise(local, zone), zone)
    ctx.audit(f"moved {meeting.title} from {old.when()} to {moved.when()}")
    await _tell_everyone(
        ctx,
        message(
            f"{meeting.title} has moved from {old.when()} to {moved.when()}.",
            "Reminders will follow the new time.",
            summary=f"{meeting.title} has moved to {moved.when()}",
        ),
        min(old.start, moved.start),
    )


async def _tell_everyone(ctx: Context, msg: Message, nearest: datetime | None) -> None:
    """Post a change in the channel, and send it to each member who gets packs and
    reminders by direct message (`/prefs reminders dm`), as those would have come.

    Direct messages wait for each person's quiet hours and away dates to end
    (handlers/core/holding.py); if the nearest date the change touches is more than
    two days away, they wait for the daily round-up of those who chose one.
    Whoever made the change sees the post, or a reply.
    """
    group = ctx.the_group()
    ctx.post(msg)
    if ctx.in_dm:  # said in a direct message: the change is confirmed there too
        ctx.reply(msg)
    kind = "meeting-change" if can_wait(nearest, ctx.now) else ""
    members = [m.person_id for m in await ctx.uow.groups.members(group.id)]
    for person_id, prefs in (await ctx.uow.people.preferences_of(members)).items():
        if prefs.reminders_via == "dm" and person_id != ctx.person.id:
            await tell(ctx, person_id, msg, kind)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="meeting",
        summary="See the next meetings; facilitators plan, move or cancel them.",
        usage="/meeting",
        examples=("/meeting", "/meeting new Steering group next Tuesday 2pm every 2 weeks"),
        run=show,
        takes_text=False,
        subs=(
            Sub(
                "new",
                new,
                "/meeting new <title> <when> [every <gap>] [for <length>] [at <place or link>]",
                "Plan a meeting or a series.",
                facilitator_only=True,
            ),
            Sub(
                "cancel",
                cancel,
                "/meeting cancel <number> [date]",
                "Cancel a meeting, or one date of a series.",
                facilitator_only=True,
            ),
            Sub(
                "move",
                move,
                "/meeting move <number> <when>",
                "Move a meeting, or the next date of a series.",
                facilitator_only=True,
            ),
            Sub(
                "live",
                live_setting,
                "/meeting live [on|off]",
                "Whether I call each agenda item as the meeting goes.",
            ),
            Sub(
                "calendar",
                calendar.calendar,
                "/meeting calendar [meeting number | subscribe | stop]",
                "Get the meetings as a calendar file for your phone or computer, "
                "or a private link that keeps your calendar up to date.",
            ),
        ),
    ),
)

FEATURE = Feature(name="meetings", commands=COMMANDS)
