"""Several instances: every one serves commands, one at a time leads the delivery work.

On PostgreSQL the leader is whoever holds a session-level advisory lock,
taken with `pg_try_advisory_lock` on a database connection kept for it.
Chosen over a `leases` row with an owner and an expiry because the server
lets go of the lock the moment the holder's connection ends (kill -9, a
crash, a lost network), so there is no expiry to wait out and no clocks to
keep in step; and it needs no table. The leader checks its connection every
`check` seconds (the heartbeat) and stops leading as soon as that fails;
followers try for the lock every `check` seconds, so one takes over within
`check` seconds (5 by default) of the leader's end.

A command served by a follower that changes the schedule tells the leader to
look again at once (PostgreSQL NOTIFY, which the leader LISTENs for on the
lock's connection), so the work it caused isn't left for the next catch-up.

If two lead for a moment (the old leader's network broke mid-send while a
new one took over), nothing is sent twice: delivery keys are unique, and a
'sending' row is finished only by its own instance or after its deadline
(scheduler/instance.py).

On Matrix the leader is also the only instance that syncs and answers (the
sync owner, bot/ownership.py): the others stand by until they lead.

SQLite is for one instance. `sole_instance` holds an OS lock on a file
beside the database; a second instance on the same file refuses to start
and says what to do. The OS releases the lock when the process ends, however
it ends, so a crash never leaves the file locked.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import structlog
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = structlog.get_logger(__name__)

#: The advisory lock's key (locks are per database, so deployments never share one).
LOCK_KEY = int.from_bytes(hashlib.sha256(b"alongside:delivery").digest()[:8], "big", signed=True)
#: Seconds between the leader's heartbeats, and between a follower's tries.
CHECK_SECONDS = 5.0
#: The channel a follower NOTIFYs the leader on: "look again, the schedule changed".
CHANNEL = "alongside_wake"


class AlreadyRunning(Exception):
    """Another instance uses this SQLite database; the message says what to do instead."""


def lock_path(database_url: str) -> Path | None:
    """The lock file beside an SQLite database file; None for PostgreSQL or memory."""
    if "://" not in database_url:
        return Path(f"{database_url}.lock")
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.lock")


@contextlib.contextmanager
def sole_instance(database_url: str) -> Iterator[None]:
    """Hold the SQLite database for this instance alone; raise AlreadyRunning if another has it."""
    path = lock_path(database_url)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = path.read_text().strip()
            which = f" (process {holder})" if holder else ""
            raise AlreadyRunning(
                f"Another alongside is already running on the database {path.with_suffix('')}"
                f"{which}. Only one can use an SQLite database. Stop the other one first, "
                "or, to run several, use PostgreSQL (see README: Running more than one "
                "instance)."
            ) from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, str(os.getpid()).encode())
        yield
    finally:
        os.close(descriptor)  # releases the lock


class Leadership:
    """Whether this instance leads the delivery work, kept up to date in the background.

    `changed(leading)` is called each time that turns (not for the first follow);
    `poke` (set by the runtime) makes this instance's wake-ups look again.
    """

    def __init__(
        self,
        db: Database,
        check: float = CHECK_SECONDS,
        changed: Callable[[bool], None] | None = None,
    ) -> None:
        self.db = db
        self.check = check
        self.changed = changed or (lambda _leading: None)
        #: SQLite: always the leader (the only instance).
        self.shared = db.engine.dialect.name == "postgresql"
        self.leading = not self.shared
        self.poke: Callable[[], None] = lambda: None
        self._connection: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._notes: set[asyncio.Task[None]] = set()

    def leads(self) -> bool:
        """Whether this instance should run the delivery work now."""
        return self.leading

    def wake(self) -> None:
        """The schedule changed: look again now, here if leading, else by telling the leader."""
        if self.leading or not self.shared:
            self.poke()
            return
        note = asyncio.ensure_future(self._notify())
        self._notes.add(note)
        note.add_done_callback(self._notes.discard)

    async def _notify(self) -> None:
        try:
            async with self.db.engine.connect() as connection:
                notify = text("SELECT pg_notify(:channel, '')")
                await connection.execute(notify, {"channel": CHANNEL})
                await connection.commit()
        except Exception as error:  # the leader's catch-up will see it anyway
            log.warning("leadership.notify_failed", error=type(error).__name__)

    def _heard(self, *_notification: object) -> None:
        if self.leading:
            self.poke()

    async def start(self) -> None:
        """Try to lead now, then keep trying (or keep checking) every `check` seconds."""
        if not self.shared:
            return
        await self._step()
        self._task = asyncio.ensure_future(self._watch())

    async def stop(self) -> None:
        """Stop watching and let go of the lead (another instance takes over)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._let_go()
        self.leading = not self.shared

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.check)
            await self._step()

    async def _step(self) -> None:
        """One heartbeat (leader) or one try for the lock (follower)."""
        try:
            async with asyncio.timeout(max(self.check, CHECK_SECONDS)):
                if self.leading:
                    await self._heartbeat()
                else:
                    await self._try_to_lead()
        except Exception as error:  # the database is gone or slow: lead no more
            log.warning("leadership.check_failed", error=type(error).__name__)
            await self._let_go()
            self._turn(False)

    async def _heartbeat(self) -> None:
        assert self._connection is not None
        await self._connection.execute(text("SELECT 1"))

    async def _try_to_lead(self) -> None:
        if self._connection is None:
            connection = await self.db.engine.connect()
            self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        taken = await self._connection.scalar(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
        )
        if taken:
            raw = (await self._connection.get_raw_connection()).driver_connection
            assert raw is not None  # asyncpg's own connection
            await raw.add_listener(CHANNEL, self._heard)
        self._turn(bool(taken))

    def _turn(self, leading: bool) -> None:
        if leading == self.leading:
            return
        self.leading = leading
        log.info("leadership.gained" if leading else "leadership.lost", pid=os.getpid())
        self.changed(leading)

    async def _let_go(self) -> None:
        """Close the lock's connection (the server then releases the lock)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()
