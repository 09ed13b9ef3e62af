"""Rotation, as issue 14 (item 19) found it and as it is now: co-chairs paired by people's
own words, cover for a co-chair from the same side, ties that favour nobody, cover
questions that move on when nobody answers, and only true words about who was asked.

The clock starts on Monday 30 November 2026, 09:00 UTC. The meeting is on Saturday
5 December at 14:00 (London = UTC in winter).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.app import App
from handlers.core.messages import Choices
from handlers.core.router import Result
from handlers.rotation import LIVED, PROFESSIONAL, Candidate
from handlers.rotation.fairness import CHAIR, fair_order
from handlers.rotation.perspective import perspective_side
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, choose, options, say, sent_to, sent_to_all

MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)


async def group(app: App, *members: str, channel: str = "group") -> None:
    """alice facilitates; the members join; a meeting on Saturday."""
    await say(app, "alice", "/group setup Steering", channel=channel)
    for member in members:
        await say(app, member, "hello", channel=channel)
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h", channel=channel)


def asked(result: Result) -> list[str]:
    """Who a command sent a question (with yes and no buttons) to."""
    return [
        item.address.user or ""
        for item in result.sent
        if any(isinstance(b, Choices) for b in item.message.blocks)
    ]


def holders(post: str, role: str) -> list[str]:
    """'Co-chairs: bob and dan.' -> ['bob', 'dan']."""
    line = post.split(f"{role}: ")[1].split(".")[0]
    return line.split(" and ")


# --- perspectives --------------------------------------------------------------------------


def test_perspectives_in_peoples_own_words_fall_on_a_side() -> None:
    lived = ["lived experience", "Expert by experience", "service user", "peer", "carer"]
    lived += ["peer support worker", "former patient", "survivor", "mum of a young person"]
    professional = ["professional", "NHS psychologist", "council manager", "GP"]
    professional += ["social worker", "Mental health nurse", "care worker", "commissioner"]
    assert [perspective_side(w) for w in lived] == [LIVED] * len(lived)
    assert [perspective_side(w) for w in professional] == [PROFESSIONAL] * len(professional)
    for neither in ("", None, "student", "carer and NHS nurse", "I work with patients"):
        assert perspective_side(neither) is None  # no side, or both: never a guess


async def test_rotate_pair_understands_expert_by_experience_and_nhs_psychologist(
    app: App,
) -> None:
    await group(app, "bob", "carol", "dan")
    await say(app, "bob", "/prefs perspective NHS psychologist", dm=True)
    await say(app, "dan", "/prefs perspective expert by experience", dm=True)
    for person in ("bob", "carol", "dan"):
        await say(app, person, "/roles willing chair")
    result = await say(app, "alice", "/rotate pair")
    # Before, neither description was understood, and the pair wasn't matched.
    assert sorted(holders(sent_to_all(result), "Co-chairs")) == ["bob", "dan"]
    assert "One has lived experience and one is a professional" in sent_to(result, "alice")


async def test_cover_for_a_co_chair_is_asked_of_someone_from_the_same_side(app: App) -> None:
    await group(app, "bob", "carol", "dan", "erin")
    sides = {
        "bob": "council manager",
        "carol": "NHS psychologist",
        "dan": "service user",
        "erin": "carer",
    }
    for person, words in sides.items():
        await say(app, person, f"/prefs perspective {words}", dm=True)
        await say(app, person, "/roles willing chair")
    chairs = holders(sent_to_all(await say(app, "alice", "/rotate pair")), "Co-chairs")
    [lived] = [p for p in chairs if p in ("dan", "erin")]
    [professional] = [p for p in chairs if p in ("bob", "carol")]

    # The lived-experience co-chair passes: the other lived-experience volunteer is asked
    # (before, the question went to a professional who had joined earlier).
    passed = await say(app, lived, "/roles pass")
    assert asked(passed) == [next(p for p in ("dan", "erin") if p != lived)]
    # And the professional co-chair passing: the other professional is asked.
    passed = await say(app, professional, "/roles pass")
    assert asked(passed) == [next(p for p in ("bob", "carol") if p != professional)]


# --- ties ---------------------------------------------------------------------------------


def test_ties_go_to_each_person_about_equally_often_not_to_whoever_joined_first() -> None:
    people = [Candidate(person_id, willing=frozenset({CHAIR})) for person_id in range(1, 5)]
    first = Counter(fair_order(people, f"m{n}:2026-12-05T14:00")[0].person_id for n in range(800))
    assert set(first) == {1, 2, 3, 4}
    assert all(150 <= count <= 250 for count in first.values()), first
    assert fair_order(people, "m1:x") == fair_order(list(reversed(people)), "m1:x")


async def test_in_new_groups_the_first_chair_is_not_always_the_facilitator(app: App) -> None:
    chairs = []
    for number in range(6):
        channel = f"group{number}"
        await group(app, "bob", "carol", "dan", channel=channel)
        for person in ("alice", "bob", "carol", "dan"):
            await say(app, person, "/roles willing chair", channel=channel)
        post = sent_to_all(await say(app, "alice", "/rotate", channel=channel))
        chairs.append(post.split("Chair: ")[1].split(".")[0])
    # Before, every tie went to alice, who set each group up and so joined first.
    assert chairs.count("alice") < len(chairs) and len(set(chairs)) >= 3, chairs


# --- a cover question nobody answers -------------------------------------------------------


async def cover_needed(app: App) -> tuple[str, Result]:
    """bob chairs; carol and dan offered to take minutes; the minute-taker passes.
    Returns who passed, and what passing sent."""
    await group(app, "bob", "carol", "dan")
    await say(app, "bob", "/roles willing chair minutes")
    await say(app, "carol", "/roles willing minutes")
    await say(app, "dan", "/roles willing minutes")
    post = sent_to_all(await say(app, "alice", "/rotate"))
    taker = post.split("Minute-taker: ")[1].split(".")[0]
    assert taker in ("carol", "dan")
    return taker, await say(app, taker, "/roles pass")


def notes(sender: RecordingSender, kind: str, where: str) -> list[str]:
    return [r.text for r in sender.received if r.key.startswith(kind) and r.where == where]


async def test_an_unanswered_cover_question_moves_on_and_the_facilitators_hear(
    app: App, clock: VirtualClock
) -> None:
    taker, passed = await cover_needed(app)
    [first] = asked(passed)
    assert first in ("carol", "dan") and first != taker
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, clock.now() + timedelta(hours=23))
    assert notes(sender, "covernote", "dm:alice") == []  # a day to answer

    # A day later, with no answer: bob (who offered, though he chairs) is asked, and the
    # facilitators are told. Before, the question waited forever and nobody was told.
    await fast_forward(app.delivery(sender), clock, clock.now() + timedelta(hours=1, minutes=1))
    [note] = notes(sender, "covernote", "dm:alice")
    assert note.startswith(
        "Nobody has answered my question from Monday about who will take the minutes at "
        "Steering (Saturday 5 December, 14:00 to 16:00), so I'm asking bob instead."
    )
    [question] = notes(sender, "direct", "dm:bob")
    assert "Would you like to take the minutes at Steering" in question
    assert notes(sender, "direct", f"dm:{first}") == []  # never asked twice

    # Nobody answers bob either: there is nobody left, so the group hears the role is open.
    await fast_forward(app.delivery(sender), clock, clock.now() + timedelta(days=1, minutes=1))
    [_, last] = notes(sender, "covernote", "dm:alice")
    assert "and there is nobody else to ask. The minute-taker role is open" in last
    assert "/roles take minutes" in last
    [open_now] = notes(sender, "coveropen", "#group")
    assert "The minute-taker role for Steering" in open_now and "/roles take minutes" in open_now
    assert notes(sender, "covernote", "dm:bob") == []  # only facilitators get the note


async def test_a_late_yes_still_counts_while_the_role_is_open(
    app: App, clock: VirtualClock
) -> None:
    _, passed = await cover_needed(app)
    [first] = asked(passed)
    yes, _ = options(passed, first)
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, clock.now() + timedelta(days=1, minutes=1))
    assert notes(sender, "direct", "dm:bob")  # the question moved on to bob
    # The first person answers after all: the role is theirs, and bob's question closes.
    done = await choose(app, first, yes)
    assert f"{first} will take the minutes" in sent_to_all(done)
    too_late = sent_to(await say(app, "bob", "/roles accept 2", dm=True, group_id=1), "bob")
    assert "already been answered, or is no longer needed" in too_late


async def test_the_wait_counts_from_when_the_question_could_reach_them(
    app: App, clock: VirtualClock
) -> None:
    await say(app, "carol", "/prefs quiet 21:00-08:00", dm=True)
    await say(app, "dan", "/prefs quiet 21:00-08:00", dm=True)
    clock.set(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    taker, passed = await cover_needed(app)
    assert asked(passed) == []  # 22:30: the question waits for the end of quiet hours
    first = "dan" if taker == "carol" else "carol"
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, datetime(2026, 12, 1, 8, 1, tzinfo=UTC))
    assert len(notes(sender, "direct", f"dm:{first}")) == 1  # it reached them at 08:00
    await fast_forward(app.delivery(sender), clock, datetime(2026, 12, 2, 7, 59, tzinfo=UTC))
    assert notes(sender, "covernote", "dm:alice") == []
    await fast_forward(app.delivery(sender), clock, datetime(2026, 12, 2, 8, 1, tzinfo=UTC))
    assert len(notes(sender, "covernote", "dm:alice")) == 1


# --- saying only what was done -------------------------------------------------------------


async def test_someone_given_a_role_they_never_offered_for_is_not_said_to_be_asked(
    app: App, clock: VirtualClock
) -> None:
    await group(app, "bob", "carol")
    await say(app, "alice", "/meeting cancel 1")
    await say(app, "alice", "/meeting new Weekly 2026-12-01 14:00 every week for 1h")
    await say(app, "bob", "/roles willing chair")
    clock.set(datetime(2026, 12, 1, 16, 0, tzinfo=UTC))  # the first meeting has been
    await say(app, "bob", "/prefs away 2026-12-08", dm=True)
    result = await say(app, "alice", "/rotate")
    post = sent_to_all(result)
    chair = post.split("Chair: ")[1].split(".")[0]
    assert chair in ("alice", "carol")
    # Before: "Nobody who offered was free, so I've asked alice", though nobody asked her.
    assert "I've asked" not in post
    assert (
        f"Nobody who offered to chair was free, so I've given it to {chair}, who hadn't offered. "
        f"If not this time, {chair} can say /roles pass and I'll ask someone else."
    ) in post
    assert [item.address.user for item in result.sent] == [None]  # and nobody was messaged
