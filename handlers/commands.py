"""Command metadata and the context every handler receives.

Each feature module declares `COMMANDS: tuple[CommandSpec, ...]`; `/help`,
the Slack manifest and every platform's parsing come from that metadata.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from handlers.keyed import Keys
from handlers.messages import Message, Outgoing, ToCaller, ToGroup, message
from storage.models import Group, Membership, Person
from storage.uow import UnitOfWork


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
    commands: Mapping[str, CommandSpec] = field(default_factory=dict)
    keys: Keys = field(default_factory=Keys.random)
    outgoing: list[Outgoing] = field(default_factory=list)

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

    def sub(self, word: str) -> Sub | None:
        """The sub-command named by `word`, if there is one."""
        return next((s for s in self.subs if s.name == word.lower()), None)
