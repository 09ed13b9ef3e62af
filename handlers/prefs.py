"""/prefs: how and when each person hears from the bot. Personal, so always private."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.feature import Feature
from handlers.core.messages import BulletList, Heading, message
from handlers.core.parsing import describe_duration, parse_duration, parse_time_of_day
from handlers.core.when import parse_day
from handlers.digest.choosing import choose, describe
from handlers.rights import export as rights_export
from storage.models import AwayPeriod, Preferences

MIN_LEAD = timedelta(minutes=10)
MAX_LEAD = timedelta(days=7)
MAX_PRONOUNS = 60  # the column's length: longer would fail on PostgreSQL
MAX_TEXT = 300
PERSPECTIVES = ("lived experience", "professional", "carer")
_TO = re.compile(r"\s+to\s+", re.IGNORECASE)  # '9pm to 7am', '20 Dec TO 3 Jan'
_WEEK = re.compile(r"^(this|next)\s+week$", re.IGNORECASE)  # Monday to Sunday
_VAGUE = re.compile(r"\b(weeks?|weekends?|fortnights?|months?|years?)\b", re.IGNORECASE)
AWAY_EXAMPLE = "For example: /prefs away 20 December to 3 January, or /prefs away next week."


def _day(day: date, today: date) -> str:
    """'Monday 7 December' (with the year if it isn't this year)."""
    year = f" {day.year}" if day.year != today.year else ""
    return f"{day:%A} {day.day} {day:%B}{year}"


def _days(first: date, last: date, today: date) -> str:
    """'Monday 7 December to Sunday 13 December', or one day on its own."""
    if first == last:
        return _day(first, today)
    return f"{_day(first, today)} to {_day(last, today)}"


def _span(text: str, today: date) -> tuple[date, date] | None:
    """The days one side of '/prefs away' means: 'next week' is Monday to Sunday."""
    words = " ".join(text.split())
    week = _WEEK.match(words)
    if week:
        monday = today - timedelta(days=today.weekday())
        if week.group(1).lower() == "next":
            monday += timedelta(days=7)
        return monday, monday + timedelta(days=6)
    if _VAGUE.search(words):
        raise Refusal(
            f"I'm not sure which days '{words[:40]}' means. Nothing was changed.",
            "Please give the first and last day you're away. " + AWAY_EXAMPLE,
        )
    day = parse_day(words, today)
    return (day, day) if day else None


def _describe(prefs: Preferences, away: list[AwayPeriod], today: date) -> list[str]:
    lead = (
        f"{describe_duration(timedelta(minutes=prefs.lead_minutes))} before a meeting"
        if prefs.lead_minutes
        else "none (you get the group's usual times: the day before and 1 hour before)"
    )
    quiet = (
        f"{prefs.quiet_start:%H:%M} to {prefs.quiet_end:%H:%M}"
        if prefs.quiet_start and prefs.quiet_end
        else "none set"
    )
    away_text = ", ".join(_days(a.first_day, a.last_day, today) for a in away) or "none set"
    return [
        "Reminders come: "
        + ("in a direct message to you" if prefs.reminders_via == "dm" else "in the channel"),
        f"Extra reminder: {lead}",
        f"Quiet hours (nothing is sent then): {quiet}",
        f"Away dates (no reminders, no roles): {away_text}",
        describe(prefs),
        "Charts: "
        + (
            "as pictures too, with the same facts in words"
            if prefs.pictures is not False
            else "in words only, no pictures"
        ),
        f"Pronouns: {prefs.pronouns or 'not given'}",
        f"Access needs: {prefs.access_needs or 'not given'}",
        "How you describe your perspective: "
        + (prefs.perspective or "not given")
        + " (only ever counted with others, never shown next to your name)",
    ]


async def show(ctx: Context, args: str) -> None:
    """Show the speaker's preferences and how to change them."""
    prefs = (await ctx.uow.people.preferences_of([ctx.person.id]))[ctx.person.id]
    away = list(await ctx.uow.people.away_periods(ctx.person.id))
    ctx.reply(
        message(
            Heading("Your preferences"),
            BulletList(tuple(_describe(prefs, away, ctx.now.date()))),
            "You can change any of these, or leave them as they are. Type /help prefs to see how.",
            summary="Your preferences",
        )
    )


def _done(ctx: Context, text: str) -> None:
    ctx.reply(message(text, "You can change this again at any time with /prefs."))


async def reminders(ctx: Context, args: str) -> None:
    """Choose DM or channel for reminders and packs."""
    choice = args.strip().lower()
    if choice not in ("dm", "channel"):
        raise Refusal(
            "Please say dm or channel.",
            "For example: /prefs reminders dm (a direct message just to you)",
        )
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    prefs.reminders_via = choice
    where = "a direct message to you" if choice == "dm" else "the group's channel"
    _done(ctx, f"Done. Reminders and packs will come in {where}.")


async def lead(ctx: Context, args: str) -> None:
    """Set an extra reminder this long before each meeting, or turn it off."""
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    if args.strip().lower() in ("off", "none", "default"):
        prefs.lead_minutes = None
        _done(ctx, "Done. You'll get the group's usual reminders only.")
        return
    delta = parse_duration(args)
    if delta is None or not MIN_LEAD <= delta <= MAX_LEAD:
        raise Refusal(
            "Please give a time between 10 minutes and 7 days, like 2h or 30m.",
            "For example: /prefs lead 2h. Or /prefs lead off to stop the extra reminder.",
        )
    prefs.lead_minutes = int(delta.total_seconds() // 60)
    _done(ctx, f"Done. You'll also get a reminder {describe_duration(delta)} before meetings.")


async def quiet(ctx: Context, args: str) -> None:
    """Set quiet hours (nothing sent then; held until they end)."""
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    if args.strip().lower() in ("off", "none"):
        prefs.quiet_start = prefs.quiet_end = None
        _done(ctx, "Done. You have no quiet hours now.")
        return
    start_text, sep, end_text = _TO.sub("-", args).partition("-")
    start, end = parse_time_of_day(start_text), parse_time_of_day(end_text)
    if not sep or start is None or end is None or start == end:
        raise Refusal(
            "Please give a start and end time, like 21:00-08:00.",
            "For example: /prefs quiet 21:00-08:00. Or /prefs quiet off.",
        )
    prefs.quiet_start, prefs.quiet_end = start, end
    _done(
        ctx,
        f"Done. I won't send you anything between {start:%H:%M} and {end:%H:%M}. "
        "Anything due then waits until your quiet hours end.",
    )


async def away(ctx: Context, args: str) -> None:
    """Add away dates (no reminders, no roles), or clear them."""
    if args.strip().lower() in ("clear", "off", "none"):
        await ctx.uow.people.remove(*await ctx.uow.people.away_periods(ctx.person.id))
        _done(ctx, "Done. I've cleared your away dates.")
        return
    first_text, *rest = _TO.split(args.strip(), maxsplit=1)
    last_text = rest[0] if rest else ""
    today = ctx.now.date()
    starts = _span(first_text, today)
    ends = _span(last_text, today) if rest else starts
    if starts is None or ends is None:
        raise Refusal(
            "Please give the first and last day you're away. Nothing was changed.",
            AWAY_EXAMPLE + " To remove them: /prefs away clear.",
        )
    first, last = starts[0], ends[1]
    if last < first:
        raise Refusal(
            f"Those dates are the wrong way round: the last day ({_day(last, today)}) "
            f"is before the first ({_day(first, today)}). Nothing was changed.",
            f"Did you mean /prefs away {' '.join(last_text.split())} to "
            f"{' '.join(first_text.split())}?",
        )
    if last < today:
        raise Refusal("Those dates have already passed, so nothing was changed.")
    if (last - first).days > 366:
        raise Refusal("Please give away dates of up to one year at a time. Nothing was changed.")
    await ctx.uow.people.add(AwayPeriod(person_id=ctx.person.id, first_day=first, last_day=last))
    when = f"on {_day(first, today)}" if first == last else f"from {_days(first, last, today)}"
    _done(ctx, f"Done. You're away {when}. I won't send reminders or give you a role then.")


async def pictures(ctx: Context, args: str) -> None:
    """Choose whether charts come as pictures as well as in words."""
    choice = args.strip().lower()
    if choice not in ("on", "off"):
        raise Refusal(
            "Please say on or off.",
            "For example: /prefs pictures off (charts in words only). Nothing was changed.",
        )
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    prefs.pictures = choice == "on"
    _done(
        ctx,
        "Done. Charts will come as pictures too, with the same facts in words."
        if prefs.pictures
        else "Done. Charts will come in words only, with no pictures.",
    )


def _text_setting(field: str, label: str, limit: int, private: bool = False) -> tuple[Sub, ...]:
    async def run(ctx: Context, args: str) -> None:
        prefs = await ctx.uow.people.preferences(ctx.person.id)
        text = " ".join(args.split())
        if text.lower() in ("clear", "none", "off"):
            setattr(prefs, field, None)
            _done(ctx, f"Done. I've removed your {label}.")
            return
        if not text:
            raise Refusal(f"Please write your {label} after /prefs {field.split('_')[0]}.")
        if len(text) > limit:
            raise Refusal(f"Please keep your {label} to {limit} characters or fewer.")
        setattr(prefs, field, text)
        _done(ctx, f"Done. I've saved your {label}.")

    name = field.split("_")[0]
    return (
        Sub(
            name,
            run,
            f"/prefs {name} <text>|clear",
            f"Set or clear your {label}.",
            needs_group=False,
            private=private,
        ),
    )


async def perspective(ctx: Context, args: str) -> None:
    """Optionally describe your perspective; used only in counts, never shown per person."""
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    text = " ".join(args.split()).lower()
    if text in ("clear", "none", "off", "pass"):
        prefs.perspective = None
        _done(ctx, "Done. I've removed how you describe your perspective.")
        return
    if not text or len(text) > 60:
        raise Refusal(
            "You can describe your perspective in a few words, or skip this.",
            f"For example: /prefs perspective {PERSPECTIVES[0]}. "
            f"Others use: {', '.join(PERSPECTIVES[1:])}, or their own words.",
        )
    prefs.perspective = text
    _done(
        ctx,
        f"Done. I've saved '{text}'. It is only ever counted together with others, "
        "never shown next to your name.",
    )


_NO_GROUP = {"needs_group": False}

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="prefs",
        summary="How and when I contact you: direct message or channel, quiet hours, away dates.",
        usage="/prefs",
        examples=("/prefs quiet 21:00-08:00", "/prefs reminders dm", "/prefs away 2026-12-24"),
        run=show,
        takes_text=False,
        unknown_hint="Type /help prefs to see what you can change.",
        needs_group=False,
        subs=(
            Sub(
                "reminders",
                reminders,
                "/prefs reminders dm|channel",
                "Get reminders and packs in a direct message or in the channel.",
                **_NO_GROUP,
            ),
            Sub(
                "lead",
                lead,
                "/prefs lead <time>|off",
                "Get an extra reminder this long before meetings, like 2h.",
                **_NO_GROUP,
            ),
            Sub(
                "quiet",
                quiet,
                "/prefs quiet 21:00-08:00|off",
                "Quiet hours: I hold messages until they end.",
                **_NO_GROUP,
            ),
            Sub(
                "away",
                away,
                "/prefs away <first day> to <last day>|clear",
                "Days you're away: no reminders and no roles.",
                **_NO_GROUP,
            ),
            Sub(
                "digest",
                choose,
                "/prefs digest daily [at 18:00]|off",
                "Get news that can wait in one message a day. Reminders still come on time.",
                **_NO_GROUP,
            ),
            Sub(
                "pictures",
                pictures,
                "/prefs pictures on|off",
                "Get charts as pictures too (on), or in words only (off).",
                **_NO_GROUP,
            ),
            *_text_setting("pronouns", "pronouns", MAX_PRONOUNS),
            *_text_setting("access_needs", "access needs", MAX_TEXT, private=True),
            Sub(
                "perspective",
                perspective,
                "/prefs perspective lived experience|professional|carer|<your words>|clear",
                "Optional. Only counted with others, never shown by name.",
                private=True,
                **_NO_GROUP,
            ),
            Sub(
                "export",
                rights_export.export,
                "/prefs export",
                "Get everything I hold about you, in every group, as a file. Only you get it.",
                needs_group=False,
            ),
        ),
    ),
)

FEATURE = Feature(name="prefs", commands=COMMANDS)
