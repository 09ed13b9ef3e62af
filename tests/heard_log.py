"""How heard people felt after past meetings, written straight into the tables for the
chart tests (unit, console, Slack and Matrix): one after-meeting check-in a week, the
last one a week before `now`, with the answers given."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from storage.db import Database
from storage.models import CheckinAnswer, CheckinRound, Group, Meeting


async def seed_heard(db: Database, now: datetime, scores: list[list[int]]) -> None:
    """Check-ins after the only group's first meeting, a week apart, with these answers."""
    first = now - timedelta(weeks=len(scores))
    async with db.sessions() as session:
        group = (await session.scalars(select(Group))).one()
        meeting = (await session.scalars(select(Meeting))).first()
        assert meeting is not None, "set up a meeting first"
        for week, answers in enumerate(scores):
            opens = first + timedelta(weeks=week)
            r = CheckinRound(
                group_id=group.id,
                meeting_id=meeting.id,
                occurrence=f"{opens:%Y-%m-%dT%H:%M}",
                kind="after",
                opens_at=opens,
                closes_at=opens + timedelta(days=1),
            )
            session.add(r)
            await session.flush()
            session.add_all(
                CheckinAnswer(id=f"a{r.id}-{i}", round_id=r.id, voter_hash=f"v{i}", answer=str(a))
                for i, a in enumerate(answers)
            )
        await session.commit()
