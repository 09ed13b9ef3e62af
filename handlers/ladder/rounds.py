"""When the ladder question is asked, and what falls due for each round.

The rule: a group's first round opens at 10:00 (its time) on the day `ladder_every_months`
months after it was set up, so the group has had time to meet; each next round opens at
10:00 that many months after the last one opened. A round is open for 7 days. The next
round is planned (a row with a later `opens_at`) as soon as the last one has closed, so
the engine sees its time coming; `/ladder every` and `/ladder ask` move it.

Each member is asked once, privately, when a round opens (or when they join while it
is open). At the close the result goes to the channel: counts only, and only when at
least 3 people chose a rung; passes count as taking part, not toward the 3.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from handlers.core.due import Due
from handlers.core.messages import Message
from handlers.followups import zone_of
from handlers.ladder.chart import ladder_chart
from handlers.ladder.wording import FEWEST_TO_SHOW, PASS, middle, question, result
from storage.models import Group, LadderRound, Person
from storage.uow import UnitOfWork

OPEN_FOR = timedelta(days=7)
OPENS_AT = time(10, 0)


def _months_on(day: date, months: int) -> date:
    """The same day `months` months later (the month's last day if it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_opening(group: Group, last: LadderRound | None, now: datetime) -> datetime:
    """When the group's next round opens under the rule above (never before `now`)."""
    zone = zone_of(group)
    since = (last.opens_at if last else group.created_at).astimezone(zone).date()
    day = _months_on(since, group.ladder_every_months)
    return max(datetime.combine(day, OPENS_AT, zone).astimezone(UTC), now)


def new_round(group: Group, opens_at: datetime) -> LadderRound:
    """A round of the group's, open for 7 days from `opens_at`."""
    return LadderRound(group_id=group.id, opens_at=opens_at, closes_at=opens_at + OPEN_FOR)


async def plan_next(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Housekeeping: keep the group's next round planned (none when it is set to never)."""
    if group.ladder_every_months <= 0:
        await uow.ladder.drop_planned(group.id, now)
        return
    last = await uow.ladder.latest(group.id)
    if last is None or last.closes_at <= now:
        await uow.ladder.add(new_round(group, next_opening(group, last, now)))


async def previous_middle(uow: UnitOfWork, group: Group, r: LadderRound) -> tuple[int | None, str]:
    """The middle answer of the round before `r` (if its result was shared), and its month."""
    earlier = [e for e in await uow.ladder.closed_by(group.id, r.opens_at) if e.id != r.id]
    if not earlier:
        return None, ""
    before = earlier[0]
    rungs = [a for a in await uow.ladder.rungs(before.id) if a != PASS]
    month = f"{before.opens_at.astimezone(zone_of(group)):%B}"
    return (middle(rungs) if len(rungs) >= FEWEST_TO_SHOW else None), month


async def result_of(uow: UnitOfWork, group: Group, r: LadderRound) -> Message:
    """The result of a closed round as the group sees it."""
    before, month = await previous_middle(uow, group, r)
    answers = await uow.ladder.rungs(r.id)
    shown = result(group, answers, before, month)
    chart = ladder_chart(answers)
    return shown if chart is None else replace(shown, blocks=(*shown.blocks, chart))


def _ask(group: Group, r: LadderRound, person_id: int) -> Due:
    round_id = r.id

    async def build(uow: UnitOfWork, to: Person | None) -> Message | None:
        current = await uow.ladder.with_id(round_id)
        if current is None or to is None or await uow.ladder.has_answered(round_id, to.id):
            return None
        return question(current, group)

    return Due(
        key=f"ladderask:r{round_id}",
        kind="ladderask",
        label="the ladder question",
        due_at=r.opens_at,
        group=group,
        recipients="person",
        person_id=person_id,
        build=build,
        planned_at=r.opens_at,
        catch_up=True,
        expires_at=r.closes_at,
    )


def _result(group: Group, r: LadderRound) -> Due:
    round_id = r.id

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        current = await uow.ladder.with_id(round_id)
        return None if current is None else await result_of(uow, group, current)

    return Due(
        key=f"ladderresult:r{round_id}",
        kind="ladderresult",
        label="the ladder result",
        due_at=r.closes_at,
        group=group,
        recipients="channel",
        build=build,
        planned_at=r.opens_at,
        catch_up=True,
        keep=True,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The question to each member when a round opens, and the result when it closes."""
    members = [m.person_id for m in await uow.groups.members(group.id)]
    dues: list[Due] = []
    for r in await uow.ladder.active_between(group.id, start, end):
        dues.append(_result(group, r))
        dues += [_ask(group, r, person) for person in members]
    return dues
