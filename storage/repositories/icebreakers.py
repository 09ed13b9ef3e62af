"""Icebreakers: prompts, rounds and answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from storage.models import (
    IcebreakerAnswer,
    IcebreakerPrompt,
    IcebreakerRound,
)
from storage.repositories.base import Repository


class Icebreakers(Repository):
    """Icebreakers: a group's own prompts, the rounds asked, and the answers."""

    async def prompts(self, group_id: int) -> Sequence[IcebreakerPrompt]:
        """The group's own prompts that are not removed, oldest first."""
        result = await self.session.scalars(
            select(IcebreakerPrompt)
            .where(IcebreakerPrompt.group_id == group_id, IcebreakerPrompt.removed.is_(False))
            .order_by(IcebreakerPrompt.id)
        )
        return result.all()

    async def used(self, group_id: int) -> dict[str, int]:
        """How many times the group has been asked each prompt, by its reference."""
        rows = await self.session.execute(
            select(IcebreakerRound.prompt_ref, func.count(IcebreakerRound.id))
            .where(IcebreakerRound.group_id == group_id)
            .group_by(IcebreakerRound.prompt_ref)
        )
        return {ref: count for ref, count in rows.all()}

    async def round(self, group_id: int, round_id: int) -> IcebreakerRound | None:
        """The group's icebreaker with this number, if any."""
        return await self.session.scalar(
            select(IcebreakerRound).where(
                IcebreakerRound.group_id == group_id, IcebreakerRound.id == round_id
            )
        )

    async def for_meeting(self, meeting_id: int, occurrence: str) -> IcebreakerRound | None:
        """The icebreaker for one meeting date, once it has been chosen."""
        return await self.session.scalar(
            select(IcebreakerRound).where(
                IcebreakerRound.meeting_id == meeting_id,
                IcebreakerRound.occurrence == occurrence,
            )
        )

    async def unfinished(self, group_id: int) -> Sequence[IcebreakerRound]:
        """The group's icebreakers not yet closed, the latest to start first."""
        result = await self.session.scalars(
            select(IcebreakerRound)
            .where(IcebreakerRound.group_id == group_id, IcebreakerRound.phase != "closed")
            .order_by(IcebreakerRound.starts_at.desc(), IcebreakerRound.id.desc())
        )
        return result.all()

    async def closing_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[IcebreakerRound]:
        """Icebreakers asked with /icebreaker (not at a meeting) that close in [start, end]."""
        result = await self.session.scalars(
            select(IcebreakerRound)
            .where(
                IcebreakerRound.group_id == group_id,
                IcebreakerRound.meeting_id.is_(None),
                IcebreakerRound.closes_at >= start,
                IcebreakerRound.closes_at <= end,
            )
            .order_by(IcebreakerRound.id)
        )
        return result.all()

    async def answers(self, round_id: int) -> Sequence[IcebreakerAnswer]:
        """Every answer and pass to one icebreaker, in the order given."""
        result = await self.session.scalars(
            select(IcebreakerAnswer)
            .where(IcebreakerAnswer.round_id == round_id)
            .order_by(IcebreakerAnswer.id)
        )
        return result.all()

    async def answer_of(self, round_id: int, person_id: int) -> IcebreakerAnswer | None:
        """This person's answer (or pass) to one icebreaker, if they gave one."""
        return await self.session.scalar(
            select(IcebreakerAnswer).where(
                IcebreakerAnswer.round_id == round_id, IcebreakerAnswer.person_id == person_id
            )
        )

    async def set_answer(self, round_id: int, person_id: int, text: str | None) -> None:
        """Keep this person's answer (None: a pass), replacing any given before."""
        mine = await self.answer_of(round_id, person_id)
        if mine is None:
            await self.add(IcebreakerAnswer(round_id=round_id, person_id=person_id, text=text))
        else:
            mine.text = text
            await self.session.flush()
