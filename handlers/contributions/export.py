"""/contributions export <month>: a month's record as a CSV file for the finance team,
sent privately to the facilitator who asked.

One row per member and meeting date that took place in the month (in the group's time
zone), one row for time and expenses tied to no meeting, a total row per member, and a
total row for the group. Amounts are in the currency's main unit, with 2 decimals.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.contributions.record import (
    THERE,
    Share,
    shares,
    took_place,
    totals,
)
from handlers.core.commands import Context, Refusal
from handlers.core.messages import File, message
from handlers.core.occurrences import KEY_FORMAT, Occurrence
from storage.models import Contribution, Expense
from storage.repositories.contribution_records import DateKey, Log

COLUMNS = (
    "Person",
    "Payment choice",
    "Meeting date",
    "Was there",
    "Roles",
    "Items led",
    "Minutes written",
    "Preparation minutes",
    "Preparation hours",
    "Preparation notes",
    "Expenses",
    "Currency",
    "Expense notes",
)
TOTAL = "Total"
EVERYONE = "Everyone"
PAYMENT = {"paid": "paid", "vouchers": "vouchers", "none": "no payment"}
NOT_SAID = "not said"
MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        date(2000, number, 1).strftime("%B").lower(),
        date(2000, number, 1).strftime("%b").lower(),
    )
} | {"sept": 9}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_WORDS = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
EXAMPLE = "Try /contributions export 2027-03, or March 2027, or last month."


def parse_month(text: str, today: date) -> tuple[int, int] | None:
    """'2027-03', 'March 2027', 'mar 2027', 'this month', 'last month' -> (year, month)."""
    said = " ".join(text.lower().split())
    if said in ("this month", "this"):
        return today.year, today.month
    if said in ("last month", "last"):
        return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    if match := _ISO.match(said):
        year, month = int(match.group(1)), int(match.group(2))
    elif (match := _WORDS.match(said)) and match.group(1) in MONTHS:
        year, month = int(match.group(2)), MONTHS[match.group(1)]
    else:
        return None
    return (year, month) if 1 <= month <= 12 and 1900 < year < 3000 else None


async def export(ctx: Context, args: str) -> None:
    """Send the facilitator a month's record as a CSV file, privately."""
    group = ctx.the_group()
    zone = ZoneInfo(group.timezone)
    today = ctx.now.astimezone(zone).date()
    found = parse_month(args, today)
    if found is None:
        said = f"I couldn't read {args.strip()!r} as a month." if args.strip() else ""
        raise Refusal(f"{said} Please say which month. Nothing was changed.".strip(), EXAMPLE)
    year, month = found
    first = datetime(year, month, 1, tzinfo=zone)
    after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    if first > ctx.now:
        raise Refusal(
            f"{first:%B %Y} hasn't started yet, so there is nothing to send. Nothing was changed.",
            EXAMPLE,
        )
    log = await ctx.uow.records.log(group.id)
    dates = {
        k: o for k, o in (await took_place(ctx, group, set(), first)).items() if o.start < after
    }
    members = await ctx.uow.groups.members(group.id)
    labels = {r.name: r.label for r in await ctx.uow.roles.defined(group.id, removed=True)}
    people = sorted(((m.person_id, m.person.display_name) for m in members), key=_by_name)
    text = _csv(log, people, dates, labels, (first, after))
    name = f"{_slug(group.name)}-contributions-{year:04d}-{month:02d}.csv"
    ctx.reply(
        message(
            f"Here is {first:%B %Y} for {group.name}, as a spreadsheet file.",
            "It has one row for each member at each meeting, and totals. "
            "You can open it in Excel or Google Sheets, or pass it to the finance team.",
            File(name, "text/csv", text),
            "Please keep it safe. It shows what each person chose about payment.",
            summary=f"Contributions for {first:%B %Y}",
        )
    )


def _csv(
    log: Log,
    people: list[tuple[int, str]],
    dates: dict[DateKey, Occurrence],
    labels: dict[str, str],
    month: tuple[datetime, datetime],
) -> str:
    """The CSV text: a row per person and date, their undated row, their total; the group's."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    ordered = sorted(dates.items(), key=lambda item: (item[1].start, item[1].meeting.id))
    everyone = Share(there="0")
    for person_id, name in people:
        choice = PAYMENT.get(log.choices.get(person_id, ""), NOT_SAID)
        by_date, undated = shares(log, person_id, dates, labels)
        undated.time = [c for c in undated.time if _in_month(c, month)]
        undated.expenses = [e for e in undated.expenses if _in_month(e, month)]
        total = Share(there=str(sum(s.there == THERE for s in by_date.values())))
        for key, occurrence in ordered:
            writer.writerow(_row(name, choice, f"{occurrence.local_start:%Y-%m-%d}", by_date[key]))
            _add(total, by_date[key])
        if not undated.is_empty():
            writer.writerow(_row(name, choice, "", undated))
            _add(total, undated)
        writer.writerow(_row(name, choice, TOTAL, total))
        _add(everyone, total)
        everyone.there = str(int(everyone.there) + int(total.there))
    writer.writerow(_row(EVERYONE, "", TOTAL, everyone))
    return out.getvalue()


def _in_month(row: Contribution | Expense, month: tuple[datetime, datetime]) -> bool:
    """Whether time or an expense not tied to a date that took place belongs in this month:
    by its meeting date (one still to come, or cancelled) if it has one, else by when it
    was said."""
    first, after = month
    if row.occurrence is not None:
        local = datetime.strptime(row.occurrence, KEY_FORMAT).replace(tzinfo=first.tzinfo)
        return first <= local < after
    return first <= row.said_at < after


def _add(total: Share, share: Share) -> None:
    total.roles += share.roles
    total.led += share.led
    total.minutes += share.minutes
    total.time += share.time
    total.expenses += share.expenses


def _row(name: str, choice: str, when: str, share: Share) -> list[str]:
    spent = totals(share.expenses)
    minutes = share.minutes_given
    return [
        name,
        choice,
        when,
        share.there,
        "; ".join(share.roles) if when != TOTAL else str(len(share.roles)),
        str(share.led),
        str(share.minutes),
        str(minutes),
        f"{minutes / 60:.2f}",
        "; ".join(f"{c.minutes} min: {c.what}" for c in share.time) if when != TOTAL else "",
        "; ".join(f"{n / 100:.2f}" for n in spent.values()) or "0.00",
        "; ".join(spent) or "",
        "; ".join(e.what for e in share.expenses) if when != TOTAL else "",
    ]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "group"


def _by_name(item: tuple[int, str]) -> str:
    return item[1].lower()
