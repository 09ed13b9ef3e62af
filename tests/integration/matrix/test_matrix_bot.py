"""The whole bot on Matrix against a real Synapse, driven by real matrix-nio members.

The bot runs in this test's event loop on a fresh SQLite database with a
virtual clock; deliveries are driven with fast_forward (no waiting for
reminders). Usernames are unique per test: the homeserver is shared. The
shared pieces (World, running_bot, people, group_room) are in world.py; each
feature's own scenarios are in test_matrix_features.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from handlers.core.commands import CommandSpec, Context
from handlers.core.messages import message
from scheduler.fast_forward import fast_forward
from tests.integration.matrix.homeserver import Homeserver, RegisteredUser
from tests.integration.matrix.members import Member
from tests.integration.matrix.world import FAST, group_room, make_world, people, running_bot

pytestmark = pytest.mark.matrix

# -- the meeting cycle -------------------------------------------------------


async def test_meeting_cycle_in_rooms_and_dms(homeserver: Homeserver, tmp_path: Path) -> None:
    world = await make_world(homeserver, tmp_path, "alice", "bob", "carol")
    async with running_bot(world) as bot, people(world, "alice", "bob", "carol") as members:
        alice, bob, carol = members
        room = await group_room(world, alice, [bob, carol], "Steering group")
        welcome = alice.bot_said("Welcome to Steering group", room)[0]
        assert welcome.content["msgtype"] == "m.notice"
        assert welcome.content["m.mentions"] == {}
        assert welcome.content["format"] == "org.matrix.custom.html"
        assert "<h4>Welcome to Steering group</h4>" in welcome.html

        # Commands in the room; private answers arrive in a DM the bot opens.
        await bob.say(room, "!help")
        await bob.hears("What I can do", dm=True)
        await bob.say(room, "/group facilitator add @carol")
        refusal = await bob.hears(
            "(the people who run the group) can use /group facilitator", dm=True
        )
        assert "Here, that's" in refusal.body
        await bob.say(room, "/grup")
        await bob.hears("Did you mean /group?", dm=True)
        (bob_dm,) = bob.dm_rooms
        await bob.say(bob_dm, "/prefs quiet 21:00-08:00")
        await bob.hears("I won't send you anything between 21:00 and 08:00", bob_dm)
        await bob.say(bob_dm, "/group")
        about = await bob.hears("Run by", bob_dm)
        assert "Members (3)" in about.body  # carol joined before setup: still a member

        # Carol opens her own DM with the bot (is_direct invite), and speaks there.
        carol_dm = await carol.create_room("", invite=[world.bot.user_id], direct=True)
        await carol.until(lambda: carol.in_room(carol_dm, world.bot.user_id), "the bot in DM")
        await carol.say(carol_dm, "!prefs reminders channel")
        await carol.hears("Reminders and packs will come in the group's channel", carol_dm)

        # A meeting and its agenda; member text is inert in HTML and pings nobody.
        await alice.say(
            room, "/meeting new Steering group meeting 2026-12-05 14:00 for 2h at Room 4, Town Hall"
        )
        await bob.hears("New meeting: Steering group meeting", room)
        await alice.say(room, "/agenda add Welcome and check-in minutes 15")
        await alice.hears("Added to the agenda", dm=True)
        await bob.say(room, "/agenda add Ask @room and <b>everyone</b> about waiting times")
        added = await bob.hears("Ask @room and <b>everyone</b>", bob_dm)
        assert "&lt;b&gt;everyone&lt;/b&gt;" in added.html
        assert "<b>" not in added.html
        assert added.content["m.mentions"] == {}
        await bob.say(bob_dm, "!agenda")
        agenda = await bob.hears("Agenda: Steering group meeting", bob_dm)
        assert "Welcome and check-in" in agenda.body
        assert "<ul>" in agenda.html

        # A mistyped command gets a suggestion, privately.
        await alice.say(room, "/grup")
        await alice.hears("Did you mean /group?", dm=True)

        # Time passes: every pack and reminder, once each, where each person asked.
        report = await fast_forward(
            bot.engine, world.clock, datetime(2026, 12, 5, 18, 0, tzinfo=UTC)
        )
        assert report.failed == 0
        personal = ["after", "daybefore", "hourbefore", "pack"]
        # Nobody chairs: alice, a facilitator, hears when the first item has 5 minutes left.
        facilitator = ["after", "daybefore", "hourbefore", "live-warn0", "pack"]
        # Live meeting mode: today's agenda as it starts, and the breaks.
        channel = [
            "after",
            "daybefore",
            "hourbefore",
            "live-breakNone",
            "live-breakNone",
            "live-openNone",
            "pack",
        ]

        def cycle(kinds: list[str]) -> list[str]:
            """Packs, reminders, breaks, live posts, thank-yous (check-ins have their own tests)."""
            return [k for k in kinds if k in personal or k.startswith(("break", "live-"))]

        for member, expected in ((alice, facilitator), (bob, personal)):
            await member.until(
                lambda m=member, e=expected: cycle(m.kinds(dm=True)) == e, "its DM deliveries"
            )
        await carol.until(lambda: cycle(carol.kinds(room)) == channel, "the channel deliveries")
        for member in members:
            await member.sync()
        assert cycle(alice.kinds(dm=True)) == facilitator
        assert cycle(bob.kinds(dm=True)) == personal
        assert cycle(carol.kinds(dm=True)) == []
        assert cycle(carol.kinds(room)) == channel
        pack = next(s for s in bob.from_bot(bob_dm) if s.kind == "pack")
        assert "Ask @room and <b>everyone</b>" in pack.body
        assert "&lt;b&gt;" in pack.html and pack.content["m.mentions"] == {}


# -- side effects, whatever the command's words --------------------------------


async def test_group_setup_however_written_adds_the_people_already_in_the_room(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "lena", "milo")
    async with running_bot(world) as bot, people(world, "lena", "milo") as (lena, milo):
        woken: list[str] = []
        bot.events.wake = lambda: woken.append("wake")
        room = await lena.create_room("Carers group", invite=[world.bot.user_id, milo.user_id])
        await milo.join(room)
        await lena.until(lambda: lena.in_room(room, world.bot.user_id), "the bot to join")
        await lena.say(room, "!group Setup Carers group")
        await lena.hears("Welcome to Carers group", room)
        # A group was made: the delivery engine looks again (once the command is recorded,
        # which may finish just after the reply arrives).
        await lena.until(lambda: woken == ["wake"], "the delivery engine to be woken")
        await lena.say(room, "!help")
        await lena.hears("What I can do", dm=True)
        assert woken == ["wake"]  # reading changes nothing: it sleeps on
        await lena.say(room, "!group")
        about = await lena.hears("Run by", dm=True)
        assert "Members (2)" in about.body  # milo never spoke: he was already in the room


# -- encryption ----------------------------------------------------------------


async def test_encrypted_dms_work_both_ways(homeserver: Homeserver, tmp_path: Path) -> None:
    world = await make_world(homeserver, tmp_path, "dana", "eve")
    async with (
        running_bot(world, encrypt_dms=True) as bot,
        people(world, "dana", "eve", e2e=tmp_path / "members") as (dana, eve),
    ):
        # Dana opens an encrypted DM (as Element does) and talks to the bot in it.
        dm = await dana.create_room("", invite=[world.bot.user_id], direct=True, encrypted=True)
        await dana.until(lambda: dana.in_room(dm, world.bot.user_id), "the bot in the DM")
        await dana.say(dm, "!help")
        answer = await dana.hears("What I can do", dm)
        assert answer.encrypted, "the bot's answer should arrive encrypted"

        # Eve speaks in a room; the bot opens an encrypted DM for her answer; she replies there.
        room = await dana.create_room("Plain room", invite=[world.bot.user_id, eve.user_id])
        await eve.join(room)
        await dana.until(lambda: dana.in_room(room, world.bot.user_id), "the bot in the room")
        await eve.say(room, "!prefs")
        prefs = await eve.hears("Your preferences", dm=True)
        assert prefs.encrypted
        (eve_dm,) = eve.dm_rooms
        await eve.say(eve_dm, "/prefs pronouns she/her")
        assert (await eve.hears("I've saved your pronouns", eve_dm)).encrypted

        # A message the bot has no keys for gets a plain-words answer, not silence.
        login = await world.server.alogin(
            world.people["dana"].user_id[1:].split(":")[0], "dana-password"
        )
        other_device = RegisteredUser(
            dana.user_id, login["access_token"], login["device_id"], "dana-password"
        )
        stranger = Member(world.server, other_device, world.bot.user_id)
        try:
            await stranger.send_raw(
                dm,
                "m.room.encrypted",
                {
                    "algorithm": "m.megolm.v1.aes-sha2",
                    "ciphertext": "AwgAEhAAAAAAAAAAAAAAAAAA",
                    "sender_key": "NotARealCurve25519KeyAtAllxxxxxxxxxxxxxxxxx",
                    "session_id": "no-such-session",
                    "device_id": other_device.device_id,
                },
            )
        finally:
            await stranger.close()
        notice = await dana.hears(
            "I couldn't read your message because it was encrypted "
            "with keys I don't have. Please send it again.",
            dm,
        )
        assert notice.encrypted
        assert bot.stats.handled >= 3

    # The store is private to the bot's user.
    assert (world.store.stat().st_mode & 0o777) == 0o700
    for entry in world.store.iterdir():
        assert (entry.stat().st_mode & 0o077) == 0, entry.name
    assert (world.store / "pickle-key").read_text().strip() != "DEFAULT_KEY"


# -- private commands, power, numbered choices -----------------------------------


async def whisper(ctx: Context, args: str) -> None:
    """A private command for this test (like /concern): its text must not stay in a room."""
    ctx.reply(message("Thank you. Only I have seen that."))


WHISPER = CommandSpec(
    name="whisper",
    summary="Tell me something privately.",
    usage="/whisper <text>",
    examples=("/whisper hello",),
    run=whisper,
    needs_group=False,
    private=True,
)


async def test_private_command_in_a_room_is_redacted_and_numbers_choose(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "fay", "gus")
    async with running_bot(world) as bot, people(world, "fay", "gus") as (fay, gus):
        bot.app.router.commands = {**bot.app.router.commands, "whisper": WHISPER}
        powered = await group_room(world, fay, [gus], "Design group", power={world.bot.user_id: 50})
        plain = await group_room(world, fay, [gus], "Board")

        secret = await gus.say(powered, "/whisper the room was too hot")
        await gus.hears("I haven't kept that, because others in this channel could see it", dm=True)
        await gus.until(lambda: secret in gus.redacted, "the private message to be redacted")

        # Without power to redact, the bot still answers privately and carries on.
        kept = await gus.say(plain, "!whisper the tea was cold")
        await gus.hears("I haven't kept that", dm=True, count=2)
        await gus.say(plain, "/grup")
        await gus.hears("Did you mean /group?", dm=True)
        assert kept not in gus.redacted

        # Two groups: a DM command asks which one; a number answers it.
        (gus_dm,) = gus.dm_rooms
        await gus.say(gus_dm, "/group")
        choice = await gus.hears("Which group is this for?", gus_dm)
        assert "1. Design group" in choice.body and "2. Board" in choice.body
        assert '<ol start="1">' in choice.html
        await gus.say(gus_dm, "2")
        about = await gus.hears("Board", gus_dm, count=2)
        assert "Members (2)" in about.body and "Design group" not in about.body


# -- restarts --------------------------------------------------------------------


async def test_bot_restart_neither_repeats_nor_misses(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "hana", "ivan")
    tiny = dataclasses.replace(FAST, timeline_limit=3)  # gaps are filled from history
    async with people(world, "hana", "ivan") as (hana, ivan):
        async with running_bot(world, tiny):
            room = await group_room(world, hana, [ivan], "Peer group")
            await ivan.say(room, "!grup")
            await ivan.hears("Did you mean /group?", dm=True)

        # While the bot is away: a command, chatter (more than one timeline page), a command.
        await ivan.say(room, "/help")
        for n in range(6):
            await hana.say(room, f"Just chatting {n}")
        await hana.say(room, "/meeting new Peer meeting 2026-12-10 18:00")

        async with running_bot(world, tiny) as again:
            await ivan.hears("What I can do", dm=True)
            await ivan.hears("New meeting: Peer meeting", room)
            # A crash after handling a command but before saving the sync position...
            save, handled = again.store.save_sync_token, again.stats.handled

            async def crash(token: str) -> None:
                if again.stats.handled > handled:
                    raise RuntimeError("simulated crash before the sync position is saved")
                await save(token)

            again.store.save_sync_token = crash  # type: ignore[method-assign]
            await ivan.say(room, "/grup")
            await ivan.hears("Did you mean /group?", dm=True, count=2)

        # ...and the next start handles that batch again: nothing answered twice.
        async with running_bot(world, tiny) as third:
            await ivan.say(room, "!agenda")
            await ivan.hears("Agenda: Peer meeting", dm=True)
            assert third.stats.replayed >= 1  # the crashed batch came again, and was skipped
        for member in (hana, ivan):
            await member.sync()
        assert len(ivan.bot_said("Did you mean /group?")) == 2
        assert len(ivan.bot_said("What I can do")) == 1
        assert len(hana.bot_said("New meeting: Peer meeting")) == 1
        assert len(hana.bot_said("Welcome to Peer group")) == 1
        assert len(ivan.bot_said("Agenda: Peer meeting")) == 1


async def test_a_reply_goes_out_before_it_is_recorded_and_a_crash_then_repeats_nothing(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "lena", "max")
    async with people(world, "lena", "max") as (lena, max_):
        async with running_bot(world) as bot:
            room = await group_room(world, lena, [max_], "Night group")
            await lena.say(room, "/meeting new Night meeting 2026-12-10 18:00")
            await lena.hears("New meeting: Night meeting", room)
            await max_.say(room, "!help")  # the bot opens Max's DM
            await max_.hears("What I can do", dm=True)
            # The bot answers while it is still recording the command, then crashes
            # before the record and the sync position are saved.
            recorded = asyncio.Event()
            save = bot.store.save_sync_token

            async def crash_while_recording(*args: object, **kwargs: object) -> bool:
                await recorded.wait()
                raise RuntimeError("simulated crash while recording the event")

            async def crash(token: str) -> None:
                if recorded.is_set():
                    raise RuntimeError("simulated crash before the sync position is saved")
                await save(token)

            bot.store.record = crash_while_recording  # type: ignore[method-assign]
            bot.store.save_sync_token = crash  # type: ignore[method-assign]
            await max_.say(room, "!agenda add Night snacks")
            await max_.hears("Added to the agenda", dm=True)
            recorded.set()

        # The next start handles that command again: its work was saved, so it is not done
        # again; its answer has the same transaction id, so the homeserver drops it, and
        # Max sees it once.
        async with running_bot(world) as again:
            await max_.say(room, "!agenda")
            agenda = await max_.hears("Agenda: Night meeting", dm=True)
            assert again.stats.handled == 2  # the command that crashed, and the new one
        assert agenda.body.count("Night snacks") == 1
        assert len(max_.bot_said("Added to the agenda")) == 1


async def test_synapse_restart_loses_nothing(homeserver: Homeserver, tmp_path: Path) -> None:
    world = await make_world(homeserver, tmp_path, "jo", "kim")
    async with running_bot(world) as bot, people(world, "jo", "kim") as (jo, kim):
        room = await group_room(world, jo, [kim], "Carers group")
        await jo.say(room, "/meeting new Carers meeting 2026-12-05 14:00")
        await kim.hears("New meeting: Carers meeting", room)
        await jo.say(room, "/agenda add Introductions")
        await jo.hears("Added to the agenda", dm=True)
        await kim.say(room, "/grup")  # said just before the homeserver goes away

        await homeserver.astop()
        try:
            report = await fast_forward(
                bot.engine, world.clock, datetime(2026, 12, 2, 14, 1, tzinfo=UTC)
            )
            assert report.failed >= 1 and report.sent == 0
        finally:
            await homeserver.astart()

        recovered = await bot.engine.deliver_due(world.clock.now())
        assert recovered.failed == 0 and recovered.recovered == 2
        await kim.hears("Did you mean /group?", dm=True)
        for member in (jo, kim):
            await member.until(lambda m=member: m.kinds(dm=True) == ["pack"], "one pack")
        await kim.say(room, "!help")
        await kim.hears("What I can do", dm=True)
        for member in (jo, kim):
            await member.sync()
            assert member.kinds(dm=True) == ["pack"]
        assert len(kim.bot_said("Did you mean /group?")) == 1


# -- Synapse's own rate limits ---------------------------------------------------


async def test_default_rate_limits_back_off_and_lose_nothing(
    make_homeserver: Callable[..., Homeserver], tmp_path: Path
) -> None:
    server = make_homeserver(default_rate_limits=True)
    names = ("lee", "mo", "nia", "oz", "pat")
    world = await make_world(server, tmp_path, *names)
    patient = dataclasses.replace(FAST, rate_limit_attempts=20)
    async with running_bot(world, patient) as bot, people(world, *names) as members:
        lee, *others = members
        room = await lee.create_room("Open group", invite=[world.bot.user_id], public=True)
        for member in others:
            await member.join(room)
        await lee.until(lambda: lee.in_room(room, world.bot.user_id), "the bot to join")
        await lee.say(room, "/group setup Open group")
        await lee.hears("Welcome to Open group", room)
        await lee.say(room, "/meeting new Check-in 2026-12-01 14:00")
        await lee.hears("New meeting: Check-in", room)

        report = await bot.engine.deliver_due(world.clock.now())  # the pack, to five DMs
        assert report.failed == 0 and report.sent == len(names)
        assert bot.stats.rate_limited >= 1, "expected Synapse to limit the fan-out"
        for member in members:
            await member.until(lambda m=member: m.kinds(dm=True) == ["pack"], "its pack")


# -- the real command: real clock, APScheduler wake-ups, SIGTERM ------------------


async def test_alongside_run_on_matrix_serves_and_stops(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    world = await make_world(homeserver, tmp_path, "quinn", "ray")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env.update(
        {
            "ALONGSIDE_CONFIG": str(tmp_path / "none.toml"),
            "ALONGSIDE_PLATFORM": "matrix",
            "ALONGSIDE_DATABASE_URL": world.database_url,
            "ALONGSIDE_LOG_LEVEL": "INFO",
            "ALONGSIDE_MATRIX__HOMESERVER": homeserver.base_url,
            "ALONGSIDE_MATRIX__USER_ID": world.bot.user_id,
            "ALONGSIDE_MATRIX__PASSWORD": world.bot.password,
            "ALONGSIDE_MATRIX__STORE_PATH": str(world.store),
            "ALONGSIDE_MATRIX__ENCRYPT_DMS": "false",
        }
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with people(world, "quinn", "ray") as (quinn, ray):
            room = await group_room(world, quinn, [ray], "Live group")
            await ray.say(room, "!help")
            await ray.hears("What I can do", dm=True)
            # A meeting whose pack is already due: the wake-up sends it without a restart.
            await quinn.say(room, "/meeting new Live meeting tomorrow 10:30")
            for member in (quinn, ray):
                await member.until(lambda m=member: m.kinds(dm=True) == ["pack"], "the pack")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-3000:]
    assert b"Traceback" not in err, err.decode()[-3000:]
    assert b"matrix.stopped" in err
