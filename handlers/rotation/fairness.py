"""Who takes which role at a meeting: a pure function, so fairness can be tested on its own.

`pick` fills a meeting's role slots from the group's members. In order of
importance it:

1. never picks anyone who is away, passing this time, has said no to the
   role, or is in their first meeting without having offered;
2. fills as many slots as it can;
3. prefers people who offered ("willing") over people who haven't said;
4. for a co-chair pair, matches each co-chair's self-described perspective;
5. gives nobody two roles if others are free;
6. doesn't have the same person chair twice running if someone else can;
7. is fair over time: fewest turns at the role, then fewest turns overall,
   then longest since their last turn at it.

Ties are broken by the order the candidates are given in, so the result is
deterministic. `fair_order` gives an order that is different for each meeting
date and favours nobody (not whoever joined first). The search is exact
(branch and bound over each slot's best few candidates), which is cheap for
the handful of roles a group has.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

CHAIR = "chair"
LIVED = "lived experience"
PROFESSIONAL = "professional"

#: Reasons attached to a pick, turned into plain words by handlers/rotation/wording.py.
WILLING = "willing"  # they offered to do this role
ASKED = "asked"  # they hadn't said either way; nobody who offered was free (given, not asked)
ONLY = "only"  # the only person free who offered
FEWEST = "fewest"  # fewer turns at this role than the others free who offered
FEWEST_OVERALL = "fewest overall"  # as many turns at it as others, fewer turns at any role
LONGEST = "longest"  # as many turns as others, but the longest since their last one
FIRST_TURN = "first turn"  # never done this role before
AGAIN = "again"  # chaired last time too: nobody else who offered was free
DOUBLE = "double"  # also has another role: not enough people were free
UNPAIRED = "unpaired"  # a co-chair pair couldn't be matched by perspective


@dataclass(frozen=True)
class Candidate:
    """One member as the picker sees them. Nothing here is shown to anyone."""

    person_id: int
    willing: frozenset[str] = frozenset()
    declined: frozenset[str] = frozenset()
    served: Mapping[str, int] = field(default_factory=dict)
    last_served: Mapping[str, int] = field(default_factory=dict)
    away: bool = False
    passing: bool = False
    first_meeting: bool = False
    perspective: str | None = None

    def can_take(self, role: str) -> bool:
        """Whether they may be given this role at all."""
        if self.away or self.passing or role in self.declined:
            return False
        return role in self.willing or not self.first_meeting

    @property
    def total(self) -> int:
        """Turns at any role."""
        return sum(self.served.values())


@dataclass(frozen=True)
class Slot:
    """One place to fill: a role, and for a co-chair pair the perspective wanted."""

    role: str
    need: str | None = None


@dataclass(frozen=True)
class Pick:
    """Who fills a slot (None: nobody could), and why, as reason codes."""

    slot: Slot
    person_id: int | None
    reasons: frozenset[str] = frozenset()


def fair_order(candidates: Sequence[Candidate], seed: str) -> list[Candidate]:
    """The candidates in an order that looks random but is the same for the same seed
    (like a meeting date), so ties go to each person equally often, whoever joined first."""

    def draw(c: Candidate) -> bytes:
        return hashlib.sha256(f"{seed}:{c.person_id}".encode()).digest()

    return sorted(candidates, key=draw)


# The cost of a whole assignment, compared as a tuple (earlier places matter more).
_UNFILLED, _ASKED, _UNPAIRED, _DOUBLE, _AGAIN, _TURNS, _TOTAL, _RECENT, _ORDER = range(9)
_SIZE = 9


def _slot_cost(
    slot: Slot, c: Candidate | None, order: int, last_chairs: frozenset[int]
) -> tuple[int, ...]:
    """The part of the cost that depends only on this slot and this candidate."""
    cost = [0] * _SIZE
    if c is None:
        cost[_UNFILLED] = 1
        return tuple(cost)
    cost[_UNPAIRED] = int(slot.need is not None and c.perspective != slot.need)
    cost[_ASKED] = int(slot.role not in c.willing)
    cost[_AGAIN] = int(slot.role == CHAIR and c.person_id in last_chairs)
    cost[_TURNS] = c.served.get(slot.role, 0)
    cost[_TOTAL] = c.total
    cost[_RECENT] = c.last_served.get(slot.role, -1)
    cost[_ORDER] = order
    return tuple(cost)


def _add(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def pick(
    slots: Sequence[Slot],
    candidates: Sequence[Candidate],
    last_chairs: frozenset[int] = frozenset(),
    busy: Mapping[int, int] | None = None,
) -> list[Pick]:
    """Fill `slots` fairly from `candidates` (see the module docstring for the rules).

    last_chairs: who chaired the previous meeting.
    busy: people who already hold this many other roles at this meeting (when
        one role is filled again after someone drops out).
    """
    held = Counter(busy or {})
    options: list[list[tuple[tuple[int, ...], Candidate | None]]] = []
    for slot in slots:
        found = [
            (_slot_cost(slot, c, i, last_chairs), c)
            for i, c in enumerate(candidates)
            if c.can_take(slot.role)
        ]
        found.sort(key=lambda pair: pair[0])
        # The best len(slots) + len(held) candidates per slot always contain an
        # optimal choice: at most that many can be used elsewhere.
        keep: list[tuple[tuple[int, ...], Candidate | None]] = list(found[: len(slots) + len(held)])
        keep.append((_slot_cost(slot, None, 0, last_chairs), None))
        options.append(keep)

    # A lower bound for the slots still to fill: each one's best option, nobody doubled.
    floor = [tuple([0] * _SIZE)] * (len(slots) + 1)
    for index in range(len(slots) - 1, -1, -1):
        best = min(cost for cost, _ in options[index])
        floor[index] = _add(floor[index + 1], best)

    best_cost: tuple[int, ...] | None = None
    best_choice: list[Candidate | None] = []
    chosen: list[Candidate | None] = []

    def search(index: int, cost: tuple[int, ...]) -> None:
        nonlocal best_cost, best_choice
        if best_cost is not None and _add(cost, floor[index]) >= best_cost:
            return
        if index == len(slots):
            best_cost, best_choice = cost, list(chosen)
            return
        for slot_cost, c in options[index]:
            extra = list(slot_cost)
            if c is not None:
                same_role = any(
                    other is not None
                    and other.person_id == c.person_id
                    and slots[j].role == slots[index].role
                    for j, other in enumerate(chosen)
                )
                if same_role:
                    continue
                extra[_DOUBLE] = int(held[c.person_id] > 0)
                held[c.person_id] += 1
            chosen.append(c)
            search(index + 1, _add(cost, extra))
            chosen.pop()
            if c is not None:
                held[c.person_id] -= 1

    search(0, tuple([0] * _SIZE))
    return _explain(slots, candidates, best_choice, last_chairs, busy or {})


def _explain(
    slots: Sequence[Slot],
    candidates: Sequence[Candidate],
    choice: Sequence[Candidate | None],
    last_chairs: frozenset[int],
    busy: Mapping[int, int],
) -> list[Pick]:
    holders = Counter(c.person_id for c in choice if c is not None)
    holders.update({p: n for p, n in busy.items() if n})
    taken = set(holders)
    picks = []
    for slot, c in zip(slots, choice, strict=True):
        if c is None:
            picks.append(Pick(slot, None))
            continue
        role = slot.role
        reasons = {WILLING if role in c.willing else ASKED}
        if slot.need is not None and c.perspective != slot.need:
            reasons.add(UNPAIRED)
        if holders[c.person_id] > 1:
            reasons.add(DOUBLE)
        if role == CHAIR and c.person_id in last_chairs:
            reasons.add(AGAIN)
        rivals = [
            o
            for o in candidates
            if o.person_id != c.person_id
            and role in o.willing
            and o.can_take(role)
            and o.person_id not in taken
        ]
        if role in c.willing and not rivals:
            reasons.add(ONLY)
        elif rivals:
            turns = c.served.get(role, 0)
            tied = [o for o in rivals if o.served.get(role, 0) == turns]
            last = c.last_served.get(role, -1)
            if all(o.served.get(role, 0) > turns for o in rivals):
                reasons.add(FEWEST)
            elif all(o.served.get(role, 0) >= turns for o in rivals):
                if all(o.total > c.total for o in tied):
                    reasons.add(FEWEST_OVERALL)
                elif all(o.last_served.get(role, -1) > last for o in tied):
                    reasons.add(LONGEST)
        if not c.served.get(role, 0):
            reasons.add(FIRST_TURN)
        picks.append(Pick(slot, c.person_id, frozenset(reasons)))
    return picks
