"""What a feature declares, and the catalog the app assembles from every feature at start.

A feature is one typed value: its commands, the planners that say what it has
due, the housekeeping it needs before planning, the sections it adds to the
pack, the lines it adds to `/concern status`, and how it answers words in a
direct conversation that are not a command. `handlers/features.py` lists
every feature explicitly; nothing is looked up by name at request time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

from handlers.core.commands import CommandSpec, Context
from handlers.core.due import Housekeeping, Planner
from handlers.core.messages import Block
from handlers.core.occurrences import Occurrence
from storage.models import Concern, Group
from storage.uow import UnitOfWork

#: Blocks a feature adds to a meeting's pack, after the agenda.
PackSection = Callable[[UnitOfWork, Group, Occurrence], Awaitable[list[Block]]]

#: Lines a feature adds when a concern's writer asks what became of it.
ConcernStatus = Callable[[UnitOfWork, Concern], Awaitable[list[str]]]

#: Answers words in a direct conversation that are not a command; True if it answered.
FreeText = Callable[[Context, str], Awaitable[bool]]


@dataclass(frozen=True)
class Feature:
    """Everything one capability adds to the bot."""

    name: str
    commands: tuple[CommandSpec, ...] = ()
    planners: tuple[Planner, ...] = ()
    housekeeping: tuple[Housekeeping, ...] = ()
    pack_sections: tuple[PackSection, ...] = ()
    concern_status: tuple[ConcernStatus, ...] = ()
    free_text: tuple[FreeText, ...] = ()


@dataclass(frozen=True)
class Catalog:
    """The assembled bot: every command by name and alias, and every feature's hooks in order."""

    commands: Mapping[str, CommandSpec]
    planners: tuple[Planner, ...] = ()
    housekeeping: tuple[Housekeeping, ...] = ()
    pack_sections: tuple[PackSection, ...] = ()
    concern_status: tuple[ConcernStatus, ...] = ()
    free_text: tuple[FreeText, ...] = ()

    @classmethod
    def assemble(cls, features: Iterable[Feature]) -> Catalog:
        """Join the features, in order; two commands with one name is a mistake caught here."""
        features = tuple(features)
        commands: dict[str, CommandSpec] = {}
        for feature in features:
            for spec in feature.commands:
                for name in (spec.name, *spec.aliases):
                    if name in commands:
                        raise ValueError(f"two commands are called /{name}")
                    commands[name] = spec
        return cls(
            commands=commands,
            planners=tuple(p for f in features for p in f.planners),
            housekeeping=tuple(h for f in features for h in f.housekeeping),
            pack_sections=tuple(s for f in features for s in f.pack_sections),
            concern_status=tuple(c for f in features for c in f.concern_status),
            free_text=tuple(t for f in features for t in f.free_text),
        )
