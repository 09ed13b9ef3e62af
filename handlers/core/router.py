"""The command router: parse, find the group, check permission, run, reply.

All of a command's changes happen in one unit of work that is committed only
when the handler finishes without a Refusal, so bad input never changes data.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.charts.liking import outgoing_as_liked
from handlers.core import words
from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.effects import Effect, GroupChanged, ScheduleChanged
from handlers.core.feature import Catalog
from handlers.core.holding import hold_until_kind_times
from handlers.core.inert import inert, one_line
from handlers.core.keyed import Keys, departure_key
from handlers.core.messages import (
    Address,
    Addressed,
    Choices,
    Message,
    Option,
    Outgoing,
    ToCaller,
    ToGroup,
    ToPerson,
    message,
)
from storage.locked import is_locked, when_unlocked
from storage.models import Group, Membership, Person
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

MAX_INPUT = 4000
COMMAND_PREFIXES = ("/", "!")


@dataclass(frozen=True)
class Incoming:
    """One thing a person said to the bot. channel=None means their DM."""

    platform: str
    user_id: str
    display_name: str
    text: str
    channel: str | None = None
    group_id: int | None = None
    #: The platform's own key for this message (its event id), if it may hand the same
    #: message over again after a crash: work that saves something saves this receipt
    #: in the same commit, so it is never done twice.
    receipt: str | None = None


@dataclass
class Result:
    """What to send, whether to remove the original message, and what else changed."""

    sent: list[Addressed] = field(default_factory=list)
    remove_original: bool = False
    effects: list[Effect] = field(default_factory=list)
    #: Whether handling it saved any change (a read-only command saves none).
    wrote: bool = False

    @property
    def changes_schedule(self) -> bool:
        """Whether the delivery engine should look again at what is due."""
        return any(isinstance(e, ScheduleChanged) for e in self.effects)


@dataclass
class _Here:
    """The group whose channel a command was said in (if any), and the speaker's membership."""

    group: Group | None = None
    membership: Membership | None = None


def _log(
    spec: CommandSpec, event: str, level: str = "info", *, sub: Sub | None = None, **fields: object
) -> None:
    """Log a command's outcome; private commands and sub-commands (like /concern, or an
    answer to an anonymous proposal) are never logged, not even that they happened."""
    if not spec.private and not (sub and sub.private):
        getattr(log, level)(event, command=spec.name, sub=sub.name if sub else None, **fields)


def _generic_audit(spec: CommandSpec, sub: Sub | None) -> str:
    """'used /group keep (how long I keep ...)': what the command is for, not what was said."""
    said = f"/{spec.name} {sub.name}" if sub else f"/{spec.name}"
    summary = (sub.summary if sub else spec.summary).split(". ")[0].rstrip(".")
    return f"used {said} ({summary[:1].lower()}{summary[1:]})"


async def _replan(uow: UnitOfWork, person: Person, group: Group | None) -> None:
    """If the unit of work saved anything, the delivery engine plans again the group and
    every group of the person (their preferences and away dates count in all of them).
    `wrote` counts what a command saved part-way (like roles given out as a pack is built)."""
    if await uow.changed() or uow.wrote:
        await uow.plans.replan_person(person.id, group.id if group else None)


def parse(text: str) -> tuple[str, str] | None:
    """Split '/agenda add Budget' into ('agenda', 'add Budget'); None if not a command."""
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] not in COMMAND_PREFIXES:
        return None
    name, _, rest = stripped[1:].partition(" ")
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        return None
    return name.lower(), rest.strip()


class Router:
    """Turns what people say into handler calls and addressed replies."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: Catalog,
        keys: Keys | None = None,
        public_url: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.public_url = public_url
        self.catalog = catalog
        self.commands = catalog.commands
        self.keys = keys or Keys.random()

    async def handle(self, incoming: Incoming, now: datetime) -> Result:
        """Handle one incoming message and say what to send where. Never raises."""
        incoming = replace(
            incoming, text=inert(incoming.text), display_name=one_line(incoming.display_name)
        )
        if len(incoming.text) > MAX_INPUT:
            log.info("input.too_long", platform=incoming.platform, length=len(incoming.text))
            return self._private(incoming, words.too_long(len(incoming.text), MAX_INPUT))
        try:
            return await when_unlocked(lambda: self._handle(incoming, now))
        except Exception as error:  # a member must always get an answer
            log.error("router.failed", error=type(error).__name__)
            busy = is_locked(error)
            return self._private(incoming, words.BUSY if busy else words.SOMETHING_WENT_WRONG)

    async def _handle(self, incoming: Incoming, now: datetime) -> Result:
        async with UnitOfWork(self.sessions) as uow:
            person = await uow.people.meet(
                incoming.platform, incoming.user_id, incoming.display_name, now
            )
            if person.is_bot:
                return Result()  # another bot: it is never a member, and never answered
            here = _Here()
            if incoming.channel is not None:
                here.group, here.membership = await uow.groups.in_channel_with(
                    incoming.platform, incoming.channel, person.id
                )
                if here.group is not None and here.membership is None:
                    # speaking in the channel (again) makes someone a member
                    await uow.groups.returned(here.group.id, self._departure(person))
                    here.membership = await uow.groups.join(here.group, person, now)
                    await uow.plans.replan(here.group.id)
            if await uow.changed():  # kept even if the command is refused
                await uow.commit()
            met = [ScheduleChanged()] if uow.wrote else []
            result = await self._command(uow, incoming, person, here, now)
            result.effects[:0] = [e for e in met if e not in result.effects]
            result.wrote = result.wrote or bool(met)
            return result

    def _departure(self, person: Person) -> str:
        return departure_key(self.keys, person.platform, person.external_id)

    async def _command(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        person: Person,
        here: _Here,
        now: datetime,
    ) -> Result:
        parsed = parse(incoming.text)
        if parsed is None:
            if incoming.channel is None and incoming.text.strip():
                return await self._free_text(uow, incoming, person, now)
            return Result()
        name, args = parsed
        spec = self.commands.get(name)
        if spec is None:
            log.info("command.unknown", platform=incoming.platform)
            return self._private(incoming, self._unknown(name))
        if args.lower() == "help" and spec.sub("help") is None and "help" in self.commands:
            name, args, spec = "help", name, self.commands["help"]  # /agenda help
        elif incoming.channel is not None and self.is_private(incoming.text):
            result = self._private(incoming, words.say_it_privately(spec.name))
            result.remove_original = True
            return result
        return await self._run(uow, incoming, person, here, spec, args, now)

    async def _free_text(
        self, uow: UnitOfWork, incoming: Incoming, person: Person, now: datetime
    ) -> Result:
        """Words in a DM that are not a command: distress is answered first, then 'help'."""
        ctx = Context(
            uow=uow,
            now=now,
            platform=incoming.platform,
            person=person,
            channel=None,
            group=None,
            membership=None,
            catalog=self.catalog,
            keys=self.keys,
            public_url=self.public_url,
        )
        for answer in self.catalog.free_text:
            if await answer(ctx, incoming.text):
                await _replan(uow, person, None)
                if not await _commit(uow, incoming, now, self.keys):
                    return self._private(incoming, words.DONE_ALREADY)
                sent = [await self._address(uow, incoming, o) for o in ctx.outgoing]
                return Result(sent=sent, wrote=uow.wrote)
        if words.asks_for_help(incoming.text) and "help" in self.commands:
            return await self._run(uow, incoming, person, _Here(), self.commands["help"], "", now)
        return self._private(incoming, words.NOT_A_COMMAND)

    def is_private(self, text: str) -> bool:
        """Whether `text` runs a private command or sub-command (like /concern, /checkin pause)."""
        parsed = parse(text)
        spec = self.commands.get(parsed[0]) if parsed else None
        if parsed is None or spec is None:
            return False
        sub = spec.sub(parsed[1].partition(" ")[0]) if parsed[1] else None
        if sub is not None and sub.name == "help":
            return False  # asking how it works says nothing private
        return spec.private or (sub is not None and sub.private)

    async def group_in(self, platform: str, channel: str) -> int | None:
        """The id of the group whose channel this is, if it is one."""
        async with UnitOfWork(self.sessions) as uow:
            group = await uow.groups.in_channel(platform, channel)
            return group.id if group is not None else None

    async def join(
        self,
        platform: str,
        channel: str,
        user_id: str,
        display_name: str,
        now: datetime,
        *,
        is_bot: bool = False,
        catching_up: bool = False,
    ) -> bool:
        """Someone joined a channel: if it is a group, they are now a member. True if so.
        Another bot is never a member. `catching_up` (a restart's look at who is in the
        channel) adds nobody who left the group with /leave or was taken out (True: the
        group is still there)."""
        async with UnitOfWork(self.sessions) as uow:
            group = await uow.groups.in_channel(platform, channel)
            if group is None:
                return False
            key = departure_key(self.keys, platform, user_id)
            if catching_up and await uow.groups.has_departed(group.id, key):
                return True
            person = await uow.people.meet(platform, user_id, one_line(display_name), now)
            if is_bot:
                await uow.people.not_a_person(person)
            if not await uow.groups.membership(group.id, person.id):
                await uow.groups.returned(group.id, key)
            joined = await uow.groups.join(group, person, now)
            await _replan(uow, person, group)
            await uow.commit()
        return joined is not None

    async def not_a_person(self, platform: str, user_id: str) -> None:
        """The platform shows this account is a bot: it is in no group, now or later.
        A facilitator is never taken for one (a person can send what a bot usually sends)."""
        async with UnitOfWork(self.sessions) as uow:
            person = await uow.people.find(platform, user_id)
            if person is None or person.is_bot:
                return
            for group in await uow.groups.of_person(person.id):
                membership = await uow.groups.membership(group.id, person.id)
                if membership is not None and membership.is_facilitator:
                    return
            await uow.plans.replan_person(person.id)
            await uow.people.not_a_person(person)
            await uow.commit()
            log.info("person.is_a_bot", platform=platform)

    async def leave(self, platform: str, channel: str, user_id: str) -> Result:
        """Someone left a group's channel: they are no longer a member, and get a kind
        goodbye that says how to come back and what happens to what they wrote."""
        async with UnitOfWork(self.sessions) as uow:
            group = await uow.groups.in_channel(platform, channel)
            person = await uow.people.find(platform, user_id)
            if group is None or person is None or person.is_bot:
                return Result()
            if not await uow.groups.leave(group, person):
                return Result()
            await uow.plans.replan(group.id)
            await uow.commit()
            log.info("group.left", group=group.id)
            goodbye = words.goodbye(group.name)
        return Result(sent=[Addressed(goodbye, Address(user=user_id))])

    async def _run(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        person: Person,
        here: _Here,
        spec: CommandSpec,
        args: str,
        now: datetime,
    ) -> Result:
        word, _, rest = args.partition(" ")
        sub = spec.sub(word) if word else None
        if word and sub is None and not spec.takes_text:
            _log(spec, "command.refused", reason="unknown_sub")
            return self._private(incoming, words.unknown_sub(spec, word[:30]))
        run, run_args = (sub.run, rest.strip()) if sub else (spec.run, args)
        needs_group = sub.needs_group if sub else spec.needs_group
        facilitator_only = spec.facilitator_only or bool(sub and sub.facilitator_only)
        if sub and sub.in_channel_only and incoming.channel is None:
            return self._private(incoming, words.say_it_in_channel(spec.name, sub.name))

        group: Group | None = here.group
        if incoming.group_id is not None:
            group = await uow.groups.get(incoming.group_id)
        if needs_group and group is None:
            choice = await self._choose_group(uow, incoming, person, spec, sub)
            if isinstance(choice, Message):
                return self._private(incoming, choice)
            group = choice
        membership = here.membership
        if group is not here.group and group is not None:
            membership = await uow.groups.membership(group.id, person.id)
        if group is not None and needs_group and membership is None:
            return self._private(incoming, words.NOT_A_MEMBER)
        if facilitator_only and not (membership and membership.is_facilitator):
            names = await self._facilitator_names(uow, group)
            _log(spec, "command.refused", sub=sub, reason="not_facilitator")
            return self._private(incoming, words.only_facilitators(spec.name, sub, names))

        ctx = Context(
            uow=uow,
            now=now,
            platform=incoming.platform,
            person=person,
            channel=incoming.channel,
            group=group,
            membership=membership,
            catalog=self.catalog,
            keys=self.keys,
            public_url=self.public_url,
        )
        try:
            await run(ctx, run_args)
            await hold_until_kind_times(ctx)
            await self._save_audits(ctx, spec, sub, facilitator_only)
            await _replan(uow, person, group)
            if not await _commit(uow, incoming, now, self.keys):
                _log(spec, "command.repeated", sub=sub)
                return self._private(incoming, words.DONE_ALREADY)
        except Refusal as refusal:
            await uow.rollback()
            _log(spec, "command.refused", sub=sub, reason="input")
            return self._private(incoming, refusal.reply)
        except Exception as error:  # a member must always get an answer
            await uow.rollback()
            if is_locked(error):
                raise  # done again from the start, once the database is free
            _log(spec, "command.failed", "error", sub=sub, error=type(error).__name__)
            return self._private(incoming, words.SOMETHING_WENT_WRONG)
        _log(spec, "command.done", sub=sub)
        effects = ctx.effects + ([ScheduleChanged()] if uow.wrote else [])
        if uow.wrote and group is not None and not (spec.private or (sub and sub.private)):
            effects.append(GroupChanged(group.id))
        sent = [
            await self._address(uow, incoming, await outgoing_as_liked(uow, o, person.id))
            for o in ctx.outgoing
        ]
        return Result(sent=sent, effects=effects, wrote=uow.wrote)

    async def _save_audits(
        self, ctx: Context, spec: CommandSpec, sub: Sub | None, facilitator_only: bool
    ) -> None:
        """Put the command's facilitator actions in the group's audit log, with its work.

        A facilitator-only command that changed something without saying what it did
        gets a plain entry from its summary (never its words: they could hold anything).
        """
        if ctx.group is None:
            return
        actions = list(ctx.audits)
        if not actions and facilitator_only and await ctx.uow.changed():
            actions = [_generic_audit(spec, sub)]
        if actions:
            await ctx.uow.audit.record(ctx.group.id, ctx.person.id, actions, ctx.now)

    async def _choose_group(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        person: Person,
        spec: CommandSpec,
        sub: Sub | None,
    ) -> Group | Message:
        if incoming.channel is not None:
            return words.channel_not_a_group()
        groups = await uow.groups.of_person(person.id)
        if not groups:
            return words.NO_GROUP_YET
        if len(groups) == 1:
            return groups[0]
        return message(
            words.WHICH_GROUP,
            Choices(tuple(Option(g.name, incoming.text.strip(), g.id) for g in groups)),
        )

    async def _facilitator_names(self, uow: UnitOfWork, group: Group | None) -> list[str]:
        if group is None:
            return []
        members = await uow.groups.members(group.id)
        return [m.person.display_name for m in members if m.is_facilitator]

    def _unknown(self, name: str) -> Message:
        names = sorted({spec.name for spec in self.commands.values()})
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        return words.unknown_command(name[:40], close[0] if close else None)

    async def _address(self, uow: UnitOfWork, incoming: Incoming, out: Outgoing) -> Addressed:
        match out.to:
            case ToCaller():
                return Addressed(out.message, Address(incoming.channel, incoming.user_id))
            case ToGroup(group_id=group_id):
                group = await uow.groups.get(group_id)
                assert group is not None
                return Addressed(out.message, Address(channel=group.channel_ref))
            case ToPerson(person_id=person_id):
                person = await uow.people.get(person_id)
                assert person is not None
                return Addressed(out.message, Address(user=person.external_id))

    def _private(self, incoming: Incoming, msg: Message) -> Result:
        return Result(sent=[Addressed(msg, Address(incoming.channel, incoming.user_id))])


async def _commit(uow: UnitOfWork, incoming: Incoming, now: datetime, keys: Keys) -> bool:
    """Save the work, with the message's receipt if it saved anything; False, with
    nothing saved, if the receipt shows the work was done already (the platform handed
    the message over again after a crash, before it had recorded handling it). The receipt
    is a keyed hash dated by the day, so it traces nobody (storage/models/platform.py)."""
    if incoming.receipt is None or not await uow.changed():
        await uow.commit()
        return True
    uow.receipts.note(keys.digest("receipt", incoming.receipt), now.date())
    return await uow.commit_once()
