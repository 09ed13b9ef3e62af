"""Asking for an update when it is due: the owner is asked, asked once more three days
later, and a week after the due date the facilitators are told it is still waiting.

Each question belongs to one cycle (the decision's `next_update_at` when it was
planned); an update or a closed decision moves the cycle on, and the rest of the
questions then find nothing to say.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.core.due import Due
from handlers.core.messages import Choices, Message, Option, message
from handlers.decisions.lookups import asks
from handlers.followups import day_words, name_of
from storage.models import Decision, Group, Person
from storage.uow import UnitOfWork

ASK_AGAIN_AFTER = timedelta(days=3)
TELL_FACILITATORS_AFTER = timedelta(days=7)


def chasers(group: Group, d: Decision) -> list[Due]:
    """The three follow-ups of a decision's current cycle, in order."""
    return [_chaser(group, d, step) for step in range(3)]


def _chaser(group: Group, d: Decision, step: int) -> Due:
    """step 0: ask the owner; 1: ask once more; 2: tell the facilitators it is waiting."""
    assert d.next_update_at is not None
    decision_id, number, cycle = d.id, d.number, d.next_update_at
    kind = ("decisionask", "decisionaskagain", "decisionwaiting")[step]
    due_at = cycle + (timedelta(0), ASK_AGAIN_AFTER, TELL_FACILITATORS_AFTER)[step]

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.followups.decision_with_id(decision_id)
        if current is None or current.next_update_at != cycle:
            return None  # an update came in, or the decision closed
        if step == 2:
            return await _waiting_note(uow, group, current)
        return _ask(group, current, again=step == 1)

    return Due(
        key=f"{kind}:d{decision_id}:{cycle:%Y%m%dT%H%M}",
        kind=kind,
        label=f"a question about decision {number}",
        due_at=due_at,
        group=group,
        recipients="facilitators" if step == 2 else "person",
        person_id=None if step == 2 else asks(d),
        build=build,
        planned_at=d.created_at,
    )


def _ask(group: Group, d: Decision, again: bool) -> Message:
    n = d.number
    first = (
        f"A gentle reminder: I'd still love an update on decision {n}: {d.text}"
        if again
        else f"It's time for an update on decision {n}: {d.text}"
    )
    return message(
        first,
        "What has happened since? A line or two is plenty. I'll share it with everyone as "
        "'you said, we did'.",
        f"Choose one below, or tell me in your own words, like /update {n} done <what was done>. "
        f"If it changed or was dropped, please say why: /update {n} changed <what and why>, or "
        f"/update {n} dropped <why>. If it's stuck: /update {n} blocked <what's in the way>.",
        *(
            [
                "No pressure: if you need more time, 'in progress' is enough. If someone else "
                "should look after it, a facilitator can help."
            ]
            if again
            else []
        ),
        Choices(
            (
                Option("Done", f"/update {n} done", group.id),
                Option("Still in progress", f"/update {n} in progress", group.id),
            )
        ),
        summary=f"An update on decision {n} is due",
    )


async def _waiting_note(uow: UnitOfWork, group: Group, d: Decision) -> Message:
    assert d.next_update_at is not None
    who = await name_of(uow, asks(d))
    return message(
        f"The update on decision {d.number} ({d.text}) was due on "
        f"{day_words(d.next_update_at, group)} and hasn't come in yet.",
        f"I asked {who} that day and again three days later. The next pack will list it as "
        "waiting for an update.",
        f"You might check in with {who}: they may need a hand, or someone else could take it "
        "on. A facilitator can also give the update: /update "
        f"{d.number} in progress <how it's going>.",
        summary=f"Decision {d.number} is waiting for an update",
    )
