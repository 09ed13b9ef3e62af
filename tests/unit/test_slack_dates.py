"""Times on Slack: shown with Slack's date formatting, in each reader's own time zone.

Every other platform shows the words exactly as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.platforms.matrix.render import render as matrix_render
from bot.platforms.slack.render import render as slack_render
from bot.platforms.slack.render import with_names
from bot.platforms.text import render_text
from handlers.core.messages import (
    BulletList,
    Heading,
    Message,
    Moment,
    Paragraph,
    from_json,
    reword,
    to_json,
)
from handlers.core.occurrences import Occurrence, localise, upcoming
from handlers.core.when import when_shown
from handlers.packs import build_pack
from storage.models import Meeting
from storage.uow import UnitOfWork
from tests.integration.slack.mock_api import block_problems
from tests.support import say
from tests.unit.test_inert_text import INJECTIONS

LONDON = ZoneInfo("Europe/London")


def occurrence(local: datetime, title: str = "Steering") -> Occurrence:
    """A 90-minute meeting at a London wall-clock time."""
    meeting = Meeting(
        id=1, group_id=1, title=title, local_start=local, timezone=LONDON.key, duration_minutes=90
    )
    return Occurrence(meeting, local.isoformat(), localise(local, LONDON), LONDON)


def when_message(o: Occurrence, before: str = "When: ") -> Message:
    when, moments = when_shown(o, ", UK time")
    return Message((Heading("Pack"), Paragraph(f"{before}{when}.", moments)))


def rich(msg: Message) -> list[dict[str, Any]]:
    """The elements of the message's one rich_text section (the blocks must validate)."""
    (rendered,) = slack_render(msg)
    assert block_problems(rendered.blocks) == []
    (block,) = [b for b in rendered.blocks if b["type"] == "rich_text"]
    (section,) = block["elements"]
    assert section["type"] == "rich_text_section"
    return list(section["elements"])


@pytest.mark.parametrize(
    ("local", "start", "end"),
    [
        (datetime(2026, 10, 24, 14), 1792846800, 1792852200),  # summer time: 13:00 UTC
        (datetime(2026, 10, 31, 14), 1793455200, 1793460600),  # after the clocks go back
    ],
)
def test_a_meeting_time_is_a_slack_date_at_the_right_moment(
    local: datetime, start: int, end: int
) -> None:
    o = occurrence(local)
    elements = rich(when_message(o))
    dates = [e for e in elements if e["type"] == "date"]
    assert [d["timestamp"] for d in dates] == [start, end]
    assert [d["format"] for d in dates] == ["{date_long_pretty} at {time}", "{time}"]
    assert dates[0]["fallback"] == f"Saturday {local.day} October, 14:00"
    assert dates[1]["fallback"] == "15:30, UK time"
    words = "".join(e["text"] for e in elements if e["type"] == "text")
    assert words == "When:  to ."  # the zone words go: each reader sees their own time
    assert datetime.fromtimestamp(start, UTC).astimezone(LONDON).hour == 14


@pytest.mark.parametrize("said", INJECTIONS)
def test_member_words_next_to_a_time_stay_literal(said: str) -> None:
    o = occurrence(datetime(2026, 12, 5, 14), title=said)
    elements = rich(when_message(o, before=f"{said}: "))
    assert {e["type"] for e in elements} == {"text", "date"}  # no user, broadcast or link
    assert elements[0] == {"type": "text", "text": f"{said.strip()}: "}


def test_every_other_platform_shows_the_words_exactly_as_before() -> None:
    o = occurrence(datetime(2026, 10, 31, 14))
    marked = when_message(o)
    unmarked = Message((Heading("Pack"), Paragraph(f"When: {o.when()}, UK time.")))
    assert marked.blocks[1].text == unmarked.blocks[1].text  # type: ignore[union-attr]
    assert render_text(marked) == render_text(unmarked)
    assert matrix_render(marked) == matrix_render(unmarked)
    listed = BulletList(("1. a", "2. b"), marked.blocks[1].moments)  # type: ignore[union-attr]
    assert render_text(Message((listed,))) == render_text(Message((BulletList(("1. a", "2. b")),)))


def test_a_list_of_meetings_keeps_each_time_with_its_own_line() -> None:
    first, second = occurrence(datetime(2026, 10, 24, 14)), occurrence(datetime(2026, 10, 31, 14))
    (w1, m1), (w2, m2) = when_shown(first), when_shown(second)
    (rendered,) = slack_render(Message((BulletList((f"1. {w1}", f"2. {w2}"), m1 + m2),)))
    assert block_problems(rendered.blocks) == []
    (block,) = rendered.blocks
    items = block["elements"][0]["elements"]
    stamps = [[e["timestamp"] for e in i["elements"] if e["type"] == "date"] for i in items]
    assert stamps == [[1792846800, 1792852200], [1793455200, 1793460600]]


def test_moments_survive_json_and_rewording() -> None:
    msg = when_message(occurrence(datetime(2026, 10, 31, 14)))
    assert from_json(to_json(msg)) == msg
    assert with_names(msg, {}) == msg
    plain = Message((Paragraph("No times here."), BulletList(("a",))))
    assert "moments" not in to_json(plain)  # stored as before
    assert from_json(to_json(plain)) == plain
    # Words changed so a time no longer reads the same: shown as text, still valid.
    changed = reword(msg, lambda t: t.replace("14:00", "2pm"))
    elements = rich(changed)
    assert [e["timestamp"] for e in elements if e["type"] == "date"] == [1793460600]
    assert "Saturday 31 October, 2pm" in "".join(e.get("text", "") for e in elements)


def test_a_time_in_a_title_is_not_taken_for_the_meetings_time() -> None:
    at = Moment("14:00", datetime(2026, 12, 5, 14, tzinfo=UTC), "time", " UK time")
    said = Paragraph("A reminder: 14:00 club is tomorrow, at 14:00 UK time.", (at,))
    assert rich(Message((said,))) == [
        {"type": "text", "text": "A reminder: 14:00 club is tomorrow, at "},
        {"type": "date", "timestamp": 1796479200, "format": "{time}", "fallback": "14:00 UK time"},
        {"type": "text", "text": "."},
    ]


def date_elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every Slack date element in some blocks, in order."""

    def walk(node: Any) -> list[dict[str, Any]]:
        if isinstance(node, list):
            return [d for item in node for d in walk(item)]
        if isinstance(node, dict):
            return ([node] if node.get("type") == "date" else []) + walk(node.get("elements", []))
        return []

    return walk(blocks)


def on_slack(msg: Message) -> list[dict[str, Any]]:
    """The message's Slack blocks (checked valid)."""
    (rendered,) = slack_render(msg)
    assert block_problems(rendered.blocks) == []
    return list(rendered.blocks)


DEC_5_14 = int(datetime(2026, 12, 5, 14, tzinfo=UTC).timestamp())  # 14:00 UK time is UTC


async def test_breaks_item_times_and_the_pack_time_are_slack_dates(app: App) -> None:
    """A 3-hour meeting with four 40-minute items and a break every hour or so: the pack's
    item starts and breaks, the /agenda heading and the time the pack goes (/roles) are
    Slack dates on Slack, and plain UK times everywhere else."""
    for said in (
        "/group setup Steering group",
        "/meeting new Steering 2026-12-05 14:00 for 3h",
        "/group breaks 60m",
        *(f"/agenda add Item {n} minutes 40" for n in range(1, 5)),
    ):
        await say(app, "alice", said)
    async with UnitOfWork(app.db.sessions) as uow:
        group = await uow.groups.in_channel("console", "group")
        assert group is not None
        [o] = await upcoming(uow, group, app.clock.now(), limit=1)
        pack = await build_pack(uow, group, o, ())
    text = render_text(pack)[0]
    assert "Breaks: at 14:40, 15:30, 16:20." in text and "2. 14:50 Item 2" in text
    assert "<!date" not in text and '"date"' not in text
    stamps = [d["timestamp"] for d in date_elements(on_slack(pack))]
    hour, minutes = 3600, 60
    items = [DEC_5_14 + m * minutes for m in (0, 50, 100, 150)]  # a break before each
    breaks = [DEC_5_14 + m * minutes for m in (40, 90, 140)]
    assert stamps == [DEC_5_14, DEC_5_14 + 3 * hour, *items, *breaks]

    [agenda] = (await say(app, "bob", "/agenda")).sent
    heading = on_slack(agenda.message)[0]
    assert heading["type"] == "rich_text"  # a header block can hold no date
    assert from_json(to_json(agenda.message)) == agenda.message  # kept while in flight
    assert next(d["timestamp"] for d in date_elements([heading])) == DEC_5_14

    [roles] = (await say(app, "bob", "/roles")).sent
    said = render_text(roles.message)[0]
    assert "They go out with the pack on Wednesday 2 December at 14:00," in said  # 3 days before
    assert date_elements(on_slack(roles.message))[-1]["timestamp"] == DEC_5_14 - 72 * hour


async def test_meeting_list_names_the_zone_except_on_slack(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 90m")
    [listed] = (await say(app, "bob", "/meeting")).sent
    assert "Times are in UK time." in render_text(listed.message)[0]
    assert "Times are in UK time." in str(matrix_render(listed.message))
    blocks = on_slack(listed.message)
    assert "Times are in" not in str(blocks) and "The number is the meeting's number." in str(
        blocks
    )
    assert next(d["timestamp"] for d in date_elements(blocks)) == DEC_5_14
    assert from_json(to_json(listed.message)) == listed.message


async def test_when_a_proposal_closes_is_a_slack_date(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    result = await say(app, "alice", "/propose We meet online in January closes in 3 days")
    [post] = [s.message for s in result.sent if s.address.user is None]
    text = render_text(post)[0]
    [date] = date_elements(on_slack(post))
    assert f"It's open until {date['fallback']}. What the answers mean:" in text
    closes = datetime.fromtimestamp(date["timestamp"], UTC)
    assert closes - app.clock.now() == timedelta(days=3)
