"""What one Slack request asks for, and the tasks that work requests after they are acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.platforms.slack.team import current_team
from handlers.core.messages import Addressed, Message

PLATFORM = "slack"
#: Seconds acknowledged work may wait while requests keep arriving.
PATIENCE = 2.0
#: Seconds after the last acknowledgement from which requests no longer arrive together.
QUIET = 0.05


@dataclass
class Work:
    """What one Slack request asks for, as kept in the inbox while it is in flight."""

    kind: str  # command, choice, submit, message, joined, left
    user: str
    text: str = ""
    channel: str | None = None  # the Incoming's channel: None means privately
    conversation: str | None = None  # where in Slack it happened
    group_id: int | None = None
    response_url: str | None = None
    view_id: str | None = None  # the modal a button was pressed in
    title: str = ""  # that modal's title
    replace: bool = False  # pressed in an ephemeral message: answer in its place
    name: str | None = None  # the name Slack sent with the request, if any
    team: str | None = field(default_factory=current_team)  # its workspace (OAuth)

    def dump(self) -> str:
        """As JSON for the inbox (every field is a plain value: no deep copy needed)."""
        return json.dumps(vars(self), ensure_ascii=False)

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> Work:
        """From the inbox's JSON."""
        return cls(**raw)

    def to_caller(self, item: Addressed) -> bool:
        """Whether a reply goes back to whoever asked, where they asked."""
        return item.address.user == self.user and item.address.channel == self.channel


def request_key(kind: str, own_id: object, body: Mapping[str, Any]) -> str:
    """The inbox key of a request: Slack's own id for it (a trigger_id or an event_id), else
    one made from the request itself, so the same request posted again has the same key."""
    if own_id:
        return str(own_id)
    made = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return f"{kind}:{hashlib.sha256(made.encode()).hexdigest()[:40]}"


def is_dm(conversation: str | None) -> bool:
    """Whether a Slack conversation id is a direct message (or there is none)."""
    return conversation is None or conversation.startswith("D")


def merge(messages: list[Message]) -> Message:
    """Several private answers to one person as one message."""
    if len(messages) == 1:
        return messages[0]
    blocks = tuple(block for msg in messages for block in msg.blocks)
    return Message(blocks, summary=messages[0].text())


class Tasks:
    """The work started by requests, so it can be waited for."""

    def __init__(self) -> None:
        self._running: set[asyncio.Future[Any]] = set()

    def spawn(self, work: Awaitable[Any]) -> None:
        """Run `work` in the background."""
        task = asyncio.ensure_future(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def idle(self) -> None:
        """Wait until every piece of work started so far (and any it started) has finished."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)


class Turns:
    """Who may work on acknowledged requests now: acknowledging comes first.

    While requests are arriving (one is being acknowledged, or the last was answered
    less than `quiet` seconds ago), no new work starts, except that once the oldest
    waiting request has waited `patience` seconds they are worked one at a time, so work
    goes on under a steady stream; otherwise up to `most` at once. The rest wait their
    turn, first come first served.
    """

    def __init__(self, most: int, patience: float = PATIENCE, quiet: float = QUIET) -> None:
        self.most = most
        self.patience = patience
        self.quiet = quiet
        self.acknowledging = 0
        self.working = 0
        self._calm_from = 0.0  # loop time from which no request has arrived for `quiet`
        self._waiting: deque[tuple[float, asyncio.Future[None]]] = deque()
        self._later: asyncio.TimerHandle | None = None

    @contextlib.contextmanager
    def acknowledge(self) -> Iterator[None]:
        """Around answering one request from Slack."""
        self.acknowledging += 1
        try:
            yield
        finally:
            self.acknowledging -= 1
            self._calm_from = asyncio.get_running_loop().time() + self.quiet
            self._admit()

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a turn, then hold it while working."""
        loop = asyncio.get_running_loop()
        if self._waiting or self.working >= self._allowed(loop.time()):
            waiting: asyncio.Future[None] = loop.create_future()
            self._waiting.append((loop.time(), waiting))
            self._admit()
            try:
                await waiting
            except asyncio.CancelledError:
                if waiting.done() and not waiting.cancelled():  # admitted, then cancelled
                    self.working -= 1
                    self._admit()
                raise
        else:
            self.working += 1
        try:
            yield
        finally:
            self.working -= 1
            self._admit()

    def _allowed(self, now: float) -> int:
        """How many may work now."""
        if not self.acknowledging and now >= self._calm_from:
            return self.most
        overdue = bool(self._waiting) and now - self._waiting[0][0] >= self.patience
        return 1 if overdue else 0

    def _admit(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._waiting and self.working < self._allowed(now):
            _, waiting = self._waiting.popleft()
            if not waiting.done():
                self.working += 1
                waiting.set_result(None)
        if self._waiting and self.working < self.most:
            # when more may work: once calm (if nobody is being acknowledged), or once the
            # oldest is overdue (if nobody works); otherwise a finished ack or turn tells us
            times = [self._waiting[0][0] + self.patience] if not self.working else []
            if not self.acknowledging:
                times.append(self._calm_from)
            if times:
                self._wake_at(max(min(times), now))

    def _wake_at(self, when: float) -> None:
        if self._later is not None and self._later.when() <= when:
            return
        if self._later is not None:
            self._later.cancel()
        self._later = asyncio.get_running_loop().call_at(when, self._woken)

    def _woken(self) -> None:
        self._later = None
        self._admit()
