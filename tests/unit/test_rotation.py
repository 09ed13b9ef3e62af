"""/roles and /rotate through the app: who may rotate, what people are told, the pack,
swaps, drop-outs, and bad input that changes nothing.

The clock starts on Monday 30 November 2026, 09:00 UTC. The meeting is on
Saturday 5 December at 14:00 (London = UTC in winter); its pack goes out three
days before, on Wednesday 2 December at 14:00.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import RoleAssignment
from tests.support import RecordingSender, choose, options, refused, say, sent_to, sent_to_all

MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)


async def group(app: App, every: str = "", setup: bool = True) -> None:
    """alice facilitates; bob, carol and dan are members; a meeting on Saturday."""
    if setup:
        await say(app, "alice", "/group setup Steering group")
    for member in ("bob", "carol", "dan"):
        await say(app, member, "hello")
    await say(app, "alice", f"/meeting new Steering 2026-12-05 14:00 for 2h {every}at Room 4")
    await say(app, "alice", "/agenda add Welcome minutes 10")


async def offers(app: App) -> None:
    """bob offers to chair or take minutes; carol and dan to take minutes."""
    await say(app, "bob", "/roles willing chair minutes")
    await say(app, "carol", "/roles willing minutes")
    await say(app, "dan", "/roles willing minutes")


async def holders(app: App) -> list[tuple[str, int | None]]:
    async with app.db.sessions() as session:
        rows = await session.scalars(select(RoleAssignment).order_by(RoleAssignment.id))
        return [(r.role, r.person_id) for r in rows]


async def test_rotate_is_for_facilitators_explains_its_picks_and_the_pack_shows_them(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await offers(app)
    reply = await refused(app, "bob", "/rotate", "(the people who run the group) can use /rotate")
    assert "alice" in reply and "You could ask them" in reply

    result = await say(app, "alice", "/rotate")
    post = sent_to_all(result)
    assert "Roles for Steering, Saturday 5 December, 14:00 to 16:00" in post
    assert "Chair: bob. Minute-taker: carol." in post
    assert "bob offered to chair and was the only one free who had." in post
    assert "carol offered to take the minutes and hasn't had a turn at it yet." in post
    assert "alice gave out these roles with /rotate." in post
    assert "/roles pass" in post and "/roles swap" in post
    for unkind in ("fail", "refus", "lazy", "never", "should"):
        assert unkind not in post.lower()
    await say(app, "alice", "/rotate again")
    assert len(await holders(app)) == 2  # picked again, not added to

    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    for person in ("alice", "bob", "carol", "dan"):
        [pack] = [
            r.text for r in sender.received if r.where == f"dm:{person}" and r.key[:5] == "pack:"
        ]
        assert "Roles: Chair: bob. Minute-taker: carol." in pack
    assert "roles" not in sender.kinds("#group")  # the /rotate post already told everyone


async def test_without_rotate_the_pack_gives_out_roles_and_the_channel_hears_once(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await offers(app)
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, PACK_DUE - timedelta(minutes=1))
    assert await holders(app) == []  # nothing is given out before the pack

    # Two instances run at the pack time: roles are given out once and announced once.
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    await app.delivery(sender).deliver_due(clock.now())
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(hours=2))
    assert sender.kinds("#group") == ["roles"]
    [announcement] = sender.to("#group")
    assert "Chair: bob. Minute-taker: carol." in announcement
    assert "bob offered to chair" in announcement
    for person in ("alice", "bob", "carol", "dan"):
        assert "Roles: Chair: bob. Minute-taker: carol." in sender.to(f"dm:{person}")[0]
    assert len(await holders(app)) == 2


async def test_two_instances_at_the_pack_time_give_out_roles_once(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await offers(app)
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, PACK_DUE - timedelta(minutes=1))
    start = clock.now()
    await asyncio.gather(
        *(
            fast_forward(app.delivery(sender), VirtualClock(start), PACK_DUE + timedelta(minutes=1))
            for _ in range(2)
        )
    )
    assert sender.kinds("#group") == ["roles"]
    packs = [r.text for r in sender.received if r.key.startswith("pack:")]
    assert len(packs) == 4
    assert all("Roles: Chair: bob. Minute-taker: carol." in p for p in packs)
    assert len(await holders(app)) == 2


async def test_a_group_that_never_used_roles_gets_an_invitation_not_assignments(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await refused(app, "alice", "/roles take chair", "aren't given out yet")
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    assert "Roles: none given out yet" in sender.to("dm:bob")[0]
    assert sender.kinds("#group") == []
    assert await holders(app) == []


async def test_a_swap_is_offered_then_accepted_or_declined_only_by_the_person_asked(
    app: App,
) -> None:
    await group(app)
    await offers(app)
    await say(app, "alice", "/rotate")

    # bob asks dan, who says no: bob is told kindly and nothing changes.
    asked = await say(app, "bob", "/roles swap @dan")
    assert "bob asks if you'd swap roles" not in sent_to(asked, "dan")
    assert "bob asks if you'd chair at Steering" in sent_to(asked, "dan")
    _, no = options(asked, "dan")
    before = await holders(app)
    answer = await choose(app, "dan", no)
    assert "That's fine" in sent_to(answer, "dan")
    assert "dan can't swap this time, and that's okay" in sent_to(answer, "bob")
    assert sent_to_all(answer) == ""
    assert await holders(app) == before

    # bob asks carol, who has a role too: they would swap.
    asked = await say(app, "bob", "/roles swap @carol")
    assert "I've asked carol" in sent_to(asked, "bob")
    assert sent_to_all(asked) == ""  # nothing changes until carol says yes
    question = sent_to(asked, "carol")
    assert "bob asks if you'd swap roles" in question
    assert "you would chair, and bob would take the minutes" in question
    assert "fine to say no" in question
    yes, no = options(asked, "carol")
    assert (yes.label, no.label) == ("Yes, swap", "No, thank you")
    await refused(app, "dan", yes.command, "I can't find a question", dm=True)

    done = await choose(app, "carol", yes)
    assert "carol will chair, and bob will take the minutes" in sent_to_all(done)
    shown = sent_to(await say(app, "dan", "/roles"), "dan")
    assert "Chair: carol. Minute-taker: bob." in shown
    await refused(app, "carol", yes.command, "already been answered", dm=True)


async def test_a_drop_out_is_offered_on_and_the_group_hears_once_it_is_filled(
    app: App,
) -> None:
    await group(app)
    await offers(app)
    await say(app, "alice", "/rotate")

    dropped = await say(app, "carol", "/roles cantmake")
    assert "I'll find someone else" in sent_to(dropped, "carol")
    assert "Nobody needs a reason" in sent_to(dropped, "carol")
    assert sent_to_all(dropped) == ""  # the group hears once it is filled
    question = sent_to(dropped, "dan")
    assert "Would you like to take the minutes at Steering" in question
    assert "carol" not in question  # who dropped out is not said
    yes, _ = options(dropped, "dan")

    filled = await choose(app, "dan", yes)
    assert sent_to_all(filled) == (
        "Change of roles for Steering (Saturday 5 December, 14:00 to 16:00): "
        "dan will take the minutes. Thank you, dan."
    )
    assert "Minute-taker: dan." in sent_to(await say(app, "bob", "/roles"), "bob")

    # dan can't after all; bob (who chairs) is asked next; both say no: the group is told.
    dropped = await say(app, "dan", "/roles pass")
    assert "Would you like to take the minutes" in sent_to(dropped, "bob")
    _, no = options(dropped, "bob")
    open_now = await choose(app, "bob", no)
    assert "The minute-taker role for Steering" in sent_to_all(open_now)
    assert "/roles take minutes" in sent_to_all(open_now)
    taken = await say(app, "alice", "/roles take minutes")
    assert "alice will take the minutes" in sent_to_all(taken)
    await refused(app, "dan", "/roles take minutes", "already taken")


async def test_passing_away_and_saying_no_mean_no_role(app: App) -> None:
    await group(app)
    await offers(app)
    await say(app, "alice", "/roles willing chair")
    await say(app, "dan", "/roles willing chair")
    await say(app, "dan", "/roles not chair")
    reply = sent_to(await say(app, "bob", "/roles pass"), "bob")
    assert "I won't give you a role at Steering" in reply
    await say(app, "carol", "/prefs away 2026-12-04 to 2026-12-06", dm=True)
    post = sent_to_all(await say(app, "alice", "/rotate"))
    assert "Chair: alice. Minute-taker: dan." in post
    shown = sent_to(await say(app, "dan", "/roles"), "dan")
    assert "- Chair: bob, alice\n" in shown  # dan's "no" is never shown


async def test_an_open_role_says_whether_nobody_offered_or_nobody_who_offered_is_free(
    app: App,
) -> None:
    await group(app)
    post = sent_to_all(await say(app, "alice", "/rotate"))
    assert "Chair: open. Minute-taker: open." in post
    assert (
        "Nobody has offered to chair yet. Anyone can say /roles willing chair. "
        "To chair at this meeting, say /roles take chair."
    ) in post
    await say(app, "bob", "/roles willing chair")
    await say(app, "bob", "/prefs away 2026-12-04 to 2026-12-06", dm=True)
    post = sent_to_all(await say(app, "alice", "/rotate again"))
    assert (
        "Everyone who offered to chair is away or can't this time. "
        "If you'd like to, say /roles take chair."
    ) in post


async def test_roles_shows_roles_offers_and_turns_and_facilitators_change_roles(
    app: App, clock: VirtualClock
) -> None:
    await group(app, every="every week ")
    await offers(app)
    shown = sent_to(await say(app, "dan", "/roles"), "dan")
    assert "not given out yet" in shown and "Wednesday 2 December at 14:00" in shown
    assert "- Chair: bob" in shown and "- Minute-taker: bob, carol, dan" in shown

    added = sent_to_all(await say(app, "alice", "/roles add timekeeper"))
    assert "alice added the role timekeeper" in added
    assert "/roles willing timekeeper" in added
    await refused(app, "bob", "/roles add tea", "(the people who run the group) can use /roles add")
    await say(app, "dan", "/roles willing timekeeper")
    assert "Timekeeper: dan." in sent_to_all(await say(app, "alice", "/rotate"))

    clock.set(MEETING + timedelta(hours=3))
    shown = sent_to(await say(app, "dan", "/roles"), "dan")
    assert "Turns so far:" in shown
    assert "- bob: chair 1" in shown and "- carol: minute-taker 1" in shown
    assert "- dan: timekeeper 1" in shown
    assert "You've offered to take: minute-taker, timekeeper." in shown
    assert "Nobody has to take a role." in shown

    removed = sent_to_all(await say(app, "alice", "/roles remove timekeeper"))
    assert "alice removed the role timekeeper" in removed
    shown = sent_to(await say(app, "bob", "/roles"), "bob")
    assert "- Timekeeper" not in shown and "timekeeper 1" in shown  # turns still count

    roles = sent_to(await say(app, "bob", "/help roles"), "bob")
    assert "/roles willing <roles>" in roles and "/roles swap @name" in roles
    assert "For example:\n- /roles" in roles and "/roles willing chair minutes" in roles
    rotate = sent_to(await say(app, "bob", "/help rotate"), "bob")
    assert "/rotate pair" in rotate and "For example:\n- /rotate" in rotate


async def test_rotation_is_fair_over_time_and_late_offers_start_level(
    app: App, clock: VirtualClock
) -> None:
    await group(app, every="every week ")
    await say(app, "alice", "/roles remove minutes")
    for person in ("alice", "bob"):
        await say(app, person, "/roles willing chair")
    chairs = []
    for week in range(7):
        if week == 4:
            await say(app, "carol", "/roles willing chair")
        post = sent_to_all(await say(app, "alice", "/rotate"))
        chairs.append(post.split("Chair: ")[1].split(".")[0])
        clock.set(MEETING + timedelta(weeks=week, hours=3))
    # They take turns; who goes first is drawn, not whoever joined first (alice, before).
    assert sorted(chairs[:2]) == ["alice", "bob"] and chairs[2:4] == chairs[:2]
    # carol starts level with the others: one turn each, not three turns to catch up.
    assert sorted(chairs[4:]) == ["alice", "bob", "carol"]


async def test_rotate_pair_matches_perspectives_but_never_shows_them(app: App) -> None:
    await group(app)
    await say(app, "bob", "/prefs perspective professional", dm=True)
    await say(app, "dan", "/prefs perspective my lived experience", dm=True)
    for person in ("alice", "bob", "carol", "dan"):
        await say(app, person, "/roles willing chair")
    await say(app, "carol", "/roles willing minutes")
    result = await say(app, "alice", "/rotate pair")
    post = sent_to_all(result)
    assert "Co-chairs: bob and dan. Minute-taker: carol." in post  # never lived first
    assert "lived" not in post.lower() and "professional" not in post.lower()
    assert "One has lived experience and one is a professional" in sent_to(result, "alice")
    again = await say(app, "alice", "/rotate again")
    assert "Chair: " in sent_to_all(again) and "Co-chairs" not in sent_to_all(again)


BEFORE_ROLES = [
    ("bob", "/roles willing banana", "doesn't have a role called banana"),
    ("bob", "/roles not", "Please say which roles"),
    ("bob", "/roles sideways", "I don't know /roles sideways"),
    ("bob", "/roles swap @carol", "You don't have a role"),
    ("bob", "/roles take chair", "aren't given out yet"),
    ("bob", "/roles accept 99", "I can't find a question 99"),
    ("bob", "/roles decline lots", "I can't find a question lots"),
    ("bob", "/roles pass please", "Just say /roles pass"),
    ("alice", "/rotate sideways", "I don't know /rotate sideways"),
    ("alice", "/roles add Tea Maker", "one-word name"),
    ("alice", "/roles add chair", "already has the role chair"),
    ("alice", "/roles remove banana", "doesn't have a role called banana"),
    ("alice", "/roles remove", "Please say which role"),
]
AFTER_ROLES = [
    ("alice", "/rotate", "already given out"),
    ("bob", "/roles swap @bob", "That's you"),
    ("bob", "/roles swap @zed", "I don't know anyone called zed"),
    ("bob", "/roles swap", "who you'd like to swap with"),
    ("dan", "/roles take chair", "already taken"),
    ("bob", "/roles take chair", "already down to chair"),
]


async def test_bad_input_gets_a_clear_reply_and_changes_nothing(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await refused(app, "alice", "/rotate", "There is no meeting planned yet")
    await group(app, setup=False)
    await offers(app)
    for user, said, expect in BEFORE_ROLES:
        await refused(app, user, said, expect)
    await say(app, "alice", "/rotate")
    for user, said, expect in AFTER_ROLES:
        await refused(app, user, said, expect)
