"""The Matrix platform on matrix-nio: what people say in rooms and DMs goes to the router;
what the bot says goes out as `m.notice` events.

How nothing is lost or said twice:

- The sync position is ours, kept in the database and saved only after every
  event of a batch is handled (nio's own token store saves it before its
  callbacks run, so a crash there would lose events). A restart carries on
  from the last handled batch; a gap in a room's timeline is filled from its
  history.
- Each handled event is recorded with its replies in the same step. A batch
  handled again (after a crash before the sync position was saved) answers
  nothing twice, and replies still waiting are sent by a small outbox loop,
  which keeps trying while the homeserver is away.
- Every send carries a transaction id made from the delivery key (or the event
  it answers), so the homeserver drops a retried send from this device, and
  the key is in the content, so `already_sent` can look for it in the room.
- Rate limits (M_LIMIT_EXCEEDED) wait as long as the homeserver asks; network
  errors and 5xx back off and retry, a bounded number of times, then raise, so
  the delivery engine keeps the message and tries again on its next run.

Choices: a message's numbered options are kept in the database under its event
id. A bare number in a DM answers the latest options shown to that person (also
after a restart); a keycap reaction (1️⃣ to 🔟) on one of the bot's messages
chooses that message's option, as whoever reacted, if it was meant for them (or
was posted in a group room they are a member of). Options that run a private
command (like /concern) are kept in memory only, so the database never shows who
was asked about one; a restart forgets those.

End-to-end encryption: a persistent nio store in `store_path` (directory 0700,
files 0600) under the bot's own secret pickle key (made once, mode 0600),
keys uploaded after login, unverified devices are sent keys (ignored, not
verified), and a message the bot cannot decrypt gets a plain-words reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import signal
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import structlog
from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    InviteMemberEvent,
    LocalProtocolError,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    Response,
    RoomCreateResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    SendRetryError,
    SyncResponse,
    WhoamiResponse,
)
from nio.store import SqliteStore

from bot.app import App, build_app
from bot.config import MatrixSettings, Settings
from bot.matrix_render import DELIVERY_FIELD, REPLY_FIELD, render
from bot.matrix_store import PLATFORM, MatrixStore, Pending
from handlers.core.messages import Address, Addressed, Option, message
from handlers.core.router import Incoming, parse
from scheduler.clock import SystemClock
from scheduler.delivery import DeliveryEngine
from scheduler.wakeups import Wakeups

log = structlog.get_logger(__name__)

T = TypeVar("T", bound=Response)

UNDECRYPTABLE = message(
    "I couldn't read your message because it was encrypted with keys I don't have. "
    "Please send it again.",
    summary="I couldn't read your message",
)
REDACT_REASON = "Removed to keep it private. I've answered in a direct message."
ENCRYPTION_STATE = {
    "type": "m.room.encryption", "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
SESSION_FILE = "session.json"
PICKLE_KEY_FILE = "pickle-key"


class MatrixSetupError(Exception):
    """The bot can't start on Matrix as configured (the message says what to change)."""


class MatrixRefused(Exception):
    """The homeserver said no for good (retrying would not help)."""

    def __init__(self, what: str, response: ErrorResponse) -> None:
        super().__init__(f"{what}: {response}")
        self.errcode = response.status_code or ""


class MatrixUnavailable(Exception):
    """The homeserver could not be reached, failed, or kept limiting us: try again later."""


@dataclass(frozen=True)
class Tuning:
    """Timings, mostly for tests; the defaults suit a real homeserver."""

    sync_timeout_ms: int = 30_000
    timeline_limit: int = 50
    request_timeout: float = 60.0
    attempts: int = 6
    rate_limit_attempts: int = 12
    backoff: float = 0.5
    backoff_cap: float = 30.0
    room_wait: float = 30.0
    keep_handled: timedelta = timedelta(days=2)
    keep_options: timedelta = timedelta(days=30)


@dataclass
class Stats:
    """Counts for logs and tests."""

    batches: int = 0
    handled: int = 0
    replayed: int = 0
    rate_limited: int = 0
    retried: int = 0
    sent: int = 0


@dataclass
class _Session:
    """The login kept in store_path/session.json, so the device (and its keys) stays."""

    homeserver: str
    user_id: str
    device_id: str
    access_token: str

    @classmethod
    def read(cls, path: Path) -> _Session | None:
        try:
            data = json.loads(path.read_text())
            return cls(**{k: str(data[k]) for k in
                          ("homeserver", "user_id", "device_id", "access_token")})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        _write_private(path, json.dumps(self.__dict__))


def _write_private(path: Path, text: str) -> None:
    """Write a file only the bot's user can read (created 0600, never world-readable)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def transaction_id(kind: str, key: str) -> str:
    """A transaction id made from a delivery key or event id: the same send, the same id."""
    return f"alongside-{kind}-{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted '> <@who> ...' lines clients put in front of a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    rest = list(lines)
    while rest and rest[0].startswith(">"):
        rest.pop(0)
    if rest and not rest[0].strip():
        rest.pop(0)
    return "\n".join(rest)


def after_own_join(events: list[Any], own_id: str) -> list[Any]:
    """The events after the bot's own (latest) join: what came before is not ours to answer."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if (isinstance(event, RoomMemberEvent) and event.state_key == own_id
                and event.membership == "join" and event.prev_membership != "join"):
            return events[index + 1:]
    return events


class AlongsideMatrix:
    """Runs the bot on Matrix: a sync loop that handles events, and an outbox loop for replies.

    Also the delivery engine's `Sender`: `send(item, key)` and `already_sent(item, key)`.
    """

    def __init__(
        self,
        app: App,
        settings: MatrixSettings,
        tuning: Tuning | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        if not settings.homeserver or not settings.user_id:
            raise ValueError("Matrix needs a homeserver and a user id.")
        if not (settings.password or settings.access_token):
            raise ValueError("Matrix needs a password or an access token.")
        self.app = app
        self.settings = settings
        self.tuning = tuning or Tuning()
        self.on_change = on_change
        self.store = MatrixStore(app.db.sessions, app.clock)
        self.engine: DeliveryEngine = app.delivery(self)
        self.stats = Stats()
        self.store_path = Path(settings.store_path)
        self.user_id = settings.user_id
        self.client: AsyncClient | None = None
        #: Options of private commands (like /concern), by person: in memory only.
        self.private_options: dict[str, list[Option]] = {}
        self._send_lock = asyncio.Lock()
        self._dm_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._sending_to: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._created: set[str] = set()
        self._synced = asyncio.Condition()
        self._outbox_wake = asyncio.Event()
        self._first_sync = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._outbox_idle = asyncio.Event()  # no reply is half sent
        self._outbox_idle.set()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []

    # -- life cycle ----------------------------------------------------------

    async def start(self) -> None:
        """Log in, then sync once (so rooms are known) before returning; keep running after."""
        self.client = await self._login()
        self._stopping = False
        self._tasks = [
            asyncio.create_task(self._sync_forever(), name="matrix-sync"),
            asyncio.create_task(self._outbox_forever(), name="matrix-outbox"),
        ]
        first = asyncio.create_task(self._first_sync.wait())
        sync = self._tasks[0]
        await asyncio.wait([first, sync], return_when=asyncio.FIRST_COMPLETED)
        if not first.done():
            first.cancel()
            error = sync.exception() if not sync.cancelled() else None
            await self.stop()
            raise error or RuntimeError("The Matrix sync loop stopped before its first sync.")
        log.info("matrix.started")

    async def stop(self) -> None:
        """Finish the batch in hand (so nothing is handled twice) and the reply being sent
        (so its options are kept), then stop and log nothing out."""
        self._stopping = True
        try:
            await asyncio.wait_for(
                asyncio.gather(self._idle.wait(), self._outbox_idle.wait()), timeout=30
            )
        except TimeoutError:
            log.warning("matrix.stop_while_busy")
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except BaseException as error:  # it already died; say so, keep stopping
                log.warning("matrix.task_died", task=task.get_name(), error=type(error).__name__)
        self._tasks = []
        if self.client is not None:
            await self.client.close()
        log.info("matrix.stopped")

    async def wait(self) -> None:
        """Run until a loop stops for good (it only does on a bug: the error is raised).
        Cancelling this wait leaves the loops running: stop() ends them in order."""
        done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()

    async def wait_for_sync(self, count: int = 1) -> None:
        """Wait until `count` more sync batches are fully handled (wrap in asyncio.timeout)."""
        target = self.stats.batches + count
        async with self._synced:
            await self._synced.wait_for(lambda: self.stats.batches >= target)

    # -- login and store -----------------------------------------------------

    def _pickle_key(self) -> str:
        """The secret that encrypts the e2e store: made once, readable by the bot's user only."""
        path = Path(self.settings.pickle_key_file or self.store_path / PICKLE_KEY_FILE)
        if not path.exists():
            _write_private(path, secrets.token_urlsafe(48))
        os.chmod(path, 0o600)
        return path.read_text().strip()

    def _lock_down_store(self) -> None:
        self.store_path.chmod(0o700)
        for entry in self.store_path.iterdir():
            if entry.is_file():
                entry.chmod(0o600)

    async def _login(self) -> AsyncClient:
        settings = self.settings
        assert settings.homeserver and settings.user_id
        self.store_path.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = AsyncClientConfig(
            store=SqliteStore, encryption_enabled=True, pickle_key=self._pickle_key(),
            store_sync_tokens=False, max_limit_exceeded=0, max_timeouts=0,
            request_timeout=self.tuning.request_timeout,
        )
        session_file = self.store_path / SESSION_FILE
        saved = _Session.read(session_file)
        if saved and (saved.homeserver, saved.user_id) != (settings.homeserver, settings.user_id):
            saved = None
        client = AsyncClient(
            settings.homeserver, settings.user_id,
            device_id=saved.device_id if saved else settings.device_id,
            store_path=str(self.store_path), config=config,
        )
        if saved and await self._token_works(client, saved.access_token):
            client.restore_login(saved.user_id, saved.device_id, saved.access_token)
        elif settings.access_token and not settings.password:
            if not await self._token_works(client, settings.access_token):
                raise MatrixRefused("log in", ErrorResponse("the access token was refused"))
            who = await self._call("whoami", client.whoami, WhoamiResponse)
            device = settings.device_id or who.device_id
            if not device:
                raise ValueError("Set matrix.device_id: the homeserver didn't say which device.")
            client.restore_login(who.user_id, device, settings.access_token)
        else:
            assert settings.password
            await self._call(
                "log in",
                lambda: client.login(settings.password, device_name=settings.device_name),
                Response,
            )
        _Session(settings.homeserver, client.user_id, client.device_id or "",
                 client.access_token).write(session_file)
        self.user_id = client.user_id
        self._lock_down_store()
        if client.should_upload_keys:
            await self._call("upload keys", client.keys_upload, Response)
        return client

    async def _token_works(self, client: AsyncClient, token: str) -> bool:
        client.access_token = token
        try:
            answer = await self._call("whoami", client.whoami, WhoamiResponse)
        except MatrixRefused:
            client.access_token = ""
            return False
        return str(answer.user_id) == self.settings.user_id

    # -- requests with retries -------------------------------------------------

    async def _call(
        self,
        what: str,
        request: Callable[[], Awaitable[Any]],
        expected: type[T],
        forever: bool = False,
        before_retry: Callable[[], Awaitable[bool]] | None = None,
    ) -> T:
        """One request, retried: rate limits wait as asked; network errors and 5xx back off.

        Raises MatrixRefused for a definite no, MatrixUnavailable once the retries are
        spent (never with `forever`). `before_retry` may say the work is done already.
        """
        failures = limited = 0
        while True:
            wait: float | None = None
            try:
                response = await request()
            except (ClientError, OSError, TimeoutError, SendRetryError) as error:
                failures += 1
                reason = type(error).__name__
            else:
                if isinstance(response, expected) and not isinstance(response, ErrorResponse):
                    return response
                if not isinstance(response, ErrorResponse):
                    raise MatrixUnavailable(f"{what}: unexpected {type(response).__name__}")
                status = getattr(response.transport_response, "status", None)
                if response.status_code == "M_LIMIT_EXCEEDED" or status == 429:
                    limited += 1
                    self.stats.rate_limited += 1
                    wait = _retry_after(response)
                    reason = "rate_limited"
                    if limited >= self.tuning.rate_limit_attempts and not forever:
                        raise MatrixUnavailable(f"{what}: still rate limited")
                elif status is None or status >= 500:
                    failures += 1
                    reason = f"http_{status}"
                else:
                    raise MatrixRefused(what, response)
            if failures >= self.tuning.attempts and not forever:
                raise MatrixUnavailable(f"{what}: gave up after {failures} tries ({reason})")
            if wait is None:
                wait = min(self.tuning.backoff * 2 ** max(failures - 1, 0), self.tuning.backoff_cap)
            self.stats.retried += 1
            log.info("matrix.retry", what=what, reason=reason, wait_ms=int(wait * 1000))
            await asyncio.sleep(wait)
            if before_retry is not None and reason != "rate_limited" and await before_retry():
                raise _AlreadyDone

    # -- the sync loop ---------------------------------------------------------

    def _filter(self) -> dict[str, Any]:
        return {
            "room": {"timeline": {"limit": self.tuning.timeline_limit}},
            "presence": {"not_types": ["*"]},
        }

    async def _sync_forever(self) -> None:
        client = self._client()
        token = await self.store.sync_token()
        fresh = token is None
        full_state = True
        while not self._stopping:
            wait_ms = 0 if full_state else self.tuning.sync_timeout_ms
            since, first = token, full_state

            async def request(since: str | None = since, first: bool = first,
                              wait_ms: int = wait_ms) -> Any:
                return await client.sync(timeout=wait_ms, sync_filter=self._filter(),
                                         since=since, full_state=first or None)

            response = await self._call("sync", request, SyncResponse, forever=True)
            self._idle.clear()
            try:
                await self._handle_batch(response, token, fresh)
                await self.store.save_sync_token(response.next_batch)
            finally:
                self._idle.set()
            token, fresh, full_state = response.next_batch, False, False
            await self._crypto_chores()
            if self.stats.batches % 100 == 0:
                now = self.app.clock.now()
                await self.store.prune(now - self.tuning.keep_handled)
                await self.store.prune_options(now - self.tuning.keep_options)
            async with self._synced:
                self.stats.batches += 1
                self._synced.notify_all()
            self._first_sync.set()

    async def _handle_batch(self, response: SyncResponse, since: str | None, fresh: bool) -> None:
        """Handle every event of a batch, trying again (never skipping) while the server is away."""
        failures = 0
        while True:
            try:
                await self._handle_batch_once(response, since, fresh)
                return
            except (MatrixUnavailable, ClientError, OSError, TimeoutError) as error:
                failures += 1
                wait = min(self.tuning.backoff * 2 ** failures, self.tuning.backoff_cap)
                log.warning("matrix.batch_retry", error=type(error).__name__)
                await asyncio.sleep(wait)

    async def _handle_batch_once(
        self, response: SyncResponse, since: str | None, fresh: bool
    ) -> None:
        for room_id, invited in response.rooms.invite.items():
            await self._on_invite(room_id, invited.invite_state)
        if fresh:  # the very first start: what was said before is history, not for us
            return
        client = self._client()
        for room_id, joined in response.rooms.join.items():
            events = list(joined.timeline.events)
            if joined.timeline.limited and since:
                events = await self._backfill(room_id, joined.timeline.prev_batch, since) + events
            room = client.rooms.get(room_id)
            if room is None:
                continue
            for event in after_own_join(events, self.user_id):
                try:
                    await self._on_event(room, event)
                except (MatrixUnavailable, ClientError, OSError, TimeoutError):
                    raise  # the whole batch is tried again; handled events are skipped
                except Exception as error:  # a bug: skip this event, keep serving the rest
                    log.error("matrix.event_failed", error=type(error).__name__)

    async def _backfill(self, room_id: str, start: str, since: str) -> list[Any]:
        """The events a limited timeline left out, oldest first (back to where we were)."""
        client = self._client()
        found: list[Any] = []
        for _ in range(50):
            async def request(start: str = start) -> Any:
                return await client.room_messages(room_id, start=start, end=since, limit=100)

            page = await self._call("backfill", request, RoomMessagesResponse)
            found.extend(page.chunk)
            if not page.chunk or not page.end or page.end == start:
                break
            start = page.end
        else:
            log.warning("matrix.backfill_truncated")
        found.reverse()
        if found:
            log.info("matrix.backfilled", events=len(found))
        return found

    async def _crypto_chores(self) -> None:
        """Keep keys flowing: upload ours, learn others', claim one-time keys, send to-device."""
        client = self._client()
        if self._send_lock.locked():  # a send is waiting out a rate limit: next time
            return
        try:
            async with self._send_lock:
                if client.should_upload_keys:
                    await client.keys_upload()
                if client.should_query_keys:
                    await client.keys_query()
                if client.should_claim_keys:
                    await client.keys_claim(client.get_users_for_key_claiming())
                await client.send_to_device_messages()
        except (ClientError, OSError, TimeoutError, LocalProtocolError) as error:
            log.warning("matrix.crypto_chores_failed", error=type(error).__name__)

    # -- events ----------------------------------------------------------------

    def _may_invite(self, user_id: str) -> bool:
        server = user_id.partition(":")[2]
        allowed_users = self.settings.allowed_inviters
        allowed_servers = self.settings.allowed_servers
        if not allowed_users and not allowed_servers:
            return server == self.user_id.partition(":")[2]
        return user_id in allowed_users or server in allowed_servers

    async def _on_invite(self, room_id: str, state: Iterable[Any]) -> None:
        client = self._client()
        invite = next(
            (e for e in state if isinstance(e, InviteMemberEvent)
             and e.state_key == self.user_id and e.membership == "invite"),
            None,
        )
        if invite is None:
            return
        if not self._may_invite(invite.sender):
            log.info("matrix.invite_declined")
            with contextlib.suppress(MatrixRefused):
                await self._call("decline invite", lambda: client.room_leave(room_id), Response)
            return
        try:
            await self._call("join", lambda: client.join(room_id), Response)
        except MatrixRefused as error:
            log.info("matrix.join_refused", errcode=error.errcode)
            return
        if invite.content.get("is_direct"):
            await self.store.remember_direct(room_id, invite.sender)
        log.info("matrix.joined", direct=bool(invite.content.get("is_direct")))

    async def _on_event(self, room: MatrixRoom, event: Any) -> None:
        if getattr(event, "sender", None) == self.user_id:
            return
        if isinstance(event, RoomMemberEvent):
            if event.membership == "join" and event.prev_membership != "join":
                name = room.user_name(event.state_key) or _localpart(event.state_key)
                await self.app.router.join(
                    PLATFORM, room.room_id, event.state_key, name, self.app.clock.now()
                )
        elif isinstance(event, RoomMessageText):
            content = event.source.get("content", {})
            if content.get("msgtype") == "m.text" and not _is_edit(content):
                await self._on_text(room, event, content)
        elif isinstance(event, ReactionEvent):
            await self._on_reaction(room, event)
        elif isinstance(event, MegolmEvent):
            await self._on_undecryptable(room, event)

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText,
                       content: dict[str, Any]) -> None:
        if await self.store.handled(event.event_id):
            self.stats.replayed += 1
            return
        sender = event.sender
        text = event.body
        if "m.in_reply_to" in (content.get("m.relates_to") or {}):
            text = strip_reply_fallback(text)
        is_dm = await self._is_dm(room, sender)
        group_id = answered = None
        if is_dm:
            await self.store.remember_direct(room.room_id, sender)
            text, group_id, answered = await self._choose(sender, text)
        incoming = Incoming(
            platform=PLATFORM, user_id=sender,
            display_name=room.user_name(sender) or _localpart(sender), text=text,
            channel=None if is_dm else room.room_id, group_id=group_id,
        )
        await self._answer(room, event.event_id, incoming, answered)

    async def _answer(
        self, room: MatrixRoom, event_id: str, incoming: Incoming, used: str | None = None
    ) -> None:
        """Handle what someone said (or chose from the options of message `used`), recording
        the event with its replies."""
        result = await self.app.handle(incoming)
        in_room = incoming.channel is not None
        redact = (room.room_id, event_id) if result.remove_original and in_room else None
        await self.store.record(event_id, result.sent, redact, used)
        self.stats.handled += 1
        self._outbox_wake.set()
        parsed = parse(incoming.text)
        if parsed and in_room and parsed[0] == "group" and parsed[1].startswith("setup"):
            await self._join_everyone(room)
        if parsed and self.on_change is not None:
            self.on_change()

    async def _choose(self, sender: str, text: str) -> tuple[str, int | None, str | None]:
        """A bare number answers the latest options shown to this person: the command to
        run, its group, and the event whose options it used up (None if kept in memory)."""
        said = text.strip()
        if not (said.isascii() and said.isdigit()) or len(said) > 2:
            return text, None, None
        number = int(said)
        if sender in self.private_options:
            options = self.private_options[sender]
            if not 1 <= number <= len(options):
                return text, None, None
            del self.private_options[sender]
            return options[number - 1].command, options[number - 1].group_id, None
        latest = await self.store.latest_options(self._person(sender))
        if latest is None or not 1 <= number <= len(latest.options):
            return text, None, None
        chosen = latest.options[number - 1]
        return chosen.command, chosen.group_id, latest.event_id

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        """A number reaction on one of the bot's messages chooses that option, as whoever
        reacted: only options meant for them, or a group room's for one of its members."""
        number = reaction_number(event.key)
        if number is None:
            return
        if await self.store.handled(event.event_id):
            self.stats.replayed += 1
            return
        sent = await self.store.options_of(event.reacts_to)
        if sent is None or not 1 <= number <= len(sent.options):
            return
        chosen = sent.options[number - 1]
        group_id = chosen.group_id
        if sent.person is not None:
            if sent.person != self._person(event.sender):
                return
        else:
            member_of = await self.store.group_of_member(room.room_id, event.sender)
            if member_of is None or group_id not in (None, member_of):
                return
            group_id = member_of
        incoming = Incoming(
            platform=PLATFORM, user_id=event.sender,
            display_name=room.user_name(event.sender) or _localpart(event.sender),
            text=chosen.command, channel=None, group_id=group_id,
        )
        await self._answer(room, event.event_id, incoming,
                           sent.event_id if sent.person is not None else None)

    def _person(self, user_id: str) -> str:
        """How the options table knows a person: a keyed hash, never their id."""
        return self.app.router.keys.digest("matrix-options", user_id)

    async def _remember_options(
        self, event_id: str, user: str | None, options: list[Option]
    ) -> None:
        """Keep a sent message's options, so a number or a reaction can choose one later."""
        if not options:
            return
        if any(self.app.router.is_private(o.command) for o in options):
            if user is not None:
                self.private_options[user] = options
                await self.store.no_latest_options(self._person(user))
            return
        if user is not None:
            self.private_options.pop(user, None)
        await self.store.remember_options(
            event_id, self._person(user) if user is not None else None, options
        )

    async def _join_everyone(self, room: MatrixRoom) -> None:
        """A room just became a group: everyone already in it is a member."""
        now = self.app.clock.now()
        for user_id, user in list(room.users.items()):
            if user_id != self.user_id and not user.invited:
                name = room.user_name(user_id) or _localpart(user_id)
                await self.app.router.join(PLATFORM, room.room_id, user_id, name, now)

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if await self.store.handled(event.event_id):
            return
        log.info("matrix.undecryptable")
        is_dm = await self._is_dm(room, event.sender)
        reply = Addressed(UNDECRYPTABLE, Address(None if is_dm else room.room_id, event.sender))
        await self.store.record(event.event_id, [reply], None)
        self._outbox_wake.set()

    # -- the outbox ------------------------------------------------------------

    async def _outbox_forever(self) -> None:
        await self._first_sync.wait()  # until then nio doesn't know our rooms
        failures = 0
        while not self._stopping:
            self._outbox_wake.clear()
            self._outbox_idle.clear()
            try:
                for item in await self.store.pending():
                    await self._send_replies(item)
                failures = 0
            except Exception as error:  # never give up on a reply: wait, then try again
                self._outbox_idle.set()
                failures += 1
                wait = min(self.tuning.backoff * 2 ** failures, self.tuning.backoff_cap)
                log.warning("matrix.outbox_retry", error=type(error).__name__)
                await asyncio.sleep(wait)
                continue
            self._outbox_idle.set()
            await self._outbox_wake.wait()

    async def _send_replies(self, item: Pending) -> None:
        for index in range(item.sent, len(item.replies)):
            txn = transaction_id("reply", f"{item.event_id}:{index}")
            try:
                await self._send_item(item.replies[index], {REPLY_FIELD: txn}, txn)
            except MatrixRefused as error:  # it can never arrive: say so in the log
                log.warning("matrix.reply_refused", errcode=error.errcode)
            await self.store.progress(item, index + 1)
        if item.redact is not None:
            await self._redact(*item.redact)
        await self.store.done(item.event_id)

    async def _redact(self, room_id: str, event_id: str) -> None:
        client = self._client()
        try:
            await self._call(
                "redact", lambda: client.room_redact(room_id, event_id, reason=REDACT_REASON),
                Response,
            )
            log.info("matrix.redacted")
        except MatrixRefused as error:  # the bot has no power here; its reply said why
            log.info("matrix.redact_refused", errcode=error.errcode)

    # -- sending (also the delivery engine's Sender) ---------------------------

    async def send(self, item: Addressed, key: str) -> None:
        """Send one delivery; raises if it could not be sent (the engine tries again later)."""
        await self._send_item(item, {DELIVERY_FIELD: key}, transaction_id("delivery", key))

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether the room's recent history holds a message of ours with this key."""
        await self._first_sync.wait()
        if item.address.user is not None:
            room_id = await self._direct_room(item.address.user, create=False)
        else:
            room_id = item.address.channel
        if room_id is None:
            return False
        event_id = await self._sent_recently(room_id, {DELIVERY_FIELD: key})
        if event_id is None:
            return False
        options = render(item.message).options  # it went out before a crash: keep them
        await self._remember_options(event_id, item.address.user, options)
        return True

    async def _send_item(self, item: Addressed, marker: dict[str, str], txn: str) -> None:
        await self._first_sync.wait()
        address = item.address
        rendered = render(item.message, marker, in_room=address.user is None)
        if address.user is None:
            assert address.channel is not None
            event_id = await self._room_send(address.channel, rendered.content, txn, marker)
            await self._remember_options(event_id, None, rendered.options)
        else:
            # One at a time per person, so the options a bare number answers are always
            # those of the message they saw last.
            async with self._sending_to[address.user]:
                event_id = await self._send_direct(address.user, rendered.content, txn, marker)
                await self._remember_options(event_id, address.user, rendered.options)
        self.stats.sent += 1

    async def _send_direct(
        self, user: str, content: dict[str, Any], txn: str, marker: dict[str, str]
    ) -> str:
        room_id = await self._direct_room(user, create=True)
        assert room_id is not None
        try:
            return await self._room_send(room_id, content, txn, marker, user)
        except MatrixRefused as error:
            if error.errcode != "M_FORBIDDEN":
                raise
            await self.store.forget_direct(room_id)  # removed from it: open a new one
            room_id = await self._direct_room(user, create=True)
            assert room_id is not None
            return await self._room_send(room_id, content, txn, marker, user)

    async def _room_send(
        self, room_id: str, content: dict[str, Any], txn: str, marker: dict[str, str],
        member: str | None = None,
    ) -> str:
        """Send, retrying; the event id of the message in the room."""
        client = self._client()
        await self._wait_for_room(room_id, member)
        found: list[str] = []

        async def request() -> Any:
            return await client.room_send(
                room_id, "m.room.message", content, tx_id=txn, ignore_unverified_devices=True
            )

        async def arrived() -> bool:
            try:
                event_id = await self._sent_recently(room_id, marker)
            except (MatrixUnavailable, MatrixRefused, ClientError, OSError, TimeoutError):
                return False
            if event_id is None:
                return False
            found.append(event_id)
            return True

        async with self._send_lock:
            try:
                sent = await self._call("send", request, RoomSendResponse, before_retry=arrived)
            except _AlreadyDone:
                log.info("matrix.send_found_after_retry")
                return found[-1]
            return str(sent.event_id)

    async def _wait_for_room(self, room_id: str, member: str | None) -> None:
        """nio must know a room (from a sync) before it can send there with encryption on,
        and know the person in it: a new DM can sync half-made, before its invite, and
        keys shared then would leave the person out."""
        client = self._client()

        def known() -> bool:
            room = client.rooms.get(room_id)
            return room is not None and (member is None or member in room.users)

        if known():
            return
        async with self._synced:
            try:
                await asyncio.wait_for(self._synced.wait_for(known), self.tuning.room_wait)
            except TimeoutError:
                raise MatrixUnavailable("the room is not known yet") from None

    async def _sent_recently(
        self, room_id: str, marker: dict[str, str], pages: int = 4
    ) -> str | None:
        """Look back through the bot's own recent messages in a room for one with `marker`:
        its event id, or None."""
        client = self._client()
        start = ""
        wanted = {"senders": [self.user_id]}
        for _ in range(pages):
            async def request(start: str = start) -> Any:
                return await client.room_messages(
                    room_id, start=start, limit=50, message_filter=wanted
                )

            page = await self._call("history", request, RoomMessagesResponse)
            for event in page.chunk:
                content = event.source.get("content", {})
                if all(content.get(k) == v for k, v in marker.items()):
                    return str(event.event_id)
            if not page.chunk or not page.end:
                return None
            start = page.end
        return None

    async def _direct_room(self, user_id: str, create: bool) -> str | None:
        """The person's direct room; with `create`, open one (and invite them) if they have none."""
        async with self._dm_locks[user_id]:
            room_id = await self.store.direct_room(user_id)
            if room_id is not None and self._still_direct(room_id, user_id):
                return room_id
            if not create:
                return None
            client = self._client()
            state = [ENCRYPTION_STATE] if self.settings.encrypt_dms else []

            async def request() -> Any:
                return await client.room_create(
                    is_direct=True, invite=[user_id], preset=RoomPreset.private_chat,
                    initial_state=state,
                )

            created = await self._call("create a direct room", request, RoomCreateResponse)
            self._created.add(created.room_id)
            await self.store.remember_direct(created.room_id, user_id)
            log.info("matrix.direct_room_created", encrypted=self.settings.encrypt_dms)
            return str(created.room_id)

    def _still_direct(self, room_id: str, user_id: str) -> bool:
        """Only the two of us are in it (after the first, full sync nio knows every room
        we're in, so an unknown room is one we left, unless we have only just made it)."""
        room = self._client().rooms.get(room_id)
        if room is None:
            return room_id in self._created
        return _only(room, self.user_id, user_id)

    async def _is_dm(self, room: MatrixRoom, sender: str) -> bool:
        """A message is private only in the sender's direct room while nobody else is in it
        (someone invited in later would see it)."""
        return (await self.store.direct_user(room.room_id) == sender
                and _only(room, self.user_id, sender))

    def _client(self) -> AsyncClient:
        if self.client is None:
            raise RuntimeError("The Matrix platform has not started.")
        return self.client


class _AlreadyDone(Exception):
    """A retried send found its message already in the room."""


def _retry_after(response: ErrorResponse) -> float:
    if response.retry_after_ms:
        return float(max(response.retry_after_ms, 0)) / 1000
    header = getattr(response.transport_response, "headers", {}).get("Retry-After")
    try:
        return float(header) if header else 5.0
    except ValueError:
        return 5.0


#: Reaction keys that mean a number: keycaps 1️⃣..9️⃣ (with or without the emoji
#: variation selector), 🔟, and plain digits.
_REACTION_NUMBERS = {
    **{f"{n}{tail}": n for n in range(1, 10) for tail in ("\ufe0f\u20e3", "\u20e3", "")},
    "\U0001f51f": 10, "10": 10,
}


def reaction_number(key: str) -> int | None:
    """The number a reaction means (1️⃣ is 1, 🔟 is 10), or None for any other reaction."""
    return _REACTION_NUMBERS.get(key.strip())


def _only(room: MatrixRoom, bot: str, person: str) -> bool:
    """Whether `person` is in the room and nobody but the bot is there with them (joined
    or invited)."""
    present = set(room.users) | set(room.invited_users)
    return person in present and present <= {bot, person}


def _is_edit(content: dict[str, Any]) -> bool:
    return (content.get("m.relates_to") or {}).get("rel_type") == "m.replace"


def _localpart(user_id: str) -> str:
    return user_id.removeprefix("@").partition(":")[0]


async def serve(settings: Settings) -> None:
    """Run the bot on Matrix with the real clock until SIGINT or SIGTERM.

    APScheduler (through Wakeups) wakes the delivery engine at each due time and
    every minute; a command that plans something pokes it to look again.
    """
    matrix = settings.matrix
    if not matrix.homeserver or not matrix.user_id:
        raise MatrixSetupError(
            "Matrix needs a homeserver and the bot's user id: set matrix.homeserver and "
            "matrix.user_id (or ALONGSIDE_MATRIX__HOMESERVER and ALONGSIDE_MATRIX__USER_ID)."
        )
    if not (matrix.password or matrix.access_token):
        raise MatrixSetupError(
            "Matrix needs the bot's password or an access token: set matrix.password or "
            "matrix.access_token (with matrix.device_id)."
        )
    clock = SystemClock()
    app = await build_app(settings.database_url, clock)
    platform = AlongsideMatrix(app, matrix)
    wakeups = Wakeups(platform.engine, clock)
    platform.on_change = wakeups.poke
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stopping.set)
    try:
        try:
            await platform.start()
        except MatrixRefused as error:
            raise MatrixSetupError(f"The homeserver refused the bot: {error}") from None
        await wakeups.start()
        stop = asyncio.create_task(stopping.wait())
        running = asyncio.create_task(platform.wait())
        await asyncio.wait([stop, running], return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if running.done():
            running.result()  # a loop stopped: raise its error
        running.cancel()
    finally:
        if wakeups.scheduler.running:
            wakeups.scheduler.pause()  # no new wake-ups; the one running may finish
        await _settle(exclude=set(platform._tasks))
        await wakeups.stop()
        await platform.stop()
        await app.close()


async def _settle(exclude: set[asyncio.Task[None]], seconds: float = 10) -> None:
    """Let work already under way (a wake-up sending a pack) finish before stopping:
    APScheduler's shutdown cancels a running job, which would cut a send short."""
    current = asyncio.current_task()
    busy = [t for t in asyncio.all_tasks() if t is not current and t not in exclude
            and not t.done()]
    if busy:
        await asyncio.wait(busy, timeout=seconds)
