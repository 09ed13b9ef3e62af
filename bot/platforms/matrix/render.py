"""Renders the message model as Matrix event content: the only place Matrix HTML is made.

Every message is an `m.notice` (bots answer no notice, so two bots never loop)
with a plain `body` and an HTML `formatted_body`. Member text is escaped with
html.escape as it is placed, the whole HTML is then cleaned by nh3 down to the
tags the Matrix spec allows, and `m.mentions` is always present and empty, so
"@room" or "@alice:example.org" written by a member pings nobody.

Choices are a numbered list. In a DM a reply with the number (or a reaction
with it) chooses; in a group room only a reaction does, since a bare number
there is just chat, so the prompt says so.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import nh3

from bot.platforms.text import REPLY_WITH_A_NUMBER, render_text
from handlers.core.messages import (
    BulletList,
    Choices,
    File,
    Heading,
    Message,
    Option,
    Paragraph,
    PrivateInput,
    sent_a_file,
)

#: Where a delivery's unique key rides along in the content (see already_sent).
DELIVERY_FIELD = "org.alongside.delivery"
#: A reply's transaction id rides here, so a retried reply can be recognised.
REPLY_FIELD = "org.alongside.reply"

PRIVATE_HINT = "Send it to me in our direct message:"
#: The prompt above a numbered list: a number in a DM, a reaction in a room.
DM_PROMPT = REPLY_WITH_A_NUMBER
ROOM_PROMPT = "React with a number to choose:"

#: The tags the Matrix spec allows in formatted_body (client-server API, m.room.message).
ALLOWED_TAGS = frozenset(
    {
        "font",
        "del",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "p",
        "a",
        "ul",
        "ol",
        "sup",
        "sub",
        "li",
        "b",
        "i",
        "u",
        "strong",
        "em",
        "s",
        "code",
        "hr",
        "br",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "pre",
        "span",
        "details",
        "summary",
    }
)
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
_SCHEMES = frozenset({"https", "http", "mailto", "matrix"})


@dataclass(frozen=True)
class Rendered:
    """Event content ready for room_send, and the options a numbered reply chooses from."""

    content: dict[str, Any]
    options: list[Option]


def sanitise(fragment: str) -> str:
    """Keep only spec-allowed tags and safe attributes (a safety net after escaping)."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes=_ATTRIBUTES,
        url_schemes=set(_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def _text(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def render_html(msg: Message, in_room: bool = False) -> str:
    """The message as sanitised HTML; member text can never become markup."""
    prompt = ROOM_PROMPT if in_room else DM_PROMPT
    parts: list[str] = []
    numbered = 0
    for block in msg.blocks:
        match block:
            case Heading(text=text):
                parts.append(f"<h4>{_text(text)}</h4>")
            case Paragraph(text=text):
                parts.append(f"<p>{_text(text)}</p>")
            case BulletList(items=items):
                parts.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in items) + "</ul>")
            case Choices(options=options):
                listed = "".join(f"<li>{_text(o.label)}</li>" for o in options)
                parts.append(f'<p>{prompt}</p><ol start="{numbered + 1}">{listed}</ol>')
                numbered += len(options)
            case PrivateInput(label=label, command=command):
                parts.append(
                    f"<p>{_text(label)} {_text(PRIVATE_HINT)} <code>{_text(command)} ...</code></p>"
                )
            case File():
                parts.append(f"<p>{_text(sent_a_file(block))}</p>")
    return sanitise("".join(parts))


def render(msg: Message, marker: dict[str, str] | None = None, in_room: bool = False) -> Rendered:
    """The whole m.notice content; `marker` adds our own fields (a delivery key, a reply id).
    `in_room`: it goes to a group room, where choosing is by reaction only."""
    body, options = render_text(msg, PRIVATE_HINT, ROOM_PROMPT if in_room else DM_PROMPT)
    content: dict[str, Any] = {
        "msgtype": "m.notice",
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": render_html(msg, in_room),
        "m.mentions": {},
    }
    content.update(marker or {})
    return Rendered(content, options)
