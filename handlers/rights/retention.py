"""/group keep: how long details are kept, and the housekeeping that applies it.

After the group's period (2 years unless a facilitator changes it, between 6 months
and 7 years), check-in answers and notes, who said they'd come and who was there,
finished delivery records, and what time and expenses were for are deleted (the
amounts stay, so totals still add up). Decisions, minutes and roles stay.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from storage.models import Group
from storage.uow import UnitOfWork

SHORTEST = 182  # 6 months
LONGEST = 7 * 365  # 7 years
KEPT = (
    "These are check-in answers, who came to meetings, and what time and costs were for. "
    "Also my notes of what I sent."
)

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_UNITS = {"year": 365, "month": 0, "week": 7, "day": 1}
_PERIOD = re.compile(r"^(\d{1,5}|[a-z]+)\s*(year|month|week|day)s?$")


def days_in(words: str) -> int | None:
    """'2 years' -> 730, '18 months' -> 547, '365 days' -> 365; None if not a period."""
    found = _PERIOD.match(" ".join(words.lower().split()))
    if found is None:
        return None
    number, unit = found.groups()
    n = int(number) if number.isdigit() else _NUMBERS.get(number)
    if n is None:
        return None
    return n * 365 // 12 if unit == "month" else n * _UNITS[unit]


def period_words(days: int) -> str:
    """730 -> '2 years', 547 -> '18 months', 100 -> '100 days'."""
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years > 1 else ''}"
    months = round(days * 12 / 365)
    if months * 365 // 12 == days:
        return f"{months} months"
    return f"{days} days"


async def keep(ctx: Context, args: str) -> None:
    """/group keep [how long]: show or change how long details are kept."""
    group = ctx.the_group()
    if not args.strip():
        ctx.reply(
            message(
                f"I keep some details for {period_words(group.retention_days)}, then delete them.",
                KEPT,
                "To change it, say how long, for example: /group keep 18 months",
            )
        )
        return
    days = days_in(args)
    if days is None:
        raise Refusal(
            "I didn't understand how long. Nothing was changed.",
            "Please say a number and years, months or days, for example: /group keep 2 years",
        )
    if not SHORTEST <= days <= LONGEST:
        raise Refusal(
            "Please choose between 6 months and 7 years. Nothing was changed.",
            "Shorter could lose what the group needs. Longer keeps people's details too long.",
        )
    group.retention_days = days
    said = period_words(days)
    ctx.audit(f"set details to be kept for {said}")
    ctx.reply(
        message(
            f"Done. I'll keep some details for {said}, then delete them.",
            KEPT,
            "Decisions, minutes and roles stay.",
        )
    )


async def housekeep(uow: UnitOfWork, group: Group, now: datetime) -> None:
    """Delete, or blank, the group's details older than it keeps them. Idempotent; one
    statement per table, so it costs little when nothing is old."""
    before = now - timedelta(days=group.retention_days)
    await uow.erasure.drop_old_checkins(group.id, before)
    await uow.erasure.drop_old_attendance(group.id, before)
    await uow.erasure.drop_old_presence(group.id, before)
    await uow.erasure.blank_old_details(group.id, before)
    # Delivery records name no group: kept as long as the group that keeps longest.
    await uow.erasure.drop_old_deliveries(
        now - timedelta(days=await uow.erasure.longest_retention())
    )
