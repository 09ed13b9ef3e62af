"""The durable inbox: every Slack request is written down before it is acknowledged.

Slack never retries a slash command or an interaction, and Bolt acknowledges
before the work is done, so work lost after the acknowledgement would be lost
for good. Each request is therefore recorded under Slack's own id first, then
acknowledged, then worked (from memory by the process that wrote it, so the
acknowledgement never waits for the work): a crash leaves the row undone and the
next sweep (at start-up, and every little while) finishes it from the record.

Once done, a row keeps only its bare key, for two days: far longer than the five
minutes Slack's signatures stay valid. So a retried event (same event_id), and a
slash command, button press or form submission posted again (same trigger_id,
in order or at the same moment), finds its key and has no second effect. Only
the day is kept with it, never a time of day.

A row is worked in two steps: the command runs and its replies are saved
('handled'), then the replies go out one by one (`sent` counts them). A command
that changed nothing and answers only the person who asked skips saving its
reply: running it again after a crash would answer the same. Only one worker
holds a row at a time (`lease_until`, on the wall clock): the process that
writes a row holds it from the start, so the sweep takes only rows whose
holder died (their lease ran out) or gave them back.

Writes on the hot path (new rows, 'handled', `sent`, 'done') are grouped: what
arrives while one transaction is being committed goes into the next one, so a
burst of requests costs a few commits, not one per request each. A group of new
rows is one statement that commits on its own (storage/oneshot.py): one round
trip on PostgreSQL, one hand-off to a thread on SQLite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.platforms.slack.grouped import Grouped
from scheduler.clock import Clock
from storage.claims import insert_once
from storage.locked import when_unlocked
from storage.models import SlackInbox, SlackStash
from storage.oneshot import OneShot
from storage.repositories import Receipts

LEASE = timedelta(minutes=2)
KEEP_KEYS = timedelta(days=2)  # Slack signatures are valid for 5 minutes
KEEP_STASH = timedelta(days=30)


class Inbox:
    """Rows of the slack_inbox table, and the stash for long button values."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], wall: Clock, lease: timedelta = LEASE
    ) -> None:
        self.sessions = sessions
        self.wall = wall
        self.lease = lease
        bind = sessions.kw["bind"]
        self._oneshot = OneShot(bind)
        self._new = Grouped(self._insert)
        insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
        self._new_rows = (
            insert(SlackInbox)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(SlackInbox.key)
        )
        self._changes = Grouped(self._apply)

    async def add(self, key: str, kind: str, payload: str, day: date) -> bool:
        """Record a request, held by this process for a lease; False if one with this key
        is already known (a retry). Returns once the row is committed."""
        row = {
            "key": key,
            "kind": kind,
            "status": "new",
            "payload": payload,
            "sent": 0,
            "attempts": 1,
            "day": day,
            "lease_until": self.wall.now() + self.lease,
        }
        return await self._new(row)

    def close(self) -> None:
        """Let go of what writing new rows holds (SQLite: a thread and its connection)."""
        self._oneshot.close()

    async def claim(self, key: str) -> SlackInbox | None:
        """Take the row for a while if nobody else holds it and it isn't done."""
        now = self.wall.now()
        async with self.sessions() as session:
            taken = await session.execute(
                update(SlackInbox)
                .where(
                    SlackInbox.key == key,
                    SlackInbox.status != "done",
                    or_(SlackInbox.lease_until.is_(None), SlackInbox.lease_until < now),
                )
                .values(lease_until=now + self.lease, attempts=SlackInbox.attempts + 1)
            )
            await session.commit()
            if not getattr(taken, "rowcount", 0):
                return None
            return await session.scalar(select(SlackInbox).where(SlackInbox.key == key))

    async def get(self, key: str) -> SlackInbox | None:
        """The row as it is now."""
        async with self.sessions() as session:
            return await session.scalar(select(SlackInbox).where(SlackInbox.key == key))

    async def handled(self, key: str, replies: str) -> None:
        """The work is done; keep only its replies until they are sent."""
        await self._change(key, status="handled", payload=None, replies=replies, sent=0)

    async def sent(self, key: str, count: int) -> None:
        """The first `count` replies went out (and the worker still holds the row)."""
        await self._change(key, sent=count, lease_until=self.wall.now() + self.lease)

    async def done(self, key: str) -> None:
        """Finished: keep only the bare key, so the same request posted again does nothing."""
        await self._change(key, **_DONE)

    async def forget(self, key: str) -> None:
        """Forget a request that changed nothing, so it can be sent again."""
        async with self.sessions() as session:
            await session.execute(delete(SlackInbox).where(SlackInbox.key == key))
            await session.commit()

    async def release(self, key: str) -> None:
        """Give the row back after a failure, so the next sweep tries again."""
        await self._set(key, lease_until=None)

    async def undone(self) -> Sequence[str]:
        """Keys of rows not finished and held by nobody (their holder died or gave them
        back), oldest first."""
        async with self.sessions() as session:
            result = await session.scalars(
                select(SlackInbox.key)
                .where(
                    SlackInbox.status != "done",
                    or_(SlackInbox.lease_until.is_(None), SlackInbox.lease_until < self.wall.now()),
                )
                .order_by(SlackInbox.id)
            )
            return result.all()

    async def prune(self, today: date) -> None:
        """Forget finished requests' keys and stashed values from long enough ago."""
        async with self.sessions() as session:
            await session.execute(
                delete(SlackInbox).where(
                    SlackInbox.status == "done", SlackInbox.day < today - KEEP_KEYS
                )
            )
            await session.execute(delete(SlackStash).where(SlackStash.day < today - KEEP_STASH))
            await Receipts(session).prune(datetime.combine(today, time(), UTC))
            await session.commit()

    async def stash(self, value: str, day: date) -> str:
        """Keep a long button value; returns its short ref."""
        ref = hashlib.sha256(value.encode()).hexdigest()[:40]
        async with self.sessions() as session:
            known = await session.get(SlackStash, ref) is not None
        if not known:
            await insert_once(self.sessions, SlackStash(ref=ref, value=value, day=day))
        return ref

    async def drop_person(self, user: str) -> None:
        """Delete long button values that hold the Slack id of someone forgotten (a button
        that pointed to one then says it is out of date)."""
        async with self.sessions() as session:
            await session.execute(
                delete(SlackStash).where(SlackStash.value.contains(user, autoescape=True))
            )
            await session.commit()

    async def unstash(self, ref: str) -> str | None:
        """The value kept under `ref`, if it is still kept."""
        async with self.sessions() as session:
            found = await session.get(SlackStash, ref)
            return found.value if found else None

    async def _set(self, key: str, **values: object) -> None:
        """Change one row now, in a transaction of its own, waiting out a busy database."""

        async def change() -> None:
            async with self.sessions() as session:
                await session.execute(
                    update(SlackInbox).where(SlackInbox.key == key).values(**values)
                )
                await session.commit()

        await when_unlocked(change)

    async def _change(self, key: str, **values: Any) -> None:
        """Change one row in the next grouped commit; returns once it is committed."""
        await self._changes((key, values))

    async def _insert(self, rows: Sequence[dict[str, Any]]) -> list[bool]:
        """New rows in one statement committed on its own (the same statement whatever the
        number of rows, so it is compiled once): whether each is new (a key already known,
        or twice in the group: only the first is). Written in the order of their keys, so
        two groups holding the same keys never wait for each other in a circle."""
        first: dict[str, dict[str, Any]] = {}
        for row in rows:
            first.setdefault(row["key"], row)
        ordered = sorted(first.values(), key=lambda row: str(row["key"]))
        fresh = {row.key for row in await self._oneshot.rows(self._new_rows, ordered)}
        answers = []
        for row in rows:
            answers.append(row["key"] in fresh)
            fresh.discard(row["key"])  # the same key again in this group: a retry
        return answers

    async def _apply(self, changes: Sequence[tuple[str, dict[str, Any]]]) -> list[bool]:
        """Changes to rows in one transaction, all 'done' ones in one statement."""
        async with self.sessions() as session:
            finished = [key for key, values in changes if values == _DONE]
            if finished:
                await session.execute(
                    update(SlackInbox).where(SlackInbox.key.in_(finished)).values(**_DONE)
                )
            for key, values in changes:
                if values != _DONE:
                    await session.execute(
                        update(SlackInbox).where(SlackInbox.key == key).values(**values)
                    )
            await session.commit()
        return [True] * len(changes)


_DONE: dict[str, Any] = {"status": "done", "payload": None, "replies": None, "lease_until": None}
