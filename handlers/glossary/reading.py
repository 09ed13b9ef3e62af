"""Reading `/jargon add`: a term and its meaning, written the ways people write them.

CMHT Community mental health team
CMHT = Community mental health team       (or ':' or ' - ', or 'means')
care plan: A written plan of someone's care
"care plan" A written plan of someone's care
"""

from __future__ import annotations

import re

from handlers.core.inert import one_line

_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}
#: Where a term of a few words ends and its meaning starts.
_BETWEEN = re.compile(r"\s*[=:]\s*|\s+[-–—]\s+")
#: Words between a term and its meaning that are not part of the meaning.
_LEAD_IN = re.compile(r"^(?:[=:\-–—]+\s*|(?:means|stands\s+for|is)\s+)", re.IGNORECASE)
MOST_WORDS_IN_A_TERM = 5


def term_and_meaning(args: str) -> tuple[str, str]:
    """The term and the meaning in what followed `/jargon add` (either may be empty)."""
    text = args.strip()
    if not text:
        return "", ""
    term, rest = _quoted(text) or _before_separator(text) or _first_word(text)
    return one_line(term).strip(), " ".join(_LEAD_IN.sub("", rest.strip(), count=1).split())


def term_only(args: str) -> str:
    """A term on its own (after `/jargon remove`, `off`, `on`, or to look it up)."""
    return one_line(args.strip().strip("\"'“”‘’")).strip()


def _quoted(text: str) -> tuple[str, str] | None:
    close = _QUOTES.get(text[:1])
    if close is None:
        return None
    end = text.find(close, 1)
    return (text[1:end], text[end + 1 :]) if end > 0 else None


def _before_separator(text: str) -> tuple[str, str] | None:
    found = _BETWEEN.search(text)
    if found is None or not found.start():
        return None
    term = text[: found.start()]
    first = term.split()[0]
    if len(term.split()) > MOST_WORDS_IN_A_TERM or (first.isupper() and first != term):
        return None  # a sentence, or an acronym followed by its meaning
    return term, text[found.end() :]


def _first_word(text: str) -> tuple[str, str]:
    term, *rest = text.lstrip("\"'“‘").split(None, 1)
    return term, "".join(rest)
