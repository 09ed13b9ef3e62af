"""Command metadata and the context every handler receives.

Each feature declares its commands in its `Feature` value; `/help`, the
Slack manifest and every platform's parsing come from that metadata.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.core.effects import Effect
from handlers.core.keyed import Keys
from handlers.core.messages import Message, Outgoing, ToCaller, ToGroup, message
from storage.models import Group, Membership, Person
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from handlers.core.feature import Catalog


class Refusal(Exception):
    """Raised by a handler to answer kindly and change nothing (the work is rolled back)."""

    def __init__(self, *parts: str) -> None:
        super().__init__(" ".join(parts))
        self.reply = message(*parts)


@dataclass
class Context:
    """Who said what, where, and when; plus storage for the length of one command."""

    uow: UnitOfWork
    now: datetime
    platform: str
    person: Person
    channel: str | None
    group: Group | None
    membership: Membership | None
    catalog: Catalog
    keys: Keys = field(default_factory=Keys.random)
    #: Where people reach the bot over HTTP (for private calendar links); None if unset.
    public_url: str | None = None
    outgoing: list[Outgoing] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    #: Facilitator actions to record in the group's audit log (/group log), in plain words.
    audits: list[str] = field(default_factory=list)

    @property
    def in_dm(self) -> bool:
        """True when the command was said in a direct conversation."""
        return self.channel is None

    @property
    def is_facilitator(self) -> bool:
        """True when the speaker facilitates the group the command is about."""
        return bool(self.membership and self.membership.is_facilitator)

    def the_group(self) -> Group:
        """The group this command is about (the router guarantees one for group commands)."""
        if self.group is None:
            raise Refusal("I couldn't tell which group you mean.")
        return self.group

    def reply(self, msg: Message) -> None:
        """Answer the speaker privately."""
        self.outgoing.append(Outgoing(msg, ToCaller()))

    def report(self, effect: Effect) -> None:
        """Tell the platform about a side effect (like a group set up in this channel)."""
        self.effects.append(effect)

    def audit(self, action: str) -> None:
        """Record a facilitator's action for the audit log: "changed the time zone to ...".

        Saved with the command's work (nothing, if it is refused). Never name a concern's writer.
        """
        self.audits.append(action)

    def post(self, msg: Message) -> None:
        """Post in the group's channel for everyone."""
        self.outgoing.append(Outgoing(msg, ToGroup(self.the_group().id)))


Handler = Callable[[Context, str], Awaitable[None]]


@dataclass(frozen=True)
class Sub:
    """A sub-command such as `/group aims`."""

    name: str
    run: Handler
    usage: str
    summary: str
    facilitator_only: bool = False
    needs_group: bool = True
    in_channel_only: bool = False
    private: bool = False
    hidden: bool = False  # used only by buttons (it takes a token or an internal number)


@dataclass(frozen=True)
class CommandSpec:
    """A command's name, words for /help, and what runs it."""

    name: str
    summary: str
    usage: str
    examples: tuple[str, ...]
    run: Handler
    subs: tuple[Sub, ...] = ()
    facilitator_only: bool = False
    needs_group: bool = True
    private: bool = False
    aliases: tuple[str, ...] = ()
    #: Whether words that name no sub-command are the command's own (like a concern's
    #: text). If not, the router answers that it doesn't know them, and runs nothing.
    takes_text: bool = True
    #: What to try instead, when the router doesn't know a sub-command.
    unknown_hint: str = ""

    def sub(self, word: str) -> Sub | None:
        """The sub-command named by `word`, if there is one."""
        return next((s for s in self.subs if s.name == word.lower()), None)
