"""Who a concern is for, read from the way people say it.

"to facilitators: ...", "For facilitators only - ...", "private: ...", "just
the facilitators, ...", "... (facilitators only)" all mean only the
facilitators. Words that mention the facilitators or the chair without saying
who should see them are unclear: the writer is asked before anything is kept.
"""

from __future__ import annotations

import re

FACILITATORS = "facilitators"
GROUP = "group"

_WHO = r"(?:the\s+)?(?:facilitators?|facs|organi[sz]ers?|group\s+leads?)(?:'s|s')?"
_SEP = r"(?:\s*[:;,.!?\-–—]+\s*|\s+)"
_ONLY_FACILITATORS = re.compile(
    r"^\s*(?:please\s+)?(?:"
    rf"(?:(?:only|just)\s+)?(?:to|for)\s+{_WHO}(?:\s+(?:only|eyes\s+only|please))*"
    rf"|(?:only|just)\s+(?:to\s+|for\s+)?{_WHO}(?:\s+only)?"
    rf"|{_WHO}\s+only"
    rf"|(?:private(?:ly)?|confidential(?:ly)?|in\s+confidence)(?:\s+(?:to|for)\s+{_WHO})?"
    rf"(?:\s+only)?"
    rf"|not\s+for\s+(?:the\s+)?(?:whole\s+)?group"
    rf")(?:{_SEP}|$)",
    re.IGNORECASE,
)
_ONLY_FACILITATORS_AT_END = re.compile(
    rf"[\s,.;:\-–—(\[]*(?:(?:only\s+)?(?:to|for)\s+{_WHO}(?:\s+only)?|{_WHO}\s+only"
    r"|private|confidential)[\s.!)\]]*$",
    re.IGNORECASE,
)
_EVERYONE = re.compile(
    r"^\s*(?:(?:to|for)\s+(?:everyone|everybody|all|the\s+(?:whole\s+)?group))(?:" + _SEP + r"|$)",
    re.IGNORECASE,
)
_UNCLEAR = re.compile(
    r"\b(?:facilitators?|facs|co-?chairs?|chair(?:person|man|woman)?|private|confidential"
    r"|in\s+confidence|don'?t\s+share|do\s+not\s+share|not\s+the\s+group|only\s+you)\b",
    re.IGNORECASE,
)


def read_audience(text: str) -> tuple[str | None, str]:
    """(audience, the words without the audience phrase); None when it is unclear."""
    text = " ".join(text.split())
    if found := _ONLY_FACILITATORS.match(text):
        return FACILITATORS, text[found.end() :].strip()
    if found := _EVERYONE.match(text):
        return GROUP, text[found.end() :].strip()
    if (found := _ONLY_FACILITATORS_AT_END.search(text)) and found.start() > 0:
        return FACILITATORS, text[: found.start()].strip()
    if _UNCLEAR.search(text):
        return None, text
    return GROUP, text
