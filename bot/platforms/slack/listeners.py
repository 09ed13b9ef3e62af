"""Bolt's listeners: every Slack request is written to the durable inbox before it is
acknowledged, then worked from there (bot/platforms/slack/worker.py).

A slash command is never seen by others in Slack, so a private command
(`CommandSpec.private`) typed in a channel is handled as if said privately.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any

import structlog
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.app import App
from bot.platforms.slack.inbox import Inbox
from bot.platforms.slack.naming import DEFAULT_NAMING, CommandNaming
from bot.platforms.slack.people import People
from bot.platforms.slack.render import (
    CHOICE,
    INPUT_ACTION,
    INPUT_BLOCK,
    LINK,
    MAX_PRIVATE_METADATA,
    MEETING_FORM,
    MODAL,
    PRIVATE,
    REF,
    Press,
    from_slack,
    meeting_command,
    meeting_form,
    modal,
)
from bot.platforms.slack.sender import SlackSender
from bot.platforms.slack.stale import answer_button, form_answer
from bot.platforms.slack.work import Tasks, Work, is_dm, request_key
from bot.platforms.slack.worker import Worker

log = structlog.get_logger(__name__)

ACK_BUDGET = 2.0  # seconds a modal submission may take before it is answered by DM instead
SORRY_BUSY = (
    "Sorry, I couldn't take that just now. Nothing was changed. Please try again in a moment."
)


class Listeners:
    """Turns commands, button presses, form submissions and events into inbox rows."""

    def __init__(
        self,
        app: App,
        client: AsyncWebClient,
        inbox: Inbox,
        worker: Worker,
        people: People,
        sender: SlackSender,
        tasks: Tasks,
        ack_budget: float = ACK_BUDGET,
        naming: CommandNaming = DEFAULT_NAMING,
    ) -> None:
        self.app = app
        self.client = client
        self.inbox = inbox
        self.worker = worker
        self.people = people
        self.sender = sender
        self.tasks = tasks
        self.ack_budget = ack_budget
        self.naming = naming

    def register(self, bolt: AsyncApp) -> None:
        """Listen to everything the app handles (any other button or form: out of date)."""
        bolt.command(re.compile(r"^/"))(self.on_command)
        bolt.action(re.compile(f"^{CHOICE}:"))(self._on_choice)
        bolt.action(re.compile(f"^{PRIVATE}:"))(self._on_private_button)
        bolt.action(LINK)(self._on_link)
        bolt.block_action(re.compile(""))(self._on_unknown_button)
        bolt.view(MODAL)(self._on_submit)
        bolt.view(MEETING_FORM)(self._on_submit)
        bolt.view_submission(re.compile(""))(self._on_unknown_form)
        bolt.event("member_joined_channel")(self._on_joined)
        bolt.event("member_left_channel")(self._on_left)
        bolt.event("message")(self._on_message)

    def _place(self, text: str, conversation: str | None, dm: bool = False) -> str | None:
        """The Incoming's channel: None in a DM, and for private commands and sub-commands
        (like /concern or /checkin pause): nobody else sees a slash command in Slack."""
        if dm or is_dm(conversation):
            return None
        return None if self.app.router.is_private(text) else conversation

    async def _accept(self, key: str, kind: str, work: Work) -> bool:
        """Write the request down; False if it was already known."""
        return await self.inbox.add(key, kind, work.dump(), self.app.clock.now().date())

    def _work(self, key: str, work: Work, fresh: bool) -> None:
        """Work a request just written down, from memory; one already known (posted
        again) only if nobody holds it any more."""
        self.tasks.spawn(self.worker.run(key, work) if fresh else self.worker.work(key))

    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A slash command: written down, then acknowledged (HTTP brings it here directly)."""
        typed = from_slack(str(body.get("text", "")))
        text = self.naming.command_text(str(body.get("command", "")), typed)
        conversation = body.get("channel_id")
        dm = body.get("channel_name") == "directmessage"
        trigger = body.get("trigger_id")
        if text.lower() == "/meeting new" and trigger and not (dm or is_dm(conversation)):
            await ack()  # opening a form changes nothing; sending it runs the command
            form = meeting_form(json.dumps({"ch": conversation}))
            self.tasks.spawn(self._open(str(trigger), form, inside=False))
            return
        work = Work(
            kind="command",
            user=str(body.get("user_id")),
            text=text,
            channel=self._place(text, conversation, dm),
            conversation=conversation,
            response_url=body.get("response_url"),
            name=body.get("user_name"),
        )
        key = request_key("command", body.get("trigger_id"), body)
        try:
            fresh = await self._accept(key, "command", work)
        except SQLAlchemyError as error:
            log.error("slack.inbox_failed", kind="command", error=type(error).__name__)
            await ack(text=SORRY_BUSY)
            return
        await ack()
        self._work(key, work, fresh)

    def _origin(self, body: dict[str, Any], press: Press, kind: str) -> Work:
        container = body.get("container") or {}
        view = body.get("view") or {}
        home = view.get("type") == "home"  # the Home tab: answers go to the person's DM
        conversation = container.get("channel_id") or (body.get("channel") or {}).get("id")
        user = body.get("user") or {}
        return Work(
            kind=kind,
            user=str(user.get("id")),
            text=press.command,
            channel=None if view else self._place(press.command, conversation),
            conversation=conversation,
            group_id=press.group_id,
            response_url=body.get("response_url"),
            view_id=view.get("id") if view and not home else None,
            title=((view.get("title") or {}).get("text") or "") if view and not home else "",
            replace=bool(container.get("is_ephemeral")),
            name=user.get("name") or user.get("username"),
        )

    async def _press(self, body: dict[str, Any]) -> Press | None:
        actions = body.get("actions") or [{}]
        value = str(actions[0].get("value") or "")
        if value.startswith(REF):
            value = await self.inbox.unstash(value[len(REF) :]) or ""
        return Press.decode(value)

    async def _on_choice(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        press = await self._press(body)
        if press is None:
            await self._on_unknown_button(ack, body)
            return
        work = self._origin(body, press, "choice")
        key = request_key("choice", body.get("trigger_id"), body)
        try:
            fresh = await self._accept(key, "choice", work)
        except SQLAlchemyError as error:
            log.error("slack.inbox_failed", kind="choice", error=type(error).__name__)
            await ack()
            return
        await ack()
        self._work(key, work, fresh)

    async def _on_private_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Open the form; nothing changes until it is sent, so there is nothing to record."""
        press = await self._press(body)
        trigger = body.get("trigger_id")
        if press is None or not trigger:
            await self._on_unknown_button(ack, body)
            return
        await ack()
        metadata = json.dumps({"c": press.command, "g": press.group_id})
        if len(metadata) > MAX_PRIVATE_METADATA:
            metadata = json.dumps({"r": await self.sender.stash(metadata)})
        view = modal(press, metadata)
        inside = (body.get("view") or {}).get("type") not in (None, "home")  # modals stack
        self.tasks.spawn(self._open(trigger, view, inside=inside))

    async def _on_link(self, ack: AsyncAck) -> None:
        """A "Where:" link button: Slack opens the address itself; nothing to do here."""
        await ack()

    async def _on_unknown_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A button too old to use: nothing changes, and the presser is told what to type."""
        await ack()
        actions = body.get("actions") or [{}]
        press = Press.decode(str(actions[0].get("value") or ""))
        self.tasks.spawn(answer_button(self.sender, body, press))

    async def _on_unknown_form(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A form too old to use: nothing is sent, and the form says what to type instead."""
        log.info("slack.form_out_of_date")
        await ack(**form_answer(body.get("view") or {}))

    async def _open(self, trigger: str, view: dict[str, Any], inside: bool) -> None:
        try:
            if inside:
                await self.client.views_push(trigger_id=trigger, view=view)
            else:
                await self.client.views_open(trigger_id=trigger, view=view)
        except SlackApiError as error:
            log.warning("slack.modal_failed", error=error.response.get("error"))

    def _meeting_submitted(self, body: dict[str, Any]) -> Work | None:
        """The meeting form's answers as `/meeting new ...`, said in the group's channel."""
        view = body.get("view") or {}
        try:
            channel = str(json.loads(view.get("private_metadata") or "{}")["ch"])
        except (ValueError, KeyError, TypeError):
            return None
        text = meeting_command((view.get("state") or {}).get("values") or {})
        user = body.get("user") or {}
        if text is None:
            return None
        return Work(
            kind="submit",
            user=str(user.get("id")),
            text=text,
            channel=channel,
            conversation=channel,
            title="New meeting",
            name=user.get("name") or user.get("username"),
        )

    async def _submitted(self, body: dict[str, Any]) -> Work | None:
        view = body.get("view") or {}
        if view.get("callback_id") == MEETING_FORM:
            return self._meeting_submitted(body)
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            if "r" in meta:
                meta = json.loads(await self.inbox.unstash(str(meta["r"])) or "{}")
            command, group_id = str(meta["c"]), meta.get("g")
        except (ValueError, KeyError, TypeError):
            return None
        state = ((view.get("state") or {}).get("values") or {}).get(INPUT_BLOCK) or {}
        written = str((state.get(INPUT_ACTION) or {}).get("value") or "")
        user = body.get("user") or {}
        return Work(
            kind="submit",
            user=str(user.get("id")),
            text=f"{command} {written}".strip(),
            group_id=group_id if isinstance(group_id, int) else None,
            title=((view.get("title") or {}).get("text") or ""),
            name=user.get("name") or user.get("username"),
        )

    async def _on_submit(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Run the form's command privately; show the answer in the modal when it is quick."""
        work = await self._submitted(body)
        if work is None:
            await self._on_unknown_form(ack, body)
            return
        key = request_key("submit", body.get("trigger_id"), body)
        try:
            fresh = await self._accept(key, "submit", work)  # held by this process if fresh
        except SQLAlchemyError as error:
            log.error("slack.inbox_failed", kind="submit", error=type(error).__name__)
            await ack(response_action="errors", errors={INPUT_BLOCK: SORRY_BUSY})
            return
        if not fresh:
            await ack()
            return
        deciding = asyncio.ensure_future(self.worker.decide(key, work))
        done, _ = await asyncio.wait({deciding}, timeout=self.ack_budget)
        if not done:
            await ack()  # close the form; the answers follow by DM
            self.tasks.spawn(self.worker.finish_after(key, deciding))
            return
        if deciding.exception() is not None:
            log.error("slack.work_failed", kind="submit", error=type(deciding.exception()).__name__)
            with contextlib.suppress(SQLAlchemyError):
                await self.inbox.forget(key)  # nothing changed: they can send it again
            await ack(response_action="errors", errors={INPUT_BLOCK: SORRY_BUSY})
            return
        replies = deciding.result()
        mine = replies[0] if replies and work.to_caller(replies[0]) else None
        if mine is not None:  # shown in the form, within Slack's 3 seconds: no lookups
            view = await self.sender.result_view(work.title, mine.message, ask=False)
            await self.inbox.sent(key, 1)
            await ack(response_action="update", view=view)
        else:
            await ack()
        self.tasks.spawn(self.worker.finish(key))

    async def _on_joined(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        work = Work(kind="joined", user=str(event.get("user")), conversation=event.get("channel"))
        await self._event(body, work)

    async def _on_left(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        work = Work(kind="left", user=str(event.get("user")), conversation=event.get("channel"))
        await self._event(body, work)

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """What someone types in their DM with the bot (like !agenda); nothing else."""
        if (
            event.get("channel_type") != "im"
            or event.get("subtype")
            or event.get("bot_id")
            or not event.get("user")
            or event.get("user") == self.people.bot_user
            or not str(event.get("text") or "").strip()
        ):
            return
        work = Work(
            kind="message",
            user=str(event["user"]),
            text=from_slack(str(event["text"])),
            conversation=event.get("channel"),
        )
        await self._event(body, work)

    async def _event(self, body: dict[str, Any], work: Work) -> None:
        """Record an event under its event_id (a database failure answers 500: Slack retries)."""
        key = request_key("event", body.get("event_id"), body)
        fresh = await self._accept(key, "event", work)
        if not fresh:
            log.info("slack.event_repeated")
        self._work(key, work, fresh)
