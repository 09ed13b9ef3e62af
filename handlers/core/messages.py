"""The one message model every platform renders.

Text in these blocks is plain text exactly as a person wrote or the bot says
it: renderers escape it for their platform, so mentions and markup written by
members arrive inert.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True)
class Moment:
    """A time written in a paragraph or list, in the group's time zone.

    `text` is exactly the words that show it ("Saturday 5 December, 14:00", "15:30");
    `zone_text` is the zone words just after it (", UK time"), if any. Platforms that
    can show each reader the time in their own zone (Slack) do so and drop the zone
    words; every other platform shows the text as it is. `at` is timezone-aware.
    """

    text: str
    at: datetime
    kind: Literal["day_time", "time", "day"] = "day_time"
    zone_text: str = ""


@dataclass(frozen=True)
class Heading:
    """A short title at the top of a message or section, and the times in it, if any."""

    text: str
    moments: tuple[Moment, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """A few plain sentences, and the times written in them (in order), if any.

    `zone_note`: it only says which time zone the message's times are in ("Times are in
    UK time."), so a platform that shows each reader times in their own zone (Slack)
    leaves it out.
    """

    text: str
    moments: tuple[Moment, ...] = ()
    zone_note: bool = False


@dataclass(frozen=True)
class BulletList:
    """Items shown one per line, and the times written in them (in order), if any."""

    items: tuple[str, ...]
    moments: tuple[Moment, ...] = ()


@dataclass(frozen=True)
class Option:
    """One answer to a choice: pressing it runs `command` as the person who pressed."""

    label: str
    command: str
    group_id: int | None = None


@dataclass(frozen=True)
class Choices:
    """Buttons on Slack, numbered options on Matrix and the console."""

    options: tuple[Option, ...]


@dataclass(frozen=True)
class PrivateInput:
    """Asks for text that must not sit in a shared conversation (a Slack modal, a DM)."""

    title: str
    label: str
    command: str
    group_id: int | None = None


@dataclass(frozen=True)
class File:
    """A file for the person to keep (like a CSV for the finance team), sent privately.

    `content` is the whole text of the file; `name` is what it is saved as.
    """

    name: str
    media_type: str
    content: str


@dataclass(frozen=True)
class Image:
    """A picture (a chart) sent with the message, as a PNG.

    `alt` says in words everything the picture shows, for screen readers and for anyone
    who can't see it; the message's other blocks always carry the same facts as text.
    `title` is a short name for it; `width` and `height` are in pixels.
    """

    name: str
    title: str
    content: bytes
    alt: str
    width: int
    height: int
    media_type: str = "image/png"


Block = Heading | Paragraph | BulletList | Choices | PrivateInput | File | Image


def sent_a_file(f: File) -> str:
    """What a renderer that can't attach the file itself says in its place."""
    return f"I've sent you a file: {f.name}."


def sent_a_picture(image: Image) -> str:
    """What a renderer that sends the picture separately says in its place."""
    return f"I've also drawn this as a chart: {image.title}."


@dataclass(frozen=True)
class Message:
    """A whole message: blocks in order, plus a one-line summary for notifications."""

    blocks: tuple[Block, ...]
    summary: str = ""

    def text(self) -> str:
        """The message's words as plain text (for notifications and fallbacks)."""
        return self.summary or next(
            (b.text for b in self.blocks if isinstance(b, Heading | Paragraph)), ""
        )


def reword(msg: Message, change: Callable[[str], str]) -> Message:
    """The message with `change` applied to every word people read (never to commands)."""

    def block(b: Block) -> Block:
        match b:
            case Heading(text=text) | Paragraph(text=text):
                return replace(b, text=change(text))
            case BulletList(items=items):
                return replace(b, items=tuple(change(i) for i in items))
            case Choices(options=options):
                return Choices(tuple(replace(o, label=change(o.label)) for o in options))
            case PrivateInput(title=title, label=label):
                return replace(b, title=change(title), label=change(label))
            case Image(title=title, alt=alt):
                return replace(b, title=change(title), alt=change(alt))
        return b

    return Message(tuple(block(b) for b in msg.blocks), change(msg.summary))


def message(*parts: Block | str, summary: str = "") -> Message:
    """Build a message; plain strings become paragraphs."""
    blocks = tuple(Paragraph(p) if isinstance(p, str) else p for p in parts)
    return Message(blocks=blocks, summary=summary)


def files_of(msg: Message) -> list[File]:
    """The files a message carries, in order."""
    return [b for b in msg.blocks if isinstance(b, File)]


def images_of(msg: Message) -> list[Image]:
    """The pictures a message carries, in order."""
    return [b for b in msg.blocks if isinstance(b, Image)]


def without_pictures(msg: Message) -> Message:
    """The message with its pictures left out (its words already say the same)."""
    return replace(msg, blocks=tuple(b for b in msg.blocks if not isinstance(b, Image)))


@dataclass(frozen=True)
class ToCaller:
    """Privately to the person who spoke (ephemeral on Slack, their DM elsewhere)."""


@dataclass(frozen=True)
class ToGroup:
    """Posted in the group's channel for everyone."""

    group_id: int


@dataclass(frozen=True)
class ToPerson:
    """In the person's direct conversation with the bot, about one group.

    Unless it answers the person's own command, it waits for their quiet hours
    and away dates to end (the router queues it for the delivery engine).
    """

    person_id: int
    group_id: int | None = None


Audience = ToCaller | ToGroup | ToPerson


@dataclass(frozen=True)
class Outgoing:
    """A message and where it goes."""

    message: Message
    to: Audience = field(default_factory=ToCaller)


@dataclass(frozen=True)
class Address:
    """Where a platform should put a message.

    channel only: a post in that channel. user only: that person's DM.
    Both: a private reply to that person next to the channel (ephemeral on
    Slack; their DM on platforms without ephemeral messages).
    """

    channel: str | None = None
    user: str | None = None

    @property
    def is_private(self) -> bool:
        """True when only one person will see it."""
        return self.user is not None


@dataclass(frozen=True)
class Addressed:
    """A message with its platform address, ready to send."""

    message: Message
    address: Address


_BLOCKS: dict[str, type] = {
    cls.__name__: cls
    for cls in (Heading, Paragraph, BulletList, Choices, PrivateInput, File, Image)
}


def _raw(b: Block) -> dict[str, Any]:
    raw: dict[str, Any] = {"type": type(b).__name__, **asdict(b)}
    if isinstance(b, Heading | Paragraph | BulletList):
        del raw["moments"]
        if b.moments:
            raw["moments"] = [asdict(m) | {"at": m.at.isoformat()} for m in b.moments]
    if isinstance(b, Paragraph) and not b.zone_note:
        del raw["zone_note"]
    if isinstance(b, Image):
        raw["content"] = base64.b64encode(b.content).decode("ascii")
    return raw


def to_json(msg: Message) -> str:
    """Serialise a message (kept while a delivery is in flight)."""
    return json.dumps({"summary": msg.summary, "blocks": [_raw(b) for b in msg.blocks]})


def from_json(text: str) -> Message:
    """Rebuild a message serialised by to_json."""
    data = json.loads(text)
    blocks: list[Block] = []
    for raw in data["blocks"]:
        kind = raw.pop("type")
        if kind == "BulletList":
            raw["items"] = tuple(raw["items"])
        if "moments" in raw:
            raw["moments"] = tuple(
                Moment(**(m | {"at": datetime.fromisoformat(m["at"])})) for m in raw["moments"]
            )
        if kind == "Image":
            raw["content"] = base64.b64decode(raw["content"])
        if kind == "Choices":
            raw["options"] = tuple(Option(**o) for o in raw["options"])
        blocks.append(_BLOCKS[kind](**raw))
    return Message(blocks=tuple(blocks), summary=data["summary"])
