"""What each member gave at each meeting date, from the contribution log, for the views
and the finance export: was there, roles, items led, minutes, time and expenses.

Only dates that took place count (a date that is still to come, or was cancelled, has
nothing to show yet); time and expenses for no meeting, or for a date still to come,
are kept apart as undated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.core.commands import Context
from handlers.core.occurrences import KEY_FORMAT, Occurrence, between
from storage.models import Contribution, Expense, Group
from storage.repositories.contribution_records import DateKey, Log

#: Money signs people know; any other currency is written after the amount.
SIGNS = {"GBP": "£", "EUR": "€", "USD": "$"}
THERE = "yes"
NOT_THERE = "no"
NOT_CONFIRMED = "not confirmed"


@dataclass
class Share:
    """One person's part in one meeting date (or, with no date, outside any meeting)."""

    there: str = NOT_CONFIRMED
    roles: list[str] = field(default_factory=list)
    led: int = 0
    minutes: int = 0
    time: list[Contribution] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)

    @property
    def minutes_given(self) -> int:
        """Preparation time, in minutes."""
        return sum(c.minutes for c in self.time)

    def is_empty(self) -> bool:
        """Whether nothing at all is recorded here."""
        return not (self.roles or self.led or self.minutes or self.time or self.expenses)


async def took_place(
    ctx: Context, group: Group, keys: set[DateKey], start: datetime | None = None
) -> dict[DateKey, Occurrence]:
    """The meeting dates that have started by now (from `start`, or around `keys`), by key."""
    if start is None:
        if not keys:
            return {}
        earliest = min(datetime.strptime(k, KEY_FORMAT) for _, k in keys)
        start = earliest.replace(tzinfo=ctx.now.tzinfo) - timedelta(days=62)
    found = await between(ctx.uow, group, start, ctx.now)
    return {(o.meeting.id, o.key): o for o in found}


def shares(
    log: Log, person_id: int, dates: dict[DateKey, Occurrence], labels: dict[str, str]
) -> tuple[dict[DateKey, Share], Share]:
    """One person's share of each date in `dates`, and what is not tied to any of them."""
    by_date = {key: Share() for key in dates}
    for key, share in by_date.items():
        if person_id in log.present.get(key, set()):
            share.there = THERE
        elif key in log.checked:
            share.there = NOT_THERE
        share.roles = [labels.get(r, r) for who, r in log.roles.get(key, []) if who == person_id]
        share.led = log.led.get(key, []).count(person_id)
        share.minutes = int(person_id in log.minutes.get(key, set()))
    undated = Share(there="")
    for row in log.time:
        if row.person_id == person_id:
            place = by_date.get((row.meeting_id or 0, row.occurrence or ""), undated)
            place.time.append(row)
    for spent in log.expenses:
        if spent.person_id == person_id:
            place = by_date.get((spent.meeting_id or 0, spent.occurrence or ""), undated)
            place.expenses.append(spent)
    return by_date, undated


def money(amount: int, currency: str) -> str:
    """Pence as people write money: '£4.50', or '12.00 CHF' for a currency without a sign."""
    sign = SIGNS.get(currency.upper())
    return f"{sign}{amount / 100:.2f}" if sign else f"{amount / 100:.2f} {currency.upper()}"


def totals(expenses: list[Expense]) -> dict[str, int]:
    """The amount spent in each currency."""
    found: dict[str, int] = defaultdict(int)
    for spent in expenses:
        found[spent.currency.upper()] += spent.amount
    return dict(found)


def how_long(minutes: int) -> str:
    """'2 hours 30 minutes', '45 minutes', '1 hour'."""
    hours, rest = divmod(minutes, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((hours, "hour"), (rest, "minute"))
    ]
    return " ".join(p for p in parts if not p.startswith("0 ")) or "0 minutes"


def times(n: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def day(occurrence: Occurrence) -> str:
    """'Thursday 3 December' in the group's time zone."""
    local = occurrence.local_start
    return f"{local:%A} {local.day} {local:%B}"
