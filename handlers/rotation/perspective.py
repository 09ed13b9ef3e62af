"""Which side of a co-chair pair someone's own words put them on, if either.

People describe their perspective in their own words (`/prefs perspective`):
"expert by experience", "service user", "peer worker", "carer", "NHS
psychologist", "council manager". Pairing needs only two sides: lived
experience (of services, as a patient, survivor, peer or carer) and
professional (working in or for services). Words that name both sides, or
neither, put someone on no side: the picker then never guesses.
"""

from __future__ import annotations

import re

from handlers.rotation.fairness import LIVED, PROFESSIONAL

_LIVED = (
    r"lived",
    r"experts? by experience",
    r"(?:by|with|from|of) (?:my|our) own experience",
    r"service[- ]?users?(?: researchers?| representatives?| trainers?| leads?)?",
    r"users? of (?:the )?services",
    r"(?:ex-?|former |current )patients?",
    r"(?:was|am|been) an? (?:in)?patient",
    r"survivors?",
    r"peers?(?: support)?(?: workers?| supporters?| mentors?| leads?| researchers?| trainers?)?",
    r"carers?",
    r"unpaid carers?",
    r"(?:parent|mum|dad|mother|father|family member|relative) of",
    r"experience of (?:mental|using|being)",
)
_PROFESSIONAL = (
    r"professionals?",
    r"practitioners?",
    r"clinicians?",
    r"clinical",
    r"nhs",
    r"council",
    r"local authority",
    r"managers?",
    r"commissioners?",
    r"staff",
    r"employees?",
    r"psychologists?",
    r"psychiatrists?",
    r"psychotherapists?",
    r"therapists?",
    r"counsellors?",
    r"nurses?",
    r"doctors?",
    r"gps?",
    r"consultants?",
    r"social workers?",
    r"support workers?",
    r"care workers?",
    r"key workers?",
    r"occupational therapists?",
    r"pharmacists?",
    r"paramedics?",
    r"police",
    r"officers?",
    r"researchers?",
    r"academics?",
    r"lecturers?",
    r"directors?",
    r"charity workers?",
)


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


_LIVED_RE = _pattern(_LIVED)
_PROFESSIONAL_RE = _pattern(_PROFESSIONAL)


def perspective_side(text: str | None) -> str | None:
    """LIVED, PROFESSIONAL, or None (no words, or words for both sides)."""
    words = " ".join(re.sub(r"[^\w\s-]", " ", (text or "").casefold()).split())
    # A peer worker is there for their lived experience: the lived-experience words are
    # taken out before looking for professional ones, so "worker" alone names no side.
    lived = _LIVED_RE.search(words) is not None
    rest = _LIVED_RE.sub(" ", words)
    professional = _PROFESSIONAL_RE.search(rest) is not None
    if lived == professional:
        return None
    return LIVED if lived else PROFESSIONAL
