"""/agenda: items with times, leads and content notes; who may change them; the pack.

The clock starts on Monday 30 November 2026, 09:00 UTC (09:00 in London).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import App
from bot.platforms.text import render_text
from handlers.core.occurrences import upcoming
from handlers.features import catalog
from handlers.packs import build_pack
from scheduler.clock import VirtualClock
from storage.models import AgendaItem, Group, Person
from storage.uow import UnitOfWork
from tests.support import GROUP, privately, refused, say, snapshot


async def agenda(app: App, user: str = "bob") -> list[str]:
    """The agenda lines `user` sees with /agenda."""
    shown = privately(await say(app, user, "/agenda"), user)
    return [line[2:] for line in shown.splitlines() if line.startswith("- ")]


async def plan(app: App, said: str) -> int:
    """alice plans a meeting; its number as people see it."""
    result = await say(app, "alice", said)
    post = render_text(result.sent[0].message)[0]
    assert result.sent[0].address.user is None, post
    found = re.search(r"This is meeting number (\d+)\.", post)
    assert found, post
    return int(found.group(1))


async def group_with_meeting(app: App, meeting: str | None = None) -> int:
    """alice facilitates; bob and carol are members; one meeting is planned."""
    await say(app, "alice", "/group setup Steering")
    for member in ("bob", "carol"):
        await say(app, member, "hello")
    return await plan(
        app, meeting or "/meeting new Steering group 2026-12-03 14:00 for 2h at Room 4"
    )


async def with_items(app: App) -> None:
    await say(app, "bob", "/agenda add Welcome and check-in minutes 10")
    await say(app, "bob", "/agenda add Budget for 2027 minutes 20 lead @carol")
    await say(
        app,
        "carol",
        "/agenda add Crisis care stories minutes 30 lead bob note talks about self-harm",
    )
    await say(app, "carol", "/agenda add Any other business")


async def the_group(app: App) -> Group:
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", GROUP)
        assert group is not None
        return group


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- adding -----------------------------------------------------------------------------


async def test_no_meeting_yet_means_no_agenda(app: App) -> None:
    await say(app, "alice", "/group setup Steering")
    await say(app, "bob", "hello")
    reply = privately(await say(app, "bob", "/agenda"), "bob")
    assert "There is no meeting planned yet, so there is no agenda." in reply
    assert "A facilitator can plan one with /meeting new." in reply
    await refused(app, "bob", "/agenda add Budget", "There is no meeting planned yet")
    before = await snapshot(app.db)
    reply = privately(await say(app, "bob", "/agenda for 1"), "bob")
    assert "I can't find an upcoming meeting number 1." in reply
    assert await snapshot(app.db) == before


async def test_items_show_their_start_times_leads_and_content_notes(app: App) -> None:
    await group_with_meeting(app)
    assert await agenda(app) == []
    assert "Nothing on the agenda yet." in privately(await say(app, "bob", "/agenda"), "bob")
    reply = privately(await say(app, "bob", "/agenda add Welcome and check-in minutes 10"), "bob")
    assert reply.splitlines()[0] == (
        "Added to the agenda for Steering group (Thursday 3 December, 14:00 to 16:00): "
        "Welcome and check-in"
    )
    await say(app, "bob", "/agenda add Budget for 2027 minutes 20 lead @carol")
    await say(
        app,
        "carol",
        "/agenda add Crisis care stories minutes 30 lead bob note talks about self-harm",
    )
    await say(app, "carol", "/agenda add Any other business")
    shown = privately(await say(app, "carol", "/agenda"), "carol")
    assert shown.splitlines()[0] == (
        "** Agenda: Steering group, Thursday 3 December, 14:00 to 16:00 **"
    )
    assert await agenda(app) == [
        "1. 14:00 Welcome and check-in (10 min)",
        "2. 14:10 Budget for 2027 (20 min) - led by carol",
        "3. 14:30 Crisis care stories (30 min) - led by bob [Content note: talks about self-harm]",
        "4. 15:10 Any other business",  # after the break at 15:00, between items 3 and 4
    ]
    async with UnitOfWork(app.db.sessions) as uow:
        rows = (
            await uow.session.execute(
                select(AgendaItem.text, Person.external_id)
                .join(Person, Person.id == AgendaItem.owner_person_id)
                .order_by(AgendaItem.position)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Welcome and check-in", "bob"),
        ("Budget for 2027", "bob"),
        ("Crisis care stories", "carol"),
        ("Any other business", "carol"),
    ]


async def test_agenda_times_follow_the_local_time_in_summer(app: App, clock: VirtualClock) -> None:
    clock.set(utc(2027, 6, 1))
    await group_with_meeting(app, "/meeting new Summer 2027-06-10 18:00")
    await say(app, "bob", "/agenda add Welcome minutes 15")
    await say(app, "bob", "/agenda add Plans")
    assert await agenda(app) == ["1. 18:00 Welcome (15 min)", "2. 18:15 Plans"]


# --- who may change items ---------------------------------------------------------------


async def test_members_own_their_items_and_facilitators_can_change_any(app: App) -> None:
    await group_with_meeting(app)
    await with_items(app)
    only = "Only the person who added this item, or a facilitator, can change it."
    await refused(app, "carol", "/agenda remove 1", only)
    await refused(app, "carol", "/agenda move 2 1", only)
    await refused(app, "bob", "/agenda remove 4", only)
    # bob moves his own item; alice (a facilitator) removes carol's.
    assert privately(await say(app, "bob", "/agenda move 2 to 1"), "bob") == (
        "Moved 'Budget for 2027' to place 1 on the agenda."
    )
    assert privately(await say(app, "alice", "/agenda remove 3"), "alice", also_told=["carol"]) == (
        "Removed from the agenda: Crisis care stories"
    )
    assert await agenda(app) == [
        "1. 14:00 Budget for 2027 (20 min) - led by carol",
        "2. 14:20 Welcome and check-in (10 min)",
        "3. 14:30 Any other business",
    ]
    # carol still owns "Any other business" at its new number, and can remove it.
    assert "Removed" in privately(await say(app, "carol", "/agenda remove 3"), "carol")
    assert len(await agenda(app)) == 2


async def test_remove_and_move_renumber_the_items(app: App) -> None:
    await group_with_meeting(app)
    for item in ("One minutes 5", "Two minutes 10", "Three minutes 15", "Four"):
        await say(app, "bob", f"/agenda add {item}")
    await say(app, "bob", "/agenda remove 2")
    assert await agenda(app) == ["1. 14:00 One (5 min)", "2. 14:05 Three (15 min)", "3. 14:20 Four"]
    await say(app, "bob", "/agenda move 3 1")
    assert await agenda(app) == ["1. 14:00 Four", "2. 14:00 One (5 min)", "3. 14:05 Three (15 min)"]
    await say(app, "bob", "/agenda move 1 3")
    await say(app, "bob", "/agenda add Five minutes 10")
    assert await agenda(app) == [
        "1. 14:00 One (5 min)",
        "2. 14:05 Three (15 min)",
        "3. 14:20 Four",
        "4. 14:20 Five (10 min)",
    ]
    async with UnitOfWork(app.db.sessions) as uow:
        positions = list(
            await uow.session.scalars(select(AgendaItem.position).order_by(AgendaItem.position))
        )
    assert positions == [1, 2, 3, 4]


async def test_bad_numbers_and_options_get_a_kind_reply_and_change_nothing(app: App) -> None:
    await group_with_meeting(app)
    await with_items(app)
    cases = [
        ("/agenda remove 9", "There is no item 9 on the agenda."),
        ("/agenda remove 0", "There is no item 0 on the agenda."),
        ("/agenda remove x", "There is no item x on the agenda."),
        ("/agenda remove", "Which item? Say /agenda remove and its number, like /agenda remove 2."),
        ("/agenda move", "Which item? Say /agenda move and its number, like /agenda move 2."),
        ("/agenda move 9 1", "There is no item 9 on the agenda."),
        ("/agenda move 1 7", "Please give a place between 1 and 4."),
        ("/agenda move 1 first", "Please give a place between 1 and 4."),
        ("/agenda move 1", "Please give a place between 1 and 4."),
        ("/agenda add", "Please say what the item is after /agenda add."),
        ("/agenda add minutes 10", "Please say what the item is after /agenda add."),
        ("/agenda add Budget minutes 999", "Please give between 1 and 480 minutes"),
        ("/agenda add Budget minutes 0", "Please give between 1 and 480 minutes"),
        ("/agenda add Budget lead @zed", "I don't know anyone called zed in this group"),
        (f"/agenda add {'x' * 301}", "under 300 characters"),
        (f"/agenda add Budget note {'x' * 301}", "under 300 characters"),
    ]
    for said, expect in cases:
        await refused(app, "bob", said, expect)
    assert len(await agenda(app)) == 4


async def test_moving_the_only_item_says_there_is_nothing_to_move(app: App) -> None:
    await group_with_meeting(app)
    await say(app, "bob", "/agenda add Welcome")
    for said in ("/agenda move 1", "/agenda move 1 1", "/agenda move 1 2"):
        await refused(app, "bob", said, "There's only one item, so there's nothing to move.")


# --- which meeting ----------------------------------------------------------------------


async def test_items_go_to_the_next_meeting_and_agenda_for_shows_another(
    app: App, clock: VirtualClock
) -> None:
    planning = await group_with_meeting(app, "/meeting new Planning 2026-12-01 14:00 every week")
    board = await plan(app, "/meeting new Board 2026-12-10 10:00")
    await say(app, "bob", "/agenda add Check-in minutes 10")
    shown = privately(await say(app, "bob", f"/agenda for {board}"), "bob")
    assert shown.splitlines()[:2] == [
        "** Agenda: Board, Thursday 10 December, 10:00 to 11:30 **",
        "Nothing on the agenda yet.",
    ]
    shown = privately(await say(app, "bob", f"/agenda for {planning}"), "bob")
    assert "Agenda: Planning, Tuesday 1 December, 14:00 to 15:30" in shown
    assert "- 1. 14:00 Check-in (10 min)" in shown
    before = await snapshot(app.db)
    unknown = board + 1
    for said, expect in [
        (f"/agenda for {unknown}", f"I can't find an upcoming meeting number {unknown}."),
        ("/agenda for Board", "I can't find an upcoming meeting number Board."),
        ("/agenda for", "I can't find an upcoming meeting number (none given)."),
    ]:
        assert expect in privately(await say(app, "bob", said), "bob")
    assert await snapshot(app.db) == before
    # Items belong to one date: once it is over, the next date starts empty.
    clock.set(utc(2026, 12, 1, 15, 31))
    shown = privately(await say(app, "bob", "/agenda"), "bob")
    assert "Agenda: Planning, Tuesday 8 December" in shown
    assert "Nothing on the agenda yet." in shown
    await say(app, "bob", "/agenda add Plans")
    assert await agenda(app) == ["1. 14:00 Plans"]


# --- the pack ---------------------------------------------------------------------------


async def _pack_text(app: App) -> str:
    group = await the_group(app)
    async with UnitOfWork(app.db.sessions) as uow:
        [occurrence] = await upcoming(uow, group, app.clock.now(), limit=1)
        return render_text(await build_pack(uow, group, occurrence, catalog().pack_sections))[0]


async def test_the_pack_has_the_agenda_times_breaks_aims_place_and_no_pressure(
    app: App,
) -> None:
    await group_with_meeting(app)
    await say(app, "alice", "/group aims Improve crisis care together")
    empty = await _pack_text(app)
    assert "The agenda is still being planned. You can add to it with /agenda add." in empty
    await with_items(app)
    pack = await _pack_text(app)
    lines = pack.splitlines()
    assert lines[:4] == [
        "** Pack for Steering group **",
        "When: Thursday 3 December, 14:00 to 16:00, UK time.",
        "Where: Room 4",
        "What this group is here to do: Improve crisis care together",
    ]
    agenda_at = lines.index("Agenda:")
    assert lines[agenda_at + 1 : agenda_at + 5] == [
        "- 1. 14:00 Welcome and check-in (10 min)",
        "- 2. 14:10 Budget for 2027 (20 min) - led by carol",
        "- 3. 14:30 Crisis care stories (30 min) - led by bob "
        "[Content note: talks about self-harm]",
        "- 4. 15:10 Any other business",
    ]
    # Breaks every 50 minutes by default, between items: not at 14:50 in the middle of
    # item 3 (with its content note) but when it ends; none in the last 15 minutes.
    assert "Breaks: at 15:00. You can take one any time." in lines
    assert "still being planned" not in pack
    assert "You never need to explain why." in pack
    assert lines[-1] == (
        "Nobody ever has to share their own story. You can pass on anything, at any time."
    )


async def test_the_pack_says_where_is_to_be_confirmed_and_leaves_out_breaks_when_off(
    app: App,
) -> None:
    await group_with_meeting(app, "/meeting new Long one 2026-12-03 14:00 for 3h")
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", GROUP)
        assert group is not None
        group.break_every_minutes = None
        await uow.commit()
    pack = await _pack_text(app)
    assert "Where: to be confirmed." in pack
    assert "What this group is here to do" not in pack
    assert "Breaks:" not in pack
    assert "Nobody ever has to share their own story." in pack
