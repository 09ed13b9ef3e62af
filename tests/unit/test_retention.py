"""/group keep and the housekeeping that applies it: details older than the group keeps
them are deleted or blanked, and nothing else; running it again changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers.core.messages import message, to_json
from handlers.rights import retention
from handlers.rights.retention import days_in, period_words
from scheduler.clock import VirtualClock
from storage.models import (
    Attendance,
    CheckinAnswer,
    CheckinNote,
    CheckinRound,
    Contribution,
    Decision,
    Delivery,
    Expense,
    Group,
    Presence,
    PresenceCheck,
)
from storage.uow import UnitOfWork
from tests.support import changes_nothing, privately, refused, say, snapshot


@pytest.mark.parametrize(
    ("said", "days", "shown"),
    [
        ("2 years", 730, "2 years"),
        ("18 months", 547, "18 months"),
        ("365 days", 365, "1 year"),
        ("6 months", 182, "6 months"),
        ("one year", 365, "1 year"),
        ("7 Years", 2555, "7 years"),
        ("40 weeks", 280, "280 days"),
    ],
)
def test_periods(said: str, days: int, shown: str) -> None:
    assert days_in(said) == days
    assert period_words(days) == shown


def test_not_periods() -> None:
    assert [days_in(s) for s in ("soon", "2", "years", "many years", "2 decades")] == [None] * 5


async def _retention(app: App) -> int:
    async with app.db.sessions() as session:
        return int(await session.scalar(select(Group.retention_days)) or 0)


async def test_keep_shows_and_changes_the_period(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    shown = privately(await say(app, "alice", "/group keep"), "alice")
    assert (
        "I keep some details for 2 years, then delete them" in shown
        and "/group keep 18 months" in shown
    )
    done = privately(await say(app, "alice", "/group keep 18 months"), "alice")
    assert done.startswith("Done. I'll keep some details for 18 months, then delete them.")
    assert "check-in answers" in done
    assert await _retention(app) == 547
    async with changes_nothing(app.db, "a member"):
        assert "facilitator" in privately(await say(app, "bob", "/group keep 1 year"), "bob")
    await refused(app, "alice", "/group keep 3 months", "between 6 months and 7 years")
    await refused(app, "alice", "/group keep 8 years", "between 6 months and 7 years")
    await refused(app, "alice", "/group keep for ages", "I didn't understand how long")
    assert await _retention(app) == 547


async def _details(app: App, at: datetime) -> None:
    """A check-in with an answer and a note, time and a cost, who came, a sent delivery."""
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    await say(app, "bob", "/coming yes")
    await say(app, "bob", "/contributions add 2h reading the papers")
    await say(app, "bob", "/expenses 4.50 bus fare")
    await say(app, "alice", "/decision Pay travel costs on the day")
    async with app.db.sessions() as session:
        check = CheckinRound(
            group_id=1,
            meeting_id=1,
            occurrence="2026-12-05T14:00",
            kind="after",
            opens_at=at,
            closes_at=at + timedelta(hours=1),
        )
        presence = PresenceCheck(
            group_id=1, meeting_id=1, occurrence="2026-12-05T14:00", checked_at=at
        )
        session.add_all([check, presence])
        await session.flush()
        session.add_all(
            [
                CheckinAnswer(id="a1", round_id=check.id, voter_hash="h1", answer="4"),
                CheckinNote(id="n1", round_id=check.id, voter_hash="h1", text="Too hot"),
                Presence(check_id=presence.id, person_id=2),
                Delivery(key="old:sent", status="sent", due_at=at, claimed_at=at, done_at=at),
                Delivery(
                    key="old:sending",
                    status="sending",
                    due_at=at,
                    claimed_at=at,
                    user_ref="bob",
                    payload=to_json(message("A reminder")),
                ),
            ]
        )
        await session.commit()


async def _housekeep(app: App, now: datetime) -> None:
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.get(1)
        assert group is not None
        await retention.housekeep(uow, group, now)
        await uow.commit()


async def _count(app: App, model: type) -> int:
    async with app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_housekeeping_deletes_only_what_is_older(app: App, clock: VirtualClock) -> None:
    assert retention.housekeep in app.catalog.housekeeping
    start = clock.now()
    await _details(app, start)
    before = await snapshot(app.db)
    await _housekeep(app, start + timedelta(days=729))
    assert await snapshot(app.db) == before  # nothing is two years old yet

    await _housekeep(app, start + timedelta(days=731))
    for model in (CheckinRound, CheckinAnswer, CheckinNote, Attendance, Presence):
        assert await _count(app, model) == 0, model
    assert await _count(app, PresenceCheck) == 1  # so "Who was there?" isn't asked again
    async with app.db.sessions() as session:
        assert list(
            await session.scalars(select(Delivery.key).where(Delivery.key.like("old:%")))
        ) == [
            "old:sending"  # still to be checked with the platform
        ]
        assert list(await session.scalars(select(Contribution.what))) == [""]
        assert list(await session.scalars(select(Contribution.minutes))) == [120]
        assert list(await session.scalars(select(Expense.amount))) == [450]
        assert await session.scalar(select(Expense.what)) == ""
    assert await _count(app, Decision) == 1  # the group's record stays

    after = await snapshot(app.db)
    await _housekeep(app, start + timedelta(days=732))
    assert await snapshot(app.db) == after  # idempotent


async def test_a_shorter_period_deletes_sooner(app: App, clock: VirtualClock) -> None:
    start = clock.now()
    await _details(app, start)
    await say(app, "alice", "/group keep 6 months")
    await _housekeep(app, start + timedelta(days=183))
    assert await _count(app, CheckinAnswer) == 0
    assert await _count(app, Attendance) == 0
    async with app.db.sessions() as session:  # kept as long as the longest-keeping group
        old = await session.scalars(select(Delivery.key).where(Delivery.key.like("old:%")))
        assert list(old) == []  # the one in doubt was confirmed sent, then deleted too
