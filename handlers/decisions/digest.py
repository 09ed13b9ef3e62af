"""The monthly "what changed because of this group" digest in the channel: every decision
closed last month (with why, when it changed or was dropped) and every action done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from handlers.core.due import Due
from handlers.core.messages import Block, BulletList, Heading, Message, message
from handlers.core.occurrences import localise
from handlers.decisions.chart import by_month, decisions_chart
from handlers.decisions.wording import CLOSED
from handlers.followups import at_local, local_today, zone_of
from storage.models import Decision, DecisionUpdate, Group, Person
from storage.uow import UnitOfWork

DIGEST_AT = time(10, 0)


def digest(group: Group, first_of_month: date) -> Due:
    """The digest of the month before `first_of_month`, posted on that day."""
    zone = zone_of(group)
    month_start = localise(datetime.combine(first_of_month, time(0)), zone)
    last_month = first_of_month - relativedelta(months=1)
    since = localise(datetime.combine(last_month, time(0)), zone)

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        latest: dict[int, tuple[DecisionUpdate, Decision]] = {}
        end = month_start - timedelta(microseconds=1)
        for u, d in await uow.followups.updates_between(group.id, since, end):
            latest[d.id] = (u, d)
        lines = []
        for u, d in sorted(latest.values(), key=lambda pair: pair[1].number):
            if u.status not in CLOSED:
                continue
            lead = {"done": "Done", "changed": "Changed", "dropped": "Dropped"}[u.status]
            reason = {"done": "", "changed": " What changed and why: ", "dropped": " Why: "}[
                u.status
            ]
            said = d.text.rstrip(".!")
            lines.append(f"{lead}: {said}." + (f"{reason or ' '}{u.text}" if u.text else ""))
        done = await uow.followups.actions_done_between(group.id, since, month_start)
        lines += [f"Action done: {a.text}" for a in done]
        if not lines:
            return None
        months = await by_month(uow, group, last_month)
        chart = decisions_chart(months)
        over_time: list[Block | str] = (
            [
                "You said, we did, over the last months (decided, then done, changed or dropped):",
                BulletList(tuple(m.line() for m in months)),
                chart,
            ]
            if chart
            else []
        )
        return message(
            Heading(f"What changed because of this group in {last_month:%B}"),
            "Here is what happened last month to what the group decided:",
            BulletList(tuple(lines)),
            *over_time,
            "Thank you to everyone who made these happen. Type /decision to see what's still open.",
            summary=f"What changed because of this group in {last_month:%B}",
        )

    return Due(
        key=f"digest:g{group.id}:{last_month:%Y-%m}",
        kind="digest",
        label=f"what changed because of this group in {last_month:%B}",
        due_at=localise(datetime.combine(first_of_month, DIGEST_AT), zone),
        group=group,
        recipients="channel",
        build=build,
        planned_at=group.created_at,
    )


def firsts_of_month(group: Group, start: datetime, end: datetime) -> list[date]:
    """The first days of the month whose digest time falls in [start, end]."""
    day = local_today(group, start).replace(day=1)
    found = []
    while at_local(day, group, DIGEST_AT) <= end:
        if at_local(day, group, DIGEST_AT) >= start:
            found.append(day)
        day += relativedelta(months=1)
    return found
