"""Helpers for the decision, action and minutes tests: a group that has met, and roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import App
from handlers.core.messages import Addressed, Choices, Option
from handlers.core.router import Incoming, Result
from scheduler.clock import VirtualClock
from storage.models import RoleAssignment
from storage.uow import UnitOfWork
from tests.support import RecordingSender, say, texts
from tests.unit.support import snapshot

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
    option = next(o for o in sender.buttons[who] if o.label == label)
    return await app.handle(Incoming("console", who, who, option.command, None, option.group_id))


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


async def refused(app: App, who: str, said: str, expect: str, dm: bool = False) -> str:
    """`who` says `said`; only they get a kind refusal containing `expect`; no data changes."""
    return (await all_refused(app, [(who, said, expect)], dm=dm))[0]


async def all_refused(
    app: App, attempts: list[tuple[str, str, str]], dm: bool = False
) -> list[str]:
    """Each (who, said, expect) gets a kind refusal, to them only; together they change no data
    (one snapshot before and one after: a refusal's change would still be there at the end)."""
    before = await snapshot(app.db)
    replies = []
    for who, said, expect in attempts:
        result: Result = await say(app, who, said, dm=dm)
        reply = texts(result)
        assert len(result.sent) == 1 and result.sent[0].address.user == who, reply
        assert expect in reply, reply
        assert "nothing was changed" in reply.lower(), reply
        replies.append(reply)
    assert await snapshot(app.db) == before, f"{[a[1] for a in attempts]!r} changed data"
    return replies


def kinds(sender: RecordingSender, where: str, prefix: str) -> list[str]:
    """The kinds of message received at one place that start with `prefix`."""
    return [k for k in sender.kinds(where) if k.startswith(prefix)]


def got(sender: RecordingSender, where: str, kind: str) -> list[str]:
    """The texts of one kind of message received at one place."""
    return [r.text for r in sender.received if r.where == where and r.key.split(":")[0] == kind]


def choices(result: Result) -> list[Any]:
    """The options of the first message in a result that has any."""
    for item in result.sent:
        for block in item.message.blocks:
            if hasattr(block, "options"):
                return list(block.options)
    return []
