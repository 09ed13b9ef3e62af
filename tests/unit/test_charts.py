"""Charts as pictures (issue 20): each chart drawn from known data is a real PNG of the
size it says, its alt text gives the same numbers in words, and no chart is ever drawn
from fewer answers than the anonymity threshold. Through the app: /checkin trend and
/roles history carry their chart next to their words, and /prefs pictures off leaves the
words alone."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

from PIL import Image as PILImage
from sqlalchemy import select

from bot.app import App
from handlers.checkins.chart import HeardAt, heard_chart
from handlers.checkins.wording import FEWEST_TO_SHOW
from handlers.core.messages import (
    Image,
    Message,
    files_of,
    from_json,
    images_of,
    message,
    to_json,
)
from handlers.decisions.chart import Month, decisions_chart
from handlers.decisions.digest import digest
from handlers.ladder.chart import ladder_chart
from handlers.ladder.wording import PASS
from handlers.proposals.chart import outcome_chart
from handlers.rotation.history import turns_chart
from scheduler.clock import VirtualClock
from storage.models import Group, Meeting, Person, RoleAssignment
from storage.uow import UnitOfWork
from tests.heard_log import seed_heard
from tests.support import privately, say, texts
from tests.unit.followup_support import group_that_met

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def check_png(image: Image) -> None:
    """A real PNG, of the size the block says."""
    assert image.content.startswith(PNG_MAGIC)
    assert image.media_type == "image/png" and image.name.endswith(".png")
    with PILImage.open(io.BytesIO(image.content)) as opened:
        assert opened.format == "PNG"
        assert opened.size == (image.width, image.height)
    assert 300 <= image.width <= 1000 and 200 <= image.height <= 1200


TREND = [
    HeardAt(date(2026, 11, 5), 3.4, 5),
    HeardAt(date(2026, 11, 12), 2.5, 2),  # too few answers: never drawn
    HeardAt(date(2026, 11, 19), 4.2, 6),
    HeardAt(date(2026, 11, 26), 4.0, 3),
]


def test_the_heard_chart_says_its_numbers_in_words() -> None:
    chart = heard_chart(TREND)
    assert chart is not None
    check_png(chart)
    assert chart.alt.startswith("A line chart of how heard people felt at 3 meetings")
    for line in (
        "Thursday 5 November: 3.4 out of 5, from 5 answers.",
        "Thursday 19 November: 4.2 out of 5, from 6 answers.",
        "Thursday 26 November: 4.0 out of 5, from 3 answers.",
    ):
        assert line in chart.alt
    assert "12 November" not in chart.alt and "2.5" not in chart.alt


def test_no_chart_is_ever_drawn_from_fewer_than_the_threshold() -> None:
    few = FEWEST_TO_SHOW - 1
    assert heard_chart([HeardAt(date(2026, 11, 5), 5.0, few)]) is None
    assert heard_chart([]) is None
    assert ladder_chart([5, 6, PASS, PASS]) is None  # passes are not answers
    assert outcome_chart(2, {"agree": 1, "block": 1}) is None


def test_the_other_charts_say_their_numbers_in_words() -> None:
    roles = turns_chart(
        "roles-by-person",
        "Turns at each role, by person",
        {"Alice": {"Chair": 3, "Minutes": 1}, "Bob": {"Minutes": 2}, "Carol": {}},
        ["Chair", "Minutes"],
    )
    assert roles is not None
    check_png(roles)
    assert "Alice: 4 turns, Chair 3, Minutes 1. Bob: 2 turns, Minutes 2. Carol: 0 turns." in (
        roles.alt
    )

    months = [
        Month(date(2026, 10, 1), {"made": 2, "done": 0, "changed": 0, "dropped": 0}),
        Month(date(2026, 11, 1), {"made": 1, "done": 1, "changed": 1, "dropped": 1}),
    ]
    decisions = decisions_chart(months)
    assert decisions is not None
    check_png(decisions)
    assert "October 2026: 2 decided, 0 done, 0 changed, 0 dropped." in decisions.alt
    assert "November 2026: 1 decided, 1 done, 1 changed, 1 dropped." in decisions.alt

    ladder = ladder_chart([4, 4, 5, 3, PASS])
    assert ladder is not None
    check_png(ladder)
    assert ladder.alt.startswith("A bar chart of the ladder. 4 people chose a rung.")
    assert "1 person chose Engaging. 2 people chose Consulting. 1 person chose Informing." in (
        ladder.alt
    )
    assert "Nobody chose the other 4." in ladder.alt
    assert "The middle answer is Consulting." in ladder.alt

    outcome = outcome_chart(3, {"agree": 4, "abstain": 1, "disagree": 1, "block": 0})
    assert outcome is not None
    check_png(outcome)
    assert "how 6 people answered proposal 3. Agree: 4. Abstain: 1. Disagree: 1. Block: 0." in (
        outcome.alt
    )


def test_a_picture_survives_being_kept_while_in_flight() -> None:
    chart = heard_chart(TREND)
    assert chart is not None
    kept = from_json(to_json(message("Words first.", chart)))
    assert images_of(kept) == [chart]


async def _meeting(app: App) -> tuple[Group, Meeting]:
    async with app.db.sessions() as session:
        group = (await session.scalars(select(Group))).one()
        meeting = (await session.scalars(select(Meeting))).first()
        assert meeting is not None
        return group, meeting


async def test_checkin_trend_carries_its_chart_unless_pictures_are_off(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol"):
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-03 12:00 for 1h")
    await seed_heard(app.db, app.clock.now(), [[5, 4, 3], [2, 4], [4, 4, 5, 5]])

    result = await say(app, "bob", "/checkin trend")
    words = privately(result, "bob")
    [reply] = result.sent
    [chart] = images_of(reply.message)
    check_png(chart)
    assert "- Monday 9 November: 4.0 (3 answers)" in words
    assert "- Monday 23 November: 4.5 (4 answers)" in words
    assert "16 November" not in words  # only 2 answered
    assert "Monday 9 November: 4.0 out of 5, from 3 answers." in chart.alt
    assert "Monday 23 November: 4.5 out of 5, from 4 answers." in chart.alt
    assert "16 November" not in chart.alt
    assert "at 2 meetings" in chart.alt

    done = privately(await say(app, "bob", "/prefs pictures off", dm=True), "bob")
    assert done.startswith("Done. Charts will come in words only")
    assert "- Charts: in words only, no pictures" in privately(
        await say(app, "bob", "/prefs", dm=True), "bob"
    )
    exported = await say(app, "bob", "/prefs export", dm=True)
    [data, summary] = files_of(exported.sent[0].message)
    assert json.loads(data.content)["preferences"]["charts_as_pictures"] is False
    assert "Charts as pictures: no." in summary.content
    plain = await say(app, "bob", "/checkin trend")
    assert images_of(plain.sent[0].message) == []
    assert privately(plain, "bob") == words  # the same words, just no picture
    assert images_of((await say(app, "carol", "/checkin trend")).sent[0].message)

    bad = privately(await say(app, "bob", "/prefs pictures maybe", dm=True), "bob")
    assert "Please say on or off." in bad
    assert images_of((await say(app, "bob", "/checkin trend")).sent[0].message) == []
    await say(app, "bob", "/prefs pictures on", dm=True)
    assert images_of((await say(app, "bob", "/checkin trend")).sent[0].message)


async def test_too_few_answers_anywhere_means_no_chart(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Steering 2026-12-03 12:00 for 1h")
    await seed_heard(app.db, app.clock.now(), [[5, 4], [1, 2]])
    result = await say(app, "alice", "/checkin trend")
    assert "There's nothing to show yet." in texts(result)
    assert not any(images_of(item.message) for item in result.sent)


async def test_roles_history_by_person_and_by_perspective_for_facilitators(
    app: App, clock: VirtualClock
) -> None:
    await group_that_met(app, clock, ("bob", "carol", "dan", "erin"))
    for name in ("bob", "carol", "dan"):
        await say(app, name, "/prefs perspective lived experience", dm=True)
    await say(app, "erin", "/prefs perspective nurse", dm=True)  # alone: never counted
    group, meeting = await _meeting(app)
    async with app.db.sessions() as session:
        people = {p.external_id: p.id for p in await session.scalars(select(Person))}
        for week, (role, who) in enumerate(
            [("chair", "alice"), ("minutes", "bob"), ("chair", "bob"), ("minutes", "erin")]
        ):
            at = datetime(2026, 11, 1, 14, tzinfo=UTC) + timedelta(weeks=week)
            session.add(
                RoleAssignment(
                    group_id=group.id,
                    meeting_id=meeting.id,
                    occurrence=f"{at:%Y-%m-%dT%H:%M}",
                    starts_at=at,
                    role=role,
                    person_id=people[who],
                    how="rotation",
                )
            )
        await session.commit()

    member = await say(app, "carol", "/roles history")
    words = privately(member, "carol")
    assert "since Sunday 1 November 2026" in words
    assert "- bob: Chair 1, Minute-taker 1" in words and "- carol: none yet" in words
    [chart] = images_of(member.sent[0].message)
    check_png(chart)
    assert "bob: 2 turns, Chair 1, Minute-taker 1." in chart.alt
    assert "by perspective" not in words.lower()

    facilitator = await say(app, "alice", "/roles history")
    said = privately(facilitator, "alice")
    assert "- People with lived experience (3): Chair 1, Minute-taker 1" in said
    assert "nurse" not in said.lower() and "Professionals" not in said  # only 1: not counted
    mine, theirs = images_of(facilitator.sent[0].message)
    assert mine.name == "roles-by-person.png" and theirs.name == "roles-by-perspective.png"
    check_png(theirs)
    assert "People with lived experience (3): 2 turns, Chair 1, Minute-taker 1." in theirs.alt
    assert "erin" not in theirs.alt


async def test_the_monthly_digest_shows_you_said_we_did_over_the_months(
    app: App, clock: VirtualClock
) -> None:
    await group_that_met(app, clock)
    for text in ("Papers a week before", "Bigger room", "Online option"):
        await say(app, "alice", f"/decision {text} owner @bob update in 1 week")
    await say(app, "bob", "/update 1 done Sent on the 2nd")
    await say(app, "bob", "/update 2 dropped The hall was closed")
    group, _ = await _meeting(app)
    async with UnitOfWork(app.db.sessions) as uow:
        built = await digest(group, date(2027, 1, 1)).build(uow, None)
    assert isinstance(built, Message)
    [chart] = images_of(built)
    check_png(chart)
    assert "December 2026: 3 decided, 1 done, 0 changed, 1 dropped." in chart.alt
    assert "July 2026: 0 decided" in chart.alt  # six months, oldest first
    lines = [b for b in built.blocks if getattr(b, "items", None)]
    assert "December 2026: 3 decided, 1 done, 0 changed, 1 dropped" in lines[-1].items
