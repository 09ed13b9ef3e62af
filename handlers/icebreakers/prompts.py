"""The prompt bank: the icebreakers shipped in handlers/data/icebreakers.toml, the topics
they stay away from, and choosing one a group has had least often."""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storage.models import Group
from storage.uow import UnitOfWork

TAGS = ("light", "medium")

#: Topics no icebreaker touches: they can hurt, or not everyone has them. The bank's
#: test checks a longer list; a facilitator's own prompt is checked against this one.
AVOID = re.compile(
    r"\b(health\w*|ill|illness\w*|sick\w*|hospital\w*|doctors?|medic\w*|therap\w*|"
    r"diagnos\w*|trauma\w*|abus\w*|suicid\w*|self-harm\w*|death|deaths|dead|die|died|"
    r"dying|grie\w*|bereave\w*|funeral\w*|loss|losses|lost|money|debts?|salary|salaries|"
    r"wages?|income|benefits|pay|paid|price\w*|costs?|afford\w*|cash|rich|poor|"
    r"famil\w*|mum|dad|mother\w*|father\w*|parent\w*|child\w*|kids?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Prompt:
    """One icebreaker: `ref` is 'bank:<id>' or 'group:<id>'."""

    ref: str
    text: str
    tag: str = "light"


@cache
def bank() -> tuple[Prompt, ...]:
    """The prompts shipped in handlers/data/icebreakers.toml (read once)."""
    raw = resources.files("handlers").joinpath("data/icebreakers.toml").read_text("utf-8")
    return tuple(
        Prompt(f"bank:{entry['id']}", entry["text"], entry["tag"])
        for entry in tomllib.loads(raw)["prompt"]
    )


def choose(prompts: Sequence[Prompt], used: Mapping[str, int], rng: random.Random) -> Prompt:
    """A prompt the group has had least often (so none repeats until all are used)."""
    fewest = min(used.get(p.ref, 0) for p in prompts)
    return rng.choice([p for p in prompts if used.get(p.ref, 0) == fewest])


async def pick(uow: UnitOfWork, group: Group) -> Prompt:
    """The group's next icebreaker, from the bank and its own prompts."""
    own = [Prompt(f"group:{p.id}", p.text) for p in await uow.icebreakers.prompts(group.id)]
    return choose([*bank(), *own], await uow.icebreakers.used(group.id), random.Random())
