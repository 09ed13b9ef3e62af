"""What a group's words mean: its own terms, and the starter terms shipped in
handlers/data/jargon.toml that it hasn't turned off."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storage.uow import UnitOfWork

MAX_TERM = 60
MAX_MEANING = 300


def key_of(term: str) -> str:
    """A term as it is stored and compared: spaces tidied, case folded (CMHT is cmht)."""
    return " ".join(term.split()).casefold()


def sentence(meaning: str) -> str:
    """A meaning as it is shown: ending with a full stop unless it ends a sentence already."""
    meaning = meaning.strip()
    return meaning if meaning.endswith((".", "!", "?")) else f"{meaning}."


@dataclass(frozen=True)
class Entry:
    """A term and its plain meaning; `also` are other ways of writing it (starter terms)."""

    term: str
    meaning: str
    also: tuple[str, ...] = ()
    starter: bool = True
    added_by: int | None = None

    @property
    def key(self) -> str:
        """The term as stored and compared."""
        return key_of(self.term)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way of writing it: the term, then the others."""
        return (self.term, *self.also)

    def line(self, name: str | None = None) -> str:
        """'CMHT: Community mental health team.', or 'IAPT (Talking Therapies): ...'."""
        shown = self.term if name in (None, self.term) else f"{name} ({self.term})"
        return f"{shown}: {sentence(self.meaning)}"


@cache
def starter() -> tuple[Entry, ...]:
    """The starter terms shipped in handlers/data/jargon.toml (read once)."""
    raw = resources.files("handlers").joinpath("data/jargon.toml").read_text("utf-8")
    entries = tuple(
        Entry(item["term"], item["meaning"], tuple(item.get("also", ())))
        for item in tomllib.loads(raw)["term"]
    )
    keys = [key_of(name) for entry in entries for name in entry.names]
    if len(keys) != len(set(keys)):
        raise ValueError("handlers/data/jargon.toml names a term twice")
    return entries


@cache
def _starter_by_key() -> Mapping[str, tuple[Entry, str]]:
    return {key_of(name): (entry, name) for entry in starter() for name in entry.names}


def starter_entry(term: str) -> Entry | None:
    """The starter entry written this way (its term or one of its other names), if any."""
    found = _starter_by_key().get(key_of(term))
    return found[0] if found else None


@dataclass(frozen=True)
class Words:
    """The meanings one group has: its own terms first, then the starter terms it kept on."""

    own: tuple[Entry, ...]
    off: frozenset[str]  # keys of the starter terms turned off

    @property
    def kept(self) -> tuple[Entry, ...]:
        """The starter terms the group hasn't turned off, and hasn't given its own meaning."""
        own = {e.key for e in self.own}
        return tuple(e for e in starter() if e.key not in self.off and e.key not in own)

    @property
    def by_name(self) -> Mapping[str, tuple[Entry, str]]:
        """Each way of writing a known term, by its key: the entry, and the name as written.
        A group's own meaning wins over a starter one."""
        found = {key_of(name): (e, name) for e in self.kept for name in e.names}
        found.update({e.key: (e, e.term) for e in self.own})
        return found

    def meaning(self, term: str) -> Entry | None:
        """The entry that explains `term` for this group, if one does."""
        found = self.by_name.get(key_of(term))
        return found[0] if found else None

    def knows(self, term: str) -> bool:
        """Whether the group has a meaning for `term`, or turned its starter meaning off
        (so it is known well enough that nobody needs asking)."""
        starter_one = starter_entry(term)
        return self.meaning(term) is not None or (
            starter_one is not None and starter_one.key in self.off
        )


async def words_of(uow: UnitOfWork, group_id: int) -> Words:
    """The group's words as they are now."""
    own = tuple(
        Entry(t.term, t.meaning, starter=False, added_by=t.added_by)
        for t in await uow.glossary.terms(group_id)
    )
    return Words(own, frozenset(await uow.glossary.turned_off(group_id)))


def names_list(terms: Iterable[str]) -> str:
    """'CMHT', 'CMHT and SLA', 'CMHT, SLA and KPI'."""
    terms = list(terms)
    return terms[0] if len(terms) == 1 else f"{', '.join(terms[:-1])} and {terms[-1]}"
