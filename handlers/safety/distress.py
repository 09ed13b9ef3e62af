"""Noticing distress in plain words, loosely: a warm answer to a false alarm costs little.

Matching is on a normalised copy of the text (lower case, one kind of
apostrophe dropped, punctuation as spaces), so "I can’t cope!!" and "i cant
cope" read the same.
"""

from __future__ import annotations

import re
import unicodedata

_PHRASES = (
    r"kill(?:ing)? ?(?:my ?self|me)",
    r"suicid\w*",
    r"(?:end|ending|take|taking) (?:it all|my (?:own )?life|my self)",
    r"(?:want|wanna|going|planning|ready) to end (?:it|things|everything)",
    r"(?:want|wanna|wish|going|ready) (?:to )?(?:die|be dead|disappear)",
    r"wish (?:i|id) (?:was|were|had) (?:dead|never been born)",
    r"better off (?:dead|without me)",
    r"(?:dont|do not|no longer|not) want to (?:live|be alive|be here|exist|wake up|go on)",
    r"self ?harm\w*",
    r"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning) my ?self",
    r"overdos\w*",
    r"no (?:point|reason) (?:in )?(?:living|to live|going on|carrying on|anymore|any more)",
    r"(?:no ?one|nobody) (?:would|will) (?:miss|care)",
    r"cant (?:cope|go on|carry on|keep going|take (?:it|this|any ?more)|do this any ?more)",
    r"not coping",
    r"struggling",
    r"in crisis",
    r"hopeless",
    r"worthless",
    r"(?:want|going|ready) to give up",
    r"giving up on (?:life|everything)",
    r"breaking down|falling apart|mental breakdown|panic attack\w*",
    r"(?:im|i am) not (?:ok|okay|alright|all right|safe)",
    r"(?:so|really|very|feeling) (?:low|down|depressed|desperate|alone|unsafe)",
    r"depressed",
    r"unalive|kms",
    r"(?:please )?help me(?: please)?|i need help",
)
_DISTRESS = re.compile(r"\b(?:" + "|".join(_PHRASES) + r")\b")
_CANNOT = re.compile(r"\bcan ?not\b")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, 'cannot' as 'cant', other punctuation as spaces."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = re.sub(r"['’‘`´]", "", folded)
    folded = re.sub(r"[^\w\s]|_", " ", folded)
    return _CANNOT.sub("cant", " ".join(folded.split()))


def shows_distress(text: str) -> bool:
    """Whether the words suggest someone may be in distress or at risk."""
    return _DISTRESS.search(normalise(text)) is not None
