"""Measures alongside's Slack hot path against a bare slack-bolt app, in the same run.

    python -m bench slack [--requests N] [--serial-requests N] [--repeats R]
                          [--database sqlite|postgres|both]

Three processes besides this one: the mock Web API (bench/slack_mock.py), alongside
over HTTP through its stable CLI (`python -m bot slack`, config from the environment,
durable inbox on as always), and a bare Bolt app that only acknowledges
(bench/slack_bare.py), both on aiohttp. This process is the load generator: signed
`/agenda` slash commands from 20 members of a group with a meeting and five agenda
items, over aiohttp, at concurrency 20 and then 1 (0 requests skips one). Runs
alternate between the bare app and alongside; after each alongside run the benchmark
waits until every answer has reached the mock (alongside answers after acknowledging,
through the response_url).

Printed per database and concurrency: acknowledgements per second, ack p50 and p99,
acks slower than Slack's 3 seconds, answers lost and posted twice (counted at the mock
once everything has settled), server CPU per request (alongside's includes the work
done after the ack), and alongside's figures as ratios of the bare app's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bench.children import Child, start_child
from bot import logs
from bot.app import build_app
from handlers.core.router import Incoming
from scheduler.clock import SystemClock
from tests.integration.slack.signing import slash_command

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
CHANNEL = "CBENCH"
MEMBERS = 20
AGENDA = ("Welcome", "Budget for 2027", "Crisis line hours", "Newsletter", "Any other business")
SLACK_LIMIT = 3.0  # seconds Slack waits for an acknowledgement
START_WAIT = 60.0
DRAIN_WAIT = 180.0  # seconds for alongside to post every answer after a run
SETTLE = 3.0  # seconds to wait before counting answers at the end
WARMUP = 60
TICKS = os.sysconf("SC_CLK_TCK")
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Run:
    """One run of N requests against one app at one concurrency."""

    app: str
    concurrency: int
    seconds: float
    latencies: list[float]
    errors: int
    cpu: float  # server CPU seconds for the run (alongside: until every answer was posted)
    tag: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def count(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def slow(self) -> int:
        return sum(1 for latency in self.latencies if latency > SLACK_LIMIT)


@dataclass
class Servers:
    """The running processes and where they answer."""

    api: str
    answers: str
    alongside: str
    bare: str
    children: list[Child] = field(default_factory=list)

    def pid(self, name: str) -> int:
        return next(c.process.pid for c in self.children if c.name == name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def _prepare(database_url: str) -> None:
    """A group in CHANNEL with every member, a meeting in three weeks and five agenda items."""
    app = await build_app(database_url, SystemClock())
    try:

        async def say(user: int, text: str) -> None:
            await app.handle(Incoming("slack", f"U{user:04d}", f"member{user}", text, CHANNEL))

        await say(0, "/group setup Bench group")
        day = (datetime.now(UTC) + timedelta(days=21)).strftime("%Y-%m-%d")
        await say(0, f"/meeting new Planning {day} 14:00 for 45m")
        for item in AGENDA:
            await say(0, f"/agenda add {item}")
        for user in range(1, MEMBERS):
            await say(user, "hello")
    finally:
        await app.close()


async def _until(check: Callable[[], bool], what: str, children: list[Child]) -> None:
    deadline = time.monotonic() + START_WAIT
    while not check():
        for child in children:
            child.check()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {START_WAIT:.0f} s")
        await asyncio.sleep(0.1)


async def _until_answering(url: str, children: list[Child]) -> None:
    """Wait until `url` answers HTTP at all (a server up and listening)."""
    deadline = time.monotonic() + START_WAIT
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url) as response:
                    await response.read()
                    return
            except aiohttp.ClientError:
                pass
            for child in children:
                child.check()
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {START_WAIT:.0f} s")
            await asyncio.sleep(0.2)


async def _start(folder: Path, database_url: str) -> Servers:
    """Start the mock, alongside and the bare app; return once all three answer."""
    children: list[Child] = []
    mock_log = folder / "mock.log"
    children.append(
        start_child(
            "mock",
            [sys.executable, "-m", "bench.slack_mock", str(MEMBERS), CHANNEL],
            dict(os.environ),
            mock_log,
        )
    )
    lines: list[str] = []

    def mock_up() -> bool:
        lines[:] = [x for x in mock_log.read_text().splitlines() if x.startswith("mock ")]
        return bool(lines)

    try:
        await _until(mock_up, "the mock Web API starting", children)
        _, api, answers = lines[0].split()
        ours, bare = _free_port(), _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
        env.update(
            {
                "ALONGSIDE_CONFIG": str(folder / "no-config-file.toml"),
                "ALONGSIDE_PLATFORM": "slack",
                "ALONGSIDE_DATABASE_URL": database_url,
                "ALONGSIDE_LOG_LEVEL": "WARNING",
                "ALONGSIDE_SLACK__BOT_TOKEN": TOKEN,
                "ALONGSIDE_SLACK__SIGNING_SECRET": SECRET,
                "ALONGSIDE_SLACK__HOST": "127.0.0.1",
                "ALONGSIDE_SLACK__PORT": str(ours),
                "ALONGSIDE_SLACK__API_URL": api,
            }
        )
        children.append(
            start_child(
                "alongside",
                [
                    sys.executable,
                    *os.environ.get("BENCH_PROFILE", "").split(),
                    "-m",
                    "bot",
                    "slack",
                ],
                env,
                folder / "alongside.log",
            )
        )
        children.append(
            start_child(
                "bare",
                [sys.executable, "-m", "bench.slack_bare", str(bare), api],
                {**os.environ, "SLACK_SIGNING_SECRET": SECRET},
                folder / "bare.log",
            )
        )
        servers = Servers(
            api, answers, f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{bare}", children
        )
        for url in (servers.alongside, servers.bare):
            await _until_answering(f"{url}/slack/events", children)
        return servers
    except BaseException:
        for child in children:
            child.stop()
        raise


async def _load(
    url: str, mock_root: str, count: int, concurrency: int, tag: str
) -> tuple[float, list[float], int]:
    """Send `count` signed /agenda commands, `concurrency` at a time: (seconds, ack
    latencies of the answered ones, requests not answered 200)."""
    numbers = iter(range(count))
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            for n in numbers:
                body, headers = slash_command(
                    SECRET,
                    command="/agenda",
                    user_id=f"U{n % MEMBERS:04d}",
                    user_name=f"member{n % MEMBERS}",
                    channel_id=CHANNEL,
                    channel_name="bench",
                    response_url=f"{mock_root}/response/{tag}-{n}",
                )
                began = time.perf_counter()
                try:
                    async with session.post(
                        f"{url}/slack/events", data=body, headers=headers
                    ) as response:
                        await response.read()
                        ok = response.status == 200
                except aiohttp.ClientError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - began, latencies, errors


async def _answers(servers: Servers) -> dict[str, int]:
    async with aiohttp.ClientSession() as session, session.get(servers.answers) as response:
        counts: dict[str, int] = await response.json()
        return counts


async def _drain(servers: Servers, tag: str, count: int) -> None:
    """Wait until every request of the run has had an answer (or DRAIN_WAIT has passed)."""
    deadline = time.monotonic() + DRAIN_WAIT
    while time.monotonic() < deadline:
        answered = sum(1 for key in await _answers(servers) if key.startswith(f"{tag}-"))
        if answered >= count:
            return
        for child in servers.children:
            child.check()
        await asyncio.sleep(0.1)


async def _run(servers: Servers, app: str, count: int, concurrency: int, tag: str) -> Run:
    url = servers.alongside if app == "alongside" else servers.bare
    mock_root = servers.api.removesuffix("/api/")
    pid = servers.pid(app)
    cpu = _cpu(pid)
    seconds, latencies, errors = await _load(url, mock_root, count, concurrency, tag)
    if app == "alongside":
        await _drain(servers, tag, count)
    return Run(app, concurrency, seconds, latencies, errors, _cpu(pid) - cpu, tag)


async def measure(
    database_url: str, folder: Path, counts: dict[int, int], repeats: int
) -> tuple[list[Run], dict[str, int]]:
    """Prepare the database, start everything, warm up, then alternate the runs."""
    logs.configure("WARNING")  # the figures, not a log line per setup command
    await _prepare(database_url)
    servers = await _start(folder, database_url)
    runs: list[Run] = []
    try:
        for app in ("bare", "alongside"):
            await _run(servers, app, WARMUP, 5, f"warmup-{app}")
        serial = itertools.count()
        for concurrency, count in counts.items():
            for repeat in range(repeats):
                order = ("bare", "alongside") if repeat % 2 == 0 else ("alongside", "bare")
                for app in order:
                    runs.append(
                        await _run(servers, app, count, concurrency, f"r{next(serial)}-{app}")
                    )
        await asyncio.sleep(SETTLE)
        answers = await _answers(servers)
    except (RuntimeError, OSError, TimeoutError, aiohttp.ClientError):
        for child in servers.children:
            print(child.log_tail(), file=sys.stderr)
        raise
    finally:
        for child in servers.children:
            child.stop()
    return runs, answers


def _span(values: list[float], fmt: str) -> str:
    low, high = min(values), max(values)
    shown = fmt.format(low), fmt.format(high)
    return shown[0] if shown[0] == shown[1] else f"{shown[0]}–{shown[1]}"


def report(database: str, runs: list[Run], answers: dict[str, int], counts: dict[int, int]) -> None:
    """The figures per concurrency: each app's range over the repeats, and the ratios."""
    print(f"slack on {database}: signed /agenda commands, bare Bolt vs alongside")
    for concurrency, count in counts.items():
        bare = [r for r in runs if r.app == "bare" and r.concurrency == concurrency]
        ours = [r for r in runs if r.app == "alongside" and r.concurrency == concurrency]
        lost = [sum(1 for n in range(count) if f"{r.tag}-{n}" not in answers) for r in ours]
        twice = [sum(1 for n in range(count) if answers.get(f"{r.tag}-{n}", 0) > 1) for r in ours]
        print(
            f"  concurrency {concurrency}: {count} requests per run, "
            f"{len(bare)} runs each, alternating"
        )
        for name, group in (("bare Bolt", bare), ("alongside", ours)):
            print(
                f"    {name:10} {_span([r.rate for r in group], '{:.0f}'):>11} acks/s  "
                f"p50 {_span([r.quantile(0.5) * 1000 for r in group], '{:.1f}'):>11} ms  "
                f"p99 {_span([r.quantile(0.99) * 1000 for r in group], '{:.1f}'):>13} ms  "
                f"over 3 s {sum(r.slow for r in group)}  "
                f"errors {sum(r.errors for r in group)}  "
                f"CPU {_span([r.cpu / count * 1000 for r in group], '{:.2f}'):>11} ms/request"
            )
        print(f"    alongside answers lost {sum(lost)}, posted twice {sum(twice)}")
        rates = [o.rate / b.rate for o, b in zip(ours, bare, strict=True)]
        p99 = [o.quantile(0.99) / b.quantile(0.99) for o, b in zip(ours, bare, strict=True)]
        print(
            f"    ratio      acks/s {statistics.median(rates):.2f}x bare "
            f"({_span(rates, '{:.2f}')}), ack p99 {statistics.median(p99):.2f}x bare "
            f"({_span(p99, '{:.2f}')})"
        )


async def _postgres_database(url: str) -> tuple[str, Callable[[], Coroutine[Any, Any, None]]]:
    """A new, empty database on the server; returns its URL and what drops it."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.db import async_url

    name = f"alongside_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(async_url(url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()

    async def drop() -> None:
        engine = create_async_engine(async_url(url), isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def main(args: list[str]) -> int:
    """Run the Slack benchmark on the databases asked for; print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench slack")
    parser.add_argument(
        "--requests", type=int, default=1000, help="per run at concurrency 20 (default 1000)"
    )
    parser.add_argument(
        "--serial-requests", type=int, default=200, help="per run at concurrency 1 (default 200)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each app (default 3)")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    options = parser.parse_args(args)
    counts = {20: options.requests, 1: options.serial_requests}
    counts = {c: n for c, n in counts.items() if n > 0}
    postgres = os.environ.get("ALONGSIDE_BENCH_POSTGRES_URL", LOCAL_POSTGRES)
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="alongside-bench-") as tmp:
            folder = Path(tmp)
            drop = None
            if database == "sqlite":
                url = f"sqlite:///{folder / 'alongside.db'}"
            else:
                url, drop = asyncio.run(_postgres_database(postgres))
            try:
                runs, answers = asyncio.run(measure(url, folder, counts, options.repeats))
            except (RuntimeError, OSError, TimeoutError, aiohttp.ClientError) as error:
                print(f"slack on {database}: the benchmark stopped: {error}", file=sys.stderr)
                return 1
            finally:
                if drop is not None:
                    asyncio.run(drop())
            report(database, runs, answers, counts)
    return 0
