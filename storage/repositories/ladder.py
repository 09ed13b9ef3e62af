"""The ladder pulse: its rounds, anonymous answers, and who has answered.

Answers are stored like anonymous proposal answers: each new answer re-writes the
round's answers with fresh random ids in a random order, in the same transaction as
the new voter row, so the order rows are stored in says nothing about who gave which.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select

from storage.models import LadderAnswer, LadderRound, LadderVoter
from storage.repositories.base import Repository


class Ladder(Repository):
    """Rounds of the ladder question, and their answers (never linked to a person)."""

    async def latest(self, group_id: int) -> LadderRound | None:
        """The group's most recent round, if it has had one (a planned one included)."""
        return await self.session.scalar(
            select(LadderRound)
            .where(LadderRound.group_id == group_id)
            .order_by(LadderRound.opens_at.desc())
            .limit(1)
        )

    async def with_id(self, round_id: int) -> LadderRound | None:
        """The round with this id, if it is still there."""
        return await self.session.get(LadderRound, round_id)

    async def open_at(self, group_id: int, now: datetime) -> LadderRound | None:
        """The group's round taking answers at `now`, if any."""
        return await self.session.scalar(
            select(LadderRound).where(
                LadderRound.group_id == group_id,
                LadderRound.opens_at <= now,
                LadderRound.closes_at > now,
            )
        )

    async def closed_by(self, group_id: int, now: datetime) -> Sequence[LadderRound]:
        """The group's rounds closed by `now`, newest first."""
        result = await self.session.scalars(
            select(LadderRound)
            .where(LadderRound.group_id == group_id, LadderRound.closes_at <= now)
            .order_by(LadderRound.opens_at.desc())
        )
        return result.all()

    async def active_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[LadderRound]:
        """Rounds open at some time in [start, end]."""
        result = await self.session.scalars(
            select(LadderRound).where(
                LadderRound.group_id == group_id,
                LadderRound.opens_at <= end,
                LadderRound.closes_at >= start,
            )
        )
        return result.all()

    async def drop_planned(self, group_id: int, now: datetime) -> None:
        """Forget rounds planned for later (not yet open, so nobody has answered)."""
        await self.session.execute(
            delete(LadderRound).where(LadderRound.group_id == group_id, LadderRound.opens_at > now)
        )

    async def rungs(self, round_id: int) -> list[int]:
        """Every answer a round got (0 for a pass), in an order that means nothing."""
        result = await self.session.scalars(
            select(LadderAnswer.rung)
            .where(LadderAnswer.round_id == round_id)
            .order_by(LadderAnswer.id)
        )
        return list(result.all())

    async def voters(self, round_id: int) -> int:
        """How many have answered a round (never who gave which answer)."""
        result = await self.session.scalars(
            select(LadderVoter.person_id).where(LadderVoter.round_id == round_id)
        )
        return len(result.all())

    async def has_answered(self, round_id: int, person_id: int) -> bool:
        """Whether this person has answered this round."""
        return await self.session.get(LadderVoter, (round_id, person_id)) is not None

    async def answer(self, round_id: int, person_id: int, rung: int) -> None:
        """Store that this person answered, and every answer again, shuffled, with new ids."""
        kept = [*await self.rungs(round_id), rung]
        await self.session.execute(delete(LadderAnswer).where(LadderAnswer.round_id == round_id))
        random.SystemRandom().shuffle(kept)
        self.session.add(LadderVoter(round_id=round_id, person_id=person_id))
        self.session.add_all(
            LadderAnswer(id=secrets.token_hex(16), round_id=round_id, rung=r) for r in kept
        )
        await self.session.flush()
