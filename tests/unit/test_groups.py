"""/group: setting a group up, showing it, its aims, facilitators and time zone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.core.router import Router
from handlers.groups import MAX_AIMS, MAX_NAME
from scheduler.clock import VirtualClock
from storage.db import Database
from storage.models import Group, Membership, Person
from tests.support import posted, privately, sent_to_all
from tests.unit.support import CHANNEL, Chat, refused_without_change


@pytest.fixture
def chat(router: Router, clock: VirtualClock) -> Chat:
    return Chat(router, clock)


async def steering_group(chat: Chat, *members: str) -> None:
    """Alice sets up 'Steering group' in #general; each member then says hello there."""
    sent_to_all(await chat.say("alice", "/group setup Steering group"))
    for member in members:
        await chat.say(member, "Hello everyone")


async def facilitators(db: Database) -> dict[str, bool]:
    """Each member's external id and whether they facilitate (the only group)."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(Person.external_id, Membership.is_facilitator).join(
                Membership, Membership.person_id == Person.id
            )
        )
        return {external_id: is_facilitator for external_id, is_facilitator in rows}


# --- /group setup ----------------------------------------------------------------------


async def test_setup_makes_the_channel_a_group_led_by_the_caller(
    chat: Chat, database: Database
) -> None:
    post = sent_to_all(await chat.say("alice", "/group setup   Steering    group "))
    assert post.startswith("** Welcome to Steering group **")
    assert "Alice is its first facilitator." in post
    assert "Nobody has to share anything they don't want to." in post
    await chat.say("bob", "Hi")
    assert await facilitators(database) == {"alice": True, "bob": False}
    async with database.sessions() as session:
        group = await session.scalar(select(Group))
    assert group is not None
    assert (group.name, group.channel_ref, group.timezone) == (
        "Steering group",
        CHANNEL,
        "Europe/London",
    )


async def test_setup_in_a_dm_is_refused_with_what_to_do(chat: Chat, database: Database) -> None:
    await chat.say("alice", "hello", dm=True)
    reply = await refused_without_change(
        chat,
        database,
        "alice",
        "/group setup Steering group",
        "Please say /group setup in the channel you want to use for the group.",
        dm=True,
    )
    assert "which channel the group lives in" in reply


async def test_setup_where_there_is_already_a_group_changes_nothing(
    chat: Chat, database: Database
) -> None:
    await steering_group(chat, "bob")
    for who in ("alice", "bob"):
        await refused_without_change(
            chat,
            database,
            who,
            "/group setup Another group",
            "This channel is already the group Steering group. Nothing was changed.",
        )


async def test_setup_needs_a_name(chat: Chat, database: Database) -> None:
    await chat.say("alice", "hello")
    for said in ("/group setup", "/group setup    "):
        reply = await refused_without_change(
            chat, database, "alice", said, "Please give the group a name after /group setup."
        )
        assert "For example: /group setup Steering group" in reply


async def test_setup_name_length_limit(chat: Chat, database: Database) -> None:
    await chat.say("alice", "hello")
    await refused_without_change(
        chat,
        database,
        "alice",
        "/group setup " + "n" * (MAX_NAME + 1),
        f"Please keep the group's name under {MAX_NAME} characters.",
    )
    post = sent_to_all(await chat.say("alice", "/group setup " + "n" * MAX_NAME))
    assert f"Welcome to {'n' * MAX_NAME}" in post


async def test_groups_in_different_channels_are_separate(chat: Chat) -> None:
    await steering_group(chat, "bob")
    sent_to_all(await chat.say("carol", "/group setup Design group", channel="design"))
    design = privately(await chat.say("carol", "/group", channel="design"), "carol")
    assert "** Design group **" in design and "Members (1):" in design and "Bob" not in design


# --- /group ----------------------------------------------------------------------------


async def test_group_shows_name_aims_facilitators_and_members(chat: Chat) -> None:
    await steering_group(chat, "bob", "carol")
    await chat.say("bob", "/prefs pronouns he/him", dm=True)
    before_aims = privately(await chat.say("bob", "/group"), "bob")
    assert "This group hasn't written down its aims yet." in before_aims
    assert "A facilitator can add them with /group aims." in before_aims

    await chat.say("alice", "/group aims Improve crisis care together")
    shown = privately(await chat.say("carol", "/group"), "carol")
    assert shown.splitlines() == [
        "** Steering group **",
        "What we are here to do: Improve crisis care together",
        "Run by Alice (the facilitator). Times are in UK time.",
        "Members (3):",
        "- Alice (helps run the group)",
        "- Bob (he/him)",
        "- Carol",
    ]


async def test_group_with_extra_words_says_what_to_do(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    await refused_without_change(
        chat, database, "bob", "/group members", "I don't know /group members."
    )


# --- /group aims -----------------------------------------------------------------------


async def test_aims_are_posted_for_everyone_and_kept(chat: Chat) -> None:
    await steering_group(chat, "bob")
    post = posted(await chat.say("alice", "/group aims   Improve crisis care together "), CHANNEL)
    assert post == "Alice updated what this group is here to do:\nImprove crisis care together"
    await chat.say("alice", "/group aims Listen, then act")
    shown = privately(await chat.say("bob", "/group"), "bob")
    assert "What we are here to do: Listen, then act" in shown


async def test_aims_refusals_change_nothing(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    await chat.say("alice", "/group aims Improve crisis care together")
    await refused_without_change(chat, database, "alice", "/group aims", "Please write the aims")
    await refused_without_change(
        chat,
        database,
        "alice",
        "/group aims " + "a" * (MAX_AIMS + 1),
        f"Please keep the aims under {MAX_AIMS:,} characters.",
    )
    await refused_without_change(
        chat,
        database,
        "bob",
        "/group aims Something else",
        "(the people who run the group) can use /group aims.",
    )


# --- /group facilitator ----------------------------------------------------------------


async def test_facilitator_add_gives_the_person_facilitator_powers(
    chat: Chat, database: Database
) -> None:
    await steering_group(chat, "bob")
    post = posted(await chat.say("alice", "/group facilitator add @bob"), CHANNEL)
    assert post == "Bob now helps run this group as a facilitator. Alice made the change."
    assert await facilitators(database) == {"alice": True, "bob": True}
    posted(await chat.say("bob", "/group aims Bob can do this now"), CHANNEL)
    shown = privately(await chat.say("alice", "/group"), "alice")
    assert "Run by Alice and Bob (the facilitators)." in shown


async def test_facilitator_add_by_display_name(chat: Chat, database: Database) -> None:
    await steering_group(chat)
    await chat.say("u123", "Hello", name="Sam Jones")
    await chat.say("u456", "Hello", name="Robin")
    post = posted(await chat.say("alice", "/group facilitator add @robin"), CHANNEL)
    assert post == "Robin now helps run this group as a facilitator. Alice made the change."
    post = posted(await chat.say("alice", "/group facilitator add @Sam  Jones"), CHANNEL)
    assert post == "Sam Jones now helps run this group as a facilitator. Alice made the change."
    assert await facilitators(database) == {"alice": True, "u123": True, "u456": True}


async def test_facilitator_add_when_two_people_share_a_name(chat: Chat, database: Database) -> None:
    await steering_group(chat)
    await chat.say("u1", "Hello", name="Robin")
    await chat.say("u2", "Hello", name="robin")
    reply = await refused_without_change(
        chat,
        database,
        "alice",
        "/group facilitator add @Robin",
        "More than one person in this group is called Robin, so nothing was changed.",
    )
    assert "@-mention" in reply
    # by their id it is clear
    posted(await chat.say("alice", "/group facilitator add @u2"), CHANNEL)
    assert await facilitators(database) == {"alice": True, "u1": False, "u2": True}


async def test_facilitator_add_someone_unknown(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    reply = await refused_without_change(
        chat,
        database,
        "alice",
        "/group facilitator add @carol",
        "I don't know anyone called carol in this group yet, so nothing was changed.",
    )
    assert "People join the group when they first say something in its channel." in reply


async def test_facilitator_add_someone_not_in_this_group(chat: Chat, database: Database) -> None:
    await steering_group(chat)
    await chat.say("carol", "hello", dm=True)
    await refused_without_change(
        chat,
        database,
        "alice",
        "/group facilitator add @carol",
        "carol isn't in this group yet, so nothing was changed.",
    )


async def test_facilitator_add_someone_already_facilitating(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    await refused_without_change(
        chat,
        database,
        "alice",
        "/group facilitator add @alice",
        "Alice is already a facilitator. Nothing was changed.",
    )


async def test_members_cannot_make_facilitators(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob", "carol")
    reply = await refused_without_change(
        chat,
        database,
        "bob",
        "/group facilitator add @carol",
        "(the people who run the group) can use /group facilitator. Nothing was changed.",
    )
    assert "Here, that's Alice." in reply


async def test_facilitator_remove(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    await chat.say("alice", "/group facilitator add @bob")
    post = posted(await chat.say("bob", "/group facilitator remove @alice"), CHANNEL)
    assert post == "Alice no longer helps run this group. Bob made the change."
    assert await facilitators(database) == {"alice": False, "bob": True}
    await refused_without_change(
        chat,
        database,
        "alice",
        "/group aims Mine",
        "(the people who run the group) can use /group aims.",
    )


async def test_the_last_facilitator_cannot_be_removed(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    reply = await refused_without_change(
        chat,
        database,
        "alice",
        "/group facilitator remove @alice",
        "You're the only facilitator, so I can't remove you. Nothing was changed.",
    )
    assert "Please add another facilitator first." in reply


async def test_removing_someone_who_is_not_a_facilitator(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    await refused_without_change(
        chat,
        database,
        "alice",
        "/group facilitator remove @bob",
        "Bob isn't a facilitator. Nothing was changed.",
    )


# --- /group timezone -------------------------------------------------------------------


async def test_timezone_is_set_and_shown(chat: Chat) -> None:
    await steering_group(chat, "bob")
    post = posted(await chat.say("alice", "/group timezone Europe/Dublin"), CHANNEL)
    assert post == "Alice set this group's time zone to Europe/Dublin. Times will be in Irish time."
    shown = privately(await chat.say("bob", "/group"), "bob")
    assert "Times are in Irish time." in shown


async def test_an_unknown_timezone_is_refused(chat: Chat, database: Database) -> None:
    await steering_group(chat, "bob")
    unknown = [
        ("Mars/Olympus_Mons", "Mars/Olympus_Mons"),
        ("", "(none given)"),
        ("../../etc/passwd", "../../etc/passwd"),
        ("London", "London"),
    ]
    for zone, shown in unknown:
        reply = await refused_without_change(
            chat,
            database,
            "alice",
            f"/group timezone {zone}",
            f"I don't know a time zone called {shown}. Nothing was changed.",
        )
        assert "Europe/London" in reply


async def test_group_timing_settings_change_when_messages_go_out(app, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from scheduler.fast_forward import fast_forward
    from tests.support import RecordingSender, say, texts

    await say(app, "alice", "/group setup Steering group")
    assert "Only the facilitators" in texts(await say(app, "bob", "/group pack 2d"))
    assert "set how long before a meeting the pack goes out to 2 days" in texts(
        await say(app, "alice", "/group pack 2d")
    )
    assert "turned off break reminders" in texts(await say(app, "alice", "/group breaks off"))
    assert "alice set break reminders to every 50 minutes." in texts(
        await say(app, "alice", "/group breaks 50m")
    )
    assert texts(await say(app, "alice", "/group breaks 5")) == (
        "Please give a time between 20 minutes and 4 hours, like 40 minutes, or say off. "
        "Nothing was changed."
    )
    await say(app, "alice", "/group breaks off")
    bad = texts(await say(app, "alice", "/group pack 30 days"))
    assert "Nothing was changed" in bad
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    await say(app, "alice", "/agenda add Welcome")
    sender = RecordingSender()
    meeting = datetime(2026, 12, 5, 14, tzinfo=UTC)
    await fast_forward(app.delivery(sender), clock, meeting - timedelta(days=2, minutes=1))
    assert sender.kinds("dm:alice") == []
    await fast_forward(app.delivery(sender), clock, meeting + timedelta(hours=4))
    cycle = {"pack", "daybefore", "hourbefore", "after"}
    assert [k for k in sender.kinds("dm:alice") if k in cycle] == [
        "pack",
        "daybefore",
        "hourbefore",
        "after",
    ]
    assert not any(r.key.startswith("break") for r in sender.received)


# --- /group wellbeing ------------------------------------------------------------------


async def test_group_wellbeing_names_the_contact_everyone_can_ask_for(
    chat: Chat, database: Database
) -> None:
    await steering_group(chat, "bob")
    await refused_without_change(
        chat, database, "bob", "/group wellbeing Me", "Only the facilitators"
    )
    result = await chat.say("alice", "/group wellbeing Sam Reid, peer support, 07700 900123")
    assert any(item.address.user is None for item in result.sent)  # the group is told
    helped = privately(await chat.say("bob", "/checkin help", dm=True), "bob")
    assert "wellbeing contact is Sam Reid, peer support, 07700 900123" in helped
