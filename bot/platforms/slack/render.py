"""The message model as Block Kit, within Slack's limits, with member text kept inert.

Every word in the message model is plain text, whether a member or the bot
wrote it, so every block carries it as a `plain_text` object: Slack parses no
mentions (`<!channel>`, `<!here>`, `<@U123>`), no links and no formatting
(`*bold*`, quotes, code blocks) there, and shows the characters as written.
The one place Slack reads markup is the top-level `text` (the notification
and fallback), so that is escaped (`&`, `<`, `>`), as Slack asks.

A heading, paragraph or list that marks times (`Moment`) becomes a `rich_text`
block (a heading's words in bold, as a header block can hold no date):
each time is a `date` element, which Slack shows in each reader's own time
zone (so the group's zone words after it are dropped), and the rest is `text`
elements, which Slack shows as written, never as mentions, links or markup. A
paragraph that only names the group's time zone (`zone_note`) is left out.

Slack's limits are kept here: at most 50 blocks a message (longer messages are
split into several), 3,000 characters a section (longer text becomes several
sections), 150 for a header, 75 for a button, 2,000 for a button's value
(longer values are stashed by the caller and sent as a short reference).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from handlers.core.messages import (
    BulletList,
    Choices,
    File,
    Heading,
    Image,
    Message,
    Moment,
    Paragraph,
    PrivateInput,
    reword,
    sent_a_file,
    sent_a_picture,
)

JSON = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25
MAX_FALLBACK = 3000
MAX_MODAL_TITLE = 24
MAX_MODAL_BLOCKS = 100
MAX_INPUT_LABEL = 2000
MAX_INPUT = 3000
MAX_PRIVATE_METADATA = 3000

CHOICE = "alongside:choice"
PRIVATE = "alongside:private"
MODAL = "alongside:private-input"
LINK = "alongside:link"
MEETING_FORM = "alongside:meeting-form"
#: The lengths the meeting form offers, as `/meeting new ... for <length>` reads them.
MEETING_LENGTHS = ("30m", "1h", "90m", "2h", "3h")
MAX_LINK = 3000
INPUT_BLOCK = "text"
INPUT_ACTION = "text"
REF = "ref:"

_MARKUP = re.compile(r"<([^<>]*)>")
_LINK = re.compile(r"https?://[^\s<>]+")
#: A Slack user id written as a mention, as `from_slack` turns <@U123> into words.
_USER_ID = re.compile(r"(?<![\w@])@([UW][A-Z0-9]{2,})\b")


@dataclass(frozen=True)
class SlackMessage:
    """One Slack message: escaped fallback text and its blocks."""

    text: str
    blocks: list[JSON]


@dataclass(frozen=True)
class Press:
    """What pressing a button asks for: run `command` (a PrivateInput first asks for text)."""

    command: str
    group_id: int | None = None
    title: str = ""
    label: str = ""

    def encode(self) -> str:
        """The button's value (JSON), before any stashing."""
        data: JSON = {"c": self.command, "g": self.group_id}
        if self.title or self.label:
            data |= {"t": self.title, "l": self.label}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def decode(cls, value: str) -> Press | None:
        """Read a button value written by `encode` (None if it isn't one)."""
        try:
            data = json.loads(value)
            command, group_id = data["c"], data.get("g")
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(command, str) or not (group_id is None or isinstance(group_id, int)):
            return None
        return cls(command, group_id, str(data.get("t", "")), str(data.get("l", "")))


def escape(text: str) -> str:
    """Escape Slack's control characters so text can't become a mention, link or markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with an ellipsis if it is longer."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str) -> JSON:
    """A plain_text object: Slack shows it exactly as written."""
    return {"type": "plain_text", "text": text, "emoji": True}


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Cut text into pieces of at most `limit` characters, at line or word ends if possible."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def presses(msg: Message) -> list[Press]:
    """Every button in a message, in order (so long values can be stashed first)."""
    found: list[Press] = []
    for block in msg.blocks:
        if isinstance(block, Choices):
            found += [Press(o.command, o.group_id) for o in block.options]
        elif isinstance(block, PrivateInput):
            found.append(Press(block.command, block.group_id, block.title, block.label))
    return found


def _value(press: Press, refs: Mapping[str, str]) -> str:
    value = press.encode()
    if len(value) <= MAX_BUTTON_VALUE:
        return value
    if value not in refs:
        raise ValueError("a button value is too long for Slack and was not stashed")
    return REF + refs[value]


def place_link(text: str) -> str | None:
    """The web address in a "Where:" line (an online meeting's link), if there is one."""
    for line in text.splitlines():
        if line.startswith("Where:") and (found := _LINK.search(line)):
            url = found.group(0).rstrip(".,;:!?)]}'\"")
            return url if len(url) <= MAX_LINK else None
    return None


def _sections(text: str) -> Iterator[JSON]:
    """Sections of plain text; a "Where:" link gets a button that opens it (the text stays
    plain, so nothing a member wrote becomes a link or markup)."""
    for piece in split_text(text):
        section: JSON = {"type": "section", "text": plain(piece)}
        if url := place_link(piece):
            section["accessory"] = {
                "type": "button",
                "text": plain("Open the link"),
                "url": url,
                "action_id": LINK,
            }
        yield section


#: How Slack writes each kind of moment, in the reader's own time zone.
DATE_FORMATS = {
    "day_time": "{date_long_pretty} at {time}",
    "time": "{time}",
    "day": "{date_long_pretty}",
}


def _date(moment: Moment) -> JSON:
    return {
        "type": "date",
        "timestamp": int(moment.at.timestamp()),
        "format": DATE_FORMATS[moment.kind],
        "fallback": moment.text + moment.zone_text,
    }


def _find(text: str, moment: Moment, start: int) -> int:
    """Where the moment's words are in `text` from `start` (with its zone words, if it has
    them, so a title like "14:00 club" isn't taken for the time); -1 if not there."""
    if not moment.text:
        return -1
    if moment.zone_text and (at := text.find(moment.text + moment.zone_text, start)) >= 0:
        return at
    return text.find(moment.text, start)


def _timed(texts: list[str], moments: tuple[Moment, ...], bold: bool) -> list[list[JSON]]:
    """Rich text elements for each text: the moments (found in order) as dates, their
    zone words dropped, everything else as literal text. A moment whose words aren't
    there (the text was changed since) is left out."""
    found: list[list[tuple[int, Moment]]] = [[] for _ in texts]
    item, pos = 0, 0
    for moment in moments:
        for i in range(item, len(texts)):
            at = _find(texts[i], moment, pos if i == item else 0)
            if at >= 0:
                found[i].append((at, moment))
                item, pos = i, at + len(moment.text)
                break
    out: list[list[JSON]] = []
    for text, places in zip(texts, found, strict=True):
        elements: list[JSON] = []
        cursor = 0
        for at, moment in places:
            if text[cursor:at]:
                elements.append(_text(text[cursor:at], bold))
            elements.append(_date(moment))
            cursor = at + len(moment.text)
            if moment.zone_text and text.startswith(moment.zone_text, cursor):
                cursor += len(moment.zone_text)
        if text[cursor:]:
            elements.append(_text(text[cursor:], bold))
        out.append(elements)
    return out


def _text(text: str, bold: bool) -> JSON:
    """Literal words in rich text (bold in a heading)."""
    return {"type": "text", "text": text} | ({"style": {"bold": True}} if bold else {})


def _rich(texts: list[str], moments: tuple[Moment, ...], listed: bool, bold: bool = False) -> JSON:
    """A rich_text block: a section, or a bulleted list with one section an item; a
    heading's words are bold."""
    timed = _timed(texts, moments, bold)
    sections = [{"type": "rich_text_section", "elements": e} for e in timed]
    if listed:
        return {
            "type": "rich_text",
            "elements": [{"type": "rich_text_list", "style": "bullet", "elements": sections}],
        }
    return {"type": "rich_text", "elements": sections}


def blocks_of(msg: Message, refs: Mapping[str, str] | None = None) -> list[JSON]:
    """The message's blocks, not yet split into messages of 50."""
    refs = refs or {}
    out: list[JSON] = []
    buttons = 0
    for block in msg.blocks:
        match block:
            case Heading(text=text, moments=moments) if moments and text.strip():
                out.append(_rich([text.strip()], moments, listed=False, bold=True))
            case Heading(text=text) if text.strip():
                out.append({"type": "header", "text": plain(shorten(text, MAX_HEADER_TEXT))})
            case Paragraph(zone_note=True):
                pass  # each reader sees the times in their own zone
            case Paragraph(text=text, moments=moments) if moments and text.strip():
                out.append(_rich([text.strip()], moments, listed=False))
            case Paragraph(text=text):
                out.extend(_sections(text))
            case BulletList(items=items, moments=moments) if items and moments:
                out.append(_rich(list(items), moments, listed=True))
            case BulletList(items=items) if items:
                out.extend(_sections("\n".join(f"• {item}" for item in items)))
            case Choices(options=options) if options:
                for start in range(0, len(options), MAX_ACTIONS):
                    elements = []
                    for option in options[start : start + MAX_ACTIONS]:
                        buttons += 1
                        elements.append(
                            {
                                "type": "button",
                                "text": plain(shorten(option.label, MAX_BUTTON_TEXT) or "Choose"),
                                "action_id": f"{CHOICE}:{buttons}",
                                "value": _value(Press(option.command, option.group_id), refs),
                            }
                        )
                    out.append({"type": "actions", "elements": elements})
            case File():
                out.extend(_sections(f"{sent_a_file(block)} It's in our direct messages."))
            case Image():
                out.extend(_sections(sent_a_picture(block)))
            case PrivateInput(title=title, label=label, command=command, group_id=group_id):
                buttons += 1
                out.extend(_sections(label))
                out.append(
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "text": plain(shorten(title, MAX_BUTTON_TEXT) or "Write it"),
                                "action_id": f"{PRIVATE}:{buttons}",
                                "value": _value(Press(command, group_id, title, label), refs),
                            }
                        ],
                    }
                )
    return out


def fallback(msg: Message) -> str:
    """The escaped one-line text Slack shows in notifications."""
    text = msg.text()
    if not text:
        text = next((" ".join(b.items) for b in msg.blocks if isinstance(b, BulletList)), "")
    return escape(shorten(text, MAX_FALLBACK))


def render(msg: Message, refs: Mapping[str, str] | None = None) -> list[SlackMessage]:
    """The message as one or more Slack messages (more when it has over 50 blocks)."""
    blocks = blocks_of(msg, refs)
    text = fallback(msg)
    if not blocks:
        return [SlackMessage(text, [])] if text else []
    parts = [blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)]
    out = []
    for number, part in enumerate(parts):
        note = f" (part {number + 1} of {len(parts)})" if len(parts) > 1 else ""
        out.append(SlackMessage((text or "A message from alongside") + note, part))
    return out


def modal(press: Press, metadata: str) -> JSON:
    """The form a PrivateInput button opens: one text box; sending runs the command."""
    return {
        "type": "modal",
        "callback_id": MODAL,
        "title": plain(shorten(press.title, MAX_MODAL_TITLE) or "alongside"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [
            {
                "type": "input",
                "block_id": INPUT_BLOCK,
                "label": plain(shorten(press.label, MAX_INPUT_LABEL) or "Your words"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT_ACTION,
                    "multiline": True,
                    "max_length": MAX_INPUT,
                },
            },
            {"type": "context", "elements": [plain("Only you can see this form.")]},
        ],
    }


def _option(value: str) -> JSON:
    return {"text": plain(describe_length(value)), "value": value}


def describe_length(value: str) -> str:
    """'90m' -> '1 hour 30 minutes', '2h' -> '2 hours', as the length picker shows it."""
    minutes = int(value[:-1]) * (60 if value.endswith("h") else 1)
    hours, rest = divmod(minutes, 60)
    words = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    return " ".join(words + ([f"{rest} minutes"] if rest else []))


def _input(block_id: str, label: str, element: JSON, optional: bool = False) -> JSON:
    """One question in a form; the answer is found under the same id as the block."""
    block: JSON = {"type": "input", "block_id": block_id, "label": plain(label)}
    block["element"] = {**element, "action_id": block_id}
    if optional:
        block["optional"] = True
    return block


def meeting_form(metadata: str) -> JSON:
    """The form `/meeting new` opens when typed with no words: Slack's own date and time
    pickers; sending it runs `/meeting new <title> <date> <time> for <length> at <place>`."""
    return {
        "type": "modal",
        "callback_id": MEETING_FORM,
        "title": plain("New meeting"),
        "submit": plain("Plan it"),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [
            _input(INPUT_BLOCK, "What is the meeting called?", {"type": "plain_text_input"}),
            _input("date", "Which day?", {"type": "datepicker"}),
            _input("time", "What time does it start?", {"type": "timepicker"}),
            _input(
                "length",
                "How long is it?",
                {
                    "type": "static_select",
                    "options": [_option(v) for v in MEETING_LENGTHS],
                    "initial_option": _option("90m"),
                },
            ),
            _input(
                "place",
                "Where? A room, or a link for an online meeting.",
                {"type": "plain_text_input"},
                optional=True,
            ),
            {
                "type": "context",
                "elements": [plain("The time is in the group's time zone.")],
            },
        ],
    }


def meeting_command(values: Mapping[str, Any]) -> str | None:
    """`/meeting new ...` from the meeting form's answers; None if one is missing."""

    def answer(block: str, key: str) -> str:
        state = (values.get(block) or {}).get(block)
        found = state.get(key) if isinstance(state, dict) else None
        if isinstance(found, dict):
            found = found.get("value")
        return " ".join(str(found or "").split())

    title = answer(INPUT_BLOCK, "value")
    day, start = answer("date", "selected_date"), answer("time", "selected_time")
    length = answer("length", "selected_option") or "90m"
    if not (title and day and start) or length not in MEETING_LENGTHS:
        return None
    place = answer("place", "value")
    return f"/meeting new {title} {day} {start} for {length}" + (f" at {place}" if place else "")


def result_view(title: str, messages: list[Message], refs: Mapping[str, str] | None = None) -> JSON:
    """A modal showing the bot's answers in place of the form (nothing lands in a chat)."""
    blocks = [b for msg in messages for b in blocks_of(msg, refs)]
    if len(blocks) > MAX_MODAL_BLOCKS:
        blocks = blocks[: MAX_MODAL_BLOCKS - 1]
        blocks.append({"type": "section", "text": plain("(There was more than fits here.)")})
    return {
        "type": "modal",
        "title": plain(shorten(title, MAX_MODAL_TITLE) or "alongside"),
        "close": plain("Close"),
        "blocks": blocks or [{"type": "section", "text": plain("Done.")}],
    }


def user_ids(msg: Message) -> set[str]:
    """The Slack user ids mentioned in a message's words (like @U123 from <@U123>)."""
    found: set[str] = set()

    def collect(text: str) -> str:
        found.update(_USER_ID.findall(text))
        return text

    reword(msg, collect)
    return found


def with_names(msg: Message, names: Mapping[str, str]) -> Message:
    """The message with mentioned user ids shown as people's names (@U123 -> @sam)."""
    return reword(
        msg, lambda text: _USER_ID.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)
    )


def _unmark(match: re.Match[str]) -> str:
    target, _, label = match.group(1).partition("|")
    if target.startswith("@"):
        return target  # <@U123|sam> -> @U123: the id names the person exactly
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!subteam^"):
        return label or "@team"
    if target.startswith("!date"):
        return label
    if target.startswith("!"):
        return "@" + (label.lstrip("@") or target[1:].split("^")[0])
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if not label or label in target:
        return target
    return f"{label} ({target})"


def from_slack(text: str) -> str:
    """What a person typed, from Slack's encoded form: mentions and links as plain words."""
    plain_text = _MARKUP.sub(_unmark, text)
    return plain_text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
