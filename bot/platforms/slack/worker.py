"""Working the inbox: each request runs through the router once, its replies are recorded,
then sent one by one, each step written down so a crash repeats nothing and loses nothing.

Where answers go:
- to the person who asked: privately, through the request's response_url
  ("only visible to you"); inside the modal when they came from one, so
  nothing they wrote or were told sits in a conversation history;
- to a group: a post in its channel; to one person: their DM with the bot.

After `/forget me` has been answered, the platform drops what still ties the person's
Slack id to the bot (see `Worker.forget`); the row's own record is finished as usual.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import structlog
from slack_sdk.errors import SlackApiError

from bot.app import App
from bot.platforms.effects import Wake, forgotten, new_groups, no_wake, wake_if_changed
from bot.platforms.slack.inbox import Inbox
from bot.platforms.slack.people import People
from bot.platforms.slack.sender import SlackSender
from bot.platforms.slack.team import use_team
from bot.platforms.slack.work import PLATFORM, Turns, Work, is_dm, merge
from handlers.core.messages import Address, Addressed, Message, Paragraph, from_json, to_json
from handlers.core.router import Incoming, Result

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 20
NOT_IN_CHANNEL = Message(
    (
        Paragraph(
            "Done, but I couldn't post about it here because I'm not in this channel yet. "
            "Please add me with /invite @alongside, so everyone sees what I post here."
        ),
    )
)
_NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")


@dataclass
class Decided:
    """What running one request decided: its replies, the channel of a group it created
    (whose members to add) and the Slack ids of people it forgot."""

    replies: list[Addressed] = field(default_factory=list)
    sync: str | None = None
    forget: list[str] = field(default_factory=list)
    wrote: bool = True  # whether it may have changed anything

    def repeatable(self, work: Work) -> bool:
        """Whether running the request again would only answer the same: it changed
        nothing, and its one reply goes to whoever asked (no need to save that reply)."""
        return (
            not self.wrote
            and self.sync is None
            and not self.forget
            and len(self.replies) <= 1
            and all(work.to_caller(r) for r in self.replies)
        )

    def dump(self, work: Work) -> str:
        """As JSON for the inbox's `replies`, with the request they answer."""
        return json.dumps(
            {
                "work": asdict(work),
                "sync": self.sync,
                "forget": self.forget,
                "replies": [
                    {"m": to_json(r.message), "c": r.address.channel, "u": r.address.user}
                    for r in self.replies
                ],
            },
            ensure_ascii=False,
        )


class Worker:
    """Does the work of inbox rows and sends their replies."""

    def __init__(
        self, app: App, inbox: Inbox, sender: SlackSender, people: People, turns: Turns
    ) -> None:
        self.app = app
        self.inbox = inbox
        self.sender = sender
        self.people = people
        #: Wakes the delivery engine after a command that changed the schedule.
        self.wake: Wake = no_wake
        #: Told of every command's result, with who asked (the Home tab refreshes).
        self.after: Callable[[str, Result], None] = lambda user, result: None
        #: Keys of the rows this process is working on now (never swept).
        self.holding: set[str] = set()
        self.turns = turns

    async def run(self, key: str, work: Work) -> None:
        """Do the work of a row this process has just written (and holds), from memory:
        run it, save its replies unless running it again would only answer the same,
        send them, and mark the row done."""
        self.holding.add(key)
        try:
            async with self.turns.turn():
                done = await self._decided(key, work)
                if not done.repeatable(work):
                    await self.inbox.handled(key, done.dump(work))
                await self._send(key, work, done, first=0, recheck=False)
        except Exception as error:  # kept undone: the next sweep tries again
            log.warning("slack.work_failed", kind=work.kind, error=type(error).__name__)
            await self.inbox.release(key)
        finally:
            self.holding.discard(key)

    async def work(self, key: str) -> None:
        """Do one inbox row's work and send its replies, unless someone else holds it."""
        if key in self.holding:
            return
        row = await self.inbox.claim(key)
        if row is None:
            return
        try:
            if row.attempts > MAX_ATTEMPTS:
                log.error("slack.gave_up", kind=row.kind)
                await self.inbox.done(key)
                return
            if row.status == "new":
                assert row.payload is not None
                work = Work.load(json.loads(row.payload))
                use_team(work.team)
                await self.decide(key, work)
            await self.send_replies(key, row.attempts > 1)
        except Exception as error:  # kept undone: the next sweep tries again
            log.warning("slack.work_failed", kind=row.kind, error=type(error).__name__)
            await self.inbox.release(key)

    async def finish(self, key: str) -> None:
        """Send the replies of a form's work that was decided already."""
        try:
            await self.send_replies(key, recheck=False)
        except Exception as error:
            log.warning("slack.work_failed", kind="submit", error=type(error).__name__)
            await self.inbox.release(key)

    async def finish_after(self, key: str, deciding: asyncio.Future[list[Addressed]]) -> None:
        """Send a form's replies once deciding it (too slow to answer in the form) is done."""
        try:
            await deciding
        except Exception as error:
            log.warning("slack.work_failed", kind="submit", error=type(error).__name__)
            await self.inbox.release(key)
            return
        await self.finish(key)

    async def decide(self, key: str, work: Work) -> list[Addressed]:
        """Run the request through the router and record its replies (first: the asker's),
        with whom to forget once they are sent."""
        done = await self._decided(key, work)
        await self.inbox.handled(key, done.dump(work))
        return done.replies

    async def _decided(self, key: str, work: Work) -> Decided:
        """What running the request decided (nothing is recorded in the inbox yet)."""
        if work.kind == "joined":
            return Decided(sync=await self._joined(work))
        if work.kind == "left":
            return Decided(replies=await self._left(work))
        return await self._run(key, work)

    async def _run(self, key: str, work: Work) -> Decided:
        """A command, button, form or DM through the router: its replies (the asker's merged
        into one, first), the channel of a group it created and who it forgot."""
        name, _ = await self.people.person(work.user, work.name)
        group_id = work.group_id
        if group_id is None and work.channel is None and not is_dm(work.conversation):
            group_id = await self._group_in(work.conversation, work.user, name)
        result = await self.app.handle(
            Incoming(PLATFORM, work.user, name, work.text, work.channel, group_id, f"slack:{key}")
        )
        wake_if_changed(result, self.wake)
        self.after(work.user, result)
        mine = [r for r in result.sent if work.to_caller(r)]
        others = [r for r in result.sent if not work.to_caller(r)]
        wrote = result.wrote or result.changes_schedule
        done = Decided(others, next(iter(new_groups(result)), None), forgotten(result), wrote)
        if mine:
            done.replies = [Addressed(merge([r.message for r in mine]), mine[0].address), *others]
        return done

    async def _joined(self, work: Work) -> str | None:
        """Someone joined a channel: if it is a group's, they are a member (never a bot).
        The bot itself joining: the channel whose members to add."""
        if work.user == self.people.bot_user:
            return work.conversation
        if work.conversation:
            self.people.came_back(work.conversation, work.user)
            name, is_bot = await self.people.person(work.user, work.name)
            if not is_bot:
                await self.app.router.join(
                    PLATFORM, work.conversation, work.user, name, self.app.clock.now()
                )
        return None

    async def _left(self, work: Work) -> list[Addressed]:
        """Someone left a group's channel: they are no longer a member, and get a kind
        goodbye by DM. The bot itself leaving a channel takes nobody out of the group."""
        if work.user == self.people.bot_user or not work.conversation:
            return []
        self.people.left(work.conversation, work.user)  # first: a sync must not re-add them
        return list((await self.app.router.leave(PLATFORM, work.conversation, work.user)).sent)

    async def _group_in(self, channel: str | None, user: str, name: str) -> int | None:
        """A private command said in a group's channel is about that group (the person joins
        it, as anyone speaking there does, but dated by the day only: the moment would be
        when they wrote, say, a concern); None for any other channel."""
        group_id = None if channel is None else await self.app.router.group_in(PLATFORM, channel)
        if group_id is not None and channel is not None:
            today = self.app.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
            await self.app.router.join(PLATFORM, channel, user, name, today)
        return group_id

    async def send_replies(self, key: str, recheck: bool) -> None:
        """Send the row's replies not sent yet, then add a new group's members."""
        row = await self.inbox.get(key)
        if row is None or row.status != "handled" or row.replies is None:
            return
        data = json.loads(row.replies)
        items = [Addressed(from_json(r["m"]), Address(r["c"], r["u"])) for r in data["replies"]]
        done = Decided(items, data.get("sync"), data.get("forget") or [])
        work = Work.load(data["work"])
        use_team(work.team)
        await self._send(key, work, done, row.sent, recheck)

    async def _send(self, key: str, work: Work, done: Decided, first: int, recheck: bool) -> None:
        """Send the replies from the `first` not sent yet (recording each but the last),
        add a new group's members, forget whom it forgot, then mark the row done."""
        reference = hashlib.sha256(key.encode()).hexdigest()[:20]  # unique, like Slack's id
        items = done.replies
        for i in range(first, len(items)):
            await self._deliver(
                work, items[i], f"reply:{reference}:{i}", recheck=recheck and i == first
            )
            if i + 1 < len(items) or done.sync or done.forget:
                await self.inbox.sent(key, i + 1)
        if done.sync:
            await self.people.sync_members(done.sync)
        for user in done.forget:
            await self.forget(user)
        await self.inbox.done(key)  # clears the row's words and ids too

    async def forget(self, user: str) -> None:
        """Someone was forgotten and told so: drop what still ties their Slack id to the bot
        (long button values naming them, their name and DM in memory). Safe to repeat."""
        await self.inbox.drop_person(user)
        self.people.forget(user)
        self.sender.forget(user)

    async def _deliver(self, work: Work, item: Addressed, key: str, recheck: bool) -> None:
        uploaded = False
        if work.to_caller(item):
            if work.view_id or work.response_url:
                await self.sender.upload(item)  # files go to their DM; the answer says so
                uploaded = True
            if work.view_id and await self.sender.update_view(
                work.view_id, await self.sender.result_view(work.title, item.message)
            ):
                return
            if work.response_url and await self.sender.respond(
                work.response_url, item.message, replace=work.replace
            ):
                return
            if item.address.channel is not None:
                # ephemeral: nothing to look up afterwards
                await self.sender.send(item, upload=not uploaded)
                return
        if recheck and await self.sender.already_sent(item, key):
            return
        try:
            await self.sender.send(item, key, upload=not uploaded)
        except SlackApiError as error:
            if error.response.get("error") not in _NOT_THERE or not work.response_url:
                raise
            log.info("slack.not_in_channel")  # the bot must be invited to post there
            await self.sender.respond(work.response_url, NOT_IN_CHANNEL)
