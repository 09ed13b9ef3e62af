"""Reading what people type: a decision's trailing clauses, an update's status, and the
answer to the lived-experience question."""

from __future__ import annotations

import re
from datetime import date

from dateutil.relativedelta import relativedelta

from handlers.core.commands import Refusal
from handlers.core.parsing import is_number
from handlers.core.when import parse_day

DEFAULT_EVERY = relativedelta(weeks=4)

_STATUS_WORDS = {
    "done": "done",
    "finished": "done",
    "complete": "done",
    "completed": "done",
    "in progress": "in progress",
    "in-progress": "in progress",
    "progress": "in progress",
    "changed": "changed",
    "change": "changed",
    "dropped": "dropped",
    "drop": "dropped",
    "blocked": "blocked",
    "stuck": "blocked",
}
LIVED = {
    "yes": "yes",
    "no": "no",
    "unsure": "unsure",
    "not sure": "unsure",
    "not-sure": "unsure",
    "dont know": "unsure",
    "don't know": "unsure",
}

_N = r"(?P<n>[0-9]{1,3}|an?|one|two|three|four|five|six)"
_UNIT = r"(?P<unit>days?|weeks?|fortnights?|months?)"
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_CLAUSES = {
    "owner": re.compile(r"^(?P<rest>.*)\s+owner\s+(?P<who>@\S+)\s*$", re.I | re.S),
    "every": re.compile(rf"^(?P<rest>.*)\s+update\s+in\s+{_N}\s+{_UNIT}\s*$", re.I | re.S),
    "on": re.compile(r"^(?P<rest>.*)\s+update\s+(?:on|by)\s+(?P<day>.+?)\s*$", re.I | re.S),
    "item": re.compile(
        r"^(?P<rest>.*)\s+(?:agenda\s+)?item\s+#?(?P<item>[0-9]{1,3})\s*$", re.I | re.S
    ),
    "concern": re.compile(
        r"^(?P<rest>.*)\s+from\s+concern\s+#?(?P<concern>[0-9]{1,6})\s*$", re.I | re.S
    ),
}


def clauses(args: str, today: date) -> tuple[str, dict[str, re.Match[str]], date | None]:
    """Take the trailing clauses (owner, update in/on, item, from concern) off the text."""
    text = " " + " ".join(args.split())
    found: dict[str, re.Match[str]] = {}
    on_day: date | None = None
    progress = True
    while progress:
        progress = False
        for name, pattern in _CLAUSES.items():
            if (
                name in found
                or (name == "on" and "every" in found)
                or (name == "every" and "on" in found)
            ):
                continue
            match = pattern.match(text)
            if match is None:
                continue
            if name == "on":
                on_day = parse_day(match.group("day"), today)
                if on_day is None:  # "update on the website" is part of the words
                    continue
            found[name] = match
            text = match.group("rest")
            progress = True
    if "every" not in found and "on" not in found and _UNREAD_WHEN.search(text):
        raise Refusal(
            "I couldn't tell when the first update is due. Nothing was changed.",
            "Please use days, weeks or months, within a year: for example 'update in 2 weeks' "
            "or 'update on 1 March'.",
        )
    return text.strip(), found, on_day


#: "update in 99 years", "update in ² weeks": meant as a time, but not one I can use.
_UNREAD_WHEN = re.compile(r"\supdate\s+in\s+\S+\s+\S+\s*$", re.I)


def first_due(found: dict[str, re.Match[str]], on_day: date | None, today: date) -> date:
    """The day the first update is due."""
    if on_day is not None:
        return on_day
    every = found.get("every")
    if every is None:
        due: date = today + DEFAULT_EVERY
        return due
    raw, unit = every.group("n").lower(), every.group("unit").lower()
    amount = int(raw) if is_number(raw) else _WORD_NUMBERS[raw]
    step = {
        "d": relativedelta(days=1),
        "w": relativedelta(weeks=1),
        "f": relativedelta(weeks=2),
        "m": relativedelta(months=1),
    }[unit[0]]
    later: date = today + step * amount
    return later


def status_of(rest: str) -> tuple[str | None, str]:
    """'in progress Talking to the trust' -> ('in progress', 'Talking to the trust')."""
    words = rest.split()
    lowered = [w.lower().strip(":,.-") for w in words]
    if len(words) >= 2 and " ".join(lowered[:2]) in _STATUS_WORDS:
        return _STATUS_WORDS[" ".join(lowered[:2])], " ".join(words[2:])
    if words and lowered[0] in _STATUS_WORDS:
        return _STATUS_WORDS[lowered[0]], " ".join(words[1:])
    return None, " ".join(words)


def lived_answer(answer: str) -> str | None:
    """'Not sure.' -> 'unsure'; None if it isn't yes, no or unsure."""
    return LIVED.get(" ".join(answer.lower().split()).strip(".!"))
