"""Pictures only for people who want them: `/prefs pictures off` leaves a message's words.

Posts in a group's channel keep their pictures (they are for everyone there, and their
words say the same); what goes to one person follows that person's preference.
"""

from __future__ import annotations

from handlers.core.messages import (
    Message,
    Outgoing,
    ToCaller,
    ToPerson,
    images_of,
    without_pictures,
)
from storage.uow import UnitOfWork


async def wants_pictures(uow: UnitOfWork, person_id: int) -> bool:
    """Whether the person gets charts as pictures (yes, unless they said /prefs pictures off)."""
    prefs = (await uow.people.preferences_of([person_id]))[person_id]
    return prefs.pictures is not False


async def as_liked(uow: UnitOfWork, msg: Message, person_id: int | None) -> Message:
    """The message as `person_id` wants it (None: a channel post, kept as it is)."""
    if person_id is None or not images_of(msg) or await wants_pictures(uow, person_id):
        return msg
    return without_pictures(msg)


async def outgoing_as_liked(uow: UnitOfWork, out: Outgoing, caller_id: int) -> Outgoing:
    """An answer or direct message as its one reader wants it; channel posts as they are."""
    match out.to:
        case ToCaller():
            reader: int | None = caller_id
        case ToPerson(person_id=person_id):
            reader = person_id
        case _:
            reader = None
    msg = await as_liked(uow, out.message, reader)
    return out if msg is out.message else Outgoing(msg, out.to)
