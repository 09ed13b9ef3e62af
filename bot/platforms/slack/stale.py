"""Buttons and forms too old to use: their value, their form or what they pointed to is
no longer known (an older version of the bot made them, or a long value's stash was
cleared). Nothing is changed, and the person is told so plainly, with what to type
instead: never Slack's generic error, never silence."""

from __future__ import annotations

from typing import Any

import structlog

from bot.platforms.slack.render import INPUT_BLOCK, Press, result_view
from bot.platforms.slack.sender import SlackSender
from handlers.core.messages import Address, Addressed, Message, message

log = structlog.get_logger(__name__)

JSON = dict[str, Any]

FORM_OUT_OF_DATE = (
    "Sorry, this form is out of date, so nothing was sent. Please copy your words, "
    "close the form and type the command instead. /help shows them all."
)


def button_out_of_date(press: Press | None) -> Message:
    """What a button too old to use answers (`press`: what it asked for, if still known)."""
    instead = (
        f"Please type {press.command} instead."
        if press is not None
        else "Please type the command instead. /help shows them all."
    )
    return message(
        "Sorry, that button is out of date, so nothing was changed.",
        instead,
        summary="That button is out of date",
    )


async def answer_button(sender: SlackSender, body: JSON, press: Press | None) -> None:
    """Tell whoever pressed a button too old to use, privately, where they pressed it."""
    said = button_out_of_date(press)
    view = body.get("view") or {}
    user = str((body.get("user") or {}).get("id") or "")
    where = body.get("container") or body.get("channel") or {}
    channel = where.get("channel_id") or where.get("id")
    log.info("slack.button_out_of_date")
    try:
        if view.get("id"):
            await sender.update_view(str(view["id"]), await sender.result_view(_title(view), said))
        elif body.get("response_url"):
            await sender.respond(str(body["response_url"]), said)
        elif user:
            await sender.send(Addressed(said, Address(channel=channel, user=user)))
    except Exception as error:  # a courtesy: never let it fail the request
        log.warning("slack.out_of_date_failed", error=type(error).__name__)


def form_answer(view: JSON) -> JSON:
    """The answer to a form too old to use: an error under its text box, so the words
    stay there to copy (or, with no text box, the form showing why)."""
    values = (view.get("state") or {}).get("values") or {}
    block = INPUT_BLOCK if INPUT_BLOCK in values else next(iter(values), None)
    if block is not None:
        return {"response_action": "errors", "errors": {str(block): FORM_OUT_OF_DATE}}
    shown = result_view(_title(view), [message(FORM_OUT_OF_DATE)])
    return {"response_action": "update", "view": shown}


def _title(view: JSON) -> str:
    return str((view.get("title") or {}).get("text") or "")
