"""The router: parsing, /help, suggestions, permissions, bad input, privacy, choosing a group."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.platforms.text import render_text
from handlers.core import words
from handlers.core.commands import CommandSpec, Context, Refusal
from handlers.core.feature import Catalog
from handlers.core.messages import Choices, Message, message
from handlers.core.router import MAX_INPUT, Router, parse
from handlers.features import catalog
from scheduler.clock import VirtualClock
from storage.db import Database
from storage.models import Group
from tests.support import posted, privately, snapshot
from tests.unit.support import CHANNEL, Chat, refused_without_change


@pytest.fixture
def chat(router: Router, clock: VirtualClock) -> Chat:
    return Chat(router, clock)


async def with_group(chat: Chat, *members: str) -> None:
    """Alice sets up a group in #general; each member then says hello there."""
    await chat.say("alice", "/group setup Steering group")
    for member in members:
        await chat.say(member, "Hello everyone")


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "parsed"),
    [
        ("/agenda add Budget for 2027", ("agenda", "add Budget for 2027")),
        ("!agenda add Budget", ("agenda", "add Budget")),
        ("  /HELP   group  ", ("help", "group")),
        ("/help", ("help", "")),
        ("!group", ("group", "")),
        ("/check-in", ("check-in", "")),
    ],
)
def test_commands_start_with_slash_or_bang(said: str, parsed: tuple[str, str]) -> None:
    assert parse(said) == parsed


@pytest.mark.parametrize(
    "said", ["hello", "", "   ", "/", "!", "/ group", "?help", "/gr@up", "//help", "help/"]
)
def test_other_text_is_not_a_command(said: str) -> None:
    assert parse(said) is None


# --- /help -----------------------------------------------------------------------------


async def test_help_lists_every_command_in_plain_words(chat: Chat) -> None:
    reply = privately(await chat.say("bob", "/help", dm=True), "bob")
    assert "What I can do" in reply
    for spec in catalog().commands.values():
        assert f"/{spec.name} - {spec.summary}" in reply


async def test_bang_help_is_the_same_as_slash_help(chat: Chat) -> None:
    slash = privately(await chat.say("bob", "/help", dm=True), "bob")
    assert privately(await chat.say("bob", "!help", dm=True), "bob") == slash


async def test_help_suggests_a_command_that_exists(chat: Chat) -> None:
    listing = privately(await chat.say("bob", "/help", dm=True), "bob")
    suggested = listing.split("type /help and its name, like /help ")[1].split(".")[0]
    follow = privately(await chat.say("bob", f"/help {suggested}", dm=True), "bob")
    assert f"** /{suggested} **" in follow


async def test_help_for_one_command_explains_it_with_examples(chat: Chat) -> None:
    reply = privately(await chat.say("bob", "/help group", dm=True), "bob")
    assert reply.startswith("** /group **")
    assert "/group setup <name>" in reply
    assert "/group facilitator add or remove @name" in reply
    assert "For example:\n- /group" in reply
    assert reply.splitlines()[1] == "Put your own words where you see <these>."
    assert "|" not in reply and "[" not in reply
    assert (
        "/group aims <text> - Write down what the group is for (its terms of "
        "reference). (facilitators)" in reply
    )
    assert (
        "- /group - See your group" in reply
        and "- /group - See your group, what it is for and who is in it. Facilitators "
        "change its settings. (facilitators)"
        not in reply
    )
    assert "for facilitators only; I'll tell you if so" not in reply
    assert privately(await chat.say("bob", "/help /group", dm=True), "bob") == reply


async def test_a_command_followed_by_help_explains_that_command(chat: Chat) -> None:
    await with_group(chat)
    expected = privately(await chat.say("bob", "/help agenda", dm=True), "bob")
    assert privately(await chat.say("bob", "/agenda help"), "bob") == expected
    # Asking how /concern works in the channel is fine: nothing private was said.
    about = privately(await chat.say("bob", "/concern help"), "bob")
    assert about.startswith("** Anonymous concerns **") and "Who sees what" in about


async def test_help_leaves_out_what_only_buttons_use(chat: Chat) -> None:
    concern = privately(await chat.say("bob", "/help concern", dm=True), "bob")
    assert "/concern status <code>" in concern
    assert "/concern respond <number> <text> - Reply to a shared concern." in concern
    assert "<token>" not in concern and "/concern send" not in concern
    roles = privately(await chat.say("bob", "/help roles", dm=True), "bob")
    assert "/roles accept" not in roles and "/roles decline" not in roles
    checkin = privately(await chat.say("bob", "/help checkin", dm=True), "bob")
    assert "/checkin named" in checkin and "/checkin unnamed" in checkin  # people type these


async def test_help_for_an_unknown_command_says_what_to_do(chat: Chat) -> None:
    reply = privately(await chat.say("bob", "/help frobnicate", dm=True), "bob")
    assert "I don't have a command called /frobnicate." in reply
    assert "Type /help to see them all." in reply


# --- unknown commands ------------------------------------------------------------------


async def test_a_typo_gets_a_suggestion(chat: Chat, database: Database) -> None:
    await with_group(chat, "bob")
    reply = await refused_without_change(
        chat, database, "bob", "/grup", "I don't know /grup. Did you mean /group?"
    )
    assert "Type /help group" in reply


async def test_an_unknown_command_without_a_near_match_points_to_help(chat: Chat) -> None:
    reply = privately(await chat.say("bob", "/xyzzy", dm=True), "bob")
    assert reply == "I don't know /xyzzy.\nType /help to see everything I can do."


# --- permission ------------------------------------------------------------------------


async def test_members_are_refused_facilitator_commands_kindly(
    chat: Chat, database: Database
) -> None:
    await with_group(chat, "bob")
    reply = await refused_without_change(
        chat,
        database,
        "bob",
        "/group aims Take over",
        "(the people who run the group) can use /group aims.",
    )
    assert "Nothing was changed." in reply
    assert "Here, that's Alice." in reply
    assert "You could ask them" in reply


async def test_facilitators_may_use_facilitator_commands(chat: Chat) -> None:
    await with_group(chat, "bob")
    post = posted(await chat.say("alice", "/group aims Improve crisis care together"), CHANNEL)
    assert "Improve crisis care together" in post
    shown_to_bob = privately(await chat.say("bob", "/group"), "bob")
    assert "What we are here to do: Improve crisis care together" in shown_to_bob


# --- over-long and malformed input -----------------------------------------------------


async def test_over_long_input_gets_a_reply_and_changes_nothing(
    chat: Chat, database: Database
) -> None:
    before = await snapshot(database)
    said = "/group setup " + "x" * MAX_INPUT
    reply = privately(await chat.say("alice", said), "alice")
    assert f"That message is too long for me ({len(said):,} characters)." in reply
    assert "Nothing was changed." in reply
    assert f"under {MAX_INPUT:,} characters" in reply
    assert await snapshot(database) == before  # no group, and not even a person record


async def test_input_at_the_limit_is_still_read(chat: Chat) -> None:
    at_limit = "a" * MAX_INPUT
    reply = privately(await chat.say("bob", at_limit, dm=True), "bob")
    assert reply == shown_message(words.NOT_A_COMMAND)
    too_long = privately(await chat.say("bob", at_limit + "a", dm=True), "bob")
    assert "too long" in too_long


def shown_message(msg: Message) -> str:
    return render_text(msg)[0]


MALFORMED = [
    ("/group facilitator", "Please say add or remove, then the person."),
    ("/group facilitator promote @bob", "For example: /group facilitator add @sam"),
    ("/group facilitator add @", "Please name the person with @"),
    ("/group aims", "Please write the aims after /group aims."),
    ("/group timezone Moon/Base", "I don't know a time zone called Moon/Base."),
    ("/group wibble", "Type /help group to see what /group can do."),
    ("/prefs quiet whenever", "Please give a start and end time, like 21:00-08:00."),
    ("/prefs lead soon", "Please give a time between 10 minutes and 7 days"),
    ("/prefs away someday", "Please give the first and last day you're away."),
    ("/prefs reminders pigeon", "Please say dm or channel."),
    ("/prefs wibble", "Type /help prefs to see what you can change."),
    ("/help ../../etc/passwd", "Type /help to see them all."),
]


async def test_malformed_input_says_what_to_do_and_changes_nothing(
    chat: Chat, database: Database
) -> None:
    await with_group(chat, "bob")
    for said, expect in MALFORMED:
        await refused_without_change(chat, database, "alice", said, expect)


# --- a handler that fails --------------------------------------------------------------


def with_command(spec: CommandSpec) -> Catalog:
    """The whole bot, plus one command made for the test."""
    whole = catalog()
    return replace(whole, commands={**whole.commands, spec.name: spec})


def spec_running(run: object, **options: object) -> CommandSpec:
    return CommandSpec(
        name="tamper",
        summary="A test command.",
        usage="/tamper",
        examples=("/tamper",),
        run=run,
        **options,  # type: ignore[arg-type]
    )


async def rename_the_group(ctx: Context) -> None:
    ctx.the_group().name = "Renamed"
    await ctx.uow.people.preferences(ctx.person.id)  # a new row, flushed
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    prefs.pronouns = "they/them"
    await ctx.uow.session.flush()


async def test_an_unexpected_error_gets_a_kind_reply_and_rolls_back(
    database: Database, clock: VirtualClock
) -> None:
    async def crash(ctx: Context, args: str) -> None:
        await rename_the_group(ctx)
        raise RuntimeError("a bug in a handler")

    chat = Chat(Router(database.sessions, with_command(spec_running(crash))), clock)
    await with_group(chat, "bob")
    before = await snapshot(database)
    reply = privately(await chat.say("bob", "/tamper"), "bob")
    assert reply == shown_message(words.SOMETHING_WENT_WRONG)
    assert "Nothing was changed." in reply
    assert await snapshot(database) == before
    # the bot carries on as before
    assert "** Steering group **" in privately(await chat.say("bob", "/group"), "bob")


async def test_a_refusal_after_changes_rolls_them_back(
    database: Database, clock: VirtualClock
) -> None:
    async def refuse(ctx: Context, args: str) -> None:
        await rename_the_group(ctx)
        raise Refusal("Not today, thank you.")

    chat = Chat(Router(database.sessions, with_command(spec_running(refuse))), clock)
    await with_group(chat, "bob")
    await refused_without_change(chat, database, "bob", "/tamper", "Not today, thank you.")


# --- private commands ------------------------------------------------------------------


async def test_private_commands_said_in_a_channel_are_not_run_and_removed(
    database: Database, clock: VirtualClock
) -> None:
    heard: list[str] = []

    async def keep(ctx: Context, args: str) -> None:
        heard.append(args)
        ctx.reply(message("Kept privately."))

    spec = spec_running(keep, private=True, needs_group=False)
    chat = Chat(Router(database.sessions, with_command(spec)), clock)
    await with_group(chat, "bob")
    before = await snapshot(database)

    result = await chat.say("bob", "/tamper The room was too hot")
    assert result.remove_original is True
    reply = privately(result, "bob")
    assert "I haven't kept that, because others in this channel could see it." in reply
    assert "send /tamper to me in a direct message" in reply
    assert heard == []
    assert await snapshot(database) == before

    in_dm = await chat.say("bob", "/tamper The room was too hot", dm=True)
    assert in_dm.remove_original is False
    assert privately(in_dm, "bob") == "Kept privately."
    assert heard == ["The room was too hot"]


# --- which group a direct message is about ---------------------------------------------


async def test_a_dm_command_uses_the_persons_only_group(chat: Chat) -> None:
    await with_group(chat, "bob")
    reply = privately(await chat.say("bob", "/group", dm=True), "bob")
    assert "** Steering group **" in reply
    # a facilitator's change said in a DM is posted in the group's channel
    post = posted(await chat.say("alice", "/group aims Listen first", dm=True), CHANNEL)
    assert "Listen first" in post


async def test_a_dm_command_asks_which_group_when_there_are_several(chat: Chat) -> None:
    await chat.say("alice", "/group setup Steering group")
    await chat.say("alice", "/group setup Design group", channel="design")
    result = await chat.say("alice", "/group", dm=True)
    reply = privately(result, "alice")
    assert "You're in more than one group. Which group is this for?" in reply
    assert "1. Steering group" in reply and "2. Design group" in reply

    (choices,) = [b for b in result.sent[0].message.blocks if isinstance(b, Choices)]
    assert [o.label for o in choices.options] == ["Steering group", "Design group"]
    assert {o.command for o in choices.options} == {"/group"}
    design = choices.options[1]
    picked = privately(
        await chat.say("alice", design.command, dm=True, group_id=design.group_id), "alice"
    )
    assert "** Design group **" in picked


async def test_a_dm_command_with_no_group_explains_how_to_join(chat: Chat) -> None:
    reply = privately(await chat.say("carol", "/group", dm=True), "carol")
    assert reply == shown_message(words.NO_GROUP_YET)


async def test_a_chosen_group_must_be_ones_own(chat: Chat, database: Database) -> None:
    await chat.say("alice", "/group setup Steering group")
    await chat.say("carol", "/group setup Design group", channel="design")
    async with database.sessions() as session:
        steering = await session.scalar(select(Group).where(Group.channel_ref == CHANNEL))
    assert steering is not None
    await refused_without_change(
        chat,
        database,
        "carol",
        "/group aims Mine now",
        "You're not in that group",
        dm=True,
        group_id=steering.id,
    )


async def test_a_group_command_in_a_channel_that_is_not_a_group(chat: Chat) -> None:
    reply = privately(await chat.say("bob", "/group"), "bob")
    assert "This channel isn't a co-production group yet." in reply
    assert "/group setup Steering group" in reply


# --- things that are not commands ------------------------------------------------------


async def test_plain_text_in_a_dm_gets_a_gentle_hint(chat: Chat) -> None:
    reply = privately(await chat.say("bob", "hi, what is this?", dm=True), "bob")
    assert "I understand commands that start with a slash, like /help." in reply
    assert "You don't need to reply to this." in reply


async def test_plain_text_in_a_channel_gets_no_reply_but_joins_the_group(chat: Chat) -> None:
    await chat.say("alice", "/group setup Steering group")
    result = await chat.say("bob", "Hello everyone")
    assert result.sent == [] and not result.remove_original
    members = privately(await chat.say("alice", "/group"), "alice")
    assert "Members (2):" in members and "- Bob" in members


async def test_unknown_commands_in_a_channel_are_answered_privately(chat: Chat) -> None:
    await with_group(chat, "bob")
    result = await chat.say("bob", "/grup")
    assert "Did you mean /group?" in privately(result, "bob")
    # privately, next to the channel (ephemeral on Slack), not posted for everyone
    assert result.sent[0].address.channel == CHANNEL


async def test_personal_settings_said_in_the_channel_are_not_kept(app) -> None:  # type: ignore[no-untyped-def]
    from tests.support import say, texts

    await say(app, "alice", "/group setup Steering group")
    result = await say(app, "bob", "/prefs perspective lived experience")
    assert result.remove_original
    assert "haven't kept that" in texts(result)
    shown = texts(await say(app, "bob", "/prefs", dm=True))
    assert "lived experience" not in shown


async def test_a_failing_commit_still_gets_a_kind_answer(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storage.uow import UnitOfWork
    from tests.support import say, texts

    async def broken(self: UnitOfWork) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(UnitOfWork, "commit", broken)
    result = await say(app, "alice", "/group setup Steering group")
    assert "something went wrong on my side" in texts(result)
