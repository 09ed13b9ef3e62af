"""What falls due when: the items feature modules plan, for the delivery engine to send.

Each feature module may declare `PLANNERS`: functions that, for one group and
a window of time, return the `Due` items whose nominal time falls in it; and
`HOUSEKEEPING`: functions run once per engine run, before planning. The
engine (scheduler/delivery.py) turns them into one delivery per recipient,
applies preferences, quiet hours and away dates, and sends each exactly once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from handlers.core.messages import Message
from storage.models import Group, Person
from storage.uow import UnitOfWork

Recipients = Literal["members", "channel", "facilitators", "person"]

#: When the meeting reminders go out: before the start, and after the end.
#: A check-in that opens at one of these times travels in the reminder's
#: message, so nobody gets two messages in the same minute.
DAY_BEFORE = timedelta(days=1)
HOUR_BEFORE = timedelta(hours=1)
HOUR_AFTER = timedelta(hours=1)

#: Builds the message when it is sent, from the data as it is then.
#: Gets the recipient (None for a channel post); returns None when there is nothing to say.
Build = Callable[[UnitOfWork, Person | None], Awaitable[Message | None]]

#: Each recipient's message (None: nothing to say to them), from what a `Prepare` read.
ForEach = Callable[[Person | None], Message | None]

#: Reads once, for all of an item's `recipients`, what its message needs: for a burst
#: (an hour-before reminder to everyone), one read per item instead of one per person.
Prepare = Callable[[UnitOfWork, Sequence[Person | None]], Awaitable[ForEach]]


def prepared(prepare: Prepare) -> Build:
    """The build for one recipient that says the same as `prepare` does for many."""

    async def build(uow: UnitOfWork, to: Person | None) -> Message | None:
        return (await prepare(uow, [to]))(to)

    return build


@dataclass(frozen=True)
class Due:
    """Something to send at `due_at`, to some of a group's people or its channel.

    key: unique for (kind, subject, occurrence); the engine adds the recipient.
    planned_at: when its subject was created; nothing is sent for times before that.
    catch_up: if the subject was created, or a recipient joined, after `due_at`,
        send it then (a pack) rather than not at all (a reminder).
    expires_at: past this time it is no use any more (a reminder after the meeting).
    keep: a message someone is waiting for (a swap request, a reply to a concern):
        never dropped or summarised; on away days it waits for the first day back.
    stale_at: from this time it is simply left unsent, never summarised as late (a
        live meeting's call to an item, once the next item has come).
    digest: news that can wait (an update, the minutes): for someone who chose a daily
        round-up (`/prefs digest daily`) it is kept for that instead of sent on its own.
    prepare: optionally, the same messages as `build` read once for all recipients
        (`build = prepared(prepare)`); the engine uses it when it sends the item to many.
    """

    key: str
    kind: str
    label: str
    due_at: datetime
    group: Group
    recipients: Recipients
    build: Build
    planned_at: datetime
    person_id: int | None = None
    catch_up: bool = False
    expires_at: datetime | None = None
    keep: bool = False
    stale_at: datetime | None = None
    digest: bool = False
    prepare: Prepare | None = None


Planner = Callable[[UnitOfWork, Group, datetime, datetime], Awaitable[list[Due]]]


#: Idempotent upkeep a feature needs at a given time, run by the engine (and
#: committed) before it plans: for example releasing a batch whose time has come.
Housekeeping = Callable[[UnitOfWork, Group, datetime], Awaitable[None]]
