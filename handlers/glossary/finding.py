"""Finding terms in what people wrote: the group's known words, and acronyms.

A term is found as a whole word (a plural 's' allowed): in capitals only when it is
written all in capitals (CMHT, GP, A&E), in any case otherwise (care plan, DoLS).
"""

from __future__ import annotations

import re
from functools import cache

from handlers.glossary.terms import Entry, Words, key_of

#: Two to six capital letters, with an '&' allowed between two of them (A&E, Q&A).
_ACRONYM = re.compile(r"(?<![\w&'’])([A-Z](?:&?[A-Z]){1,5})(?:s|'s|’s)?(?![\w&])")
#: Links, mentions, channels and markup: never read for acronyms.
_NOT_WORDS = re.compile(r"\w+://\S+|www\.\S+|\S+@\S+|<[^>\s]*>|[@#]\S+")
#: Three or more words in capitals in a row (not a list): someone stressing words.
_SHOUTING = re.compile(r"\b[A-Z&'’]{2,}(?:[ \t]+[A-Z&'’]{2,}){2,}\b")
#: Capital words everyone knows, and Roman numerals: never asked about.
EVERYDAY = frozenset(
    {"OK", "UK", "TV", "AM", "PM", "ID", "PDF", "BBC", "EU", "II", "III", "IV", "VI"}
)


@cache
def pattern(name: str) -> re.Pattern[str]:
    """How one way of writing a term is found in text."""
    words = r"\s+".join(re.escape(word) for word in name.split())
    capitals = name.upper() == name and any(c.isalpha() for c in name)
    flags = 0 if capitals else re.IGNORECASE
    return re.compile(rf"(?<![\w&]){words}(?:s|'s|’s)?(?![\w&])", flags)


def explained(text: str, words: Words) -> list[tuple[Entry, str]]:
    """The entries (with the name they were written as) that `text` uses, by term."""
    found: dict[str, tuple[Entry, str]] = {}
    for entry, name in words.by_name.values():
        if entry.key not in found and pattern(name).search(text):
            found[entry.key] = (entry, name)
    return sorted(found.values(), key=lambda pair: pair[0].key)


def acronyms(text: str) -> list[str]:
    """The acronyms in `text`, once each, in the order they first appear."""
    text = _SHOUTING.sub(" ", _NOT_WORDS.sub(" ", text))
    seen: dict[str, str] = {}
    for match in _ACRONYM.finditer(text):
        word = match.group(1)
        if word not in EVERYDAY:
            seen.setdefault(key_of(word), word)
    return list(seen.values())
