"""`python -m bench instances`: several instances on one PostgreSQL database, the leader
killed (kill -9) at random points while 1,000 deliveries fall due.

A random point is a random number of deliveries made so far (the leader is
killed once the platform has counted that many), so every kill lands in the
middle of the delivering, however long the processes take to start.

Each instance is a real `alongside slack` process. Slack is the local mock Web
API (tests/integration/slack/mock_api.py) in this process: it counts every post
by the delivery key the post carries. Counted there: each delivery exactly
once. Timed: how long after each kill another instance leads (takeover), and
how long all the deliveries took, from the first instance leading to the last
one confirmed. Baseline, in the same run: one instance, never killed, the same
deliveries.

The CI test (tests/integration/test_instances.py) runs the same at a small size.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import build_app
from handlers.core.keyed import Keys
from handlers.core.messages import message, to_json
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from storage.db import async_url
from storage.models import Delivery, QueuedMessage
from storage.uow import UnitOfWork
from tests.integration.slack.mock_api import MockSlackAPI

SECRET = "5e" * 32
TOKEN = "xoxb-instances"
CHANNEL = "C0INSTANCES"
#: Short, so a run takes seconds: the leader's heartbeat, and how long a send stays in doubt.
CHECK_SECONDS = 1.0
DEADLINE_SECONDS = 3.0
POSTGRES = os.environ.get(
    "ALONGSIDE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def member(n: int) -> str:
    """The Slack user id of member n."""
    return f"U{n:08d}"


async def prepare(
    database_url: str, members: int, each: int, first_due: datetime, spread: float
) -> set[str]:
    """A group of `members` people, each with `each` direct messages falling due one after
    another from `first_due` over `spread` seconds; returns the delivery keys expected."""
    app = await build_app(
        database_url, VirtualClock(datetime.now(UTC)), Keys(bytes.fromhex(SECRET))
    )
    try:
        await app.router.handle(
            Incoming("slack", member(1), "m1", "/group setup Steering group", CHANNEL),
            app.clock.now(),
        )
        for n in range(2, members + 1):
            await app.router.handle(
                Incoming("slack", member(n), f"m{n}", "hello", CHANNEL), app.clock.now()
            )
        async with UnitOfWork(app.db.sessions) as uow:
            group = (await uow.groups.all())[0]
            people = [m.person_id for m in await uow.groups.members(group.id)]
            total = len(people) * each
            step = spread / max(total - 1, 1)
            for i in range(total):  # round the people, so each one's messages are spaced out
                due = first_due + timedelta(seconds=i * step)
                text_ = to_json(message(f"Note {i + 1}: the room has changed to Room 4."))
                await uow.deliveries.queue(group.id, people[i % len(people)], text_, due)
            await uow.commit()
        async with UnitOfWork(app.db.sessions) as uow:
            rows = (await uow.session.scalars(select(QueuedMessage))).all()
            return {f"direct:{row.ref}:p{row.person_id}" for row in rows}
    finally:
        await app.close()


def counted(mock: MockSlackAPI) -> Counter[str]:
    """The delivery keys posted to Slack, each with how many times it was posted."""
    keys: Counter[str] = Counter()
    for msg in mock.messages():
        key = ((msg.metadata or {}).get("event_payload") or {}).get("key", "")
        if key.startswith("direct:"):
            keys[key] += 1
    return keys


async def in_doubt(database_url: str) -> int:
    """How many deliveries are still claimed and not confirmed."""
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.connect() as connection:
            query = select(func.count()).where(Delivery.status == "sending")
            return int(await connection.scalar(query.select_from(Delivery)) or 0)
    finally:
        await engine.dispose()


@dataclass
class Running:
    """One `alongside slack` process and its log."""

    process: subprocess.Popen[bytes]
    log: Path

    def leads(self) -> bool:
        """Whether its log says it leads now (and it is alive)."""
        if self.process.poll() is not None:
            return False
        leading = False
        for line in self.log.read_text().splitlines():
            if "leadership." in line:
                leading = json.loads(line).get("event") == "leadership.gained"
        return leading


@dataclass
class Fleet:
    """Instances of the bot on one database, all posting to one mock Slack."""

    database_url: str
    api_url: str
    folder: Path
    running: list[Running] = field(default_factory=list)

    def start(self) -> Running:
        """Start one more instance."""
        log = self.folder / f"instance-{len(self.running) + 1}.log"
        env = {
            **os.environ,
            "ALONGSIDE_CONFIG": str(self.folder / "none.toml"),
            "ALONGSIDE_DATABASE_URL": self.database_url,
            "ALONGSIDE_SECRET_KEY": SECRET,
            "ALONGSIDE_LOG_LEVEL": "INFO",
            "ALONGSIDE_SLACK__BOT_TOKEN": TOKEN,
            "ALONGSIDE_SLACK__SIGNING_SECRET": "instances-signing-secret",
            "ALONGSIDE_SLACK__API_URL": self.api_url,
            "ALONGSIDE_SLACK__HOST": "127.0.0.1",
            "ALONGSIDE_SLACK__PORT": "0",
            "ALONGSIDE_INSTANCES__CHECK_SECONDS": str(CHECK_SECONDS),
            "ALONGSIDE_INSTANCES__SENDING_DEADLINE_SECONDS": str(DEADLINE_SECONDS),
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "slack"],
                cwd=self.folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=out,
            )
        running = Running(process, log)
        self.running.append(running)
        return running

    def leader(self) -> Running | None:
        """The instance leading now, if any."""
        return next((r for r in self.running if r.leads()), None)

    async def wait_for_leader(self, within: float) -> Running:
        """The leader, as soon as there is one; TimeoutError after `within` seconds."""
        async with asyncio.timeout(within):
            while True:
                found = self.leader()
                if found is not None:
                    return found
                dead = [r for r in self.running if r.process.poll() is not None]
                if dead and len(dead) == len(self.running):
                    raise RuntimeError(dead[0].log.read_text()[-3000:])
                await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """Stop every instance still running (SIGTERM, then SIGKILL if it lingers)."""
        for r in self.running:
            if r.process.poll() is None:
                r.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        while any(r.process.poll() is None for r in self.running):
            if time.monotonic() > deadline:
                for r in self.running:
                    if r.process.poll() is None:
                        r.process.kill()
            await asyncio.sleep(0.05)


@dataclass
class Outcome:
    """What one run saw at the platform."""

    expected: set[str]
    posted: Counter[str]
    takeovers: list[float]
    took: float  # seconds from the first instance leading until all were posted and confirmed
    in_doubt: int

    @property
    def missing(self) -> int:
        """Deliveries never posted."""
        return len(self.expected - set(self.posted))

    @property
    def doubled(self) -> int:
        """Deliveries posted more than once."""
        return sum(1 for n in self.posted.values() if n > 1)


async def run(
    database_url: str,
    folder: Path,
    *,
    instances: int,
    kills: int,
    members: int,
    each: int,
    spread: float,
    lead_in: float,
    within: float,
    replace: bool = True,
    seed: int | None = None,
) -> Outcome:
    """Start `instances`, kill the leader `kills` times at random points while the
    deliveries fall due (with `replace`, a fresh instance replaces each one killed),
    and count at the platform; give up waiting for anything after `within` seconds."""
    rng = random.Random(seed)
    users = {member(n): f"m{n}" for n in range(1, members + 1)}
    mock = MockSlackAPI(users=users, members={CHANNEL: list(users)}, token=TOKEN)
    api_url = await mock.start()
    first_due = datetime.now(UTC) + timedelta(seconds=lead_in)
    expected = await prepare(database_url, members, each, first_due, spread)
    fleet = Fleet(database_url, api_url, folder)
    takeovers: list[float] = []
    try:
        for _ in range(instances):
            fleet.start()
        await fleet.wait_for_leader(within)
        ready = time.monotonic()
        total = len(expected)
        points = sorted(rng.sample(range(total // 10, total * 9 // 10), kills))
        for point in points:
            await _posted(mock, point, within)
            leader = await fleet.wait_for_leader(within)
            leader.process.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            leader.process.wait()
            if replace:
                fleet.start()  # so as many stay running
            await fleet.wait_for_leader(within)
            takeovers.append(time.monotonic() - killed)
        await _all_posted(mock, expected, database_url, within)
        took = time.monotonic() - ready
        return Outcome(expected, counted(mock), takeovers, took, await in_doubt(database_url))
    finally:
        await fleet.stop()
        await mock.stop()


async def _posted(mock: MockSlackAPI, count: int, within: float) -> None:
    """Return once the platform has counted `count` deliveries (polled: it is in this loop)."""
    async with asyncio.timeout(within):
        while True:
            if len(counted(mock)) >= count:
                return
            await asyncio.sleep(0.01)


async def _all_posted(
    mock: MockSlackAPI, expected: set[str], database_url: str, within: float
) -> None:
    """Return once every delivery is posted and none is left in doubt, or after `within`."""
    ends = time.monotonic() + within
    while time.monotonic() < ends:
        if expected <= set(counted(mock)) and not await in_doubt(database_url):
            return
        await asyncio.sleep(0.1)


# ------------------------------------------------------------------------------ the bench


async def _database() -> str:
    name = f"alongside_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(async_url(POSTGRES), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


async def _drop(url: str) -> None:
    admin = create_async_engine(async_url(POSTGRES), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        name = make_url(url).database
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


def _line(label: str, outcome: Outcome, baseline: float) -> str:
    takeover = ", ".join(f"{t:.1f}" for t in outcome.takeovers) or "-"
    ratio = outcome.took / baseline if baseline > 0 else float("nan")
    return (
        f"{label:<28} {len(outcome.expected):>5} {len(outcome.posted):>6} "
        f"{outcome.missing:>7} {outcome.doubled:>7} {outcome.in_doubt:>8}  "
        f"{outcome.took:>6.1f} s ({ratio:.2f}x)  takeover s: {takeover}"
    )


async def main_async(members: int = 200, each: int = 5, spread: float = 10.0) -> int:
    """Baseline (one instance, no kill), then 2 and 3 instances with kills; print figures."""
    import tempfile

    runs = [
        ("1 instance, no kill", 1, 0),
        ("2 instances, 2 kills", 2, 2),
        ("3 instances, 3 kills", 3, 3),
    ]
    print(
        f"{members * each} direct messages falling due over {spread:.0f} s; "
        f"heartbeat {CHECK_SECONDS:.0f} s, sending deadline {DEADLINE_SECONDS:.0f} s"
    )
    print(
        f"{'':<28} {'due':>5} {'posted':>6} {'missing':>7} {'doubled':>7} {'in doubt':>8}  "
        "all delivered in"
    )
    failed = False
    baseline = 0.0
    for label, instances, kills in runs:
        url = await _database()
        try:
            with tempfile.TemporaryDirectory() as folder:
                outcome = await run(
                    url,
                    Path(folder),
                    instances=instances,
                    kills=kills,
                    members=members,
                    each=each,
                    spread=spread,
                    lead_in=8.0,
                    within=600.0,
                )
        finally:
            await _drop(url)
        if kills == 0:
            baseline = max(outcome.took, 0.001)
        print(_line(label, outcome, baseline), flush=True)
        failed = failed or bool(outcome.missing or outcome.doubled or outcome.in_doubt)
        failed = failed or any(t > 30 for t in outcome.takeovers)
    print(
        "all delivered in: from the first instance leading until the last delivery was "
        "confirmed; ratio against the one-instance baseline of this run"
    )
    return 1 if failed else 0


def main() -> int:
    """Run the benchmark; non-zero if anything was lost, doubled or taken over too late."""
    return asyncio.run(main_async())
