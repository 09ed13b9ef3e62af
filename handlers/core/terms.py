"""Explaining a word the first time a message uses it, as plain-language guides ask."""

from __future__ import annotations

import re

from handlers.core.messages import Message, reword

#: Words the bot uses about the group, and what they mean (singular, plural).
FACILITATOR = (
    re.compile(r"\b([Ff]acilitator)(s?)\b"),
    "someone who helps run the group",
    "the people who run the group",
)


def explain_first(msg: Message, term: tuple[re.Pattern[str], str, str] = FACILITATOR) -> Message:
    """The message with the first use of the term followed by its meaning in brackets."""
    pattern, one, many = term
    done = False

    def change(text: str) -> str:
        nonlocal done
        if done:
            return text
        found = pattern.search(text)
        if found is None:
            return text
        done = True
        meaning = many if found.group(2) else one
        return f"{text[: found.end()]} ({meaning}){text[found.end() :]}"

    return reword(msg, change)
