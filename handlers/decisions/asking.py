"""Asking for an update when it is due: the owner is asked, asked once more three days
later, and a week after they were asked the facilitators are told it is still waiting.

Each question belongs to one cycle (the decision's `next_update_at` when it was
planned); an update or a closed decision moves the cycle on, and the rest of the
questions then find nothing to say.

Someone who is away is asked on their first morning back: the questions are kept
(`Due.keep`), never dropped. The reminder and the facilitators' note count from
when the first question really went (its delivery record), and the note says what
was sent, and when (see `waiting`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.due import Due
from handlers.core.messages import Choices, Message, Option, message
from handlers.decisions.lookups import asks
from handlers.decisions.waiting import away_on, waiting_note
from handlers.followups import day_words
from handlers.help import NOT_NOW
from storage.models import Decision, Delivery, Group, Person
from storage.uow import UnitOfWork

ASK_AGAIN_AFTER = timedelta(days=3)
TELL_FACILITATORS_AFTER = timedelta(days=7)
ASK, ASK_AGAIN, WAITING = "decisionask", "decisionaskagain", "decisionwaiting"


def _key(kind: str, d: Decision) -> str:
    assert d.next_update_at is not None
    return f"{kind}:d{d.id}:{d.next_update_at:%Y%m%dT%H%M}"


def sent_key(kind: str, d: Decision) -> str:
    """The delivery key of one question of the decision's current cycle to its owner."""
    return f"{_key(kind, d)}:p{asks(d)}"


def chasers(group: Group, d: Decision, asked: Delivery | None, reachable: bool) -> list[Due]:
    """What can be planned of a decision's current cycle: the question; once it has gone
    (`asked`, its delivery record), the reminder and the facilitators' note, counted from
    then; or the note alone if there is nobody in the group to ask (not `reachable`)."""
    assert d.next_update_at is not None
    dues = [_question(group, d, d.next_update_at, again=False)]
    if asked is not None:
        at = asked.done_at or asked.claimed_at
        dues += [
            _question(group, d, at + ASK_AGAIN_AFTER, again=True),
            _note(group, d, at + TELL_FACILITATORS_AFTER),
        ]
    elif not reachable:
        dues.append(_note(group, d, d.next_update_at + TELL_FACILITATORS_AFTER))
    return dues


def _question(group: Group, d: Decision, due_at: datetime, again: bool) -> Due:
    """Ask the owner (or ask once more); it waits for them if they are away."""
    decision_id, number, cycle = d.id, d.number, d.next_update_at
    assert cycle is not None
    kind = ASK_AGAIN if again else ASK

    async def build(uow: UnitOfWork, to: Person | None) -> Message | None:
        current = await uow.followups.decision_with_id(decision_id)
        if current is None or current.next_update_at != cycle:
            return None  # an update came in, or the decision closed
        away = (await uow.people.away_days([to.id]))[to.id] if to else []
        return _ask(group, current, again, was_away=away_on(away, cycle, group))

    return Due(
        key=_key(kind, d),
        kind=kind,
        label=f"a question about decision {number}",
        due_at=due_at,
        group=group,
        recipients="person",
        person_id=asks(d),
        build=build,
        planned_at=d.created_at,
        keep=True,
    )


def _note(group: Group, d: Decision, due_at: datetime) -> Due:
    """Tell the facilitators the update hasn't come in, and what was sent."""
    decision_id, cycle = d.id, d.next_update_at

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.followups.decision_with_id(decision_id)
        if current is None or current.next_update_at != cycle:
            return None
        sent = await uow.deliveries.records([sent_key(k, current) for k in (ASK, ASK_AGAIN)])
        return await waiting_note(
            uow,
            group,
            current,
            sent.get(sent_key(ASK, current)),
            sent.get(sent_key(ASK_AGAIN, current)),
            due_at,
        )

    return Due(
        key=_key(WAITING, d),
        kind=WAITING,
        label=f"a question about decision {d.number}",
        due_at=due_at,
        group=group,
        recipients="facilitators",
        build=build,
        planned_at=d.created_at,
    )


def _ask(group: Group, d: Decision, again: bool, was_away: bool) -> Message:
    n = d.number
    assert d.next_update_at is not None
    first = (
        f"A gentle reminder: I'd still love an update on decision {n}: {d.text}"
        if again
        else f"It's time for an update on decision {n}: {d.text}"
    )
    welcome = (
        [
            f"It was due on {day_words(d.next_update_at, group)}, while you were away, so I "
            "waited until you were back. No rush."
        ]
        if was_away and not again
        else []
    )
    return message(
        first,
        *welcome,
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
                NOT_NOW,
            )
        ),
        summary=f"An update on decision {n} is due",
    )
