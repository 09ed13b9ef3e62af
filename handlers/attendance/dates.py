"""Which meeting date an answer is about: the next one, a named weekday, or a button's date."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers.core.commands import Context, Refusal
from handlers.core.occurrences import KEY_FORMAT, Occurrence, upcoming
from storage.models import Group
from storage.uow import UnitOfWork

#: How far ahead a button's date is looked for (a weekly meeting: about a year of dates).
LOOK_AHEAD = 60
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
NO_MEETING = (
    "There's no meeting planned yet, so there's nothing to say you're coming to. "
    "Nothing was changed."
)


async def next_date(uow: UnitOfWork, group: Group, now: datetime) -> Occurrence | None:
    """The group's next meeting date that hasn't started yet."""
    return next((o for o in await upcoming(uow, group, now) if o.start > now), None)


async def named_date(uow: UnitOfWork, group: Group, now: datetime, words: str) -> Occurrence | None:
    """The next date on the weekday the words name ('Thursday'), else the next date."""
    dates = [o for o in await upcoming(uow, group, now, limit=10) if o.start > now]
    folded = words.lower()
    named = [i for i, day in enumerate(WEEKDAYS) if re.search(rf"\b{day}s?\b", folded)]
    if len(named) == 1:
        on_day = [o for o in dates if o.local_start.weekday() == named[0]]
        if on_day and on_day[0].start - now <= timedelta(days=8):
            return on_day[0]
    return dates[0] if dates else None


async def next_or_refuse(ctx: Context) -> Occurrence:
    """The next meeting date that hasn't started yet; a kind refusal if there is none."""
    o = await next_date(ctx.uow, ctx.the_group(), ctx.now)
    if o is None:
        raise Refusal(NO_MEETING, "A facilitator can plan one with /meeting new.")
    return o


async def date_of(ctx: Context, meeting_word: str, key: str) -> Occurrence:
    """The date a button names ('m3', '2026-12-05T14:00'), while it hasn't finished.

    Refuses kindly if the meeting is unknown, the date was cancelled, or it is over.
    """
    group = ctx.the_group()
    number = meeting_word.lower().removeprefix("m")
    meeting = await ctx.uow.meetings.get(group.id, int(number)) if number.isdigit() else None
    if meeting is None or not _KEY.match(key):
        raise Refusal(
            "I couldn't tell which meeting that was about. Nothing was changed.",
            "To answer for the next meeting, say /coming yes, /coming no or /coming maybe.",
        )
    for o in await upcoming(ctx.uow, group, ctx.now, limit=LOOK_AHEAD):
        if o.meeting.id == meeting.id and o.key == key:
            return o
    changes = await ctx.uow.meetings.changes([meeting.id])
    cancelled = meeting.cancelled or any(c.occurrence == key and c.cancelled for c in changes)
    day = datetime.strptime(key, KEY_FORMAT)
    what = f"{meeting.title} on {day:%A} {day.day} {day:%B}"
    raise Refusal(
        f"{what} was cancelled, so there's nothing to answer. Nothing was changed."
        if cancelled
        else f"{what} has already happened, so there's nothing to answer now. Nothing was changed.",
        "To answer for the next meeting, say /coming yes, /coming no or /coming maybe.",
    )
