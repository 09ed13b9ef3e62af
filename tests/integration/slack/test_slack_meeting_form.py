"""`/meeting new` typed with no words opens a form with Slack's date and time pickers;
sending it plans the meeting as if the whole command had been typed in the channel."""

from __future__ import annotations

import pytest

from bot.platforms.slack.render import MEETING_FORM, meeting_command
from tests.integration.slack import signing
from tests.integration.slack.harness import SIGNING_SECRET, Bot, words
from tests.integration.slack.mock_api import view_problems

pytestmark = pytest.mark.slack

ALICE = "UALICE"


def answers(place: str = "") -> dict[str, dict[str, object]]:
    """The form as someone fills it in: {block_id: {action_id: state}}."""
    return {
        "text": {"text": {"type": "plain_text_input", "value": "Steering"}},
        "date": {"date": {"type": "datepicker", "selected_date": "2026-12-05"}},
        "time": {"time": {"type": "timepicker", "selected_time": "14:00"}},
        "length": {
            "length": {"type": "static_select", "selected_option": {"value": "2h"}},
        },
        "place": {"place": {"type": "plain_text_input", "value": place or None}},
    }


async def test_meeting_new_alone_opens_the_pickers_and_sending_plans_it(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    before = len(bot.mock.calls)
    assert await bot.command(ALICE, "/meeting new") == []  # no answer: a form instead
    [opened] = [c for c in bot.mock.calls[before:] if c.method == "views.open" and c.ok]
    form = opened.response["view"]
    assert form["callback_id"] == MEETING_FORM and view_problems(form) == []
    kinds = [b["element"]["type"] for b in form["blocks"] if b["type"] == "input"]
    text_box, pickers = "plain_text_input", ["datepicker", "timepicker", "static_select"]
    assert kinds == [text_box, *pickers, text_box]

    status, _, _ = await bot.post(
        signing.view_submission(
            SIGNING_SECRET,
            callback_id=MEETING_FORM,
            private_metadata=form["private_metadata"],
            view_id=form["id"],
            values=answers("Room 4"),
            user_id=ALICE,
        )
    )
    assert status == 200
    [post] = [m for m in bot.mock.messages("CGROUP") if "New meeting" in (m.text or "")]
    said = words(post.blocks)
    assert "New meeting: Steering" in said and "Where: Room 4" in said
    assert "Saturday 5 December, 14:00 to 16:00" in said  # the picked day, time and length


def test_the_forms_answers_make_the_whole_command() -> None:
    assert meeting_command(answers()) == "/meeting new Steering 2026-12-05 14:00 for 2h"
    assert meeting_command(answers("https://meet.example.org/x")) == (
        "/meeting new Steering 2026-12-05 14:00 for 2h at https://meet.example.org/x"
    )
    missing = answers()
    del missing["time"]
    assert meeting_command(missing) is None
