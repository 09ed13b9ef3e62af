"""A local mock of Slack's Web API: an aiohttp server in the test's own event loop.

    mock = MockSlackAPI(users={"UALICE": "alice"}, members={"CGROUP": ["UALICE", "UBOT"]})
    base_url = await mock.start()          # http://127.0.0.1:<port 0>/api/
    client = AsyncWebClient(token="xoxb-test", base_url=base_url)
    await client.chat_postMessage(channel="CGROUP", text="hi", blocks=[...])
    assert mock.messages("CGROUP")[0].text == "hi"
    assert mock.invalid == []              # every Block Kit payload was valid
    await mock.stop()

What it does, in the order a request meets it:

1. Parameters are merged from the query string (slack_sdk sends ``params=`` that
   way, also on POST), a form body or a JSON body. ``blocks``, ``attachments``,
   ``view``, ``metadata`` and ``users`` are decoded when they arrive as JSON text.
2. The call is recorded in ``calls`` (every request, failed or not).
3. ``Authorization: Bearer xox…`` is required (``not_authed`` / ``invalid_auth``).
4. A storm (``storm()``) answers 429 to everything it covers until ``calm()``.
5. Failures queued with ``fail_next()`` are served (HTTP 5xx, an ``ok: false``
   error, an arbitrary status such as 429, or a dropped connection); with
   ``processed=True`` the call takes effect first, as when Slack posts a message
   but the answer is lost.
6. Per-channel rate limit (token bucket) on ``chat.postMessage``: 429 with an
   integer ``Retry-After``; counted in ``rate_limited``, never stored as a message.
7. The method itself. Block Kit payloads are checked with slack_sdk's models plus
   Slack's documented limits; a bad one answers ``invalid_blocks`` (views:
   ``invalid_arguments``, like Slack) and is recorded in ``invalid``.

Lenient where tests benefit (posting to any channel id works), strict where the
bot must cope (``users.info``/``conversations.open`` for an unregistered user answer
``user_not_found``; ``conversations.history`` omits ``metadata`` unless
``include_all_metadata`` is set, as Slack does). Unknown methods are recorded and
answer ``{"ok": true}``. ``response_url()`` hands out URLs on the same server whose
posts land in ``responses``.

File uploads follow Slack's three steps (what slack_sdk's ``files_upload_v2`` does):
``files.getUploadURLExternal`` hands out an upload URL on the same server, the bytes are
POSTed there, and ``files.completeUploadExternal`` shares them in a channel; shared files
land in ``files``. Completing a file never uploaded, or uploaded with another length than
announced, answers an error, as Slack does.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import math
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

JSON = dict[str, Any]

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEST"
TEAM_NAME = "Alongside Test"
APP_ID = "A0TEST"

MAX_MESSAGE_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
MAX_TEXT = 40_000
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELD = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_ID = 255  # action_id, block_id, callback_id

# Fields Slack accepts either as structured JSON or as a JSON-encoded string.
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "users")


# --------------------------------------------------------------------------- records


@dataclass
class Call:
    """One request as the mock saw it, and what it answered."""

    method: str
    params: JSON
    timestamp: float
    http_method: str = "POST"
    status: int = 200
    response: JSON = field(default_factory=dict)
    token: str | None = None  # the token it was made with

    @property
    def ok(self) -> bool:
        """True when the call succeeded (HTTP 200 and ``ok: true``)."""
        return self.status == 200 and self.response.get("ok") is True


@dataclass
class Message:
    """A message in a channel: posted by the bot, or seeded with ``add_message``.

    ``user`` is the recipient of an ephemeral message (None otherwise);
    ``author`` is who wrote it (the bot's user id for bot posts).
    """

    channel: str
    ts: str
    text: str | None
    blocks: list[JSON] | None = None
    metadata: JSON | None = None
    user: str | None = None
    author: str = BOT_USER_ID
    thread_ts: str | None = None
    ephemeral: bool = False
    edits: int = 0

    def to_api(self, *, include_metadata: bool = False) -> JSON:
        """The message as ``conversations.history`` returns it."""
        out: JSON = {"type": "message", "ts": self.ts, "user": self.author, "text": self.text or ""}
        if self.author == BOT_USER_ID:
            out["bot_id"] = BOT_ID
            out["app_id"] = APP_ID
        if self.blocks:
            out["blocks"] = self.blocks
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.edits:
            out["edited"] = {"user": self.author, "ts": self.ts}
        if include_metadata and self.metadata:
            out["metadata"] = self.metadata
        return out


@dataclass
class SharedFile:
    """A file uploaded and shared in a channel (``files.completeUploadExternal``)."""

    id: str
    channel: str
    filename: str
    title: str
    data: bytes
    initial_comment: str | None = None
    #: What a screen reader says for a picture (``alt_txt``), if the upload gave one.
    alt_txt: str | None = None

    @property
    def text(self) -> str:
        """The file's content as UTF-8 text."""
        return self.data.decode("utf-8")


@dataclass
class _Upload:
    filename: str
    length: int
    data: bytes | None = None
    alt_txt: str | None = None


@dataclass
class Invalid:
    """A payload the mock refused: which method, why, and the parameters sent."""

    method: str
    error: str
    problems: list[str]
    params: JSON

    def __str__(self) -> str:
        return f"{self.method}: {self.error}: " + "; ".join(self.problems)


@dataclass
class ResponseUrlPost:
    """A post to a ``response_url`` handed out by ``MockSlackAPI.response_url``."""

    key: str
    payload: JSON
    timestamp: float

    @property
    def text(self) -> str | None:
        """The posted ``text``, if any."""
        return self.payload.get("text")

    @property
    def blocks(self) -> list[JSON] | None:
        """The posted ``blocks``, if any."""
        return self.payload.get("blocks")


@dataclass
class Install:
    """A workspace the app can be installed in through OAuth."""

    team_id: str
    team_name: str
    bot_token: str
    bot_user: str


@dataclass
class _Failure:
    remaining: int
    status: int
    error: str | None
    disconnect: bool
    processed: bool
    retry_after: int | None


@dataclass
class _Storm:
    methods: frozenset[str] | None
    retry_after: int


@dataclass
class _Bucket:
    tokens: float
    updated: float


class _ApiError(Exception):
    """Answer ``{"ok": false, "error": error, **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class _InvalidPayload(_ApiError):
    """A payload problem: answered like ``_ApiError`` and recorded in ``invalid``."""

    def __init__(self, error: str, problems: list[str]) -> None:
        super().__init__(error, response_metadata={"messages": [f"[ERROR] {p}" for p in problems]})
        self.problems = problems


# --------------------------------------------------------------------------- validation


def block_problems(blocks: Any, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[str]:
    """What is wrong with a ``blocks`` array (empty list: nothing).

    Uses slack_sdk's block models (``Block.parse_all`` and ``to_dict()``, which runs
    every nested validator) plus Slack's documented limits that slack_sdk does not
    check or checks leniently (string text where an object is required, mrkdwn in a
    header or button, empty text, unknown block or element types).
    """
    if not isinstance(blocks, list):
        return [f"blocks must be an array, not {type(blocks).__name__}"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"no more than {max_blocks} blocks allowed, got {len(blocks)}")
    for i, raw in enumerate(blocks):
        if not isinstance(raw, dict):
            problems.append(f"blocks[{i}] must be an object")
            continue
        try:
            parsed = Block.parse(raw)
            if parsed is None:
                problems.append(f"blocks[{i}]: unknown block type {raw.get('type')!r}")
                continue
            problems.extend(f"blocks[{i}]{p}" for p in _null_items(parsed.to_dict()))
        except Exception as exc:  # slack_sdk raises SlackObjectFormationError, TypeError, …
            problems.append(f"blocks[{i}] ({raw.get('type')}): {exc}")
        problems.extend(_raw_problems(raw, f"blocks[{i}]"))
    return problems


def view_problems(view: Any) -> list[str]:
    """What is wrong with a modal or Home tab view (empty list: nothing)."""
    if not isinstance(view, dict):
        return [f"view must be an object, not {type(view).__name__}"]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.append(f"view type must be 'modal' or 'home', not {kind!r}")
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        problems.append("view needs at least one block")
    else:
        problems.extend(block_problems(blocks, max_blocks=MAX_MODAL_BLOCKS))
    try:
        View(**view).to_dict()
    except Exception as exc:
        problems.append(f"view: {exc}")
    if kind == "modal":
        for key in ("title", "submit", "close"):
            obj = view.get(key)
            if obj is None:
                if key == "title":
                    problems.append("modal needs a title")
                continue
            if not isinstance(obj, dict) or obj.get("type") != "plain_text":
                problems.append(f"view.{key} must be a plain_text object")
        if view.get("submit") is None and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks or []
        ):
            problems.append("a modal with input blocks needs a submit button")
    for key in ("callback_id", "external_id"):
        value = view.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_ID):
            problems.append(f"view.{key} must be a string of at most {MAX_ID} characters")
    return list(dict.fromkeys(problems))


def _null_items(node: Any, path: str = "") -> Iterable[str]:
    """slack_sdk turns unknown elements into None; find them in ``to_dict()`` output."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _null_items(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if value is None:
                yield f"{path}[{i}]: unknown or malformed element"
            else:
                yield from _null_items(value, f"{path}[{i}]")


def _text_of(obj: Any) -> str | None:
    return obj.get("text") if isinstance(obj, dict) else None


def _raw_problems(node: Any, path: str) -> Iterable[str]:
    """Slack's documented limits, checked on the raw JSON (recursively)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _raw_problems(item, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    for key in ("action_id", "block_id"):
        value = node.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_ID):
            yield f"{path}.{key} must be a string of at most {MAX_ID} characters"
    if kind in ("plain_text", "mrkdwn"):
        text = node.get("text")
        if not isinstance(text, str) or not text:
            yield f"{path}: {kind} text must be a non-empty string"
    if kind in ("section", "header", "button") and isinstance(node.get("text"), str):
        yield f"{path}.text must be a text object, not a string"
    if kind == "section":
        text = _text_of(node.get("text"))
        if isinstance(text, str) and len(text) > MAX_SECTION_TEXT:
            yield f"{path}.text is {len(text)} characters, max {MAX_SECTION_TEXT}"
        for i, fld in enumerate(node.get("fields") or []):
            text = _text_of(fld)
            if isinstance(text, str) and len(text) > MAX_SECTION_FIELD:
                yield f"{path}.fields[{i}] is {len(text)} characters, max {MAX_SECTION_FIELD}"
    if kind in ("header", "button"):
        limit = MAX_HEADER_TEXT if kind == "header" else MAX_BUTTON_TEXT
        text_obj = node.get("text")
        if isinstance(text_obj, dict):
            if text_obj.get("type") != "plain_text":
                yield f"{path}.text must be plain_text in a {kind}"
            text = _text_of(text_obj)
            if isinstance(text, str) and len(text) > limit:
                yield f"{path}.text is {len(text)} characters, max {limit}"
    for key, value in node.items():
        if isinstance(value, dict | list):
            yield from _raw_problems(value, f"{path}.{key}")


# --------------------------------------------------------------------------- the mock

Handler = Callable[["MockSlackAPI", JSON], Awaitable[JSON]]
_HANDLERS: dict[str, Handler] = {}


def _method(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        return fn

    return register


class MockSlackAPI:
    """Slack's Web API on 127.0.0.1, port 0, in the running event loop.

    Args:
        users: user id → display name, for ``users.info`` (the bot is always known).
        members: channel id → member user ids, for ``conversations.members``.
        channels: channel id → name, for ``conversations.info`` (channels named in
            ``members`` are known too, named after their id).
        token: if given, the only bot token accepted; otherwise any ``xoxb-``/``xoxp-``.
        rate_limit_per_channel: ``(burst, window_seconds)``: a token bucket per channel
            holding ``burst`` posts, refilled at ``burst / window`` per second. The
            default ``(5, 5.0)`` is Slack's "1 per second, short bursts allowed".
            None switches rate limiting off.
        rate_limited_methods: the methods the per-channel limit applies to.
        retry_after: a fixed ``Retry-After`` (seconds) for rate-limit answers;
            by default the real wait rounded up, at least 1 (as Slack does).
        members_page_size: the most members one ``conversations.members`` page
            returns, whatever ``limit`` asks (small values force pagination).
        time_fn: the clock for rate limiting and call timestamps (monotonic by default).
    """

    def __init__(
        self,
        *,
        users: Mapping[str, str] | None = None,
        members: Mapping[str, Iterable[str]] | None = None,
        channels: Mapping[str, str] | None = None,
        token: str | None = None,
        rate_limit_per_channel: tuple[int, float] | None = (5, 5.0),
        rate_limited_methods: Collection[str] = ("chat.postMessage",),
        retry_after: int | None = None,
        members_page_size: int = 200,
        time_fn: Callable[[], float] = time.monotonic,
    ) -> None:
        self.calls: list[Call] = []
        self.invalid: list[Invalid] = []
        self.rate_limited_calls: list[Call] = []
        self.responses: list[ResponseUrlPost] = []
        self.views: dict[str, JSON] = {}
        self.token = token
        self.rate_limit_per_channel = rate_limit_per_channel
        self.rate_limited_methods = frozenset(rate_limited_methods)
        self.retry_after = retry_after
        self.members_page_size = members_page_size
        self.time_fn = time_fn

        self._users: dict[str, JSON] = {}
        self._channels: dict[str, JSON] = {}
        self._members: dict[str, list[str]] = {}
        self._posted: list[Message] = []
        self.files: list[SharedFile] = []
        self._uploads: dict[str, _Upload] = {}
        self._history: dict[str, list[Message]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._storm: _Storm | None = None
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._last_ts = 0.0
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._root = ""
        self._socket: web.WebSocketResponse | None = None
        self._socket_ready = asyncio.Event()
        self._socket_acks: dict[str, asyncio.Future[JSON]] = {}
        self.socket_connections = 0
        #: OAuth: the app's (client id, secret); codes not yet traded; installed bots by token.
        self.client = ("client-id", "client-secret")
        self.installs: dict[str, Install] = {}
        self._teams: dict[str, Install] = {}
        self.current_token: str | None = None

        self.add_user(BOT_USER_ID, "alongside", is_bot=True)
        for user_id, name in (users or {}).items():
            self.add_user(user_id, name)
        for channel_id, name in (channels or {}).items():
            self.add_channel(channel_id, name)
        for channel_id, ids in (members or {}).items():
            self.add_channel(channel_id, members=ids)

    # ----------------------------------------------------------------- installs (OAuth)

    def add_install(self, code: str, team_id: str, bot_token: str, bot_user: str) -> None:
        """oauth.v2.access trades `code` (once) for this workspace's bot token."""
        self.installs[code] = Install(team_id, f"Team {team_id}", bot_token, bot_user)

    def tokens_used(self, method: str, channel: str | None = None) -> list[str | None]:
        """The token of every successful call to a method (in one channel, if given)."""
        return [
            c.token
            for c in self.calls
            if c.method == method
            and c.ok
            and (channel is None or self._resolve_channel(str(c.params.get("channel"))) == channel)
        ]

    def _oauth_access(self, request: web.Request, params: JSON) -> JSON:
        """oauth.v2.access: the app's client id and secret (HTTP Basic or form), and a code."""
        auth = request.headers.get("Authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "basic":
            client_id, _, secret = base64.b64decode(value).decode().partition(":")
        else:
            client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
        if (client_id, secret) != self.client:
            return {"ok": False, "error": "invalid_client_id"}
        install = self.installs.pop(str(params.get("code")), None)
        if install is None:
            return {"ok": False, "error": "invalid_code"}
        self._teams[install.bot_token] = install
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": "UINSTALLER"},
            "scope": "chat:write,commands",
            "token_type": "bot",
            "access_token": install.bot_token,
            "bot_user_id": install.bot_user,
            "team": {"id": install.team_id, "name": install.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> str:
        """Start serving; returns the base URL (``http://127.0.0.1:<port>/api/``)."""
        if self._runner is not None:
            return f"{self._root}/api/"
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/response/{key}", self._handle_response_url)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_get("/socket", self._handle_socket)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._root = f"http://{host}:{port}"
        return f"{self._root}/api/"

    async def stop(self) -> None:
        """Stop serving and close every connection."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MockSlackAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The base URL ``start()`` returned."""
        if not self._root:
            raise RuntimeError("MockSlackAPI is not started")
        return f"{self._root}/api/"

    # ----------------------------------------------------------------- configuration

    def add_user(
        self,
        user_id: str,
        display_name: str,
        *,
        real_name: str | None = None,
        tz: str = "Europe/London",
        is_bot: bool = False,
    ) -> None:
        """Make ``users.info`` know a user."""
        real = real_name or display_name
        self._users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": display_name.lower().replace(" ", "."),
            "real_name": real,
            "deleted": False,
            "is_bot": is_bot,
            "tz": tz,
            "profile": {"display_name": display_name, "real_name": real},
        }

    def add_channel(
        self,
        channel_id: str,
        name: str | None = None,
        *,
        members: Iterable[str] | None = None,
        is_private: bool = False,
    ) -> None:
        """Make ``conversations.info`` (and, with members, ``.members``) know a channel."""
        existing = self._channels.get(channel_id, {})
        self._channels[channel_id] = {
            "id": channel_id,
            "name": name or existing.get("name") or channel_id.lower(),
            "is_channel": not is_private,
            "is_group": is_private,
            "is_im": False,
            "is_private": is_private,
            "is_archived": False,
            "is_member": True,
        }
        if members is not None:
            self._members[channel_id] = list(members)

    def set_members(self, channel_id: str, members: Iterable[str]) -> None:
        """Replace a channel's members."""
        if channel_id not in self._channels:
            self.add_channel(channel_id)
        self._members[channel_id] = list(members)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        blocks: list[JSON] | None = None,
    ) -> Message:
        """Seed a message written by someone (for ``conversations.history``)."""
        message = Message(
            channel=channel,
            ts=ts or self._next_ts(),
            text=text,
            blocks=blocks,
            author=user,
            thread_ts=thread_ts,
        )
        history = self._history.setdefault(channel, [])
        history.append(message)
        history.sort(key=lambda m: float(m.ts))
        return message

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int | None = None,
        error: str | None = None,
        disconnect: bool = False,
        processed: bool = False,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (queued after earlier ones).

        Exactly one of: ``status`` (e.g. 500, 503, or 429 with ``retry_after``),
        ``error`` (HTTP 200, ``{"ok": false, "error": error}``), ``disconnect=True``
        (the connection is dropped without an answer). With ``processed=True`` the
        call takes effect before failing (a message is posted, the answer lost).
        """
        if sum((status is not None, error is not None, disconnect)) != 1:
            raise ValueError("give exactly one of status=, error=, disconnect=True")
        self._failures.setdefault(method, []).append(
            _Failure(times, status or 200, error, disconnect, processed, retry_after)
        )

    def storm(self, *, retry_after: int = 1, methods: Iterable[str] | None = None) -> None:
        """Answer 429 to every call (or to ``methods``) until ``calm()``."""
        self._storm = _Storm(frozenset(methods) if methods is not None else None, retry_after)

    def calm(self) -> None:
        """End a storm."""
        self._storm = None

    def reset_rate_limits(self) -> None:
        """Refill every per-channel bucket."""
        self._buckets.clear()

    def response_url(self) -> str:
        """A fresh ``response_url``; posts to it are recorded in ``responses``."""
        if not self._root:
            raise RuntimeError("start() the mock before asking for a response_url")
        return f"{self._root}/response/{next(self._ids)}"

    # ----------------------------------------------------------------- inspection

    def messages(self, channel: str | None = None) -> list[Message]:
        """Messages the bot posted (postMessage and postEphemeral), oldest first.

        ``chat.update`` edits them in place.
        """
        return [m for m in self._posted if channel is None or m.channel == channel]

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """Recorded calls to ``method``; ``ok=True``/``False`` keeps only successes/failures."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    @property
    def rate_limited(self) -> int:
        """How many calls the per-channel limit or a storm answered with 429."""
        return len(self.rate_limited_calls)

    def assert_all_valid(self) -> None:
        """Fail if any payload was refused as invalid."""
        assert not self.invalid, "Slack refused payloads:\n" + "\n".join(map(str, self.invalid))

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The DM channel id ``conversations.open`` gives for ``user_id``."""
        return f"D{user_id}"

    # ----------------------------------------------------------------- Socket Mode

    async def socket_request(self, kind: str, payload: JSON) -> JSON:
        """Send an envelope over the app's Socket Mode connection, as Slack does.

        ``kind`` is ``slash_commands``, ``interactive`` or ``events_api``. Waits for
        the app to connect, then for its acknowledgement (10 s at most each), which it returns.
        """
        await asyncio.wait_for(self._socket_ready.wait(), 10)
        assert self._socket is not None
        envelope_id = f"envelope-{next(self._ids)}"
        answer: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
        self._socket_acks[envelope_id] = answer
        await self._socket.send_str(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": kind,
                    "payload": payload,
                    "accepts_response_payload": kind != "events_api",
                    "retry_attempt": 0,
                    "retry_reason": "",
                }
            )
        )
        return await asyncio.wait_for(answer, 10)

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._socket = socket
        self.socket_connections += 1
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self._socket_ready.set()
        async for message in socket:
            if message.type != web.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            waiting = self._socket_acks.pop(str(data.get("envelope_id")), None)
            if waiting is not None and not waiting.done():
                waiting.set_result(data)
        if self._socket is socket:
            self._socket = None
            self._socket_ready.clear()
        return socket

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            return await self._serve(request)
        except _Dropped:
            # The transport is already aborted; this answer is never written.
            return web.Response(status=204)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        call = Call(method, {}, self.time_fn(), request.method)
        self.calls.append(call)
        try:
            call.params = await _read_params(request)
        except ValueError as exc:
            return self._answer(call, {"ok": False, "error": "invalid_json", "detail": str(exc)})

        if method == "oauth.v2.access":
            return self._answer(call, self._oauth_access(request, call.params))
        token = _bearer(request) or call.params.pop("token", None)
        call.token = token
        if not token:
            return self._answer(call, {"ok": False, "error": "not_authed"})
        if method == "apps.connections.open":
            if not token.startswith("xapp-"):
                return self._answer(call, {"ok": False, "error": "invalid_auth"})
        elif not token.startswith(("xoxb-", "xoxp-")) or (self.token and token != self.token):
            return self._answer(call, {"ok": False, "error": "invalid_auth"})

        if self._storm and (self._storm.methods is None or method in self._storm.methods):
            self.rate_limited_calls.append(call)
            return self._answer(call, _RATELIMITED, 429, self._storm.retry_after)

        failure = self._take_failure(method)
        if failure is not None and not failure.processed:
            return self._fail(request, call, failure)

        if failure is None and method in self.rate_limited_methods:
            wait = self._take_token(method, self._channel_key(call.params))
            if wait is not None:
                self.rate_limited_calls.append(call)
                return self._answer(call, _RATELIMITED, 429, wait)

        self.current_token = token  # read at once by handlers that answer per workspace
        body = await self._dispatch(method, call.params)
        if failure is not None:
            call.response = body
            return self._fail(request, call, failure)
        return self._answer(call, body)

    async def _dispatch(self, method: str, params: JSON) -> JSON:
        handler = _HANDLERS.get(method)
        if handler is None:
            return {"ok": True}
        try:
            return await handler(self, params)
        except _InvalidPayload as exc:
            self.invalid.append(Invalid(method, exc.error, exc.problems, params))
            return {"ok": False, "error": exc.error, **exc.extra}
        except _ApiError as exc:
            return {"ok": False, "error": exc.error, **exc.extra}

    def _answer(
        self, call: Call, body: JSON, status: int = 200, retry_after: int | None = None
    ) -> web.Response:
        call.status, call.response = status, body
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return web.json_response(body, status=status, headers=headers)

    def _fail(self, request: web.Request, call: Call, failure: _Failure) -> web.StreamResponse:
        if failure.disconnect:
            call.status = 0
            call.response = {"ok": False, "error": "disconnected"}
            if request.transport is not None:
                request.transport.abort()
            raise _Dropped
        if failure.error is not None:
            return self._answer(call, {"ok": False, "error": failure.error})
        if failure.status == 429:
            self.rate_limited_calls.append(call)
            return self._answer(call, _RATELIMITED, 429, failure.retry_after or 1)
        return self._answer(
            call, {"ok": False, "error": "internal_error"}, failure.status, failure.retry_after
        )

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.pop(0)
        return failure

    def _channel_key(self, params: JSON) -> str:
        channel = str(params.get("channel", ""))
        return self._resolve_channel(channel)

    def _take_token(self, method: str, channel: str) -> int | None:
        """Spend one token of the channel's bucket; None if allowed, else seconds to wait."""
        if self.rate_limit_per_channel is None:
            return None
        burst, window = self.rate_limit_per_channel
        rate = burst / window
        now = self.time_fn()
        bucket = self._buckets.setdefault((method, channel), _Bucket(float(burst), now))
        bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        if self.retry_after is not None:
            return self.retry_after
        return max(1, math.ceil((1.0 - bucket.tokens) / rate))

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        try:
            payload = await _read_params(request)
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        key = request.match_info["key"]
        self.responses.append(ResponseUrlPost(key, payload, self.time_fn()))
        if "blocks" in payload:
            problems = block_problems(payload["blocks"])
            if problems:
                self.invalid.append(Invalid("response_url", "invalid_blocks", problems, payload))
                return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok", content_type="text/html")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        """The upload URL ``files.getUploadURLExternal`` handed out: the file's bytes."""
        upload = self._uploads.get(request.match_info["file_id"])
        data = await request.read()
        self.calls.append(Call("upload", {"length": len(data)}, self.time_fn()))
        if upload is None:
            return web.Response(status=404, text="not_found")
        upload.data = data
        return web.Response(text=f"OK - {len(data)}", content_type="text/plain")

    # ----------------------------------------------------------------- helpers

    def _next_ts(self) -> str:
        """A message ts from the wall clock, strictly increasing."""
        ts = max(time.time(), self._last_ts + 0.000001)
        self._last_ts = ts
        return f"{ts:.6f}"

    def _resolve_channel(self, channel: str) -> str:
        """Posting to a user id posts to the bot's DM with that user, as on Slack."""
        if channel[:1] in ("U", "W") and channel in self._users:
            return self.dm_channel(channel)
        return channel

    def _check_message_payload(self, params: JSON, *, need_content: bool = True) -> None:
        text, blocks = params.get("text"), params.get("blocks")
        if need_content and not text and not blocks and not params.get("attachments"):
            raise _ApiError("no_text")
        if isinstance(text, str) and len(text) > MAX_TEXT:
            raise _InvalidPayload(
                "msg_too_long", [f"text is {len(text)} characters, max {MAX_TEXT}"]
            )
        if blocks is not None:
            if isinstance(blocks, _Undecodable):
                raise _InvalidPayload("invalid_blocks_format", [f"blocks is not JSON: {blocks}"])
            problems = block_problems(blocks)
            if problems:
                raise _InvalidPayload("invalid_blocks", problems)
        metadata = params.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            raise _InvalidPayload(
                "invalid_metadata_format", ["metadata needs event_type and event_payload"]
            )

    def _check_view(self, params: JSON) -> JSON:
        view = params.get("view")
        problems = ["view is required"] if view is None else view_problems(view)
        if problems:
            raise _InvalidPayload("invalid_arguments", problems)
        assert isinstance(view, dict)
        return view

    def _store_view(self, view: JSON, view_id: str | None = None, **extra: Any) -> JSON:
        view_id = view_id or f"V{next(self._ids):08d}"
        stored = {
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "hash": hashlib.sha1(json.dumps(view, sort_keys=True).encode()).hexdigest()[:16],
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            **extra,
        }
        self.views[view_id] = stored
        return stored

    def _find_message(self, channel: str, ts: str) -> Message:
        for message in self._history.get(channel, []):
            if message.ts == ts:
                return message
        raise _ApiError("message_not_found")


_RATELIMITED: JSON = {"ok": False, "error": "ratelimited"}


class _Dropped(Exception):
    """Raised after aborting the transport so aiohttp writes no answer."""


class _Undecodable(str):
    """A JSON-text field that was not JSON."""


def _bearer(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def _read_params(request: web.Request) -> JSON:
    """Query string, then form or JSON body; JSON-text fields decoded."""
    params: JSON = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            raw = await request.text()
            body = json.loads(raw) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            params.update(body)
        else:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str):
            params[key] = _decode_json_field(key, value)
    return params


def _decode_json_field(key: str, value: str) -> Any:
    stripped = value.strip()
    if key == "users" and not stripped.startswith("["):
        return [u for u in stripped.split(",") if u]
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        return _Undecodable(value)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.b64decode(str(cursor)).decode().removeprefix("offset:"))
    except ValueError as exc:
        raise _ApiError("invalid_cursor") from exc


def _limit(value: Any, default: int) -> int:
    try:
        limit = int(value) if value not in (None, "") else default
    except (TypeError, ValueError) as exc:
        raise _ApiError("invalid_limit") from exc
    return limit if limit > 0 else default


# --------------------------------------------------------------------------- methods


@_method("apps.connections.open")
async def _apps_connections_open(mock: MockSlackAPI, params: JSON) -> JSON:
    return {"ok": True, "url": f"ws://{mock._root.removeprefix('http://')}/socket"}


@_method("auth.test")
async def _auth_test(mock: MockSlackAPI, params: JSON) -> JSON:
    install = mock._teams.get(mock.current_token or "")
    if install is not None:
        return {
            "ok": True,
            "url": f"https://{install.team_id.lower()}.slack.com/",
            "team": install.team_name,
            "user": "alongside",
            "team_id": install.team_id,
            "user_id": install.bot_user,
            "bot_id": f"B{install.bot_user}",
            "is_enterprise_install": False,
        }
    return {
        "ok": True,
        "url": "https://alongside-test.slack.com/",
        "team": TEAM_NAME,
        "user": "alongside",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


@_method("chat.postMessage")
async def _chat_post_message(mock: MockSlackAPI, params: JSON) -> JSON:
    channel = params.get("channel")
    if not channel:
        raise _ApiError("channel_not_found")
    mock._check_message_payload(params)
    message = Message(
        channel=mock._resolve_channel(str(channel)),
        ts=mock._next_ts(),
        text=params.get("text"),
        blocks=params.get("blocks"),
        metadata=params.get("metadata"),
        thread_ts=params.get("thread_ts"),
    )
    mock._posted.append(message)
    mock._history.setdefault(message.channel, []).append(message)
    return {
        "ok": True,
        "channel": message.channel,
        "ts": message.ts,
        "message": message.to_api(include_metadata=True),
    }


@_method("chat.postEphemeral")
async def _chat_post_ephemeral(mock: MockSlackAPI, params: JSON) -> JSON:
    channel, user = params.get("channel"), params.get("user")
    if not channel:
        raise _ApiError("channel_not_found")
    if not user:
        raise _ApiError("user_not_found")
    mock._check_message_payload(params)
    message = Message(
        channel=str(channel),
        ts=mock._next_ts(),
        text=params.get("text"),
        blocks=params.get("blocks"),
        metadata=params.get("metadata"),
        user=str(user),
        thread_ts=params.get("thread_ts"),
        ephemeral=True,
    )
    mock._posted.append(message)
    return {"ok": True, "message_ts": message.ts}


@_method("chat.update")
async def _chat_update(mock: MockSlackAPI, params: JSON) -> JSON:
    channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
    if not ts:
        raise _ApiError("message_not_found")
    mock._check_message_payload(params, need_content=False)
    message = mock._find_message(mock._resolve_channel(channel), ts)
    if message.author != BOT_USER_ID:
        raise _ApiError("cant_update_message")
    for key in ("text", "blocks", "metadata"):
        if key in params:
            setattr(message, key, params[key])
    message.edits += 1
    return {
        "ok": True,
        "channel": message.channel,
        "ts": message.ts,
        "text": message.text or "",
        "message": message.to_api(include_metadata=True),
    }


@_method("chat.delete")
async def _chat_delete(mock: MockSlackAPI, params: JSON) -> JSON:
    channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
    message = mock._find_message(mock._resolve_channel(channel), ts)
    mock._history[message.channel].remove(message)
    if message in mock._posted:
        mock._posted.remove(message)
    return {"ok": True, "channel": message.channel, "ts": message.ts}


@_method("conversations.open")
async def _conversations_open(mock: MockSlackAPI, params: JSON) -> JSON:
    users = params.get("users") or []
    if isinstance(users, str):
        users = [users]
    if params.get("channel"):
        channel_id = str(params["channel"])
    elif len(users) == 1:
        channel_id = mock.dm_channel(str(users[0]))
    elif users:
        digest = hashlib.sha1(",".join(sorted(map(str, users))).encode()).hexdigest()
        channel_id = "G" + digest[:10].upper()
    else:
        raise _ApiError("users_list_not_supplied")
    if len(users) == 1 and str(users[0]) not in mock._users:
        raise _ApiError("user_not_found")
    already_open = channel_id in mock._channels
    if not already_open:
        mock._channels[channel_id] = {
            "id": channel_id,
            "is_im": channel_id.startswith("D"),
            "is_mpim": channel_id.startswith("G"),
            "is_private": True,
            "is_member": True,
            "user": str(users[0]) if len(users) == 1 else None,
        }
        mock._members[channel_id] = [BOT_USER_ID, *map(str, users)]
    out: JSON = {"ok": True, "channel": {"id": channel_id}}
    if _truthy(params.get("return_im")):
        out["channel"] = dict(mock._channels[channel_id])
        out["already_open"] = already_open
    return out


@_method("conversations.members")
async def _conversations_members(mock: MockSlackAPI, params: JSON) -> JSON:
    channel = str(params.get("channel", ""))
    if channel not in mock._members:
        raise _ApiError("channel_not_found")
    members = mock._members[channel]
    start = _offset(params.get("cursor"))
    size = min(_limit(params.get("limit"), 100), mock.members_page_size)
    page = members[start : start + size]
    end = start + len(page)
    return {
        "ok": True,
        "members": page,
        "response_metadata": {"next_cursor": _cursor(end) if end < len(members) else ""},
    }


@_method("conversations.info")
async def _conversations_info(mock: MockSlackAPI, params: JSON) -> JSON:
    channel = str(params.get("channel", ""))
    info = mock._channels.get(channel)
    if info is None:
        raise _ApiError("channel_not_found")
    out = dict(info)
    if _truthy(params.get("include_num_members")):
        out["num_members"] = len(mock._members.get(channel, []))
    return {"ok": True, "channel": out}


@_method("conversations.history")
async def _conversations_history(mock: MockSlackAPI, params: JSON) -> JSON:
    channel = mock._resolve_channel(str(params.get("channel", "")))
    if not channel:
        raise _ApiError("channel_not_found")
    inclusive = _truthy(params.get("inclusive"))
    oldest = float(params.get("oldest") or 0)
    latest = float(params.get("latest") or "inf")

    def in_range(m: Message) -> bool:
        ts = float(m.ts)
        above = ts >= oldest if inclusive else ts > oldest
        below = ts <= latest if inclusive else ts < latest
        return above and below

    # Top-level messages only (thread replies live in conversations.replies), newest first.
    found = [
        m
        for m in reversed(mock._history.get(channel, []))
        if (m.thread_ts is None or m.thread_ts == m.ts) and in_range(m)
    ]
    start = _offset(params.get("cursor"))
    limit = min(_limit(params.get("limit"), 100), 999)
    page = found[start : start + limit]
    more = start + limit < len(found)
    include_metadata = _truthy(params.get("include_all_metadata"))
    return {
        "ok": True,
        "messages": [m.to_api(include_metadata=include_metadata) for m in page],
        "has_more": more,
        "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""},
    }


@_method("conversations.replies")
async def _conversations_replies(mock: MockSlackAPI, params: JSON) -> JSON:
    channel = mock._resolve_channel(str(params.get("channel", "")))
    ts = str(params.get("ts", ""))
    thread = [m for m in mock._history.get(channel, []) if m.ts == ts or m.thread_ts == ts]
    if not thread:
        raise _ApiError("thread_not_found")
    include_metadata = _truthy(params.get("include_all_metadata"))
    return {
        "ok": True,
        "messages": [m.to_api(include_metadata=include_metadata) for m in thread],
        "has_more": False,
        "response_metadata": {"next_cursor": ""},
    }


@_method("users.info")
async def _users_info(mock: MockSlackAPI, params: JSON) -> JSON:
    user = mock._users.get(str(params.get("user", "")))
    if user is None:
        raise _ApiError("user_not_found")
    return {"ok": True, "user": user}


@_method("views.open")
async def _views_open(mock: MockSlackAPI, params: JSON) -> JSON:
    if not params.get("trigger_id") and not params.get("interactivity_pointer"):
        raise _InvalidPayload("invalid_arguments", ["trigger_id is required"])
    view = mock._check_view(params)
    return {"ok": True, "view": mock._store_view(view, root_view_id=None)}


@_method("views.push")
async def _views_push(mock: MockSlackAPI, params: JSON) -> JSON:
    if not params.get("trigger_id") and not params.get("interactivity_pointer"):
        raise _InvalidPayload("invalid_arguments", ["trigger_id is required"])
    view = mock._check_view(params)
    return {"ok": True, "view": mock._store_view(view)}


@_method("views.update")
async def _views_update(mock: MockSlackAPI, params: JSON) -> JSON:
    view = mock._check_view(params)
    view_id = params.get("view_id")
    if not view_id and params.get("external_id"):
        view_id = next(
            (k for k, v in mock.views.items() if v.get("external_id") == params["external_id"]),
            None,
        )
    if not view_id or view_id not in mock.views:
        raise _ApiError("not_found")
    old_hash = params.get("hash")
    if old_hash and old_hash != mock.views[view_id]["hash"]:
        raise _ApiError("hash_conflict")
    return {"ok": True, "view": mock._store_view(view, view_id)}


@_method("views.publish")
async def _views_publish(mock: MockSlackAPI, params: JSON) -> JSON:
    if not params.get("user_id"):
        raise _ApiError("invalid_arguments")
    view = mock._check_view(params)
    return {"ok": True, "view": mock._store_view(view, f"VHOME{params['user_id']}")}


@_method("files.getUploadURLExternal")
async def _files_get_upload_url_external(mock: MockSlackAPI, params: JSON) -> JSON:
    filename = params.get("filename")
    try:
        length = int(params.get("length", ""))
    except ValueError as exc:
        raise _ApiError("invalid_arguments") from exc
    if not filename or length <= 0:
        raise _ApiError("invalid_arguments")
    file_id = f"F{next(mock._ids):08d}"
    alt = params.get("alt_txt")
    if alt is not None and len(str(alt)) > 1000:  # Slack's limit for alt text
        raise _ApiError("invalid_arguments")
    mock._uploads[file_id] = _Upload(
        str(filename), length, alt_txt=None if alt is None else str(alt)
    )
    return {"ok": True, "upload_url": f"{mock._root}/upload/{file_id}", "file_id": file_id}


@_method("files.completeUploadExternal")
async def _files_complete_upload_external(mock: MockSlackAPI, params: JSON) -> JSON:
    raw = params.get("files")
    try:
        files = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as exc:
        raise _ApiError("invalid_arguments") from exc
    if not isinstance(files, list) or not files:
        raise _ApiError("invalid_arguments")
    channel = params.get("channel_id")
    shared = []
    for item in files:
        upload = mock._uploads.get(str(item.get("id")) if isinstance(item, dict) else "")
        if upload is None:
            raise _ApiError("file_not_found")
        if upload.data is None or len(upload.data) != upload.length:
            raise _ApiError("file_upload_not_complete")
        shared.append((str(item["id"]), str(item.get("title") or upload.filename), upload))
    out = []
    for file_id, title, upload in shared:
        assert upload.data is not None
        if channel:
            mock.files.append(
                SharedFile(
                    file_id,
                    mock._resolve_channel(str(channel)),
                    upload.filename,
                    title,
                    upload.data,
                    params.get("initial_comment"),
                    upload.alt_txt,
                )
            )
        out.append({"id": file_id, "name": upload.filename, "title": title})
    return {"ok": True, "files": out}
