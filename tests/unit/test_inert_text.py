"""Member text arrives inert but readable on every renderer: no pings, no markup, same words.

Each case is something a member might type (on purpose or not) that a
platform would otherwise turn into a mention, a link or a different shape.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest

from bot.app import App
from bot.platforms.console.platform import Console
from bot.platforms.matrix.render import render as matrix_render
from bot.platforms.slack.render import from_slack, user_ids, with_names
from bot.platforms.slack.render import render as slack_render
from bot.platforms.text import render_text
from handlers.core.messages import (
    BulletList,
    Choices,
    Heading,
    Message,
    Option,
    Paragraph,
)
from scheduler.clock import VirtualClock
from tests.support import say, text_objects, texts

INJECTIONS = [
    "@channel please read",
    "@here now",
    "<!here> and <!channel>",
    "<!subteam^S123|@admins> look",
    "ask <@U123> or <@U456|sam>",
    "see <#C123|general>",
    "<https://evil.example|click here> or <mailto:a@b.org|mail me>",
    "@room everyone look",
    "ask @alice:example.org about it",
    "<b>bold</b> <i>slanted</i>",
    '<a href="https://evil.example">a link</a>',
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "**bold** _slanted_ ~gone~ `code`",
    "[a link](https://evil.example)",
    "# A heading\n> a quote\n```\ncode\n```",
    "Tom & Jerry <3 > 2",
]
OUR_TAGS = {"h4", "p", "ul", "li", "ol", "br", "code"}


def member_message(said: str) -> Message:
    """A message where member text sits in every kind of block."""
    return Message(
        (
            Heading(said),
            Paragraph(said),
            BulletList((said, "something the bot wrote")),
            Choices((Option(said, "/help"),)),
        )
    )


class _Html(HTMLParser):
    """The tags, attributes and visible text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize("said", INJECTIONS)
def test_slack_shows_member_text_as_written_and_parses_none_of_it(said: str) -> None:
    (rendered,) = slack_render(member_message(said))
    objects = list(text_objects(rendered.blocks))
    assert {o["type"] for o in objects} == {"plain_text"}  # Slack parses nothing in plain_text
    assert sum(said.strip() in str(o["text"]) for o in objects) >= 3  # readable, as typed
    # The notification text is the one place Slack reads markup: it is escaped.
    for control in ("<!", "<@", "<#", "<http", "<mailto", "<b>", "<script"):
        assert control not in rendered.text
    assert "&amp;" in rendered.text if "&" in said else True


def test_slack_input_becomes_the_words_people_typed() -> None:
    """Slack sends mentions and links encoded; they come in as plain, readable words."""
    assert from_slack("Budget &lt;!here&gt; &amp; <!channel>") == "Budget <!here> & @channel"
    assert from_slack("ask <@U456|sam> or <@U123>") == "ask @U456 or @U123"
    assert from_slack("<https://example.org|the report>") == "the report (https://example.org)"
    assert from_slack("<!subteam^S123|@admins> and <#C1|general>") == "@admins and #general"


def test_slack_shows_mentioned_people_by_name_but_commands_keep_the_id() -> None:
    msg = Message(
        (
            Paragraph("Ask @U123 or @UNKNOWN, not mail@U123 or @u123"),
            Choices((Option("Swap with @U123", "/roles swap @U123"),)),
        )
    )
    assert user_ids(msg) == {"U123", "UNKNOWN"}
    named = with_names(msg, {"U123": "sam"})
    assert named.blocks[0] == Paragraph("Ask @sam or @UNKNOWN, not mail@U123 or @u123")
    assert named.blocks[1] == Choices((Option("Swap with @sam", "/roles swap @U123"),))


@pytest.mark.parametrize("said", INJECTIONS)
def test_matrix_pings_nobody_and_shows_member_text_as_text(said: str) -> None:
    content = matrix_render(member_message(said)).content
    assert content["m.mentions"] == {}  # so "@room" and "@alice:server" ping nobody
    assert said in content["body"]
    html = _Html()
    html.feed(content["formatted_body"])
    assert html.tags <= OUR_TAGS  # nothing the member typed became a tag
    assert html.attributes <= {"start"}  # no href, no src, no onerror
    assert said.replace("\n", "") in html.text.replace("\n", "")  # readable, as typed


async def test_the_console_prints_member_text_as_written_on_its_own_lines(
    app: App, clock: VirtualClock
) -> None:
    for said in INJECTIONS:
        out = io.StringIO()
        Console(app, clock, out=out).say("#group", render_text(member_message(said))[0])
        first, *rest = out.getvalue().splitlines()
        assert first.startswith("[#group] ")
        # A line break in member text can't start a line that looks like another message.
        assert all(line.startswith("  ") for line in rest), said
        assert said.splitlines()[-1] in out.getvalue()


async def test_control_characters_and_reordering_marks_never_reach_anyone(app: App) -> None:
    """A terminal would obey ESC sequences; bidi marks reorder what a line appears to say."""
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00")
    sneaky = "Budget\x1b[2J\x1b[31m cuts\u202e\x07 and\r\nthe rota\u2066\u2028done"
    added = texts(await say(app, "alice", f"/agenda add {sneaky}"))
    agenda = texts(await say(app, "alice", "/agenda"))
    for text in (added, agenda):
        assert "Budget[2J[31m cuts and" in text  # still readable; nothing obeyed
        assert not any(ch in text for ch in "\x1b\x07\r\u202e\u2066\u2028")
