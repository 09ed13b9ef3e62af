"""The console platform: several people type in one terminal; time moves on command.

Protocol (one line in, any number of lines out):
  alice: /agenda add Budget     alice speaks in the group channel
  alice@dm: /prefs              alice speaks in her direct conversation with the bot
  :advance 2d3h / :now 2026-12-01T10:00   move the virtual clock forward
  # comment                     ignored
Output lines start with [#group] or [dm:alice]; continuation lines are indented.

With a health port set (ALONGSIDE_HEALTH__PORT), `run` also serves /healthz,
/readyz and /metrics there while it reads (bot/health.py).
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot import health
from bot.app import App
from bot.config import HealthSettings, Settings
from bot.platforms.console.files import FileFolder, folder_for, picture_note, saved_note
from bot.platforms.console.transcript import Transcript
from bot.platforms.text import render_text
from handlers.core.messages import Addressed, File, Image, Option
from handlers.core.parsing import parse_duration
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward

PLATFORM = "console"
CHANNEL = "group"
_SPEAKER = re.compile(r"^([A-Za-z][\w.-]{0,39})(@dm)?:\s?(.*)$")


class Console:
    """Reads the console protocol and writes what the bot sends."""

    def __init__(
        self,
        app: App,
        clock: VirtualClock,
        out: TextIO = sys.stdout,
        transcript: Path | None = None,
        files: Path | None = None,
        health: HealthSettings | None = None,
    ) -> None:
        """`files`: where files people are sent are saved (default: next to the database);
        `health`: where `run` serves health and metrics (default: the settings' port, if set)."""
        self.app = app
        self.clock = clock
        self.out = out
        self.pending: dict[str, list[Option]] = {}
        self.engine = app.delivery(self)
        self.transcript = Transcript(transcript) if transcript is not None else None
        self.stamp: datetime | None = None
        self.files = FileFolder(files or folder_for(app.db.url))
        self.health = health

    async def already_sent(self, item: Addressed, key: str) -> bool:
        """Whether the transcript shows this delivery (the console's own history)."""
        return self.transcript is not None and key in self.transcript

    async def deliver(self) -> None:
        """Send whatever is due at the clock's time."""
        await self.engine.deliver_due(self.clock.now())

    def say(self, where: str, text: str) -> None:
        """Write one message: first line after its place, the rest indented."""
        first, *rest = text.splitlines() or [""]
        print(f"[{where}] {first}", file=self.out)
        for line in rest:
            print(f"  {line}", file=self.out)
        self.out.flush()

    async def send(self, item: Addressed, key: str | None = None) -> None:
        """Show a message where it went; private replies go to the person's DM."""
        if key is not None and self.transcript is not None:
            self.transcript.record(key, self.clock.now())
        if key is not None and self.stamp != self.clock.now():
            self.stamp = self.clock.now()
            self.say("console", f"-- {self.stamp:%a %d %b %Y %H:%M} UTC --")
        address = item.address
        if address.user is not None:
            hint = f"Send it to me privately: {address.user}@dm:"
            text, options = render_text(
                item.message,
                hint,
                file_note=self._saver(address.user),
                picture_note=self._picture_saver(address.user),
            )
            if options:
                self.pending[address.user] = options
            self.say(f"dm:{address.user}", text)
        else:
            # numbers choose only in a DM
            saver = self._saver(address.channel or "group")
            text, _ = render_text(
                item.message,
                choose=None,
                file_note=saver,
                picture_note=self._picture_saver(address.channel or "group"),
            )
            self.say(f"#{address.channel}", text)

    def _saver(self, owner: str) -> Callable[[File], str]:
        """Saves each file a message carries, and says where it is."""
        return lambda file: saved_note(self.files.save(file, owner))

    def _picture_saver(self, owner: str) -> Callable[[Image], str]:
        """Saves each chart a message carries, and says where it is and what it shows."""
        return lambda image: picture_note(self.files.save(image, owner), image)

    async def line(self, raw: str) -> None:
        """Handle one line of input."""
        text = raw.rstrip("\n")
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            return
        if stripped.startswith(":"):
            await self.time_command(stripped)
            return
        match = _SPEAKER.match(stripped)
        if match is None:
            self.say(
                "console",
                "I couldn't read that line. Write it as name: message (in the group) "
                "or name@dm: message (privately). Time moves with :advance 1h or :now <time>.",
            )
            return
        user, dm, said = match.group(1).lower(), bool(match.group(2)), match.group(3)
        group_id = None
        if dm and said.strip().isascii() and said.strip().isdigit() and user in self.pending:
            options = self.pending[user]
            index = int(said.strip()) - 1
            if 0 <= index < len(options):
                said, group_id = options[index].command, options[index].group_id
                del self.pending[user]
        incoming = Incoming(
            platform=PLATFORM,
            user_id=user,
            display_name=user,
            text=said,
            channel=None if dm else CHANNEL,
            group_id=group_id,
        )
        result = await self.app.handle(incoming)
        for item in result.sent:
            await self.send(item)
        if result.changes_schedule:  # nothing else can make something due: time stood still
            await self.deliver()

    async def time_command(self, text: str) -> None:
        """:advance <duration> or :now <ISO time>: move the virtual clock forward."""
        verb, _, arg = text[1:].partition(" ")
        try:
            if verb == "advance":
                delta = parse_duration(arg)
                if delta is None:
                    raise ValueError("Say how far, like :advance 2d3h or :advance 90m.")
                try:
                    target = self.clock.now() + delta
                except OverflowError:  # past the year 9999
                    raise ValueError("That is further ahead than I can count.") from None
            elif verb == "now":
                target = _iso_time(arg)
                if target < self.clock.now():
                    raise ValueError("Time only moves forward here.")
            else:
                raise ValueError("The time commands are :advance <duration> and :now <time>.")
        except ValueError as error:
            self.say("console", f"Time didn't move. {error}")
            return
        self.say("console", f"Time moves on to {target:%a %d %b %Y %H:%M} UTC.")
        await fast_forward(self.engine, self.clock, target)

    async def run(self, stream: TextIO) -> None:
        """Read lines until end of input, handling each fully before the next."""
        listener = await self.serve_health()
        try:
            await self.deliver()
            while True:
                raw = await asyncio.to_thread(stream.readline)
                if not raw:
                    return
                await self.line(raw)
        finally:
            if listener is not None:
                await listener.stop()

    async def serve_health(self) -> health.Listener | None:
        """Serve /healthz, /readyz and /metrics if a health port is set (else None)."""
        settings = self.health or Settings().health
        if settings.port is None:
            return None
        try:
            return await health.listen(
                self.app.health, self.app.metrics, settings.host, settings.port, self.app.feed
            )
        except OSError as error:
            where = f"{settings.host}:{settings.port}"
            self.say("console", f"Health checks are off: I couldn't listen on {where} ({error}).")
            return None


def _iso_time(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Give the time like :now 2026-12-01T10:00 (UTC).") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
