"""The role picker, on its own: properties that hold over any sequence of meetings.

A note on "served counts differ by at most one": that can only hold when the
people offering for one role are also free for it. If Bob is the only one who
offered to chair and Ann the only one for minutes, and Bob also offered for
minutes, Bob chairs every time and never takes minutes (he can't do both when
Ann is free), so Bob's and Ann's minute counts drift apart. The balance
property is therefore checked where everyone who offers, offers for every role
(and nobody is away); everywhere else the picker is checked to be locally fair:
it never passes over someone free who offered and has had fewer turns.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.rotation import (
    ASKED,
    CHAIR,
    LIVED,
    PROFESSIONAL,
    UNPAIRED,
    Candidate,
    Pick,
    Slot,
    pick,
)
from handlers.rotation.fairness import fair_order

ROLES = (CHAIR, "minutes", "timekeeper", "tea")
FAST = settings(max_examples=80, deadline=None)


@dataclass
class Person:
    """One member as a test sees them over a run of meetings."""

    person_id: int
    willing: frozenset[str]
    declined: frozenset[str]
    perspective: str | None = None
    joined: int = 0  # the first meeting they are at
    served: Counter[str] = field(default_factory=Counter)
    last: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Meeting:
    """Who is away and who passes this time."""

    away: frozenset[int] = frozenset()
    passing: frozenset[int] = frozenset()


def candidates(people: Sequence[Person], number: int, meeting: Meeting) -> list[Candidate]:
    """The members at meeting `number`, as the picker sees them."""
    return [
        Candidate(
            person_id=p.person_id,
            willing=p.willing,
            declined=p.declined,
            served=dict(p.served),
            last_served=dict(p.last),
            away=p.person_id in meeting.away,
            passing=p.person_id in meeting.passing,
            first_meeting=p.joined == number,
            perspective=p.perspective,
        )
        for p in people
        if p.joined <= number
    ]


def run(
    people: Sequence[Person],
    roles: Sequence[str],
    meetings: Sequence[Meeting],
    check: object = None,
) -> list[tuple[list[Candidate], frozenset[int], list[Pick]]]:
    """Play the meetings in order, keeping turns as the app does; return every step."""
    last_chairs: frozenset[int] = frozenset()
    steps = []
    slots = [Slot(r) for r in roles]
    for number, meeting in enumerate(meetings):
        present = candidates(people, number, meeting)
        picks = pick(slots, present, last_chairs)
        steps.append((present, last_chairs, picks))
        by_id = {p.person_id: p for p in people}
        for chosen in picks:
            if chosen.person_id is not None:
                by_id[chosen.person_id].served[chosen.slot.role] += 1
                by_id[chosen.person_id].last[chosen.slot.role] = number
        last_chairs = frozenset(
            c.person_id for c in picks if c.slot.role == CHAIR and c.person_id is not None
        )
    return steps


def holders(picks: Sequence[Pick]) -> Counter[int]:
    return Counter(p.person_id for p in picks if p.person_id is not None)


def distinct_possible(slots: Sequence[Slot], present: Sequence[Candidate]) -> bool:
    """Whether every slot could go to a different person who offered for it."""
    options = [
        [c.person_id for c in present if c.can_take(s.role) and s.role in c.willing] for s in slots
    ]
    return any(len(set(combo)) == len(combo) for combo in itertools.product(*options))


# --- strategies -------------------------------------------------------------------------

roles_st = st.integers(1, 4).map(lambda n: ROLES[:n])


@st.composite
def uniform_group(draw: st.DrawFn) -> tuple[list[Person], tuple[str, ...], int]:
    """Everyone who offers, offers for every role; the others said no or said nothing."""
    roles = draw(roles_st)
    people = []
    for person_id in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["offers", "offers", "offers", "no", "silent"]))
        people.append(
            Person(
                person_id,
                willing=frozenset(roles) if kind == "offers" else frozenset(),
                declined=frozenset(roles) if kind == "no" else frozenset(),
            )
        )
    return people, roles, draw(st.integers(1, 24))


@st.composite
def any_group(draw: st.DrawFn) -> tuple[list[Person], tuple[str, ...], list[Meeting]]:
    """Anything: mixed offers and refusals, people joining later, absences, passes."""
    roles = draw(roles_st)
    count = draw(st.integers(1, 7))
    meetings = draw(st.integers(1, 16))
    people = []
    for person_id in range(count):
        says = {r: draw(st.sampled_from(["yes", "no", "-"])) for r in roles}
        people.append(
            Person(
                person_id,
                willing=frozenset(r for r, s in says.items() if s == "yes"),
                declined=frozenset(r for r, s in says.items() if s == "no"),
                perspective=draw(st.sampled_from([LIVED, PROFESSIONAL, None])),
                joined=draw(st.integers(0, meetings - 1)) if draw(st.booleans()) else 0,
            )
        )
    ids = st.sets(st.integers(0, count - 1), max_size=count)
    plan = [Meeting(frozenset(draw(ids)), frozenset(draw(ids))) for _ in range(meetings)]
    return people, roles, plan


# --- properties ---------------------------------------------------------------------------


@FAST
@given(uniform_group())
def test_turns_at_each_role_differ_by_at_most_one_among_those_who_offered(
    group: tuple[list[Person], tuple[str, ...], int],
) -> None:
    """Checked after every meeting, not just at the end."""
    people, roles, meetings = group
    offered = {p.person_id for p in people if p.willing}
    turns: Counter[tuple[int, str]] = Counter()
    for _, _, picks in run(people, roles, [Meeting()] * meetings):
        turns.update((p.person_id, p.slot.role) for p in picks if p.person_id is not None)
        for role in roles:
            counts = [turns[person, role] for person in offered]
            if counts:
                assert max(counts) - min(counts) <= 1, (role, counts)


@FAST
@given(any_group())
def test_nobody_gets_a_role_they_declined_or_is_away_or_passing_or_new_and_silent(
    group: tuple[list[Person], tuple[str, ...], list[Meeting]],
) -> None:
    people, roles, meetings = group
    by_id = {p.person_id: p for p in people}
    for number, (_, _, picks) in enumerate(run(people, roles, meetings)):
        for chosen in picks:
            if chosen.person_id is None:
                continue
            person = by_id[chosen.person_id]
            assert chosen.slot.role not in person.declined
            assert chosen.person_id not in meetings[number].away
            assert chosen.person_id not in meetings[number].passing
            assert person.joined <= number
            if person.joined == number:  # their first meeting: only if they offered
                assert chosen.slot.role in person.willing


@FAST
@given(any_group())
def test_nobody_holds_two_roles_when_enough_people_offered(
    group: tuple[list[Person], tuple[str, ...], list[Meeting]],
) -> None:
    people, roles, meetings = group
    slots = [Slot(r) for r in roles]
    for present, _, picks in run(people, roles, meetings):
        if distinct_possible(slots, present):
            assert max(holders(picks).values(), default=0) <= 1, picks
            assert not any(ASKED in p.reasons for p in picks)


@FAST
@given(any_group())
def test_every_role_is_filled_when_someone_can_take_it(
    group: tuple[list[Person], tuple[str, ...], list[Meeting]],
) -> None:
    people, roles, meetings = group
    for present, _, picks in run(people, roles, meetings):
        for chosen in picks:
            if chosen.person_id is None:
                assert not any(c.can_take(chosen.slot.role) for c in present)


@FAST
@given(any_group())
def test_nobody_chairs_twice_running_while_someone_else_who_offered_is_free(
    group: tuple[list[Person], tuple[str, ...], list[Meeting]],
) -> None:
    people, roles, meetings = group
    for present, last_chairs, picks in run(people, roles, meetings):
        busy = holders(picks)
        for chosen in picks:
            if chosen.slot.role == CHAIR and chosen.person_id in last_chairs:
                free = [
                    c
                    for c in present
                    if c.person_id != chosen.person_id
                    and c.can_take(CHAIR)
                    and CHAIR in c.willing
                    and not busy[c.person_id]
                ]
                assert free == [], (chosen, free)


@FAST
@given(any_group())
def test_nobody_free_who_offered_is_passed_over_for_someone_with_more_turns(
    group: tuple[list[Person], tuple[str, ...], list[Meeting]],
) -> None:
    people, roles, meetings = group
    for present, last_chairs, picks in run(people, roles, meetings):
        busy = holders(picks)
        by_id = {c.person_id: c for c in present}
        for chosen in picks:
            if chosen.person_id is None:
                continue
            role, turns = chosen.slot.role, by_id[chosen.person_id].served.get(chosen.slot.role, 0)
            for other in present:
                skipped_fairly = (
                    other.person_id == chosen.person_id
                    or busy[other.person_id]
                    or not other.can_take(role)
                    or role not in other.willing
                    or (role == CHAIR and other.person_id in last_chairs)
                )
                if not skipped_fairly and role in by_id[chosen.person_id].willing:
                    assert other.served.get(role, 0) >= turns, (chosen, other)


@FAST
@given(any_group())
def test_co_chairs_pair_lived_experience_with_professional_when_such_people_offered(
    group: tuple[list[Person], tuple[str, ...], list[Meeting]],
) -> None:
    people, _, meetings = group
    slots = [Slot(CHAIR, LIVED), Slot(CHAIR, PROFESSIONAL), Slot("minutes")]
    for number, meeting in enumerate(meetings):
        present = candidates(people, number, meeting)
        picks = pick(slots, present)
        chairs = [p.person_id for p in picks[:2] if p.person_id is not None]
        assert len(chairs) == len(set(chairs))  # never the same person twice
        by_id = {c.person_id: c for c in present}
        offered = [c for c in present if c.can_take(CHAIR) and CHAIR in c.willing]
        lived = [c for c in offered if c.perspective == LIVED]
        pro = [c for c in offered if c.perspective == PROFESSIONAL]
        if lived and pro:
            assert {by_id[c].perspective for c in chairs} == {LIVED, PROFESSIONAL}
            assert not any(UNPAIRED in p.reasons for p in picks[:2])


@FAST
@given(st.lists(st.integers(1, 10_000), unique=True, max_size=12), st.text(max_size=20))
def test_the_fair_order_is_the_same_people_in_one_order_whatever_order_they_came_in(
    ids: list[int], seed: str
) -> None:
    people = [Candidate(i) for i in ids]
    ordered = fair_order(people, seed)
    assert sorted(c.person_id for c in ordered) == sorted(ids)
    assert fair_order(list(reversed(people)), seed) == ordered


def test_ties_go_to_whoever_has_waited_longest_then_to_the_order_given() -> None:
    people = [
        Candidate(1, willing=frozenset({CHAIR}), served={CHAIR: 1}, last_served={CHAIR: 5}),
        Candidate(2, willing=frozenset({CHAIR}), served={CHAIR: 1}, last_served={CHAIR: 2}),
        Candidate(3, willing=frozenset({CHAIR}), served={CHAIR: 2}),
    ]
    assert pick([Slot(CHAIR)], people)[0].person_id == 2
    fresh = [Candidate(7, willing=frozenset({CHAIR})), Candidate(4, willing=frozenset({CHAIR}))]
    assert pick([Slot(CHAIR)], fresh)[0].person_id == 7


def test_whoever_chaired_last_time_waits_even_with_the_fewest_turns() -> None:
    newcomer = Candidate(1, willing=frozenset({CHAIR}), served={CHAIR: 1})
    regular = Candidate(2, willing=frozenset({CHAIR}), served={CHAIR: 4})
    [chosen] = pick([Slot(CHAIR)], [newcomer, regular], last_chairs=frozenset({1}))
    assert chosen.person_id == 2
    [alone] = pick([Slot(CHAIR)], [newcomer], last_chairs=frozenset({1}))
    assert alone.person_id == 1  # nobody else offered, so they chair again


def test_when_only_one_person_offered_they_may_hold_two_roles_rather_than_pushing_others() -> None:
    people = [Candidate(1, willing=frozenset({CHAIR, "minutes"})), Candidate(2)]
    picks = pick([Slot(CHAIR), Slot("minutes")], people)
    assert [p.person_id for p in picks] == [1, 1]


def test_someone_who_never_said_is_asked_only_when_nobody_who_offered_is_free() -> None:
    people = [Candidate(1, willing=frozenset({CHAIR}), away=True), Candidate(2)]
    [chosen] = pick([Slot(CHAIR)], people)
    assert chosen.person_id == 2 and ASKED in chosen.reasons
    new = [Candidate(1, willing=frozenset({CHAIR}), away=True), Candidate(2, first_meeting=True)]
    assert pick([Slot(CHAIR)], new)[0].person_id is None


def test_many_roles_and_people_are_still_quick() -> None:
    roles = [Slot(r) for r in (CHAIR, "minutes", "timekeeper", "tea", "welcome", "notes")]
    people = [
        Candidate(i, willing=frozenset(s.role for s in roles), served={CHAIR: i % 3})
        for i in range(40)
    ]
    picks = pick([Slot(CHAIR, LIVED), Slot(CHAIR, PROFESSIONAL), *roles[1:]], people)
    assert len({p.person_id for p in picks}) == 7
