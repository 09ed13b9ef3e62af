"""A member's daily round-up (`/prefs digest daily`): the news that can wait, once a day.

One delivery per member who chose it, per day, at their time in the group's time
zone. Building it marks their waiting messages with its delivery key and shows every
message so marked, so a round-up built twice (a crash before it was claimed, a second
instance) is the same message and is sent once. The messages are removed once it is
sent (handlers/digest/upkeep.py). Quiet hours and away dates apply as to any direct
message: a round-up due while someone is away comes on their first day back.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.due import Due
from handlers.core.messages import Message
from handlers.core.occurrences import localise
from handlers.digest.rendering import round_up
from storage.models import Group, Person
from storage.uow import UnitOfWork

#: Starts the key of every daily round-up (the engine adds ':p<person>').
PREFIX = "roundup:"
ENDING = "You don't need to reply. To get each message as it happens instead: /prefs digest off."


def _key(group: Group, day: date) -> str:
    return f"{PREFIX}g{group.id}:{day.isoformat()}"


def _due(group: Group, person_id: int, day: date, at: datetime) -> Due:
    key = _key(group, day)

    async def build(uow: UnitOfWork, to: Person | None) -> Message | None:
        if to is None:
            return None
        items = await uow.digests.gather(to.id, group.id, f"{key}:p{to.id}")
        if not items:
            return None
        return round_up(
            f"Your daily round-up from {group.name}",
            "Here is the news since your last round-up",
            items,
            ENDING,
        )

    return Due(
        key=key,
        kind="roundup",
        label="your daily round-up",
        due_at=at,
        group=group,
        recipients="person",
        person_id=person_id,
        build=build,
        planned_at=at,
        keep=True,
    )


def _days(start: datetime, end: datetime, zone: ZoneInfo) -> list[date]:
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def times(start: datetime, end: datetime, at: time, zone: ZoneInfo) -> list[tuple[date, datetime]]:
    """Each local day whose round-up time `at` falls in [start, end], with that time in UTC."""
    found = [(day, localise(datetime.combine(day, at), zone)) for day in _days(start, end, zone)]
    return [(day, when) for day, when in found if start <= when <= end]


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """A round-up for each member who chose one, each day, at their time (sent only if
    something is waiting)."""
    members = [m.person_id for m in await uow.groups.members(group.id)]
    zone = ZoneInfo(group.timezone)
    return [
        _due(group, person_id, day, when)
        for person_id, prefs in (await uow.people.preferences_of(members)).items()
        if prefs.digest_at is not None
        for day, when in times(start, end, prefs.digest_at, zone)
    ]
