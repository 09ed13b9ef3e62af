"""Proposals, their answers, and who has answered.

Anonymous answers: each new answer re-writes the proposal's answers with fresh random ids
in a random order, in the same transaction as the new voter row. So the order rows are
stored in, and (on PostgreSQL) the transaction that last wrote them, say nothing about
which voter gave which answer.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select

from storage.models import Proposal, ProposalAnswer, ProposalVoter
from storage.repositories.base import Repository


class Proposals(Repository):
    """Proposals a group answers, and the answers they got."""

    async def next_number(self, group_id: int) -> int:
        """The number the group's next proposal gets: 1, 2, 3, ..."""
        last = await self.session.scalar(
            select(func.max(Proposal.number)).where(Proposal.group_id == group_id)
        )
        return (last or 0) + 1

    async def get(self, group_id: int, number: int) -> Proposal | None:
        """The group's proposal with this number, if any."""
        return await self.session.scalar(
            select(Proposal).where(Proposal.group_id == group_id, Proposal.number == number)
        )

    async def with_id(self, proposal_id: int) -> Proposal | None:
        """The proposal with this id, if it is still there."""
        return await self.session.get(Proposal, proposal_id)

    async def open(self, group_id: int, now: datetime) -> Sequence[Proposal]:
        """The group's proposals still open at `now`, in number order."""
        result = await self.session.scalars(
            select(Proposal)
            .where(
                Proposal.group_id == group_id,
                Proposal.closed_at.is_(None),
                Proposal.closes_at > now,
            )
            .order_by(Proposal.number)
        )
        return result.all()

    async def active_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Proposal]:
        """Proposals open at some time in [start, end] (made by `end`, closing from `start`)."""
        result = await self.session.scalars(
            select(Proposal)
            .where(
                Proposal.group_id == group_id,
                Proposal.created_at <= end,
                Proposal.closes_at >= start,
            )
            .order_by(Proposal.number)
        )
        return result.all()

    async def to_close(self, group_id: int, now: datetime) -> Sequence[Proposal]:
        """Proposals whose closing time has come but are not marked closed yet."""
        result = await self.session.scalars(
            select(Proposal).where(
                Proposal.group_id == group_id,
                Proposal.closed_at.is_(None),
                Proposal.closes_at <= now,
            )
        )
        return result.all()

    async def of_decision(self, decision_id: int) -> Proposal | None:
        """The proposal a decision came from, if any."""
        return await self.session.scalar(
            select(Proposal).where(Proposal.decision_id == decision_id)
        )

    async def answers(self, proposal_id: int) -> Sequence[ProposalAnswer]:
        """A proposal's answers (and reasons added later), in an order that means nothing."""
        result = await self.session.scalars(
            select(ProposalAnswer)
            .where(ProposalAnswer.proposal_id == proposal_id)
            .order_by(ProposalAnswer.id)
        )
        return result.all()

    async def answer_with_id(self, answer_id: str) -> ProposalAnswer | None:
        """One answer (or reason) by its id."""
        return await self.session.get(ProposalAnswer, answer_id)

    async def answer_of(self, proposal_id: int, person_id: int) -> ProposalAnswer | None:
        """A person's named answer to a proposal (never found for an anonymous one)."""
        return await self.session.scalar(
            select(ProposalAnswer).where(
                ProposalAnswer.proposal_id == proposal_id,
                ProposalAnswer.person_id == person_id,
            )
        )

    async def voters(self, proposal_id: int) -> list[int]:
        """Who has answered a proposal (never what)."""
        result = await self.session.scalars(
            select(ProposalVoter.person_id).where(ProposalVoter.proposal_id == proposal_id)
        )
        return list(result.all())

    async def has_answered(self, proposal_id: int, person_id: int) -> bool:
        """Whether this person has answered this proposal."""
        found = await self.session.get(ProposalVoter, (proposal_id, person_id))
        return found is not None

    async def answer(
        self,
        proposal: Proposal,
        person_id: int,
        answer: str,
        reason: str | None,
    ) -> None:
        """Store one answer and that this person answered. Anonymous: the answer has no
        person, and all of the proposal's answers are stored again, shuffled."""
        self.session.add(ProposalVoter(proposal_id=proposal.id, person_id=person_id))
        if not proposal.anonymous:
            self.session.add(
                ProposalAnswer(
                    id=secrets.token_hex(16),
                    proposal_id=proposal.id,
                    person_id=person_id,
                    answer=answer,
                    reason=reason,
                )
            )
            await self.session.flush()
            return
        kept = [(a.answer, a.reason) for a in await self.answers(proposal.id) if a.answer] + [
            (answer, reason)
        ]
        await self.session.execute(
            delete(ProposalAnswer).where(
                ProposalAnswer.proposal_id == proposal.id, ProposalAnswer.answer != ""
            )
        )
        random.SystemRandom().shuffle(kept)
        self.session.add_all(
            ProposalAnswer(
                id=secrets.token_hex(16),
                proposal_id=proposal.id,
                person_id=None,
                answer=kind,
                reason=why,
            )
            for kind, why in kept
        )
        await self.session.flush()

    async def made_between(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[Proposal]:
        """The group's proposals made in [start, end), oldest first."""
        result = await self.session.scalars(
            select(Proposal)
            .where(
                Proposal.group_id == group_id,
                Proposal.created_at >= start,
                Proposal.created_at < end,
            )
            .order_by(Proposal.created_at, Proposal.id)
        )
        return result.all()
