"""/leave, /forget me and /group remove: each asks first, then deletes what is the person's
own, keeps the group's record, cancels what was still to go to them, and says only that
someone left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, select

from bot.app import App
from handlers.core.messages import message, to_json
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import (
    AuditEntry,
    Contribution,
    Decision,
    Delivery,
    DirectChannel,
    Expense,
    Membership,
    Person,
    Preferences,
)
from tests.support import (
    RecordingSender,
    changes_nothing,
    choose,
    options,
    privately,
    refused,
    say,
    sent_to,
)

MEETING = datetime(2026, 12, 12, 14, 0, tzinfo=UTC)
DESIGN = "design"


async def _count(app: App, model: type, *where: ColumnElement[bool]) -> int:
    async with app.db.sessions() as session:
        found = await session.scalar(select(func.count()).select_from(model).where(*where))
        return int(found or 0)


async def _person(app: App, person_id: int) -> Person:
    async with app.db.sessions() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        return person


async def _two_groups(app: App) -> None:
    """alice facilitates both groups; bob and carol are in both, with time and costs logged."""
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/group setup Design group", channel=DESIGN)
    for who in ("bob", "carol"):
        for channel in ("group", DESIGN):
            await say(app, who, f"/contributions add 1h reading for {channel}", channel=channel)
    await say(app, "bob", "/expenses 3.20 bus fare")
    await say(app, "alice", "/meeting new Steering 2026-12-12 14:00 every week for 2h")
    await say(app, "alice", "/decision Pay travel costs on the day owner @bob")


async def test_leave_asks_first_then_leaves_one_group_only(app: App, clock: VirtualClock) -> None:
    await _two_groups(app)
    asked = await say(app, "bob", "/leave")
    reply = privately(asked, "bob")
    assert "Do you want to leave Steering group?" in reply
    yes, no = options(asked, "bob")
    async with changes_nothing(app.db, "saying no"):
        await choose(app, "bob", no)

    done = await choose(app, "bob", yes)
    assert "You've left Steering group" in sent_to(done, "bob")
    assert sent_to(done, "alice") == "Someone has left Steering group."
    assert sent_to(done, "carol") == ""
    assert await _count(app, Membership, Membership.person_id == 2) == 1  # still in Design
    assert await _count(app, Contribution, Contribution.person_id == 2) == 1
    assert await _count(app, Expense) == 0
    assert await _count(app, Contribution, Contribution.person_id == 3) == 2  # carol's stay
    assert await _count(app, Decision, Decision.owner_id == 2) == 1  # the record keeps him

    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, MEETING - timedelta(days=2))
    assert sender.to("dm:bob") == []
    assert sender.kinds("dm:carol") == ["pack"]


async def test_a_restart_catching_up_on_the_channel_does_not_add_back_someone_who_left(
    app: App,
) -> None:
    """Slack's start-up adds everyone in a group's channel; someone who left is skipped
    until they speak there again (or join the channel again)."""
    await _two_groups(app)
    [yes, _no] = options(await say(app, "bob", "/leave"), "bob")
    await choose(app, "bob", yes)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert await app.router.join("console", "group", "bob", "bob", now, catching_up=True)
    assert await _count(app, Membership, Membership.person_id == 2) == 1  # Design only
    await say(app, "bob", "Hello again")  # he comes back by speaking in the channel
    assert await _count(app, Membership, Membership.person_id == 2) == 2
    [yes, _no] = options(await say(app, "alice", "/group remove @carol"), "alice")
    await choose(app, "alice", yes)
    assert await app.router.join("console", "group", "carol", "carol", now, catching_up=True)
    assert await _count(app, Membership, Membership.person_id == 3) == 1
    assert await app.router.join("console", "group", "carol", "carol", now)  # joined again
    assert await _count(app, Membership, Membership.person_id == 3) == 2


async def test_someone_who_leaves_their_last_group_shows_as_a_former_member(app: App) -> None:
    await _two_groups(app)
    for channel in ("group", DESIGN):
        [yes, _no] = options(await say(app, "bob", "/leave", channel=channel), "bob")
        await choose(app, "bob", yes)
        named = (await _person(app, 2)).display_name
        assert named == ("bob" if channel == "group" else "a former member")  # Design kept it
    decisions = privately(await say(app, "alice", "/decision all"), "alice")
    assert "a former member" in decisions and "bob" not in decisions


async def test_leave_in_a_dm_chooses_the_group(app: App) -> None:
    await _two_groups(app)
    which = await say(app, "bob", "/leave", dm=True)
    [_steering, design] = options(which, "bob")
    [yes, _no] = options(await choose(app, "bob", design), "bob")
    assert "You've left Design group" in sent_to(await choose(app, "bob", yes), "bob")
    async with app.db.sessions() as session:
        groups = await session.scalars(select(Membership.group_id).where(Membership.person_id == 2))
        assert list(groups) == [1]


async def test_leave_is_refused_kindly(app: App) -> None:
    await _two_groups(app)
    await refused(app, "alice", "/leave", "the only one who runs this group")
    await refused(app, "bob", "/leave now please", "Please type just /leave")


async def test_a_facilitator_removes_a_member(app: App) -> None:
    await _two_groups(app)
    async with changes_nothing(app.db, "a member removing"):
        reply = privately(await say(app, "carol", "/group remove @bob"), "carol")
    assert "facilitator" in reply
    await refused(app, "alice", "/group remove", "Please name the person")
    await refused(app, "alice", "/group remove @alice", "type /leave")
    await refused(app, "alice", "/group remove @nobody", "nobody")

    asked = await say(app, "alice", "/group remove @bob")
    assert "Do you want to take bob out of Steering group?" in privately(asked, "alice")
    [yes, _no] = options(asked, "alice")
    done = await choose(app, "alice", yes)
    assert privately(done, "alice") == "Done. bob is no longer in Steering group."
    assert await _count(app, Membership, Membership.person_id == 2) == 1
    assert await _count(app, Expense) == 0
    async with app.db.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "removed a member" in actions and not any("bob" in a for a in actions)


async def test_cancelled_deliveries_are_never_sent(app: App, clock: VirtualClock) -> None:
    await _two_groups(app)
    [yes, _no] = options(await say(app, "bob", "/leave"), "bob")
    async with app.db.sessions() as session:  # the bot stopped while sending to bob
        session.add(
            Delivery(
                key="pack:m1:2026-12-12T14:00:p2",
                status="sending",
                channel=None,
                user_ref="bob",
                payload=to_json(message("Your pack")),
                due_at=clock.now(),
                claimed_at=clock.now(),
            )
        )
        await session.commit()
    await choose(app, "bob", yes)
    sender = RecordingSender()
    await app.delivery(sender).deliver_due(clock.now())
    assert sender.to("dm:bob") == []
    async with app.db.sessions() as session:
        row = await session.scalar(select(Delivery).where(Delivery.key.like("pack:%")))
    assert row is not None and (row.status, row.user_ref, row.payload) == ("cancelled", None, None)


async def test_forget_me_keeps_only_a_former_member(app: App, clock: VirtualClock) -> None:
    await _two_groups(app)
    await say(app, "alice", "/group facilitator add @bob")
    await say(app, "bob", "/prefs quiet 22:00-07:00", dm=True)
    await app.router.leave("console", DESIGN, "bob")  # left the channel: his time there stays
    async with app.db.sessions() as session:
        session.add(
            DirectChannel(
                platform="console", channel_ref="d1", user_ref="bob", last_used_at=clock.now()
            )
        )
        await session.commit()
    await refused(app, "bob", "/forget", "please type /forget me", dm=True)
    async with changes_nothing(app.db, "asking"):
        asked = await say(app, "bob", "/forget me", dm=True)
    reply = privately(asked, "bob")
    assert "can't be undone" in reply and "/prefs export" in reply
    [yes, _no] = options(asked, "bob")

    done = await choose(app, "bob", yes)
    assert "I've forgotten you" in sent_to(done, "bob")
    assert sent_to(done, "alice") == "Someone has left Steering group."
    bob = await _person(app, 2)
    assert bob.display_name == "a former member" and bob.forgotten_at == clock.now()
    assert "bob" not in bob.external_id
    for model, column in ((Membership, Membership.person_id), (Preferences, Preferences.person_id)):
        assert await _count(app, model, column == 2) == 0
    assert await _count(app, DirectChannel) == 0
    assert await _count(app, Contribution, Contribution.person_id == 2) == 0  # in Design too
    assert await _count(app, Contribution, Contribution.person_id == 3) == 2
    async with app.db.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "made a former member a facilitator" in actions
    assert not any("bob" in a for a in actions)

    decisions = privately(await say(app, "alice", "/decision all"), "alice")
    assert "(a former member;" in decisions
    await say(app, "bob", "hello")  # the same account again: someone new
    assert await _count(app, Person, Person.external_id == "bob") == 1
    assert (await _person(app, 2)).display_name == "a former member"


async def test_leaving_one_group_unnames_them_there_only(app: App) -> None:
    """bob leaves Steering but stays in Design: Steering's record (decision, agenda item
    lead, audit log) says "a former member"; Design's still says bob; a change to his old
    item isn't sent to him (scheduled messages: test_leave_asks_first_then_leaves...)."""
    await _two_groups(app)
    await say(app, "alice", "/decision Book a bigger room owner @bob", channel=DESIGN)
    await say(app, "alice", "/group facilitator add @bob")
    await say(app, "alice", "/group facilitator add @bob", channel=DESIGN)
    await say(app, "bob", "/group aims Better crisis care")
    await say(app, "bob", "/group aims Better design", channel=DESIGN)
    await say(app, "bob", "/agenda add Travel costs minutes 10 lead @bob")
    [yes, _no] = options(await say(app, "bob", "/leave"), "bob")
    await choose(app, "bob", yes)
    assert (await _person(app, 2)).display_name == "bob"  # still in Design

    steering = {
        said: privately(await say(app, "alice", said), "alice")
        for said in ("/decision all", "/group log", "/agenda")
    }
    assert "(a former member;" in steering["/decision all"]
    assert "led by a former member" in steering["/agenda"]
    assert "a former member changed the group's aims" in steering["/group log"]
    assert "made a former member a facilitator" in steering["/group log"]
    assert not any("bob" in text for text in steering.values()), steering
    design = {
        said: privately(await say(app, "alice", said, channel=DESIGN), "alice")
        for said in ("/decision all", "/group log")
    }
    assert "(bob;" in design["/decision all"]
    assert "bob changed the group's aims" in design["/group log"]
    assert "made bob a facilitator" in design["/group log"]

    removed = await say(app, "alice", "/agenda remove 1")
    assert sent_to(removed, "bob") == ""  # not told about Steering any more
