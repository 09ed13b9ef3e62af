"""The facilitators' note that a decision's update hasn't come in: what was really sent
to whoever looks after it, and when, from the delivery records, never assumed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from handlers.core.messages import Message, message
from handlers.decisions.lookups import asks
from handlers.followups import day_words, local_today, name_of
from storage.models import Decision, Delivery, Group
from storage.uow import UnitOfWork

#: The delivery statuses that mean a question went out (or is being checked with the platform).
WENT = ("sent", "sending")


def away_on(away: Sequence[tuple[date, date]], when: datetime, group: Group) -> bool:
    """Whether `when` (a day in the group's time zone) falls in these away dates."""
    day = local_today(group, when)
    return any(first <= day <= last for first, last in away)


def _went(record: Delivery | None) -> datetime | None:
    if record is None or record.status not in WENT:
        return None
    return record.done_at or record.claimed_at


async def _what_was_sent(
    uow: UnitOfWork,
    group: Group,
    d: Decision,
    asked: datetime | None,
    again: datetime | None,
    now: datetime,
) -> tuple[str, bool]:
    """A sentence saying what was sent, and whether the owner can be asked at all."""
    person_id = asks(d)
    assert d.next_update_at is not None
    if person_id is None:
        return "Nobody in the group looks after it now, so I couldn't ask anyone.", False
    if await uow.groups.membership(group.id, person_id) is None:
        return "I couldn't ask the person who looks after it: they've left the group.", False
    who = await name_of(uow, person_id, group_id=group.id)
    if asked is None:
        return f"I haven't been able to ask {who} yet.", True
    away = (await uow.people.away_days([person_id]))[person_id]
    said = []
    them = who
    if away_on(away, d.next_update_at, group) and not _same_day(asked, d.next_update_at, group):
        said.append(f"{who} was away when it was due, so I waited for their first day back.")
        them = "them"
    first = (
        "that day" if _same_day(asked, d.next_update_at, group) else f"on {day_words(asked, group)}"
    )
    if again is not None:
        gap = (local_today(group, again) - local_today(group, asked)).days
        later = "three days later" if gap == 3 else f"on {day_words(again, group)}"
        said.append(f"I asked {them} {first} and again {later}.")
    elif away_on(away, now, group):
        said.append(
            f"I asked {them} {first}. They're away at the moment, so my reminder will wait "
            "until they're back."
        )
    else:
        said.append(f"I asked {them} {first}.")
    return " ".join(said), True


def _same_day(one: datetime, other: datetime, group: Group) -> bool:
    return local_today(group, one) == local_today(group, other)


async def waiting_note(
    uow: UnitOfWork,
    group: Group,
    d: Decision,
    asked: Delivery | None,
    again: Delivery | None,
    now: datetime,
) -> Message:
    """'The update on decision 3 was due on ... and hasn't come in yet', with what was sent:
    `asked` and `again` are the delivery records of the question and the reminder."""
    assert d.next_update_at is not None
    sent, reachable = await _what_was_sent(uow, group, d, _went(asked), _went(again), now)
    who = await name_of(uow, asks(d), group_id=group.id)
    help_with = (
        f"You might check in with {who}: they may need a hand, or someone else could take it on."
        if reachable
        else "Someone else could take it on."
    )
    return message(
        f"The update on decision {d.number} ({d.text}) was due on "
        f"{day_words(d.next_update_at, group)} and hasn't come in yet.",
        f"{sent} The next pack will list it as waiting for an update.",
        f"{help_with} A facilitator can also give the update: /update "
        f"{d.number} in progress <how it's going>.",
        summary=f"Decision {d.number} is waiting for an update",
    )
