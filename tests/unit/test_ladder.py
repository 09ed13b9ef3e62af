"""The ladder pulse: a round opens on schedule and each member is asked once, privately;
4 answers give the group counts, the middle answer and its trend; 2 answers give only
"not enough answers yet"; answers leave no person-answer link; bad input changes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from handlers.ladder.wording import NOT_ENOUGH
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import LadderAnswer, LadderVoter
from storage.uow import UnitOfWork
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.support import RecordingSender, all_refused, say, texts

PEOPLE = ("bob", "carol", "dan", "femi", "gus")
# Asked Monday 30 November 09:00 (London = UTC); open for 7 days.
CLOSES = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def group(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in PEOPLE:
        await say(app, name, "hello")


async def rows(app: App, model: type) -> list:  # type: ignore[type-arg]
    async with app.db.sessions() as session:
        return list((await session.scalars(select(model))).all())


def asked(sender: RecordingSender) -> list[str]:
    return sorted(r.where for r in sender.received if r.key.startswith("ladderask"))


def results(sender: RecordingSender) -> list[str]:
    return [r.text for r in sender.received if r.key.startswith("ladderresult")]


async def answer_all(app: App, clock: VirtualClock, answers: list[tuple[str, str]]) -> list[Writer]:
    writers = []
    for n, (name, said) in enumerate(answers):
        clock.set(datetime(2026, 11, 30, 10 + n, 17 + n, 23, tzinfo=UTC))
        writers.append(Writer((name,), (name,), clock.now()))
        reply = texts(await say(app, name, f"/ladder answer 1 {said}", dm=True))
        assert "saved, without your name" in reply, reply
    return writers


async def test_a_round_opens_on_schedule_and_each_member_is_asked_once(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    await fast_forward(engine, clock, clock.now())
    assert "The next round opens on Sunday 28 February at 10:00" in texts(
        await say(app, "bob", "/ladder")
    )
    await fast_forward(engine, clock, datetime(2027, 2, 28, 9, 59, tzinfo=UTC))
    assert asked(sender) == []
    await fast_forward(engine, clock, datetime(2027, 3, 6, 12, 0, tzinfo=UTC))
    assert asked(sender) == [f"dm:{n}" for n in sorted(("alice", *PEOPLE))]
    question = sender.to("dm:bob")[-1]
    assert "Where do you think this group stands?" in question
    assert "3. Informing: we are told what has been decided." in question
    assert "7. Co-production" in question and "Pass" in question and "Not now" in question
    await fast_forward(engine, clock, datetime(2027, 3, 8, 12, 0, tzinfo=UTC))
    assert results(sender) == [NOT_ENOUGH]
    assert len(asked(sender)) == 6
    # The next round is 3 months after this one opened.
    assert "The next round opens on Friday 28 May at 10:00" in texts(
        await say(app, "bob", "/ladder")
    )
    await say(app, "alice", "/ladder every off")
    assert "No round is planned" in texts(await say(app, "bob", "/ladder"))


async def test_four_answers_share_counts_and_leave_no_link_to_who_gave_them(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    started = texts(await say(app, "alice", "/ladder ask"))
    assert "I'm asking each member, privately" in started
    await fast_forward(engine, clock, clock.now())
    assert len(asked(sender)) == 6
    with captured_logs() as log_lines:
        writers = await answer_all(
            app, clock, [("bob", "4"), ("carol", "5"), ("dan", "4"), ("femi", "6"), ("gus", "pass")]
        )
        assert "you've answered this round" in texts(await say(app, "bob", "/ladder", dm=True))
        await fast_forward(engine, clock, CLOSES + timedelta(hours=1))
    for line in log_lines.getvalue().splitlines():
        assert "ladder answer" not in line and "Consulting" not in line, line
    [result] = results(sender)
    assert "4 people chose a rung, and 1 passed." in result
    assert "- Co-production: 0" in result and "- Co-design: 1" in result
    assert "- Engaging: 1" in result and "- Consulting: 2" in result
    assert "The middle answer is Consulting: we are asked what we think" in result
    assert "no earlier result" in result
    said = [r.text for r in sender.received]
    assert traces(writers, await every_row(app.db), log_lines.getvalue(), said) == []
    answers = await rows(app, LadderAnswer)
    assert sorted(a.rung for a in answers) == [0, 4, 4, 5, 6]
    assert len(await rows(app, LadderVoter)) == 5
    assert "Consulting: 2" in texts(await say(app, "carol", "/ladder"))

    # A second round, a rung higher: the trend is shown.
    await say(app, "alice", "/ladder ask")
    await fast_forward(engine, clock, clock.now())
    async with UnitOfWork(app.db.sessions) as uow:  # its number (PostgreSQL skips some)
        [the_group] = await uow.groups.all()
        second = await uow.ladder.latest(the_group.id)
    assert second is not None
    for name, rung in (("bob", 5), ("carol", 5), ("dan", 6)):
        reply = texts(await say(app, name, f"/ladder answer {second.id} {rung}", dm=True))
        assert "saved, without your name" in reply, reply
    await fast_forward(engine, clock, clock.now() + timedelta(days=8))
    assert "That is up one rung since November." in results(sender)[-1]


async def test_two_answers_show_only_not_enough_answers_yet(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    await say(app, "alice", "/ladder ask")
    await fast_forward(engine, clock, clock.now())
    await answer_all(app, clock, [("bob", "2"), ("carol", "7"), ("dan", "pass")])
    await fast_forward(engine, clock, CLOSES + timedelta(hours=1))
    assert results(sender) == [NOT_ENOUGH]
    assert "Not enough answers yet" in NOT_ENOUGH


async def test_bad_input_changes_nothing(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    await all_refused(
        app,
        [
            ("bob", "/ladder ask", "facilitator"),
            ("bob", "/ladder every 1 month", "facilitator"),
            ("alice", "/ladder every 20 months", "from 1 to 12"),
            ("alice", "/ladder every sometimes", "from 1 to 12"),
        ],
    )
    await say(app, "alice", "/ladder ask")
    await fast_forward(engine, clock, clock.now())
    await say(app, "bob", "/ladder answer 1 3", dm=True)
    await all_refused(
        app,
        [
            ("bob", "/ladder answer 1 5", "already answered"),
            ("carol", "/ladder answer 1 8", "isn't one of the answers"),
            ("carol", "/ladder answer 1 0", "isn't one of the answers"),
            ("carol", "/ladder answer 1 lots", "isn't one of the answers"),
            ("carol", "/ladder answer 9 3", "couldn't find ladder round"),
        ],
        dm=True,
    )
    await all_refused(app, [("alice", "/ladder ask", "already open")])
    await fast_forward(engine, clock, CLOSES)
    await all_refused(app, [("carol", "/ladder answer 1 3", "has closed")], dm=True)
