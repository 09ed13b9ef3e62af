"""What the actions feature has due: a reminder the day before and on the day, and, if an
action is still open a few days after its date, one kind question to its owner.

The question is asked once per date (its key names the action and the date), and
waits for an owner who is away (`Due.keep`). It finds nothing to say once the
action is done, dropped, given a new date, or said to be still going.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.core.due import Due
from handlers.core.messages import Choices, Message, Option, message
from handlers.followups import at_local, day_words, local_today
from handlers.help import NOT_NOW
from storage.models import Action, Group, Person
from storage.uow import UnitOfWork

#: How long after an action's date its owner is asked how it is going.
ASK_AFTER = timedelta(days=3)
#: A question for an owner who was away this long ago is no use any more.
ASK_LOOKS_BACK = timedelta(days=28)


def _reminder(group: Group, action: Action, day_before: bool) -> Due:
    action_id, number = action.id, action.number
    when_words = "tomorrow" if day_before else "today"

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.followups.action_with_id(action_id)
        if current is None or current.done_at is not None or current.dropped_at is not None:
            return None
        return message(
            f"A gentle reminder: action {number} is due {when_words} "
            f"({day_words(current.due_on, group)}): {current.text}",
            "If it's done, choose Done below. If you need more time or a hand, that's okay: "
            "let a facilitator know.",
            Choices((Option("Done", f"/action done {number}", group.id), NOT_NOW)),
            summary=f"Action {number} is due {when_words}",
        )

    day = action.due_on - timedelta(days=1) if day_before else action.due_on
    return Due(
        key=f"{'actionbefore' if day_before else 'actionday'}:a{action_id}:{action.due_on}",
        kind="action",
        label=f"a reminder about action {number}",
        due_at=at_local(day, group),
        group=group,
        recipients="person",
        person_id=action.owner_id,
        build=build,
        planned_at=action.created_at,
        expires_at=at_local(action.due_on + timedelta(days=1), group),
    )


def _how_is_it_going(group: Group, action: Action) -> Due:
    """Asked once, privately, a few days after the date of an action still open."""
    action_id, number, due_on = action.id, action.number, action.due_on

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.followups.action_with_id(action_id)
        if (
            current is None
            or current.done_at is not None
            or current.dropped_at is not None
            or current.due_on != due_on
            or (current.going_at is not None and local_today(group, current.going_at) > due_on)
        ):
            return None
        n = current.number
        return message(
            f"A gentle check-in about action {n}: {current.text}",
            f"It was due on {day_words(due_on, group)}. How is it going? It's fine if it's "
            "taking longer than planned, or if it isn't going to happen after all.",
            Choices(
                (
                    Option("Done", f"/action done {n}", group.id),
                    Option("Still going", f"/action going {n}", group.id),
                    Option("Not going to happen", f"/action drop {n}", group.id),
                )
            ),
            f"If you know a new date: /action going {n} by <date>. If it won't happen, I'll "
            "tell the group, so nobody waits for it.",
            "You don't have to reply, and I won't ask about it again.",
            summary=f"How is action {n} going?",
        )

    return Due(
        key=f"actionoverdue:a{action_id}:{due_on}",
        kind="actionoverdue",
        label=f"a question about action {number}",
        due_at=at_local(due_on + ASK_AFTER, group),
        group=group,
        recipients="person",
        person_id=action.owner_id,
        build=build,
        planned_at=action.created_at,
        keep=True,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """Reminders the day before and on the day, and the question a few days after, for
    actions not done yet."""
    first, last = local_today(group, start), local_today(group, end) + timedelta(days=1)
    repo = uow.followups
    dues = [
        _reminder(group, action, day_before)
        for action in await repo.actions_due(group.id, first, last)
        if action.owner_id is not None
        for day_before in (True, False)
    ]
    since = local_today(group, start - ASK_LOOKS_BACK) - ASK_AFTER
    dues += [
        _how_is_it_going(group, action)
        for action in await repo.actions_due(group.id, since, last - ASK_AFTER)
        if action.owner_id is not None
    ]
    return [d for d in dues if (start <= d.due_at or d.keep) and d.due_at <= end]
