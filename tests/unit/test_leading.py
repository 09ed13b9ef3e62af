"""Who leads, who speaks: leading counted by perspective, only for groups of 3 or more, with
at most one gentle suggestion; never a name, never anyone's own perspective."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.app import App
from bot.platforms.text import render_text
from handlers.contributions.leading import (
    CARER,
    NOT_SAID,
    OTHER,
    OWN_WORDS,
    Leading,
    Share,
    buckets,
    category,
    plan,
    suggestion,
    view,
)
from handlers.core.occurrences import between
from handlers.rotation.fairness import LIVED, PROFESSIONAL
from scheduler.clock import VirtualClock
from storage.models import RoleAssignment
from storage.uow import UnitOfWork
from tests.readability import read
from tests.support import privately, refused, say

NAMES = ("alice", "bob", "carol", "dan", "erin", "fran", "gus")
PERSPECTIVES = {
    "alice": "professional",
    "bob": "NHS psychologist",
    "carol": "council manager",
    "dan": "lived experience",
    "erin": "expert by experience",
    "fran": "survivor",
    "gus": "carer",
}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("lived experience", LIVED),
        ("service user", LIVED),
        ("peer support worker", LIVED),
        ("carer", CARER),
        ("unpaid carer for my son", CARER),
        ("mum of a service user", CARER),
        ("professional", PROFESSIONAL),
        ("care worker", PROFESSIONAL),
        ("NHS psychologist", PROFESSIONAL),
        ("nurse with lived experience", OWN_WORDS),
        ("just me", OWN_WORDS),
        (None, NOT_SAID),
        ("  ", NOT_SAID),
    ],
)
def test_how_people_describe_themselves_is_put_in_a_category(
    words: str | None, expected: str
) -> None:
    assert category(words) == expected


def test_small_categories_join_other_and_are_hidden_if_still_small() -> None:
    three_and_three = {1: "nurse", 2: "nhs", 3: "staff", 4: "lived", 5: "survivor", 6: "peer"}
    assert set(buckets({**three_and_three, 7: "carer", 8: None}).values()) == {
        PROFESSIONAL,
        LIVED,
        None,
    }
    merged = buckets({**three_and_three, 7: "carer", 8: None, 9: "just me"})
    assert [merged[p] for p in (7, 8, 9)] == [OTHER, OTHER, OTHER]
    carers = buckets({**three_and_three, 7: "carer", 8: "carer", 9: "mum of"})
    assert [carers[p] for p in (7, 8, 9)] == [CARER, CARER, CARER]


def leading(chair: dict[str, int], total: int, sizes: dict[str, int] | None = None) -> Leading:
    sizes = {LIVED: 3, PROFESSIONAL: 3} if sizes is None else sizes
    return Leading(
        since=date(2026, 9, 1),
        sizes=sizes,
        members=sum(sizes.values()),
        hidden=False,
        shares=(
            Share("chair", chair, total),
            Share("minutes", {LIVED: 3, PROFESSIONAL: 3}, 6),
            Share("items", {}, 0),
            Share("proposals", {}, 0),
            Share("decisions", {}, 0),
        ),
    )


def test_one_suggestion_only_when_professionals_hold_far_more_than_their_share() -> None:
    tip = suggestion(leading({PROFESSIONAL: 5, LIVED: 1}, 6))
    assert tip == (
        "The chair has been a professional 5 times out of the last 6. You could ask if "
        "someone with lived experience would like to chair next time, with support."
    )
    assert suggestion(leading({PROFESSIONAL: 3, LIVED: 3}, 6)) is None
    assert suggestion(leading({PROFESSIONAL: 3}, 3)) is None  # too few turns to say
    assert suggestion(leading({LIVED: 6}, 6)) is None
    mostly_professionals = {LIVED: 3, PROFESSIONAL: 9}
    assert suggestion(leading({PROFESSIONAL: 5, LIVED: 1}, 6, mostly_professionals)) is None
    no_lived = {PROFESSIONAL: 3, OWN_WORDS: 3}
    assert suggestion(leading({PROFESSIONAL: 6}, 6, no_lived)) is None
    carers = {CARER: 3, PROFESSIONAL: 3}
    tip = suggestion(leading({PROFESSIONAL: 6}, 6, carers))
    assert tip is not None and "someone who is a carer" in tip


def test_the_view_reads_plainly_and_shows_nothing_below_three() -> None:
    shown = view(leading({PROFESSIONAL: 5, LIVED: 1}, 6), monthly=True)
    assert shown is not None
    text = "\n".join(getattr(b, "text", "\n".join(getattr(b, "items", ()))) for b in shown.blocks)
    assert "People with lived experience (3 of them): Chaired once. Took the minutes 3" in text
    assert "Professionals (3 of them): Chaired 5 times." in text
    assert "/contributions leads" in text
    assert not read(text).problems(), read(text)
    assert view(leading({}, 0, {})) is None


async def test_monthly_view_is_planned_for_the_1st_at_ten_group_time(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    async with UnitOfWork(app.db.sessions) as uow:
        [group] = await uow.groups.all()
        start = datetime(2026, 12, 1, tzinfo=UTC)
        dues = await plan(uow, group, start, start + timedelta(days=200))
    times = [d.due_at for d in dues]
    assert times[0] == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert datetime(2027, 4, 1, 9, 0, tzinfo=UTC) in times  # 10:00 British summer time
    assert {d.recipients for d in dues} == {"facilitators"}
    assert len({d.key for d in dues}) == len(dues) == 7


async def setup_group(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in NAMES[1:]:
        await say(app, name, "hello")
    for name, words in PERSPECTIVES.items():
        await say(app, name, f"/prefs perspective {words}", dm=True)
    await say(app, "alice", "/meeting new Steering 2026-12-01 14:00 every week for 2h")


async def test_leads_counts_without_names_and_suggests_once(app: App, clock: VirtualClock) -> None:
    await setup_group(app)
    await say(app, "dan", "/agenda add Peer support lead @erin")
    await say(app, "bob", "/agenda add Budget")
    await say(app, "alice", "/propose Meet in the library closes in 3 days")
    await say(app, "alice", "/decision Papers a week before owner @fran update in 2 weeks")
    clock.set(datetime(2027, 1, 7, 9, 0, tzinfo=UTC))
    async with UnitOfWork(app.db.sessions) as uow:
        [group] = await uow.groups.all()
        people = {m.person.display_name: m.person_id for m in await uow.groups.members(group.id)}
        chairs = ["alice", "bob", "carol", "alice", "bob", "dan"]
        dates = await between(uow, group, group.created_at, clock.now())
        for o, name in zip(dates, chairs, strict=True):
            await uow.roles.add(
                RoleAssignment(
                    group_id=group.id,
                    meeting_id=o.meeting.id,
                    occurrence=o.key,
                    starts_at=o.start,
                    role="chair",
                    person_id=people[name],
                    how="auto",
                )
            )
        await uow.commit()
    shown = privately(await say(app, "alice", "/contributions leads"), "alice")
    assert (
        "People with lived experience (3 of them): Chaired once. Took the minutes 0 times. "
        "Led 1 agenda item. Made 0 proposals. Look after 1 decision." in shown
    )
    assert (
        "Professionals (3 of them): Chaired 5 times. Took the minutes 0 times. "
        "Led 1 agenda item. Made 1 proposal. Look after 0 decisions." in shown
    )
    assert "smaller than 3" in shown  # gus, the only carer, is not counted on his own
    assert shown.count("You could ask") == 1
    assert "The chair has been a professional 5 times out of the last 6." in shown
    for name in NAMES:
        assert name not in shown
    assert "carer" not in shown
    await refused(app, "bob", "/contributions leads", "Only the facilitators")


async def test_leads_says_why_it_shows_nothing_yet(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    shown = privately(await say(app, "alice", "/contributions leads"), "alice")
    assert "groups of 3 or more people" in shown and "/prefs perspective" in shown
    assert "Chaired" not in shown


async def test_no_monthly_view_when_the_group_did_not_meet_last_month(
    app: App, clock: VirtualClock
) -> None:
    await setup_group(app)  # meets weekly from 1 December
    async with UnitOfWork(app.db.sessions) as uow:
        [group] = await uow.groups.all()
        start = datetime(2026, 11, 30, tzinfo=UTC)
        december, january = await plan(uow, group, start, datetime(2027, 1, 2, tzinfo=UTC))
        assert await december.build(uow, None) is None  # nobody met in November
        shown = await january.build(uow, None)
    assert shown is not None and "You get this once a month." in render_text(shown)[0]
