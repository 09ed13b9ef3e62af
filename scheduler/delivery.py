"""The delivery engine: the database says what is due; this sends it, each exactly once.

Each group keeps when it next has something due (`groups.next_due_at`, see
storage/repositories/plans.py). `deliver_due(now)` plans only the groups whose
time has come or that a change asked to plan again: it does their upkeep, turns
each item they have due into one delivery per recipient (by their preferences,
quiet hours and away dates), and for each one not yet recorded:

1. claims it: inserts its unique key with the rendered message, status 'sending'
   (up to `CLAIM_BATCH` keys in one statement; a key already taken is left out);
2. sends it, passing the key so the platform can recognise a repeat;
3. marks it 'sent' and forgets the message text and address (a group's sends are
   marked together, a batch at a time, before the run moves on).

What a group has due at its stored next due time is also kept in memory from
its last plan (scheduler/kept.py): when that time comes it is sent right after
the group's upkeep, and the group is planned again after every group's sends.
An item's message is read once for all its recipients where it can be (`Due.prepare`):
a burst costs about one write per 25 deliveries, and little else.
A crash between 1 and 3 leaves a 'sending' row: the next run asks the platform
whether it arrived and sends it only if not. A unique key means a second
instance, a retry or a restart can never send it twice. Each 'sending' row
names its instance and a deadline (scheduler/instance.py): a run finishes
only its own rows and those past their deadline, never another instance's
send in progress; every send of a batch ends within `send_timeout` of its claim.
Items that fell due
longer ago than the group's grace period (the bot was down) are not sent one
by one: each recipient gets a single "sorry, this is late" summary. Then it
stores the group's next due time, never later than the look-ahead window, so
what falls due just by time passing is always looked at. `refresh` plans every
group again at least hourly (and after a start-up), in small batches.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.charts.liking import as_liked
from handlers.core.due import Due, ForEach, Housekeeping, Planner
from handlers.core.kind_times import after_quiet_hours, back_from_away
from handlers.core.messages import (
    Address,
    Addressed,
    BulletList,
    Message,
    from_json,
    images_of,
    message,
    to_json,
)
from scheduler.digest import hold
from scheduler.instance import Instance
from scheduler.kept import KeptPlans
from storage.claims import insert_once
from storage.locked import when_unlocked
from storage.models import Delivery, Group, Membership, Person, Preferences
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

HORIZON = timedelta(days=7)
LOOKAHEAD = timedelta(days=15)
#: Every group is planned again (with its upkeep) at least this often, changed or not.
REFRESH = timedelta(hours=1)
#: Sent deliveries marked 'sent' together, in one statement (well inside their deadline).
CONFIRM_BATCH = 50
#: Deliveries claimed together, in one statement, then sent one by one.
CLAIM_BATCH = 25


class Unreachable(Exception):
    """The platform can never take this message (say, the app was removed from that
    Slack workspace): it is recorded as 'unreachable' and never tried again."""


class Sender(Protocol):
    """A chat platform as the engine sees it."""

    async def send(self, item: Addressed, key: str) -> None:
        """Send one message; `key` is unique to it, for platforms that can de-duplicate."""
        ...

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether a message with this key reached the platform (after a crash mid-send)."""
        ...


class Tally(Protocol):
    """Counts what the engine did, for metrics (bot/metrics.py)."""

    def delivered(self, status: str, lag: timedelta | None = None) -> None:
        """One delivery: sent (with `lag`, sent minus due), failed, skipped, ..."""
        ...


class _NoTally:
    """For an engine run without metrics (tests, the demo): counts nothing."""

    def delivered(self, status: str, lag: timedelta | None = None) -> None:
        """Count nothing."""


@dataclass(frozen=True)
class Planned:
    """One concrete message to one recipient (a person's DM or the group's channel).

    digest: kept for the person's daily round-up instead of sent (scheduler/digest.py).
    """

    key: str
    due: Due
    due_at: datetime
    person: Person | None
    address: Address
    skip: bool = False
    digest: bool = False


@dataclass(frozen=True)
class _People:
    """A group's members with what the engine needs to address them."""

    members: list[Membership]
    prefs: dict[int, Preferences]
    away: dict[int, list[tuple[date, date]]]
    zone: ZoneInfo


@dataclass
class _Burst:
    """What one group's sends share: each item's messages, read once for all its
    recipients (`Due.prepare`), and the keys sent but not yet marked 'sent'."""

    recipients: dict[str, list[Person | None]]
    messages: dict[str, ForEach] = field(default_factory=dict)
    unconfirmed: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What one run did, for logs and tests."""

    sent: int = 0
    summarised: int = 0
    skipped: int = 0
    recovered: int = 0
    failed: int = 0
    keys: list[str] = field(default_factory=list)


class DeliveryEngine:
    """Sends what is due, exactly once, from the rows in the database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sender: Sender,
        planners: Sequence[Planner],
        housekeeping: Sequence[Housekeeping] = (),
        tally: Tally | None = None,
        instance: Instance | None = None,
        *,
        keeps_plans: bool = True,
    ) -> None:
        """`keeps_plans`: whether this engine stores each group's next due time (the one
        engine of a deployment does). An engine with only some of the planners (tests use
        one for direct messages) must not: it plans every group each time instead."""
        self.sessions = sessions
        self.sender = sender
        self.planners = planners
        self.housekeeping = housekeeping
        self.tally: Tally = tally or _NoTally()
        self.instance = instance or Instance()
        self.keeps_plans = keeps_plans
        #: What each group has due at its next due time, sent before it is planned again.
        self.kept: KeptPlans[Planned] = KeptPlans()

    async def start(self) -> None:
        """At start-up: every group is to be planned again soon (a new version may plan
        differently); their stored next due times stay, so start-up need not wait for it.
        Until a group is planned again, nothing it has due is kept in memory."""
        self.kept = KeptPlans()
        async with UnitOfWork(self.sessions) as uow:
            await uow.plans.forget_planned_times()
            await uow.commit()

    async def deliver_due(self, now: datetime) -> Report:
        """Send everything due by `now` that has not been sent; summarise what is too late.
        Only the groups whose next due time has come, or that something changed, are
        planned: with nothing due this is one indexed query. What their kept plans
        (scheduler/kept.py) have due is sent first, before any group is planned."""
        report = Report()
        await self._recover(now, report)
        async with UnitOfWork(self.sessions) as uow:
            groups = list(await (uow.plans.due(now) if self.keeps_plans else uow.groups.all()))
        failed = await self._send_kept(groups, now, report)
        await self._run(groups, now, report, failed)
        self._log(report)
        return report

    async def refresh(self, now: datetime, limit: int) -> int:
        """Plan again (and do the upkeep of) up to `limit` groups not planned for REFRESH,
        or since start-up, sending whatever is due; how many were planned. Catches what
        no change asked for: upkeep on a slow cadence, and a new version's planners."""
        async with UnitOfWork(self.sessions) as uow:
            groups = list(await uow.plans.stale(now - REFRESH, limit))
        report = Report()
        await self._run(groups, now, report)
        self._log(report)
        return len(groups)

    def _log(self, report: Report) -> None:
        if report.sent or report.summarised or report.failed:
            log.info(
                "delivery.run",
                sent=report.sent,
                summarised=report.summarised,
                skipped=report.skipped,
                recovered=report.recovered,
                failed=report.failed,
            )

    async def _run(
        self, groups: list[Group], now: datetime, report: Report, failed: Set[int] = frozenset()
    ) -> None:
        """Each group's upkeep and what it has due sent; then, for the groups that sent
        something, the upkeep again (a round-up sent lets its items go) and a new plan
        (sending can make more due): after every group's sends, so none waits on them.
        `failed`: groups where a send already failed (they are looked at again soon)."""
        sent: list[tuple[Group, bool]] = []
        for group in groups:
            await self._housekeep(group, now)
            pending = await self._plan(group, now)
            due = [i for i in pending if i.due_at <= now]
            if not due:
                await self._store(group, pending, now, failed=group.id in failed)
                continue
            before = report.failed
            await self._send_due(group, due, now, report)
            sent.append((group, report.failed > before or group.id in failed))
        for group, failing in sent:
            await self._housekeep(group, now)
            await self._store(group, await self._plan(group, now), now, failing)

    async def _send_kept(self, groups: list[Group], now: datetime, report: Report) -> set[int]:
        """Each group's upkeep (a reminder names the check-in its upkeep opens) and what
        its kept plan has due, sent; `_run` then plans them all again, which finds
        anything else due. A group with something late waits for its plan, so that
        all its late items are summarised together. The groups where a send failed."""
        failed: set[int] = set()
        for group in groups:
            due = self.kept.due(group, now)
            self.kept.forget(group.id)
            grace = timedelta(minutes=group.late_grace_minutes)
            if not due or any(now - i.due_at > grace for i in due):
                continue
            await self._housekeep(group, now)
            before = report.failed
            await self._send_due(group, due, now, report)
            if report.failed > before:
                failed.add(group.id)
        return failed

    async def _plan(self, group: Group, now: datetime) -> list[Planned]:
        async with UnitOfWork(self.sessions) as uow:
            return await self._pending(uow, group, now - HORIZON, now + LOOKAHEAD)

    async def _store(
        self, group: Group, pending: list[Planned], now: datetime, failed: bool
    ) -> None:
        """Keep the group's next due time: the soonest item ahead, at most the look-ahead;
        now if something could not be sent (the next wake-up tries again). The items
        due then are kept in memory, to be sent first when that time comes."""
        if failed or any(i.due_at <= now for i in pending):
            upcoming = now
        else:
            upcoming = min((i.due_at for i in pending), default=now + LOOKAHEAD)
        self.kept.forget(group.id)
        if self.keeps_plans:
            async with UnitOfWork(self.sessions) as uow:
                stored = await uow.plans.planned(group, upcoming, now)
                await uow.commit()
            if stored and upcoming > now:
                self.kept.keep(group, now, [i for i in pending if i.due_at <= upcoming])

    async def _send_due(
        self, group: Group, pending: list[Planned], now: datetime, report: Report
    ) -> None:
        recipients: dict[str, list[Person | None]] = defaultdict(list)
        for item in pending:
            recipients[item.due.key].append(item.person)
        burst = _Burst(recipients)
        try:
            await self._send_each(group, pending, now, report, burst)
        finally:  # what was sent is marked even if something else went wrong
            await self._confirm(burst, now)

    async def _send_each(
        self, group: Group, pending: list[Planned], now: datetime, report: Report, burst: _Burst
    ) -> None:
        grace = timedelta(minutes=group.late_grace_minutes)
        late: dict[Address, list[Planned]] = defaultdict(list)
        on_time: list[Planned] = []
        for item in sorted(pending, key=lambda d: (d.due_at, d.key)):
            expired = item.due.expires_at is not None and item.due_at > item.due.expires_at
            stale = item.due.stale_at is not None and now >= item.due.stale_at
            if item.skip or stale or (expired and now - item.due_at <= grace):
                await self._record(item, "skipped", now, report)
            elif now - item.due_at > grace and not (item.due.keep or item.digest):
                says = await self._has_something_to_say(item, report, burst)
                if says:
                    late[item.address].append(item)
                elif says is False:
                    await self._record(item, "skipped", now, report)
            else:
                on_time.append(item)
        for start in range(0, len(on_time), CLAIM_BATCH):
            await self._send_batch(on_time[start : start + CLAIM_BATCH], now, report, burst)
        for address, items in late.items():
            await self._summarise(group, address, items, now, report)

    async def _housekeep(self, group: Group, now: datetime) -> None:
        """Each feature's upkeep in its own transaction; one failing never stops the rest."""
        for upkeep in self.housekeeping:
            async with UnitOfWork(self.sessions) as uow:
                try:
                    await upkeep(uow, group, now)
                    await uow.commit()
                except Exception as error:  # another instance did it first, or a bug
                    log.warning("delivery.housekeeping_failed", error=type(error).__name__)

    async def next_due(self, now: datetime) -> datetime:
        """When to look again: the earliest next due time stored for a group, or the end
        of the look-ahead window (every group is planned again by then)."""
        horizon = now + LOOKAHEAD
        async with UnitOfWork(self.sessions) as uow:
            soonest = await uow.plans.next_after(now)
        return horizon if soonest is None else min(soonest, horizon)

    async def pending(self, start: datetime, end: datetime) -> list[Planned]:
        """Every delivery not yet made whose time is in [start, end], all groups."""
        found: list[Planned] = []
        async with UnitOfWork(self.sessions) as uow:
            for group in await uow.groups.all():
                found.extend(await self._pending(uow, group, start, end))
        return found

    async def _pending(
        self, uow: UnitOfWork, group: Group, start: datetime, end: datetime
    ) -> list[Planned]:
        dues: list[Due] = []
        for planner in self.planners:
            async with UnitOfWork(self.sessions) as own:
                try:
                    dues.extend(await planner(own, group, start, end))
                except Exception as error:  # one feature's bug must not stop every delivery
                    log.error("delivery.planner_failed", error=type(error).__name__)
        members = list(await uow.groups.members(group.id))
        ids = [m.person_id for m in members]
        people = _People(
            members,
            await uow.people.preferences_of(ids),
            await uow.people.away_days(ids),
            ZoneInfo(group.timezone),
        )
        items = [i for due in dues for i in self._expand(group, due, people)]
        items = [i for i in items if (start <= i.due_at or i.due.keep) and i.due_at <= end]
        known = await uow.deliveries.known([i.key for i in items])
        return [i for i in items if i.key not in known]

    def _expand(self, group: Group, due: Due, people: _People) -> list[Planned]:
        due_at = due.due_at
        if due_at < due.planned_at:
            if not due.catch_up:
                return []
            due_at = due.planned_at
        channel = Address(channel=group.channel_ref)
        if due.recipients == "channel":
            return [Planned(f"{due.key}:channel", due, due_at, None, channel)]
        chosen = [
            m
            for m in people.members
            if (due.recipients == "members")
            or (due.recipients == "facilitators" and m.is_facilitator)
            or (due.recipients == "person" and m.person_id == due.person_id)
        ]
        items: list[Planned] = []
        wants_channel = False
        for member in chosen:
            prefs = people.prefs[member.person_id]
            if due.recipients == "members" and prefs.reminders_via == "channel":
                wants_channel = True
                continue
            when = due_at
            if when < member.joined_at:
                if not due.catch_up:
                    continue
                when = member.joined_at
            when = after_quiet_hours(when, prefs, people.zone)
            away_days = people.away[member.person_id]
            if due.keep:
                when = after_quiet_hours(
                    back_from_away(when, away_days, people.zone), prefs, people.zone
                )
            day = when.astimezone(people.zone).date()
            away = any(first <= day <= last for first, last in away_days)
            items.append(
                Planned(
                    f"{due.key}:p{member.person_id}",
                    due,
                    when,
                    member.person,
                    Address(user=member.person.external_id),
                    skip=away,
                    digest=due.digest and prefs.digest_at is not None,
                )
            )
        if wants_channel:
            items.append(Planned(f"{due.key}:channel", due, due_at, None, channel))
        return items

    async def _claim(self, key: str, due_at: datetime, now: datetime, status: str) -> bool:
        """Record a delivery that is not sent (skipped, summarised); False if it was."""
        return await insert_once(
            self.sessions,
            Delivery(key=key, status=status, due_at=due_at, claimed_at=now, done_at=now),
        )

    async def _claim_sending(
        self, ready: list[tuple[Planned, Addressed]], now: datetime
    ) -> set[str]:
        """Claim these deliveries for sending, in one statement: 'sending' rows with the
        rendered message, this instance's, with a deadline; the keys this run claimed."""
        me = self.instance
        rows = [
            {
                "key": item.key,
                "status": "sending",
                "due_at": item.due_at,
                "claimed_at": now,
                "channel": addressed.address.channel,
                "user_ref": addressed.address.user,
                "payload": to_json(addressed.message),
                "owner": me.id,
                "deadline": me.deadline_from_now(),
            }
            for item, addressed in ready
        ]

        async def claim() -> set[str]:
            async with UnitOfWork(self.sessions) as uow:
                claimed = await uow.deliveries.claim(rows)
                await uow.commit()
                return claimed

        return await when_unlocked(claim)

    async def _release(self, keys: list[str]) -> None:
        """Let go of this instance's claims on deliveries it never tried to send."""

        async def release() -> None:
            async with UnitOfWork(self.sessions) as uow:
                await uow.deliveries.release(keys, self.instance.id)
                await uow.commit()

        await when_unlocked(release)

    async def _send_in_time(
        self, addressed: Addressed, key: str, until: datetime | None = None
    ) -> None:
        """Send, giving up (TimeoutError) before the claim's deadline, after which another
        instance may finish it: a send still going then could arrive twice. A claim
        made now may send for `send_timeout`; one of a batch, until the batch's `until`."""
        me = self.instance
        left = me.send_timeout if until is None else (until - me.wall()).total_seconds()
        if left <= 0:
            raise TimeoutError("the claim's time to send is over: left for the next run")
        async with asyncio.timeout(left):
            await self.sender.send(addressed, key)

    async def _sent(self, key: str, now: datetime, burst: _Burst) -> None:
        """Note a delivery sent; marked with others (`CONFIRM_BATCH`) before the run ends.
        Until then its row stays 'sending', this instance's: were the run to stop first,
        the next one would ask the platform whether it arrived, as after a crash."""
        burst.unconfirmed.append(key)
        if len(burst.unconfirmed) >= CONFIRM_BATCH:
            await self._confirm(burst, now)

    async def _confirm(self, burst: _Burst, now: datetime) -> None:
        """Mark every delivery the burst sent and has not marked yet, in one statement."""
        keys, burst.unconfirmed = burst.unconfirmed, []
        if keys:
            await self._done(now, *keys)

    async def _done(self, now: datetime, *keys: str, status: str = "sent") -> None:
        """Mark deliveries sent (waiting out a busy database: if this failed, the next run
        would have to ask the platform whether they arrived), or unreachable."""

        async def mark() -> None:
            async with self.sessions() as session:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.key.in_(keys))
                    .values(
                        status=status,
                        done_at=now,
                        payload=None,
                        channel=None,
                        user_ref=None,
                        owner=None,
                        deadline=None,
                    )
                )
                await session.commit()

        await when_unlocked(mark)

    async def _unreachable(
        self, key: str, now: datetime, report: Report, error: Unreachable
    ) -> None:
        """The platform will never take it: record that, so it is not tried again."""
        await self._done(now, key, status="unreachable")
        report.skipped += 1
        self.tally.delivered("unreachable")
        log.info("delivery.unreachable", kind=key.split(":")[0], reason=str(error))

    async def _record(self, item: Planned, status: str, now: datetime, report: Report) -> None:
        if await self._claim(item.key, item.due_at, now, status):
            report.skipped += status == "skipped"
            report.summarised += status == "summarised"
            self.tally.delivered(status)

    async def _build(self, item: Planned, burst: _Burst) -> Message | None:
        """The message for one delivery; a failure leaves it for the next run. An item
        that can (`Due.prepare`) reads what it needs once for all its recipients."""
        if item.due.prepare is not None:
            each = burst.messages.get(item.due.key)
            if each is None:
                async with UnitOfWork(self.sessions) as uow:
                    each = await item.due.prepare(uow, burst.recipients[item.due.key])
                    await uow.commit()
                burst.messages[item.due.key] = each
            msg = each(item.person)
            if msg is None or item.person is None or not images_of(msg):
                return msg
            async with UnitOfWork(self.sessions) as uow:
                return await as_liked(uow, msg, item.person.id)
        async with UnitOfWork(self.sessions) as uow:
            msg = await item.due.build(uow, item.person)
            if msg is not None and item.person is not None:
                msg = await as_liked(uow, msg, item.person.id)
            await uow.commit()
            return msg

    async def _has_something_to_say(
        self, item: Planned, report: Report, burst: _Burst
    ) -> bool | None:
        """Whether a late item would say anything; None if that can't be told now."""
        try:
            return await self._build(item, burst) is not None
        except Exception as error:
            report.failed += 1
            self.tally.delivered("failed")
            log.error("delivery.build_failed", kind=item.due.kind, error=type(error).__name__)
            return None

    async def _send_batch(
        self, items: list[Planned], now: datetime, report: Report, burst: _Burst
    ) -> None:
        """Build each item's message, claim the ones to send in one statement, send them."""
        ready: list[tuple[Planned, Addressed]] = []
        for item in items:
            addressed = await self._addressed(item, now, report, burst)
            if addressed is not None:
                ready.append((item, addressed))
        if not ready:
            return
        # Each send must end by when a send claimed now would have to: `send_timeout`
        # from before the claim, well inside every row's deadline.
        until = self.instance.wall() + timedelta(seconds=self.instance.send_timeout)
        claimed = await self._claim_sending(ready, now)
        mine = [(item, addressed) for item, addressed in ready if item.key in claimed]
        tried = 0
        try:
            for item, addressed in mine:
                tried += 1
                await self._deliver(item, addressed, now, report, burst, until)
        finally:  # stopped mid-batch: the claims not yet tried are let go, not left in doubt
            if tried < len(mine):
                await self._release([item.key for item, _ in mine[tried:]])

    async def _addressed(
        self, item: Planned, now: datetime, report: Report, burst: _Burst
    ) -> Addressed | None:
        """The message to send for `item`, addressed; None if there is none to send now
        (nothing to say: recorded as skipped; kept for a round-up; or it failed)."""
        try:
            msg = await self._build(item, burst)
        except Exception as error:
            report.failed += 1
            self.tally.delivered("failed")
            log.error("delivery.build_failed", kind=item.due.kind, error=type(error).__name__)
            return None
        if msg is None:
            await self._record(item, "skipped", now, report)
            return None
        if item.digest and item.person is not None:
            group = item.due.group.id
            await hold(
                self.sessions, item.key, item.due_at, item.person.id, group, item.due.kind, msg, now
            )
            self.tally.delivered("digested")
            return None
        return Addressed(msg, item.address)

    async def _deliver(
        self,
        item: Planned,
        addressed: Addressed,
        now: datetime,
        report: Report,
        burst: _Burst,
        until: datetime,
    ) -> None:
        """Send a claimed delivery; if it fails, its row stays 'sending' for the next run."""
        try:
            await self._send_in_time(addressed, item.key, until)
        except Unreachable as error:
            await self._unreachable(item.key, now, report, error)
            return
        except Exception as error:  # kept as 'sending': the next run tries again
            report.failed += 1
            self.tally.delivered("failed")
            log.warning("delivery.failed", kind=item.due.kind, error=type(error).__name__)
            return
        await self._sent(item.key, now, burst)
        report.sent += 1
        report.keys.append(item.key)
        self.tally.delivered("sent", now - item.due_at)

    async def _summarise(
        self,
        group: Group,
        address: Address,
        items: list[Planned],
        now: datetime,
        report: Report,
    ) -> None:
        digest = hashlib.sha256("|".join(sorted(i.key for i in items)).encode()).hexdigest()
        key = f"late:g{group.id}:{digest[:32]}"
        summary = message(
            "Sorry, this is late. I couldn't send you these messages on time:",
            BulletList(tuple(sorted({i.due.label for i in items}))),
            "Type /meeting to see what's coming up, or /agenda for the next agenda. "
            "You don't need to reply.",
            summary="Sorry, these messages are late",
        )
        claimed = await insert_once(
            self.sessions,
            *(
                Delivery(
                    key=item.key,
                    status="summarised",
                    due_at=item.due_at,
                    claimed_at=now,
                    done_at=now,
                )
                for item in items
            ),
            Delivery(
                key=key,
                status="sending",
                due_at=now,
                claimed_at=now,
                channel=address.channel,
                user_ref=address.user,
                payload=to_json(summary),
                owner=self.instance.id,
                deadline=self.instance.deadline_from_now(),
            ),
        )
        if not claimed:
            return
        report.summarised += len(items)
        for item in items:
            self.tally.delivered("summarised", now - item.due_at)
        try:
            await self._send_in_time(Addressed(summary, address), key)
        except Unreachable as error:
            await self._unreachable(key, now, report, error)
            return
        except Exception as error:
            report.failed += 1
            self.tally.delivered("failed")
            log.warning("delivery.failed", kind="late", error=type(error).__name__)
            return
        await self._done(now, key)
        report.sent += 1
        report.keys.append(key)
        self.tally.delivered("sent")

    async def _recover(self, now: datetime, report: Report) -> None:
        """Finish deliveries claimed but not confirmed: this instance's own (a previous run
        stopped mid-send) and any past their deadline (their instance died)."""
        me = self.instance
        async with UnitOfWork(self.sessions) as uow:
            doubtful = list(await uow.deliveries.in_doubt(me.id, me.wall(), sole=me.sole))
        for row in doubtful:
            if not await self._take_over(row.key):
                continue  # another instance took it first
            assert row.payload is not None
            addressed = Addressed(from_json(row.payload), Address(row.channel, row.user_ref))
            try:
                if not await self.sender.already_sent(addressed, row.key):
                    await self._send_in_time(addressed, row.key)
            except Unreachable as error:
                await self._unreachable(row.key, now, report, error)
                continue
            except Exception as error:
                report.failed += 1
                self.tally.delivered("failed")
                log.warning("delivery.retry_failed", error=type(error).__name__)
                continue
            await self._done(now, row.key)
            report.recovered += 1
            self.tally.delivered("recovered", now - row.due_at)
            report.keys.append(row.key)

    async def _take_over(self, key: str) -> bool:
        """Make an in-doubt row this instance's, with a new deadline; False if it is no
        longer in doubt for us (another instance took it over, or it was finished)."""
        me = self.instance

        async def take() -> bool:
            async with UnitOfWork(self.sessions) as uow:
                taken = await uow.deliveries.take_over(
                    key, me.id, me.wall(), me.deadline_from_now(), sole=me.sole
                )
                await uow.commit()
                return taken

        return await when_unlocked(take)
