"""Access needs reach the people who can act on them: the facilitators, privately, in time.

A member writes theirs with /prefs access; only facilitators see them, with
each pack (so there is time to arrange large print or captions) and in /group.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.due import Due
from handlers.core.feature import Feature
from handlers.core.messages import BulletList, Heading, Message, message
from handlers.core.occurrences import Occurrence, between
from storage.models import Group, Person
from storage.uow import UnitOfWork

HEADING = "Access needs for {title}"
INTRO = (
    "Only facilitators see this. Members wrote these with /prefs access, so the meeting "
    "works for them. They don't need to explain why."
)


async def needs(uow: UnitOfWork, group: Group) -> list[str]:
    """'name: what they need' for each member who has written their access needs."""
    members = await uow.groups.members(group.id)
    prefs = await uow.people.preferences_of([m.person_id for m in members])
    return [
        f"{m.person.display_name}: {prefs[m.person_id].access_needs}"
        for m in members
        if prefs[m.person_id].access_needs
    ]


def _note(group: Group, o: Occurrence) -> Due:
    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        found = await needs(uow, group)
        if not found:
            return None
        return message(
            Heading(HEADING.format(title=o.meeting.title)),
            INTRO,
            BulletList(tuple(found)),
            summary=f"Access needs for {o.meeting.title}",
        )

    pack_at = o.start - timedelta(minutes=group.pack_lead_minutes)
    return Due(
        key=f"access:m{o.meeting.id}:{o.key}",
        kind="access",
        label=f"members' access needs for {o.meeting.title} ({o.when()})",
        due_at=pack_at,
        group=group,
        recipients="facilitators",
        build=build,
        planned_at=o.meeting.created_at,
        catch_up=True,
        expires_at=o.start,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """A private note of access needs to the facilitators, when each pack goes out."""
    lead = timedelta(minutes=group.pack_lead_minutes)
    dues = [_note(group, o) for o in await between(uow, group, start, end + lead)]
    return [d for d in dues if d.due_at <= end and (d.expires_at or d.due_at) >= start]


FEATURE = Feature(name="access", planners=(plan,))
