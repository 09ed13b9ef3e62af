"""A contribution log over two meetings, written straight into the tables (the commands that
record it are tested on their own), for the /contributions views and export tests.

The group meets weekly on Saturdays at 14:00 London time (UTC in December), from
5 December 2026. Over 5 and 12 December:

- who was there (confirmed): alice and bob on the 5th; alice, bob and carol on the 12th;
- roles: alice chair and bob minute-taker on the 5th; bob chair and carol minute-taker
  on the 12th;
- items led: carol (named lead of bob's item) on the 5th; bob (his own item) on the 12th;
- minutes: bob wrote the 5th's;
- bob's own time: 2h30 reading papers for the 5th, 30 minutes on a call (no meeting);
- bob's expense: £4.50 bus fare for the 12th;
- payment: bob chose paid, carol chose none, alice hasn't said.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database
from storage.models import (
    AgendaItem,
    Contribution,
    Expense,
    Meeting,
    Minutes,
    PaymentChoice,
    Presence,
    PresenceCheck,
    RoleAssignment,
)
from storage.uow import UnitOfWork

FIRST, SECOND = "2026-12-05T14:00", "2026-12-12T14:00"
STARTS = {
    FIRST: datetime(2026, 12, 5, 14, tzinfo=UTC),
    SECOND: datetime(2026, 12, 12, 14, tzinfo=UTC),
}
MEETING = "/meeting new Steering 2026-12-05 14:00 every week for 2h"
AFTER = datetime(2026, 12, 13, 10, 0, tzinfo=UTC)


async def seed(
    db: Database,
    platform: str = "console",
    channel: str = "group",
    names: tuple[str, str, str] = ("alice", "bob", "carol"),
) -> None:
    """Write the log above for the group in `channel`; `names` are alice's, bob's and
    carol's display names there (all three are members)."""
    async with UnitOfWork(db.sessions) as uow:
        group = await uow.groups.in_channel(platform, channel)
        assert group is not None
        ids = {m.person.display_name: m.person_id for m in await uow.groups.members(group.id)}
        [meeting] = await uow.meetings.of_group(group.id)
        alice, bob, carol = (ids[n] for n in names)
        said = datetime(2026, 12, 8, 12, tzinfo=UTC)
        session = uow.session
        for key, there in ((FIRST, (alice, bob)), (SECOND, (alice, bob, carol))):
            check = PresenceCheck(
                group_id=group.id,
                meeting_id=meeting.id,
                occurrence=key,
                by_person_id=alice,
                checked_at=STARTS[key],
            )
            session.add(check)
            await session.flush()
            session.add_all(Presence(check_id=check.id, person_id=p) for p in there)
        for key, role, who in (
            (FIRST, "chair", alice),
            (FIRST, "minutes", bob),
            (SECOND, "chair", bob),
            (SECOND, "minutes", carol),
        ):
            session.add(_role(group.id, meeting, key, role, who))
        session.add_all(
            [
                _item(meeting, FIRST, "Budget", owner=bob, lead=carol),
                _item(meeting, SECOND, "Crisis line", owner=bob, lead=None),
                Minutes(
                    group_id=group.id,
                    meeting_id=meeting.id,
                    occurrence=FIRST,
                    text="We agreed the budget.",
                    by_id=bob,
                    created_at=STARTS[FIRST],
                ),
                Contribution(
                    group_id=group.id,
                    person_id=bob,
                    meeting_id=meeting.id,
                    occurrence=FIRST,
                    minutes=150,
                    what="reading papers",
                    said_at=datetime(2026, 12, 4, 18, tzinfo=UTC),
                ),
                Contribution(
                    group_id=group.id,
                    person_id=bob,
                    meeting_id=None,
                    occurrence=None,
                    minutes=30,
                    what="a call with the chair",
                    said_at=said,
                ),
                Expense(
                    group_id=group.id,
                    person_id=bob,
                    meeting_id=meeting.id,
                    occurrence=SECOND,
                    amount=450,
                    currency="GBP",
                    what="bus fare",
                    said_at=said,
                ),
                PaymentChoice(group_id=group.id, person_id=bob, choice="paid", chosen_at=said),
                PaymentChoice(group_id=group.id, person_id=carol, choice="none", chosen_at=said),
            ]
        )
        await uow.commit()


def _role(group_id: int, meeting: Meeting, key: str, role: str, who: int) -> RoleAssignment:
    return RoleAssignment(
        group_id=group_id,
        meeting_id=meeting.id,
        occurrence=key,
        starts_at=STARTS[key],
        role=role,
        slot=0,
        person_id=who,
        how="auto",
    )


def _item(meeting: Meeting, key: str, text: str, owner: int, lead: int | None) -> AgendaItem:
    return AgendaItem(
        meeting_id=meeting.id,
        occurrence=key,
        position=0,
        text=text,
        lead_person_id=lead,
        owner_person_id=owner,
        created_at=STARTS[FIRST],
    )
