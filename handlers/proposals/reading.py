"""Reading what people type: a proposal's trailing options, and an answer word."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.core.commands import Refusal
from handlers.core.occurrences import localise
from handlers.core.when import parse_day, parse_local_datetime
from handlers.proposals.wording import ABSTAIN, AGREE, BLOCK, DISAGREE, EXAMPLE, local_words

DEFAULT_OPEN = timedelta(days=2)
SHORTEST = timedelta(hours=1)
LONGEST = timedelta(days=30)
#: A day named without a time closes at this local time.
CLOSES_AT = time(17, 0)

_ANONYMOUS = re.compile(r"^(?P<rest>.*?)[\s,;]+(?:anonymous(?:ly)?|anon)[.!]?$", re.I | re.S)
_CLOSES = re.compile(  # the last 'closes': 'The cafe closes early closes friday'
    r"^(?P<rest>.*)[\s,;]+(?:closes?|closing)\s+(?:on\s+)?(?P<when>.+?)[.!]?$", re.I | re.S
)
_CLOSES_ONLY = re.compile(r"^(?:closes?|closing)\s+(?:on\s+)?(?P<when>.+?)[.!]?$", re.I | re.S)
_IN = re.compile(
    r"^in\s+(?P<n>\d{1,3}|an?|one|two|three|four)\s+(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)$",
    re.I,
)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d\s*(?:am|pm)\b|\bnoon\b|\bmidday\b", re.I)

_WORDS = {
    AGREE: (AGREE, "agreed", "agrees"),
    ABSTAIN: (ABSTAIN, "abstained", "abstaining", "abstains"),
    DISAGREE: (DISAGREE, "disagreed", "disagrees"),
    BLOCK: (BLOCK, "blocked", "blocking", "blocks"),
}
_ANSWER_WORDS = {word: answer for answer, words in _WORDS.items() for word in words}
#: Words that could mean more than one answer: asked about, never guessed.
UNCLEAR = frozenset({"yes", "no", "y", "n", "yeah", "yep", "nope", "ok", "okay", "maybe"})


def options(args: str, now: datetime, zone: ZoneInfo) -> tuple[str, datetime, bool]:
    """'Meet online closes friday anonymous' -> ('Meet online', Friday 17:00 UTC, True).

    The options may come in any order at the end. A 'closes ...' that can't be read is
    refused, never taken as part of the proposal.
    """
    text = " " + " ".join(args.split())
    anonymous = False
    closes: datetime | None = None
    changed = True
    while changed:
        changed = False
        if not anonymous and (match := _ANONYMOUS.match(text)):
            anonymous, text, changed = True, match.group("rest").rstrip(",; "), True
        elif closes is None and (match := _CLOSES.match(text)):
            closes = _when(match.group("when"), now, zone)
            text, changed = match.group("rest").rstrip(",; "), True
    text = text.strip()
    if closes is None and (only := _CLOSES_ONLY.match(text)):  # nothing but the options
        closes, text = _when(only.group("when"), now, zone), ""
    if text.lower() in ("anonymous", "anonymously", "anon"):
        text, anonymous = "", True
    return text, closes or now + DEFAULT_OPEN, anonymous


def _when(words: str, now: datetime, zone: ZoneInfo) -> datetime:
    """'in 2 days', 'friday', '12 march', 'friday 5pm' -> when it closes (UTC)."""
    words = words.strip()
    closes: datetime | None = None
    if match := _IN.match(words):
        raw = match.group("n").lower()
        n = int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]
        unit = match.group("unit")[0].lower()
        step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
        closes = now + n * step.get(unit, timedelta(weeks=1))
    elif _HAS_TIME.search(words):
        local = parse_local_datetime(words, now, zone)
        closes = localise(local, zone) if local else None
    elif (day := parse_day(words, now.astimezone(zone).date())) is not None:
        closes = localise(datetime.combine(day, CLOSES_AT), zone)
    if closes is None:
        raise Refusal(
            f"I couldn't tell when '{words[:40]}' is. Nothing was changed.",
            "Please end with, for example, 'closes in 2 days', 'closes friday' or "
            f"'closes 12 march'. For example: {EXAMPLE}",
        )
    if not now + SHORTEST <= closes <= now + LONGEST:
        raise Refusal(
            f"I read '{words[:40]}' as {local_words(closes, zone)}, but a proposal needs to "
            "close at least an hour from now, and within 30 days. Nothing was changed.",
            f"For example: {EXAMPLE}",
        )
    return closes


def answer_word(word: str) -> str | None:
    """'Agree', 'blocked.' -> 'agree', 'block'; None if it isn't one of the four."""
    return _ANSWER_WORDS.get(word.lower().strip(".,!:;-"))
