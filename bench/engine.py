"""`python -m bench engine`: the delivery engine's cost against the number of groups.

Groups of 20 people with a weekly meeting. One group is made with real commands;
the others are copies of its rows (made in bulk, so the benchmark takes a minute or
two, not an hour), with the next due time the engine planned for it. A few copies
are planned again for real and must come out the same.

1. One wake-up with nothing due, with 10, 100 and 1,000 groups; the baseline is
   the wake-up with 10 groups. For reference: planning every group, which is
   what every wake-up did before each group kept its next due time.
2. 1,000 hour-before reminders due in the same second: the time to the last one
   sent, against the same claim and confirm writes done bare; by an engine that
   planned every group ahead (running for an hour or more), and by one just
   restarted (each group planned when its time comes).

`--database postgres` runs each part on a new database on the server at
ALONGSIDE_BENCH_POSTGRES_URL (by default the local one), dropped at the end.
3. 100,000 deliveries planned ahead: a restart, in a fresh process, to ready (the
   first wake-up done and the next one scheduled), and its peak memory; the
   baseline is the same restart with 10 groups.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bench.core import NullSender, weekly_group
from bot.app import App, build_app
from handlers.core.keyed import Keys
from handlers.core.messages import Addressed
from scheduler.clock import VirtualClock
from scheduler.delivery import HORIZON, LOOKAHEAD, DeliveryEngine
from scheduler.wakeups import Wakeups
from storage.db import async_url
from storage.models import Base, Delivery, Group, Meeting, Membership, Person
from storage.uow import UnitOfWork

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MEMBERS = 20
#: The hour-before reminder of the first meeting: to every member at the same second.
HOUR_BEFORE = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
BURST = 1000
WAKEUPS = 30
#: Sent deliveries kept per group in the wake-up benchmark (about a month's worth):
#: finding the ones in doubt must not read them all.
HISTORY = 100
FUTURE = 100_000
#: The server for `--database postgres` (each part gets a new database on it).
POSTGRES = os.environ.get(
    "ALONGSIDE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
#: The server secret for keyed hashes (also passed to the restart's child process).
SECRET = secrets.token_hex(32)


class TimingSender(NullSender):
    """Accepts everything instantly, and notes when the last message went."""

    def __init__(self) -> None:
        super().__init__()
        self.last = 0.0

    async def send(self, item: Addressed, key: str) -> None:
        await super().send(item, key)
        self.last = time.perf_counter()


async def _template(app: App) -> None:
    """Group 1, made the way people make it."""
    await weekly_group(app, MEMBERS)


def _row(obj: Any, **changes: Any) -> dict[str, Any]:
    row = {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs}
    row.update(changes)
    return row


async def _copy(app: App, total: int, history: int = 0) -> None:
    """Add copies of group 1 until there are `total` groups, each with its own people,
    `history` sent deliveries, and group 1's planned next due time."""
    async with UnitOfWork(app.db.sessions) as uow:
        have = await uow.session.scalar(select(func.count(Group.id))) or 0
        group = await uow.groups.get(1)
        assert group is not None
        members = list(await uow.groups.members(1))
        [meeting] = (await uow.session.scalars(select(Meeting).where(Meeting.group_id == 1))).all()
        last_person = await uow.session.scalar(select(func.max(Person.id))) or 0
        last_member = await uow.session.scalar(select(func.max(Membership.id))) or 0
        last_meeting = await uow.session.scalar(select(func.max(Meeting.id))) or 0
        groups, people, memberships, meetings = [], [], [], []
        for n, gid in enumerate(range(have + 1, total + 1)):
            groups.append(_row(group, id=gid, channel_ref=f"group-{gid}", name=f"Group {gid}"))
            ids = {}
            for k, m in enumerate(members):
                pid = last_person + n * MEMBERS + k + 1
                ids[m.person_id] = pid
                people.append(_row(m.person, id=pid, external_id=f"{m.person.external_id}-{gid}"))
                memberships.append(
                    _row(m, id=last_member + n * MEMBERS + k + 1, group_id=gid, person_id=pid)
                )
            meetings.append(
                _row(
                    meeting,
                    id=last_meeting + n + 1,
                    group_id=gid,
                    created_by=ids.get(meeting.created_by or 0),
                )
            )
        tables: list[tuple[type[Base], list[dict[str, Any]]]] = [
            (Group, groups),
            (Person, people),
            (Membership, memberships),
            (Meeting, meetings),
        ]
        for model, rows in tables:  # in this order: each refers to the ones before
            if rows:
                await uow.session.execute(insert(model), rows)
        sent = [
            {"key": f"history:{gid}:{n}", "status": "sent", "due_at": START, "claimed_at": START}
            for gid in range(have + 1, total + 1)
            for n in range(history)
        ]
        if sent:
            await uow.session.execute(insert(Delivery), sent)
        await uow.session.execute(
            update(Group)
            .where(Group.id > have)
            .values(next_due_at=group.next_due_at, planned_at=group.planned_at)
        )
        await uow.commit()


async def _sent_already(app: App, engine: DeliveryEngine, now: datetime) -> None:
    """Record as sent what the copies have due by `now` (group 1 sent it when it was
    made: the pack, which catches up with a meeting made after its time)."""
    due = [i for i in await engine.pending(now - HORIZON, now) if i.due.group.id != 1]
    rows = [
        {"key": i.key, "status": "sent", "due_at": i.due_at, "claimed_at": now, "done_at": now}
        for i in due
    ]
    async with UnitOfWork(app.db.sessions) as uow:
        if rows:
            await uow.session.execute(insert(Delivery), rows)
        await uow.commit()


async def _check_copies(app: App, engine: DeliveryEngine, now: datetime, total: int) -> None:
    """Plan three copies again for real: they must have group 1's next due time."""
    picks = sorted({2, total // 2, total} - {1})
    async with UnitOfWork(app.db.sessions) as uow:
        for gid in picks:
            await uow.plans.replan(gid)
        await uow.commit()
    await engine.deliver_due(now)
    async with UnitOfWork(app.db.sessions) as uow:
        found = {(await uow.groups.get(gid) or Group()).next_due_at for gid in [1, *picks]}
    if len(found) != 1:
        raise RuntimeError(f"copied groups plan differently: {found}")


async def _timed(step: Callable[[], Awaitable[object]]) -> float:
    began = time.perf_counter()
    await step()
    return time.perf_counter() - began


async def _app(
    url: str, now: datetime, secret: str = SECRET
) -> tuple[App, VirtualClock, DeliveryEngine]:
    clock = VirtualClock(now)
    app = await build_app(url, clock, Keys(bytes.fromhex(secret)))
    return app, clock, app.delivery(NullSender())


async def wakeup_cost(databases: Databases) -> None:
    """A wake-up with nothing due, as the number of groups grows."""
    app, clock, engine = await _app(await databases.new("wakeups"), START)
    await _template(app)
    await engine.deliver_due(clock.now())
    wakeups = Wakeups(engine, clock)
    print(
        f"one wake-up with nothing due (median of {WAKEUPS}; groups of {MEMBERS},"
        f" {HISTORY} sent deliveries kept per group)"
    )
    base = 0.0
    for total in (10, 100, 1000):
        await _copy(app, total, HISTORY)
        await _check_copies(app, engine, clock.now(), total)
        if (await wakeups.run_once()).sent:
            raise RuntimeError("something was due: this measures a wake-up with nothing due")
        times = [await _timed(wakeups.run_once) for _ in range(WAKEUPS)]
        median = statistics.median(times)
        base = base or median
        print(
            f"  {total:5d} groups  {median * 1000:7.1f} ms"
            f"  (p90 {statistics.quantiles(times, n=10)[-1] * 1000:6.1f} ms)"
            f"  {median / base:5.2f}x the 10-group wake-up"
        )
        if total <= 100:
            async with UnitOfWork(app.db.sessions) as uow:
                await uow.plans.forget_planned_times()
                await uow.commit()
            began = time.perf_counter()
            await engine.refresh(clock.now(), total)
            every = time.perf_counter() - began
            print(
                f"        before: planning every group, as each wake-up did, {every:6.2f} s"
                f"  ({every / median:5.0f}x)"
            )
    await app.close()


async def _burst_database(url: str) -> tuple[App, VirtualClock, int]:
    """A database where BURST hour-before reminders fall due at HOUR_BEFORE, an hour
    away, with every group planned (as the hourly refresh does in a running engine)."""
    app, clock, engine = await _app(url, HOUR_BEFORE - timedelta(hours=1))
    await _template(app)
    await engine.deliver_due(clock.now())
    groups = -(-BURST // MEMBERS)
    await _copy(app, groups)
    await _sent_already(app, engine, clock.now())
    await _check_copies(app, engine, clock.now(), groups)
    async with UnitOfWork(app.db.sessions) as uow:
        await uow.plans.forget_planned_times()
        await uow.commit()
    return app, clock, groups


async def _last_sent(engine: DeliveryEngine, clock: VirtualClock) -> tuple[float, float, int]:
    """The burst sent: seconds to the last send, seconds for the whole run, and how many."""
    sender = TimingSender()
    engine.sender = sender
    clock.set(HOUR_BEFORE)
    began = time.perf_counter()
    whole = await _timed(lambda: engine.deliver_due(HOUR_BEFORE))
    return sender.last - began, whole, sender.count


async def burst(databases: Databases) -> None:
    """About 1,000 hour-before reminders due in the same second: sent by an engine that
    planned every group ahead (running for an hour or more), and by one just restarted
    (nothing kept in memory: each group planned when its time comes)."""
    running, clock, groups = await _burst_database(await databases.new("burst"))
    restarted, restarted_clock, _ = await _burst_database(await databases.new("restarted"))
    engine = running.delivery(NullSender())
    await engine.refresh(clock.now(), groups)
    took, whole, sent = await _last_sent(engine, clock)
    again = restarted.delivery(NullSender())
    await again.refresh(restarted_clock.now(), groups)
    cold, cold_whole, cold_sent = await _last_sent(
        restarted.delivery(NullSender()), restarted_clock
    )
    if cold_sent != sent:
        raise RuntimeError(f"the restarted engine sent {cold_sent}, not {sent}")

    async def bare() -> None:
        for n in range(sent):
            async with running.db.sessions() as session:
                row = Delivery(key=f"bare:{n}", status="sending", due_at=START, claimed_at=START)
                session.add(row)
                await session.commit()
                row.status = "sent"
                await session.commit()

    base = await _timed(bare)
    print(f"{sent} hour-before reminders due in the same second ({groups} groups)")
    print(f"  engine    last sent {took:6.2f} s after they fell due (the run: {whole:5.2f} s)")
    print(f"  restarted last sent {cold:6.2f} s (the run: {cold_whole:5.2f} s), nothing kept")
    print(f"  baseline  {base:6.2f} s for the same claim and confirm writes done bare")
    print(f"  ratio     {took / base:6.2f}x the bare writes (restarted {cold / base:4.2f}x)")
    await running.close()
    await restarted.close()


async def _future_database(url: str, groups: int) -> int:
    """A database with `groups` planned groups; how many deliveries they have ahead."""
    app, clock, engine = await _app(url, START)
    await _template(app)
    await engine.deliver_due(clock.now())
    ahead = len(await engine.pending(clock.now(), clock.now() + LOOKAHEAD))
    await _copy(app, groups)
    await _check_copies(app, engine, clock.now(), groups)
    await app.close()
    return ahead


def _restart(url: str) -> dict[str, float]:
    """Start the engine in a fresh process, as a restart does; its figures."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.engine", "restart", url, SECRET],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - began
    return figures


async def restart_in_this_process(url: str, secret: str) -> dict[str, float]:
    """The child's side of `_restart`: open the database, start the wake-ups, stop."""
    began = time.perf_counter()
    app, clock, engine = await _app(url, START + timedelta(minutes=1), secret)
    wakeups = Wakeups(engine, clock)
    await wakeups.start()
    ready = time.perf_counter() - began
    await wakeups.stop()
    await app.close()
    return {"ready": ready, "rss": _peak_memory()}


def _peak_memory() -> float:
    """This process's peak resident size in MiB (VmHWM: unlike getrusage, it does not
    carry over the parent's peak into a child)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def future(databases: Databases) -> None:
    """100,000 deliveries planned ahead: a restart to ready, and memory."""
    small = await databases.new("small")
    big = await databases.new("big")
    per_group = await _future_database(small, 10)
    groups = -(-FUTURE // per_group)
    await _future_database(big, groups)
    print(f"{per_group * groups} deliveries planned ahead ({groups} groups, {per_group} each)")
    base, subject = _restart(small), _restart(big)
    for name, figures in (("10 groups", base), (f"{groups} groups", subject)):
        print(
            f"  {name:11s} ready {figures['ready']:5.2f} s in the engine"
            f" ({figures['process']:5.2f} s from starting Python),"
            f" peak memory {figures['rss']:6.1f} MiB"
        )
    print(
        f"  ratio     ready {subject['ready'] / base['ready']:5.2f}x,"
        f" memory {subject['rss'] / base['rss']:5.2f}x the restart with 10 groups"
    )


class Databases:
    """Fresh, empty databases for the parts of one run: SQLite files in a temporary
    folder, or new databases on a PostgreSQL server (dropped at the end)."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.folder = folder
        self.made: list[str] = []

    async def new(self, name: str) -> str:
        """The URL of a new, empty database."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.folder / name}.db"
        made = f"alongside_bench_{name}_{uuid.uuid4().hex[:8]}"
        async with _admin() as conn:
            await conn.execute(text(f'CREATE DATABASE "{made}"'))
        self.made.append(made)
        return make_url(POSTGRES).set(database=made).render_as_string(hide_password=False)

    async def drop(self) -> None:
        """Drop the PostgreSQL databases made."""
        async with _admin() as conn:
            for made in self.made:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)'))


@asynccontextmanager
async def _admin() -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(async_url(POSTGRES), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


PARTS: dict[str, Callable[[Databases], Awaitable[None]]] = {
    "wakeups": wakeup_cost,
    "burst": burst,
    "future": future,
}


async def run(database: str = "sqlite", parts: Sequence[str] = tuple(PARTS)) -> None:
    """The parts asked for (all three by default), on one kind of database, printed."""
    print(f"engine on {database}")
    with tempfile.TemporaryDirectory() as tmp:
        databases = Databases(database, Path(tmp))
        try:
            for part in parts:
                await PARTS[part](databases)
        finally:
            if databases.made:
                await databases.drop()


def main(args: list[str]) -> int:
    """`python -m bench engine [--database ...] [--only ...]`: run, print; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench engine")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument(
        "--only", choices=tuple(PARTS), action="append", help="one part (may be repeated)"
    )
    options = parser.parse_args(args)
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        asyncio.run(run(database, options.only or tuple(PARTS)))
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["restart"]:
    from bot import logs

    logs.configure("WARNING")
    print(json.dumps(asyncio.run(restart_in_this_process(sys.argv[2], sys.argv[3]))))
