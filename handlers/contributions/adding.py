"""Time and costs a member reports for themselves: `/contributions add` and `/expenses`.

Each is counted with the meeting nearest in time to when it was said (the last one
that finished, or the next one, or the one going on now), which the reply names.
The member's words are kept exactly as written; replies are private.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from handlers.core.occurrences import Occurrence, between, upcoming
from handlers.core.parsing import describe_duration, parse_duration
from handlers.followups import occurrence_words
from handlers.safety import shows_distress, support_message
from storage.models import Contribution, Expense

#: The most time one entry can be (more is almost certainly a typing slip).
MOST_TIME = timedelta(hours=24)
#: The largest cost one entry can be, in pence (or cents).
MOST_MONEY = 500_00
#: The longest description kept.
MAX_WHAT = 500
#: How far back the last meeting still counts as near.
LOOK_BACK = timedelta(days=90)

TIME_EXAMPLE = "/contributions add 2h reading papers"
MONEY_EXAMPLE = "/expenses £4.50 bus fare"

_WORDS = re.compile(r"\S+")
_HALF_HOUR = re.compile(r"\bhalf an? hour\b|\bhalf hour\b", re.IGNORECASE)
_AN_HOUR = re.compile(r"\ban hour\b", re.IGNORECASE)
_H_AND_MINUTES = re.compile(r"^(\d{1,3})h(\d{1,2})$", re.IGNORECASE)  # 1h30
_DECIMAL_HOURS = re.compile(r"^(\d{1,3})\.(\d{1,2})\s*(h|hrs?|hours?)$", re.IGNORECASE)

_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
_CODES = {
    "gbp": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "usd": "USD",
    "dollars": "USD",
    "dollar": "USD",
}
_AMOUNT = re.compile(
    r"^(?P<minus>[-−])?\s*(?P<symbol>[£€$])?\s*(?P<minus2>[-−])?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"\s*(?P<unit>p|pence|gbp|pounds?|eur|euros?|usd|dollars?)?(?=\s|$)",
    re.IGNORECASE,
)

#: An amount later in the words, only with its sign or unit: "bus fare £4.50".
_AMOUNT_LATER = re.compile(_AMOUNT.pattern.replace("^", r"(?<!\S)", 1), re.IGNORECASE)


def _duration(words: str) -> timedelta | None:
    """'2h', '90m', '1h30', '2 hours', 'half an hour', '1.5 hours' -> timedelta."""
    text = _HALF_HOUR.sub("30m", words)
    text = _AN_HOUR.sub("1h", text)
    if (m := _H_AND_MINUTES.match(text.strip())) is not None:
        text = f"{m.group(1)}h{m.group(2)}m"
    if (m := _DECIMAL_HOURS.match(text.strip())) is not None:
        return timedelta(hours=int(m.group(1))) + timedelta(
            hours=int(m.group(2)) / 10 ** len(m.group(2))
        )
    return parse_duration(text)


def _time_and_what(args: str) -> tuple[timedelta, str]:
    """Split '2h reading papers' into the time and the words, as written."""
    words = list(_WORDS.finditer(args))
    for size in range(min(len(words), 6), 0, -1):
        if words[size - 1].group().lower() == "and":
            continue
        said = args[: words[size - 1].end()]
        negative = said.lstrip().startswith(("-", "−"))
        delta = _duration(said.lstrip().lstrip("-−"))
        if delta is not None:
            delta = timedelta(minutes=round(delta.total_seconds() / 60))
            if negative or delta <= timedelta():
                raise Refusal(
                    "The time needs to be more than nothing. Nothing was changed.",
                    f"For example: {TIME_EXAMPLE}",
                )
            return delta, args[words[size - 1].end() :].strip()
    return _time_at_end(args, words)


#: Little words between what someone did and how long it took: "reading papers for 2h".
_JOINING = re.compile(r"(?:\s*[-–:,]|(?:\s+|^)(?:for|about|around|roughly|took|taking))\s*$", re.I)


def _time_at_end(args: str, words: list[re.Match[str]]) -> tuple[timedelta, str]:
    """The time said last: 'reading papers for 2 hours', 'travel 90m'."""
    for size in range(min(len(words) - 1, 6), 0, -1):
        start = words[-size].start()
        delta = _duration(args[start:])
        if delta is not None and delta > timedelta():
            what = _JOINING.sub("", args[:start].rstrip())
            return timedelta(minutes=round(delta.total_seconds() / 60)), what.strip()
    raise Refusal(
        "Please say how long it took, like 2h, 90m or 1h30. Nothing was changed.",
        f"For example: {TIME_EXAMPLE}",
    )


def _check_what(what: str, example: str) -> str:
    if not what:
        raise Refusal(
            "Please say what it was for, in a few words. Nothing was changed.",
            f"For example: {example}",
        )
    if len(what) > MAX_WHAT:
        raise Refusal(f"Please keep it under {MAX_WHAT} characters. Nothing was changed.")
    return what


async def nearest_meeting(ctx: Context) -> Occurrence | None:
    """The meeting nearest to now: going on now, the last that finished, or the next."""
    group = ctx.the_group()
    nxt = next(iter(await upcoming(ctx.uow, group, ctx.now, limit=1)), None)
    if nxt is not None and nxt.start <= ctx.now:
        return nxt  # going on now
    past = await between(ctx.uow, group, ctx.now - LOOK_BACK, ctx.now)
    last = max((o for o in past if o.end <= ctx.now), key=lambda o: o.end, default=None)
    if last is None or nxt is None:
        return last or nxt
    return last if ctx.now - last.end <= nxt.start - ctx.now else nxt


def _counted_with(ctx: Context, o: Occurrence | None) -> str:
    if o is None:
        return "There's no meeting to count it with yet, so I've kept it for the group."
    if o.start <= ctx.now < o.end:
        return f"It counts with today's meeting, {occurrence_words(o)}."
    which = "the last" if o.end <= ctx.now else "the next"
    return f"It counts with {which} meeting, {occurrence_words(o)}."


async def add(ctx: Context, args: str) -> None:
    """Add time a member spent for the group, like reading papers (for themselves)."""
    delta, what = _time_and_what(args.strip())
    if delta > MOST_TIME:
        raise Refusal(
            "That's more than 24 hours. Nothing was changed.",
            "Please add each day's time on its own.",
        )
    what = _check_what(what, TIME_EXAMPLE)
    o = await nearest_meeting(ctx)
    await ctx.uow.contributions.add_time(
        Contribution(
            group_id=ctx.the_group().id,
            person_id=ctx.person.id,
            meeting_id=o.meeting.id if o else None,
            occurrence=o.key if o else None,
            minutes=int(delta.total_seconds() // 60),
            what=what,
            said_at=ctx.now,
        )
    )
    ctx.reply(
        message(
            f"Thank you. I've added {describe_duration(delta)}: {what}",
            _counted_with(ctx, o),
            "Only you and the facilitators can see it. Type /contributions to see your record.",
        )
    )

    await _listen(ctx, what)


def money_words(amount: int, currency: str) -> str:
    """450, 'GBP' -> '£4.50'; 300, 'EUR' -> '€3'; others by their code ('CHF 4.50')."""
    symbol = {code: sign for sign, code in _SYMBOLS.items()}.get(currency)
    number = f"{amount // 100:,}" + (f".{amount % 100:02d}" if amount % 100 else "")
    return f"{symbol}{number}" if symbol else f"{currency} {number}"


def _amount(args: str) -> tuple[int, str, str]:
    """'£4.50 bus fare' -> (450, 'GBP', 'bus fare'); GBP unless another is named."""
    found = _AMOUNT.match(args)
    what_of = args[found.end() :] if found else ""
    if found is None:  # said last, with its sign: "bus fare £4.50", "parking: £3"
        at_end = [m for m in _AMOUNT_LATER.finditer(args) if m.group("symbol") or m.group("unit")]
        if len(at_end) != 1:
            raise Refusal(
                "Please say how much it cost, like £4.50. Nothing was changed.",
                f"For example: {MONEY_EXAMPLE}",
            )
        found = at_end[0]
        before = _JOINING.sub("", args[: found.start()].rstrip()).strip()
        what_of = " ".join(w for w in (before, args[found.end() :].strip()) if w)
    unit = (found.group("unit") or "").lower()
    number = found.group("number")
    if "," in number and re.fullmatch(r"\d+,\d{1,2}", number):
        number = number.replace(",", ".")  # 4,50
    value = Decimal(number.replace(",", ""))
    pence = int(value) if unit in ("p", "pence") else int(value * 100)
    currency = _SYMBOLS.get(found.group("symbol") or "") or _CODES.get(unit, "GBP")
    if found.group("minus") or found.group("minus2") or pence <= 0:
        raise Refusal(
            "The amount needs to be more than nothing. Nothing was changed.",
            f"For example: {MONEY_EXAMPLE}",
        )
    return pence, currency, what_of.strip()


async def expenses(ctx: Context, args: str) -> None:
    """Record a cost a member had for taking part, to be paid back (for themselves)."""
    amount, currency, what = _amount(args.strip())
    if amount > MOST_MONEY:
        raise Refusal(
            f"That's more than {money_words(MOST_MONEY, currency)}, which is more than I can "
            "note here. Nothing was changed.",
            "For a large cost, please talk to a facilitator.",
        )
    what = _check_what(what, MONEY_EXAMPLE)
    o = await nearest_meeting(ctx)
    await ctx.uow.contributions.add_expense(
        Expense(
            group_id=ctx.the_group().id,
            person_id=ctx.person.id,
            meeting_id=o.meeting.id if o else None,
            occurrence=o.key if o else None,
            amount=amount,
            currency=currency,
            what=what,
            said_at=ctx.now,
        )
    )
    ctx.reply(
        message(
            f"Thank you. I've noted {money_words(amount, currency)}: {what}",
            _counted_with(ctx, o),
            "The facilitators can see it, so it can be paid back. "
            "Please keep the receipt or ticket if you have one.",
        )
    )
    await _listen(ctx, what)


async def _listen(ctx: Context, what: str) -> None:
    """Words that show distress, even inside a record, get the support message at once."""
    if shows_distress(what):
        ctx.reply(await support_message(ctx.uow, [ctx.the_group()]))
