"""'You said, we did' over the last months, for the monthly digest: for each month, how
many decisions the group made, and how many were done, changed or dropped (each decision
counted once a month, by its last update that month)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from handlers.charts import picture, sentences
from handlers.charts.drawing import columns
from handlers.core.messages import Image
from handlers.core.occurrences import localise
from handlers.decisions.wording import CLOSED
from handlers.followups import zone_of
from storage.models import Group
from storage.uow import UnitOfWork

#: How many months the chart covers, the last one included.
MONTHS = 6
#: Each series: (key, name in the chart and the words).
SERIES = (("made", "Decided"), ("done", "Done"), ("changed", "Changed"), ("dropped", "Dropped"))
TITLE = "You said, we did: decisions each month"


@dataclass(frozen=True)
class Month:
    """One month's counts: decisions made, and closed as done, changed or dropped."""

    first: date
    counts: dict[str, int]

    def line(self) -> str:
        """'November: 3 decided, 2 done, 1 changed, 0 dropped'."""
        said = ", ".join(f"{self.counts[key]} {name.lower()}" for key, name in SERIES)
        return f"{self.first:%B %Y}: {said}"


async def by_month(uow: UnitOfWork, group: Group, last: date) -> list[Month]:
    """The `MONTHS` months up to the one starting on `last`, oldest first."""
    zone = zone_of(group)
    firsts = [last - relativedelta(months=n) for n in range(MONTHS - 1, -1, -1)]
    start = localise(datetime.combine(firsts[0], time(0)), zone)
    end = localise(datetime.combine(last + relativedelta(months=1), time(0)), zone)
    made: Counter[date] = Counter(
        d.created_at.astimezone(zone).date().replace(day=1)
        for d in await uow.followups.decisions_made_between(group.id, start, end)
    )
    latest: dict[tuple[date, int], str] = {}
    for u, d in await uow.followups.updates_between(
        group.id, start, end - timedelta(microseconds=1)
    ):
        latest[(u.created_at.astimezone(zone).date().replace(day=1), d.id)] = u.status
    closed: Counter[tuple[date, str]] = Counter(
        (month, status) for (month, _), status in latest.items() if status in CLOSED
    )
    return [
        Month(first, {"made": made[first], **{s: closed[(first, s)] for s in CLOSED}})
        for first in firsts
    ]


def decisions_chart(months: Sequence[Month]) -> Image | None:
    """Grouped bars, a group per month; None when nothing happened in any of them."""
    if not any(any(m.counts.values()) for m in months):
        return None
    drawn = columns(
        TITLE,
        [f"{m.first:%b}" for m in months],
        [(name, [m.counts[key] for m in months]) for key, name in SERIES],
        axis="Decisions",
    )
    alt = sentences(
        [
            f"A bar chart of the group's decisions over the last {len(months)} months, "
            "oldest first. For each month: how many were decided, and how many were done, "
            "changed or dropped",
            *(m.line() for m in months),
        ]
    )
    return picture("you-said-we-did", TITLE, drawn, alt)
