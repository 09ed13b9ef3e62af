"""How easy a message from the bot is to read, measured on the bot's own words.

`read(text)` takes a message as the console shows it, leaves out what nobody reads as
prose (commands, receipt codes and ids, links, file paths, times and dates (numeric ones, and a
written date like "Saturday 5 December", which people read at a glance however many
syllables it has), @names, bullet marks and numbering, words in <angle brackets>) and
what members wrote themselves (anything in quotes, and the phrases a test passes in),
then measures the rest with
textstat: Flesch reading ease, average words per sentence, and acronyms the bot uses
without saying what they mean.

The rules (`Reading.problems`): reading ease at least 70, at most 15 words a sentence on
average, no unexplained acronym. Very short messages ("Done.") are too short for a
reading score to mean anything, so only their acronyms are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import textstat

MIN_EASE = 70.0
MAX_WORDS_PER_SENTENCE = 15.0
#: Below this many words a reading score is noise (one long word decides it).
MIN_WORDS_TO_SCORE = 6

#: Acronyms people know without being told, as they are said aloud.
EVERYDAY = frozenset({"OK", "UK", "NHS", "GP", "TV", "AM", "PM"})
#: Acronyms the bot may use when the message says what they mean, and how it says it.
EXPLAINED = {
    "DM": "direct message",
    "UTC": "world time",
}

_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
#: Where the console saved a file: /home/sam/alongside-files/bob-felt-heard-trend.png.
_PATH = re.compile(r"(?<![\w/])(?:[A-Za-z]:)?[/\\][\w.-]+(?:[/\\][\w.-]+)+")
_COMMAND = re.compile(r"(?<![\w/])[/!][a-z][\w-]*")
_ANGLE = re.compile(r"<[^<>\n]*>")
_MENTION = re.compile(r"@[\w.-]+")
_CODE = re.compile(r"\b[A-Z0-9]{4}(?:-[A-Z0-9]{4}){2}\b")
_ID = re.compile(r"\b(?:m\d+|[a-f0-9]{12,})\b")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY_MONTH = rf"\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
_WRITTEN_DATE = re.compile(
    rf"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:\s+{_DAY_MONTH})?|{_DAY_MONTH})\b"
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*-\s*\d{1,2}[:.]\d{2})?\b")
_DURATION = re.compile(r"\b\d+(?:m|h|d|w)\b")
_QUOTED = re.compile(r"(?<!\w)'[^'\n]+'(?!\w)|\"[^\"\n]+\"|“[^”\n]+”|‘[^’\n]+’")
_HEADING = re.compile(r"^\*\*\s*(.*?)\s*\*\*$")
_BULLET = re.compile(r"^(?:[-*•]\s+)?(?:\d+[.)]\s+)?")
_ACRONYM = re.compile(r"\b[A-Z]{2,}s?\b")
_SENTENCE_END = re.compile(r"[.!?:;]$")


@dataclass(frozen=True)
class Reading:
    """One message's scores, on the words that were measured."""

    measured: str
    ease: float
    words_per_sentence: float
    words: int
    unexplained: tuple[str, ...]

    def problems(self) -> list[str]:
        """Each rule the message breaks, in words; empty when it reads well."""
        found = []
        if self.words >= MIN_WORDS_TO_SCORE and self.ease < MIN_EASE:
            found.append(f"reading ease {self.ease:.0f} (needs {MIN_EASE:.0f} or more)")
        if self.words >= MIN_WORDS_TO_SCORE and self.words_per_sentence > MAX_WORDS_PER_SENTENCE:
            found.append(f"{self.words_per_sentence:.1f} words a sentence (15 at most)")
        if self.unexplained:
            found.append("acronyms without their meaning: " + ", ".join(self.unexplained))
        return found


def _without(text: str, phrases: Iterable[str]) -> str:
    for phrase in sorted({p for p in phrases if p.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(phrase), " ", text, flags=re.I)
    return text


def _line(line: str) -> str:
    """One line's prose: bullet marks and numbering off, a full stop where it ends."""
    line = _BULLET.sub("", _HEADING.sub(r"\1", line.strip())).strip(" -")
    if line and not _SENTENCE_END.search(line):
        line += "."
    return line


def prose(text: str, member_text: Iterable[str] = ()) -> str:
    """The bot's own words in `text`: what a reader reads as sentences."""
    text = _without(text, member_text)
    left_out = (_LINK, _PATH, _QUOTED, _ANGLE, _ISO, _WRITTEN_DATE, _CLOCK, _CODE, _ID, _DURATION)
    for pattern in left_out:
        text = pattern.sub(" ", text)
    text = _COMMAND.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    lines = (_line(line) for line in text.splitlines())
    joined = " ".join(line for line in lines if re.search(r"[A-Za-z]", line))
    joined = re.sub(r"\s+([.,;:!?])", r"\1", joined)
    return re.sub(r"\s{2,}", " ", joined).strip()


def _unexplained(words: str) -> tuple[str, ...]:
    found = []
    for match in _ACRONYM.finditer(words):
        acronym = match.group().removesuffix("s")  # "DMs" is "DM" too
        if acronym in EVERYDAY or acronym in found:
            continue
        meaning = EXPLAINED.get(acronym)
        if meaning is not None and meaning.lower() in words.lower():
            continue
        found.append(acronym)
    return tuple(found)


def read(text: str, member_text: Iterable[str] = ()) -> Reading:
    """Measure the bot's words in one message (members' own words left out)."""
    words = prose(text, member_text)
    count = textstat.lexicon_count(words) if words else 0
    return Reading(
        measured=words,
        ease=textstat.flesch_reading_ease(words) if count else 100.0,
        words_per_sentence=textstat.words_per_sentence(words) if count else 0.0,
        words=count,
        unexplained=_unexplained(words),
    )
