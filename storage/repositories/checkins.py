"""Check-ins: settings, opt-outs, rounds and answers."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import (
    CheckinAnswer,
    CheckinNote,
    CheckinOptOut,
    CheckinRound,
    CheckinSettings,
)
from storage.repositories.base import Repository

#: Check-ins go out this many minutes before a meeting starts and after it ends,
#: unless a group changes it.
CHECKIN_DEFAULT_MINUTES = 60


class Checkins(Repository):
    """Check-in settings, rounds, answers (kept without names) and opt-outs."""

    async def settings(self, group_id: int) -> CheckinSettings:
        """The group's settings; the defaults (not saved) if it never changed them."""
        found = await self.session.get(CheckinSettings, group_id)
        if found is None:
            found = CheckinSettings(
                group_id=group_id,
                before_minutes=CHECKIN_DEFAULT_MINUTES,
                after_minutes=CHECKIN_DEFAULT_MINUTES,
                icebreakers=True,
                wellbeing=None,
            )
        return found

    async def saved_settings(self, group_id: int) -> CheckinSettings:
        """The group's settings row, saved first if it had none, ready to change."""
        found = await self.settings(group_id)
        if found not in self.session:
            self.session.add(found)
            await self.session.flush()
        return found

    async def opted_out(self, person_ids: Sequence[int]) -> set[int]:
        """Which of these people asked for no check-ins."""
        if not person_ids:
            return set()
        result = await self.session.scalars(
            select(CheckinOptOut.person_id).where(CheckinOptOut.person_id.in_(person_ids))
        )
        return set(result.all())

    async def round(self, meeting_id: int, occurrence: str, kind: str) -> CheckinRound | None:
        """The check-in of this kind for one meeting date, if it has begun."""
        return await self.session.scalar(
            select(CheckinRound).where(
                CheckinRound.meeting_id == meeting_id,
                CheckinRound.occurrence == occurrence,
                CheckinRound.kind == kind,
            )
        )

    async def round_in(self, group_ids: Sequence[int], round_id: int) -> CheckinRound | None:
        """The check-in with this number, if it belongs to one of these groups."""
        return await self.session.scalar(
            select(CheckinRound).where(
                CheckinRound.id == round_id, CheckinRound.group_id.in_(group_ids)
            )
        )

    async def open_rounds(self, group_ids: Sequence[int], now: datetime) -> Sequence[CheckinRound]:
        """Check-ins taking answers now in these groups, latest first."""
        if not group_ids:
            return []
        result = await self.session.scalars(
            select(CheckinRound)
            .where(
                CheckinRound.group_id.in_(group_ids),
                CheckinRound.opens_at <= now,
                CheckinRound.closes_at > now,
            )
            .order_by(CheckinRound.opens_at.desc(), CheckinRound.id.desc())
        )
        return result.all()

    async def latest_rounds(
        self, group_id: int, kind: str, before: datetime, limit: int
    ) -> Sequence[CheckinRound]:
        """The group's latest check-ins of one kind that opened before `before`, newest first."""
        result = await self.session.scalars(
            select(CheckinRound)
            .where(
                CheckinRound.group_id == group_id,
                CheckinRound.kind == kind,
                CheckinRound.opens_at <= before,
            )
            .order_by(CheckinRound.opens_at.desc(), CheckinRound.id.desc())
            .limit(limit)
        )
        return result.all()

    async def answers(self, round_id: int) -> list[str]:
        """Every answer to one check-in, in no particular order (no names)."""
        result = await self.session.scalars(
            select(CheckinAnswer.answer).where(CheckinAnswer.round_id == round_id)
        )
        return sorted(result.all())

    async def answer_of(self, round_id: int, voter_hash: str) -> CheckinAnswer | None:
        """The answer behind this keyed hash, if they gave one."""
        return await self.session.scalar(
            select(CheckinAnswer).where(
                CheckinAnswer.round_id == round_id, CheckinAnswer.voter_hash == voter_hash
            )
        )

    async def notes(self, round_id: int) -> Sequence[CheckinNote]:
        """Every note given with one check-in (sorted by their words, not by time)."""
        result = await self.session.scalars(
            select(CheckinNote).where(CheckinNote.round_id == round_id).order_by(CheckinNote.text)
        )
        return result.all()

    async def note_of(self, round_id: int, voter_hash: str) -> CheckinNote | None:
        """The note behind this keyed hash, if they gave one."""
        return await self.session.scalar(
            select(CheckinNote).where(
                CheckinNote.round_id == round_id, CheckinNote.voter_hash == voter_hash
            )
        )

    async def set_answer(self, round_id: int, voter_hash: str, answer: str) -> None:
        """Keep the answer behind this keyed hash, replacing any given before."""
        mine = await self.answer_of(round_id, voter_hash)
        if mine is None:
            await self.add(
                CheckinAnswer(
                    id=secrets.token_hex(16),
                    round_id=round_id,
                    voter_hash=voter_hash,
                    answer=answer,
                )
            )
        else:
            mine.answer = answer

    async def take_back(self, round_id: int, voter_hash: str) -> None:
        """Forget the answer behind this keyed hash, if there is one."""
        mine = await self.answer_of(round_id, voter_hash)
        if mine is not None:
            await self.remove(mine)

    async def set_note(self, round_id: int, voter_hash: str, text: str) -> None:
        """Keep the note behind this keyed hash, without a name, replacing any given before."""
        mine = await self.note_of(round_id, voter_hash)
        if mine is None:
            await self.add(
                CheckinNote(
                    id=secrets.token_hex(16),
                    round_id=round_id,
                    voter_hash=voter_hash,
                    text=text,
                    person_id=None,
                )
            )
        else:
            mine.text, mine.person_id = text, None

    async def name_note(self, round_id: int, voter_hash: str, person_id: int | None) -> bool:
        """Show this person's name with their note (None: no name); False if there's no note."""
        mine = await self.note_of(round_id, voter_hash)
        if mine is None:
            return False
        mine.person_id = person_id
        return True

    async def opt_out(self, person_id: int) -> None:
        """This person asked for no check-ins (again is fine)."""
        if not await self.opted_out([person_id]):
            await self.add(CheckinOptOut(person_id=person_id))

    async def opt_in(self, person_id: int) -> None:
        """This person wants check-ins again."""
        row = await self.session.get(CheckinOptOut, person_id)
        if row is not None:
            await self.remove(row)
