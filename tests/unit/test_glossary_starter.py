"""The starter words in handlers/data/jargon.toml: each meaning is plain and short, and
explains any acronym it uses."""

from __future__ import annotations

import re

import pytest

from handlers.glossary.finding import EVERYDAY, acronyms
from handlers.glossary.terms import MAX_MEANING, MAX_TERM, Entry, key_of, starter

MOST_WORDS_IN_A_SENTENCE = 20
LOWEST_READING_EASE = 40  # Flesch, for one meaning; a few words make the score jumpy
LOWEST_READING_EASE_OVERALL = 70


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def is_acronym(term: str) -> bool:
    return sum(c.isupper() for c in term) >= 2 and " " not in term


def to_read(entry: Entry) -> str:
    """The meaning without the words that spell a name out ('Accident and emergency.',
    'GP stands for general practitioner.'): names are not for making plainer."""
    said = [s for s in sentences(entry.meaning) if "stands for" not in s]
    if is_acronym(entry.term) and len(said) > 1 and len(said[0].split()) <= 8:
        said = said[1:]
    return " ".join(said)


def test_there_are_enough_starter_words_and_each_is_short() -> None:
    words = starter()
    assert 40 <= len(words) <= 65
    for entry in words:
        assert entry.term.strip() == entry.term and entry.meaning.strip() == entry.meaning
        assert all(0 < len(name) <= MAX_TERM for name in entry.names), entry.term
        assert len(entry.meaning) <= MAX_MEANING, entry.term
        assert entry.meaning.endswith("."), entry.term
        assert entry.term not in EVERYDAY


def test_each_meaning_is_one_or_two_short_sentences() -> None:
    for entry in starter():
        said = sentences(entry.meaning)
        assert 1 <= len(said) <= 2, entry.term
        longest = max(len(s.split()) for s in said)
        assert longest <= MOST_WORDS_IN_A_SENTENCE, (entry.term, longest)


def test_every_acronym_in_a_meaning_is_a_starter_word_too() -> None:
    names = {key_of(name) for entry in starter() for name in entry.names}
    for entry in starter():
        unexplained = [a for a in acronyms(entry.meaning) if key_of(a) not in names]
        assert not unexplained, (entry.term, unexplained)


def test_each_meaning_reads_easily() -> None:
    textstat = pytest.importorskip("textstat")
    hard = {
        entry.term: score
        for entry in starter()
        if (score := textstat.flesch_reading_ease(to_read(entry))) < LOWEST_READING_EASE
    }
    assert not hard, hard
    overall = textstat.flesch_reading_ease(" ".join(to_read(e) for e in starter()))
    assert overall >= LOWEST_READING_EASE_OVERALL, overall


def test_no_name_means_two_things() -> None:
    keys = [key_of(name) for entry in starter() for name in entry.names]
    assert len(keys) == len(set(keys))
