"""Helpers for the decision, action and minutes tests: a group that has met, and roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from handlers.core.messages import Addressed, Choices, Option
from handlers.core.router import Result
from scheduler.clock import VirtualClock
from storage.models import RoleAssignment
from storage.uow import UnitOfWork
from tests.support import RecordingSender, choose, say

# Saturday 5 December 2026, 14:00 to 16:00 London time (= UTC in winter).
MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
AFTER_MEETING = MEETING + timedelta(hours=3, minutes=1)  # after the thank-you
OCCURRENCE = "2026-12-05T14:00"


class ButtonSender(RecordingSender):
    """A recording platform that also keeps the buttons each person was last offered."""

    def __init__(self) -> None:
        super().__init__()
        self.buttons: dict[str, list[Option]] = {}

    async def send(self, item: Addressed, key: str) -> None:
        """Record the message and its buttons."""
        await super().send(item, key)
        for block in item.message.blocks:
            if isinstance(block, Choices) and item.address.user:
                self.buttons[item.address.user] = list(block.options)


async def press(app: App, sender: ButtonSender, who: str, label: str) -> Result:
    """`who` presses the button called `label` on the last message that offered buttons."""
    return await choose(app, who, next(o for o in sender.buttons[who] if o.label == label))


async def group_that_met(
    app: App, clock: VirtualClock, people: tuple[str, ...] = ("bob", "carol", "dan")
) -> ButtonSender:
    """alice facilitates; the others join; carol wants the channel; the meeting has happened.

    Returns a recording platform for the test to deliver to.
    """
    await say(app, "alice", "/group setup Steering group")
    for name in people:
        await say(app, name, "hello")
    if "carol" in people:
        await say(app, "carol", "/prefs reminders channel", dm=True)
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    await say(app, "bob", "/agenda add Papers for meetings minutes 20")
    # The clock jumps rather than fast-forwards: quicker, and the pack and reminders before
    # the meeting don't matter here (a test that runs the engine gets them as one late note).
    clock.set(AFTER_MEETING)
    return ButtonSender()


async def give_role(app: App, who: str, role: str, occurrence: str = OCCURRENCE) -> None:
    """Record that `who` holds `role` (chair, minutes) at the meeting (as /rotate would)."""
    async with UnitOfWork(app.db.sessions) as uow:
        person = await uow.people.find("console", who)
        group = (await uow.groups.all())[0]
        meeting = (await uow.meetings.of_group(group.id))[0]
        assert person is not None
        uow.session.add(
            RoleAssignment(
                group_id=group.id,
                meeting_id=meeting.id,
                occurrence=occurrence,
                starts_at=MEETING,
                role=role,
                slot=0,
                person_id=person.id,
                how="rotate",
            )
        )
        await uow.commit()


def kinds(sender: RecordingSender, where: str, prefix: str) -> list[str]:
    """The kinds of message received at one place that start with `prefix`."""
    return [k for k in sender.kinds(where) if k.startswith(prefix)]


def got(sender: RecordingSender, where: str, kind: str) -> list[str]:
    """The texts of one kind of message received at one place."""
    return [r.text for r in sender.received if r.where == where and r.key.split(":")[0] == kind]
