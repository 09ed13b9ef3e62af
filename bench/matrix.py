"""Measures alongside's `!agenda` round trip on Matrix against a bare nio echo bot,
both on one Synapse on loopback, in the same run.

Synapse starts from `.venv-synapse` (the integration tests' harness). alongside runs as
its own process through the stable CLI (`python -m bot matrix`, config from the
environment, unencrypted DMs); the echo bot (bench/echo.py) runs as its own process too.
A member of a group with a meeting and a few agenda items sends `!agenda` and times it
until the agenda is seen through sync (alongside answers in a DM); another person sends
a plain message in the echo bot's room and times it until the echo is seen. Rounds
alternate between the two, after a few warm-up rounds each, so both meet the same
conditions. The ratio says how much alongside adds to a bare bot's round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.children import Child, start_child
from tests.integration.matrix.homeserver import (
    SYNAPSE_PYTHON,
    Homeserver,
    RegisteredUser,
    start_homeserver,
)
from tests.integration.matrix.members import Member, start_members

WARMUP = 3
ROUNDS = 20
BUDGET = 300.0  # seconds for everything after Synapse is up, with 20 rounds
WAIT = 20.0  # seconds for any one reply
START_WAIT = 60.0  # seconds for a bot to start and join its room
AGENDA = ("Welcome and introductions", "Budget for 2027", "Any other business")
NOT_BUILT = (
    "The Matrix benchmark runs a real Synapse from {venv}, which isn't built yet.\n"
    "Build it once with `bash scripts/synapse-venv.sh` (about a minute), then run "
    "`python -m bench matrix` again."
)


@dataclass
class Figures:
    """Round trips in seconds, alongside's and the echo bot's, in the order measured."""

    alongside: list[float]
    echo: list[float]


def _alongside_env(server: Homeserver, bot: RegisteredUser, folder: Path) -> dict[str, str]:
    """alongside's configuration, all from the environment (nothing from the caller's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env.update(
        {
            "ALONGSIDE_CONFIG": str(folder / "no-config-file.toml"),
            "ALONGSIDE_DATABASE_URL": f"sqlite:///{folder / 'alongside.db'}",
            "ALONGSIDE_LOG_LEVEL": "WARNING",
            "ALONGSIDE_MATRIX__HOMESERVER": server.base_url,
            "ALONGSIDE_MATRIX__USER_ID": bot.user_id,
            "ALONGSIDE_MATRIX__PASSWORD": bot.password,
            "ALONGSIDE_MATRIX__STORE_PATH": str(folder / "matrix-store"),
            "ALONGSIDE_MATRIX__ENCRYPT_DMS": "false",  # like for like: the echo bot's room is plain
        }
    )
    return env


def _meeting_day() -> str:
    """Three weeks from today: nothing about the meeting falls due during the run."""
    return (datetime.now(UTC) + timedelta(days=21)).strftime("%Y-%m-%d")


def _alive(children: list[Child], check: Callable[[], bool]) -> Callable[[], bool]:
    """`check`, failing at once (with the reason) if a bot process has exited."""

    def checked() -> bool:
        for child in children:
            child.check()
        return check()

    return checked


async def _group(ann: Member, bea: Member, children: list[Child]) -> str:
    """ann makes a room with alongside and bea, sets up a group, a meeting and its agenda."""
    room = await ann.create_room("Bench group", invite=[ann.bot_id, bea.user_id])
    await bea.join(room)
    joined = _alive(children, lambda: ann.in_room(room, ann.bot_id))
    await ann.until(joined, "alongside to join", START_WAIT)
    await ann.say(room, "/group setup Bench group")
    await ann.hears("Welcome to Bench group", room)
    await ann.say(room, f"/meeting new Planning {_meeting_day()} 14:00 for 45m")
    await ann.hears("New meeting: Planning", room)
    for count, item in enumerate(AGENDA, start=1):
        await ann.say(room, f"/agenda add {item}")
        await ann.hears("Added to the agenda", dm=True, count=count)
    return room


async def _echo_room(cal: Member, children: list[Child]) -> str:
    """cal makes a room with the echo bot in it."""
    room = await cal.create_room("Echo", invite=[cal.bot_id])
    joined = _alive(children, lambda: cal.in_room(room, cal.bot_id))
    await cal.until(joined, "the echo bot to join", START_WAIT)
    return room


async def _round_trip(
    member: Member, room: str, text: str, replies: Callable[[], int], children: list[Child]
) -> float:
    """Seconds from sending `text` until the member's sync shows one more reply."""
    before = replies()
    began = asyncio.get_running_loop().time()
    await member.say(room, text)
    await member.until(_alive(children, lambda: replies() > before), f"a reply to {text!r}", WAIT)
    return asyncio.get_running_loop().time() - began


async def measure(
    server: Homeserver, folder: Path, children: list[Child], rounds: int = ROUNDS
) -> Figures:
    """Register everyone, start both bots, set up their rooms, then time alternate rounds."""
    users = {
        name: await server.aregister_user(name, f"{name}-password")
        for name in ("alongside", "echo", "ann", "bea", "cal")
    }
    bot, echo = users["alongside"], users["echo"]
    children.append(
        start_child(
            "alongside",
            [sys.executable, "-m", "bot", "matrix"],
            _alongside_env(server, bot, folder),
            folder / "alongside.log",
        )
    )
    children.append(
        start_child(
            "echo bot",
            [sys.executable, "-m", "bench.echo", server.base_url, echo.user_id, echo.device_id],
            {**os.environ, "ECHO_ACCESS_TOKEN": echo.access_token},
            folder / "echo.log",
        )
    )
    ann, bea = (Member(server, users[n], bot.user_id) for n in ("ann", "bea"))
    cal = Member(server, users["cal"], echo.user_id)
    members = [ann, bea, cal]
    try:
        await start_members(members)
        group, plain = await asyncio.gather(_group(ann, bea, children), _echo_room(cal, children))
        figures = Figures([], [])
        for n in range(WARMUP + rounds):
            echoed = await _round_trip(
                cal,
                plain,
                f"ping {n}",
                lambda: len(cal.bot_said("echo: ping", plain)),
                children,
            )
            agenda = await _round_trip(
                bea,
                group,
                "!agenda",
                lambda: len(bea.bot_said("Agenda: Planning", dm=True)),
                children,
            )
            if n >= WARMUP:
                figures.echo.append(echoed)
                figures.alongside.append(agenda)
        return figures
    finally:
        for member in members:
            await member.close()


def _p90(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=10, method="inclusive")[-1]


def report(figures: Figures) -> None:
    """Median and p90 of each, and the ratio alongside/echo, plainly."""
    ours, base = figures.alongside, figures.echo
    print(
        f"matrix: round trip on one Synapse on loopback, {len(ours)} rounds each "
        f"after {WARMUP} warm-up, alternating"
    )
    print(
        f"  alongside  median {statistics.median(ours) * 1000:7.1f} ms  "
        f"p90 {_p90(ours) * 1000:7.1f} ms  (!agenda in the group, the agenda back in a DM)"
    )
    print(
        f"  echo bot   median {statistics.median(base) * 1000:7.1f} ms  "
        f"p90 {_p90(base) * 1000:7.1f} ms  (a message in a room, a bare nio bot echoes it)"
    )
    print(
        f"  ratio      {statistics.median(ours) / statistics.median(base):6.2f}x the echo bot "
        f"at the median, {_p90(ours) / _p90(base):.2f}x at p90"
    )


def main(args: list[str] | None = None) -> int:
    """Run the Matrix benchmark; print the figures, or why it could not run."""
    parser = argparse.ArgumentParser(prog="python -m bench matrix")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="round trips of each bot")
    rounds = max(1, parser.parse_args(args or []).rounds)
    budget = BUDGET * max(1.0, rounds / ROUNDS)
    if not SYNAPSE_PYTHON.exists():
        print(NOT_BUILT.format(venv=SYNAPSE_PYTHON.parents[1]), file=sys.stderr)
        return 1
    children: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="alongside-bench-") as tmp:
        folder = Path(tmp)
        server: Homeserver | None = None
        try:
            server = start_homeserver(folder / "synapse", install=False)
            figures = asyncio.run(
                asyncio.wait_for(measure(server, folder, children, rounds), budget)
            )
        except (RuntimeError, AssertionError, TimeoutError, OSError) as error:
            reason = str(error) or f"it took longer than {budget:.0f} s"
            print(f"matrix: the benchmark stopped: {reason}", file=sys.stderr)
            for child in children:
                print(child.log_tail(), file=sys.stderr)
            return 1
        finally:
            for child in children:
                child.stop()
            if server is not None:
                server.stop()
    report(figures)
    return 0
