"""Two `alongside run` processes on Matrix, one PostgreSQL database, one shared store:
one syncs and answers, the other stands by; kill -9 the owner and the other takes over,
answering what was said during the handover once, and nothing twice.

The group room is end-to-end encrypted: the new owner reads the members' messages with
the room keys the old one was sent (the same device, from the same store)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.integration.matrix.homeserver import Homeserver, free_port
from tests.integration.matrix.members import Member
from tests.integration.matrix.world import World, group_room, make_world, people, settle

pytestmark = [pytest.mark.matrix, pytest.mark.postgres, pytest.mark.slow]

CHECK_SECONDS = 1


class Instance:
    """One `alongside run` process, its log kept as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.log = ""
        assert process.stderr is not None
        self._reading = asyncio.ensure_future(self._read(process.stderr))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        async for line in stream:
            self.log += line.decode(errors="replace")

    async def said(self, what: str, seconds: float = 60) -> None:
        """Wait until the log says `what`."""
        deadline = time.monotonic() + seconds
        while what not in self.log:
            assert self.process.returncode is None, self.log[-3000:]
            assert time.monotonic() < deadline, f"no {what!r} in: {self.log[-3000:]}"
            await asyncio.sleep(0.1)

    async def ended(self) -> int:
        code = await asyncio.wait_for(self.process.wait(), 30)
        await self._reading
        return code


async def start(world: World, database_url: str, tmp_path: Path) -> Instance:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env.update(
        {
            "ALONGSIDE_CONFIG": str(tmp_path / "none.toml"),
            "ALONGSIDE_PLATFORM": "matrix",
            "ALONGSIDE_DATABASE_URL": database_url,
            "ALONGSIDE_LOG_LEVEL": "INFO",
            "ALONGSIDE_HEALTH__PORT": str(free_port()),
            "ALONGSIDE_INSTANCES__CHECK_SECONDS": str(CHECK_SECONDS),
            "ALONGSIDE_MATRIX__HOMESERVER": world.server.base_url,
            "ALONGSIDE_MATRIX__USER_ID": world.bot.user_id,
            "ALONGSIDE_MATRIX__PASSWORD": world.bot.password,
            "ALONGSIDE_MATRIX__STORE_PATH": str(world.store),
            "ALONGSIDE_MATRIX__ENCRYPT_DMS": "false",
        }
    )
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "run"),
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    return Instance(process)


def count(member: Member, text: str) -> int:
    return len(member.bot_said(text))


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_the_sync_owner_killed_another_takes_over_and_answers_each_command_once(
    homeserver: Homeserver, tmp_path: Path, database_url: str
) -> None:
    world = await make_world(homeserver, tmp_path, "sam", "tia")
    first = await start(world, database_url, tmp_path)
    second: Instance | None = None
    try:
        await first.said("ownership.serving")
        second = await start(world, database_url, tmp_path)
        await second.said("ownership.standing_by")
        async with people(world, "sam", "tia", e2e=tmp_path / "members") as (sam, tia):
            room = await group_room(world, sam, [tia], "Peer group", encrypted=True)
            await sam.say(room, "/meeting new Planning 2027-03-01 14:00")
            await sam.hears("New meeting: Planning", room)
            await sam.say(room, "/agenda add Tea rota")
            await sam.hears("Added to the agenda", dm=True)
            assert "ownership.serving" not in second.log  # it stood by: one answer only

            # Killed right after answering, maybe before it saved its sync position.
            first.process.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            await tia.say(room, "/agenda add Room booking")  # said during the handover
            await sam.say(room, "!prefs")
            await tia.until(lambda: count(tia, "Added to the agenda") >= 1, "the takeover", 30)
            takeover = time.monotonic() - killed
            await sam.hears("Your preferences", dm=True)
            assert "ownership.serving" in second.log

            await sam.say(room, "!agenda")
            agenda = await sam.hears("Agenda: Planning", dm=True)
            assert agenda.body.count("Tea rota") == 1, agenda.body  # no command ran twice
            assert agenda.body.count("Room booking") == 1, agenda.body
            await asyncio.sleep(2 * CHECK_SECONDS)  # a late double would arrive by now
            await settle(sam, tia)
            for member, said in [
                (sam, "Welcome to Peer group"),
                (sam, "New meeting: Planning"),
                (sam, "Added to the agenda"),
                (tia, "Added to the agenda"),
                (sam, "Your preferences"),
                (sam, "Agenda: Planning"),
            ]:
                assert count(member, said) == 1, (member.user_id, said)
            assert "undecryptable" not in second.log
            assert "matrix.device_changed" not in second.log  # the same device carried on
        assert takeover <= 30
        print(f"takeover: {takeover:.1f} s")
    finally:
        if first.process.returncode is None:
            first.process.send_signal(signal.SIGKILL)
        await first.ended()
        if second is not None:
            if second.process.returncode is None:
                second.process.send_signal(signal.SIGTERM)
            await second.ended()
    assert second.process.returncode == 0, second.log[-3000:]
    assert "Traceback" not in second.log, second.log[-3000:]
    assert "matrix.stopped" in second.log
