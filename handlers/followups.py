"""What decisions, actions and minutes share: who may record them, which meeting they
come from, and how their dates read.

Who may record: facilitators always; otherwise whoever holds one of
`RECORDING_ROLES` at the meeting the record comes from (rotation's
RoleAssignment rows). This is the one place to change that rule.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.commands import Context, Refusal
from handlers.core.occurrences import Occurrence, between, localise
from storage.models import Group
from storage.repositories.erasure import FORMER_MEMBER
from storage.uow import UnitOfWork

#: Roles whose holders may record decisions and actions for others (as well as facilitators).
RECORDING_ROLES = ("chair", "minutes")
#: The role whose holder sends in the minutes (as well as facilitators).
MINUTES_ROLE = ("minutes",)
#: How far back a meeting still counts as "the last meeting" a record comes from.
LAST_MEETING_WITHIN = timedelta(days=45)
#: Reminders and follow-up questions go out at this local time of day.
ASK_AT = time(10, 0)

_NUMBER = re.compile(r"^#?(\d{1,6})$")


async def meeting_of_record(uow: UnitOfWork, group: Group, now: datetime) -> Occurrence | None:
    """The meeting in progress, or else the most recent one (None if there was none lately)."""
    found = await between(uow, group, now - LAST_MEETING_WITHIN, now + timedelta(seconds=1))
    started = [o for o in found if o.start <= now]
    return started[-1] if started else None


async def holds_role(ctx: Context, occurrence: Occurrence | None, roles: tuple[str, ...]) -> bool:
    """Whether the speaker holds one of `roles` at that meeting date."""
    if occurrence is None:
        return False
    holders = await ctx.uow.followups.holders(occurrence.meeting.id, occurrence.key, roles)
    return ctx.person.id in holders


async def may_record(ctx: Context, occurrence: Occurrence | None = None) -> bool:
    """Facilitators, and the chair or minute-taker of the meeting the record comes from."""
    if ctx.is_facilitator:
        return True
    if occurrence is None:
        occurrence = await meeting_of_record(ctx.uow, ctx.the_group(), ctx.now)
    return await holds_role(ctx, occurrence, RECORDING_ROLES)


async def facilitator_names(ctx: Context) -> str:
    """'Alice and Carol': who facilitates, to say who else can help."""
    names = [
        m.person.display_name
        for m in await ctx.uow.groups.members(ctx.the_group().id)
        if m.is_facilitator
    ]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


async def name_of(
    uow: UnitOfWork, person_id: int | None, default: str = "someone", *, group_id: int
) -> str:
    """How the group's record names a person: their display name while they are in the
    group; "a former member" once they have left it (even if other groups still have
    them) or been forgotten; `default` if there is nobody."""
    if not person_id:
        return default
    membership = await uow.groups.membership(group_id, person_id)
    person = membership.person if membership else await uow.people.get(person_id)
    if person is None:
        return default
    if membership is None or person.forgotten_at is not None:
        return FORMER_MEMBER
    return person.display_name


def zone_of(group: Group) -> ZoneInfo:
    """The group's time zone."""
    return ZoneInfo(group.timezone)


def local_today(group: Group, now: datetime) -> date:
    """Today's date where the group is."""
    return now.astimezone(zone_of(group)).date()


def day_words(when: datetime | date, group: Group) -> str:
    """'Saturday 19 December' (in the group's time zone)."""
    day = when.astimezone(zone_of(group)).date() if isinstance(when, datetime) else when
    return f"{day:%A} {day.day} {day:%B}"


def at_local(day: date, group: Group, at: time = ASK_AT) -> datetime:
    """That day at that local time, as UTC."""
    return localise(datetime.combine(day, at), zone_of(group))


def occurrence_words(o: Occurrence) -> str:
    """'Steering group meeting on Saturday 5 December'."""
    start = o.local_start
    return f"{o.meeting.title} on {start:%A} {start.day} {start:%B}"


def number_of(word: str, what: str, example: str) -> int:
    """'3' or '#3' -> 3; otherwise a kind refusal that says how to find the numbers."""
    match = _NUMBER.match(word.strip())
    if match is None and word.strip().lstrip("#").isascii() and word.strip().lstrip("#").isdigit():
        raise Refusal(
            f"There's no {what} {word.strip()[:12]}. Nothing was changed.",
            f"Type /{what} to see the numbers.",
        )
    if match is None:
        raise Refusal(
            f"Please start with the {what}'s number. Nothing was changed.",
            f"For example: {example}. Type /{what} to see the numbers.",
        )
    return int(match.group(1))
