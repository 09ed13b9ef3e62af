"""Small parsers for what people type: durations, times of day, mentions."""

from __future__ import annotations

import re
from datetime import time, timedelta

from handlers.core.commands import Context, Refusal
from storage.models import Membership, Person

_DURATION = re.compile(r"(\d+)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m)(?![a-z])", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


#: The longest number anyone types for a meeting, an item or a code's number.
_MAX_DIGITS = 9


def is_number(text: str) -> bool:
    """Whether `text` is a plain whole number ('12'): ASCII digits only, and not huge.

    ('²' and '①' are digits to Python's isdigit(), but int() can't read them.)
    """
    return text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS


def parse_duration(text: str) -> timedelta | None:
    """'1h30m', '90 minutes', '2 days' -> timedelta; None when it isn't a duration."""
    leftover = _DURATION.sub("", text).replace("and", "").replace(",", "").strip()
    matches = _DURATION.findall(text)
    if leftover or not matches:
        return None
    total = timedelta()
    for amount, unit in matches:
        unit = unit[0].lower()
        step = {"d": timedelta(days=1), "h": timedelta(hours=1)}.get(unit, timedelta(minutes=1))
        try:
            total += int(amount) * step
        except OverflowError:  # more days than a calendar holds: not a duration anyone means
            return None
    return total


def describe_duration(delta: timedelta) -> str:
    """timedelta -> '1 hour 30 minutes'."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if n
    ]
    return " ".join(parts) or "0 minutes"


def parse_time_of_day(text: str) -> time | None:
    """'21:00', '9pm', '7:30am' -> time; None when it isn't a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


async def find_member(ctx: Context, token: str) -> Membership:
    """The group member a person meant by '@name' (platform id or display name)."""
    group = ctx.the_group()
    wanted = token.strip()
    bare = wanted.lstrip("@")
    if not bare:
        raise Refusal("Please name the person with @, for example @sam.")
    members = await ctx.uow.groups.members(group.id)
    for member in members:
        person: Person = member.person
        if person.external_id in (wanted, bare, f"@{bare}"):
            return member
    matches = [m for m in members if m.person.display_name.casefold() == bare.casefold()]
    if len(matches) == 1:
        return matches[0]
    shown = bare[:60]
    if matches:
        raise Refusal(
            f"More than one person in this group is called {shown}, so nothing was changed.",
            "Please use the @-mention your chat app suggests, so I can tell who you mean.",
        )
    if await ctx.uow.people.find(ctx.platform, bare) is not None:
        raise Refusal(f"{shown} isn't in this group yet, so nothing was changed.")
    raise Refusal(
        f"I don't know anyone called {shown} in this group yet, so nothing was changed.",
        "People join the group when they first say something in its channel.",
    )
