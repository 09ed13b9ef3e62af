"""The /checkin command: what each sub-command does and who may use it."""

from __future__ import annotations

from handlers.checkins.answering import (
    answer,
    named,
    note,
    pass_,
    show,
    unnamed,
    wellbeing_help,
)
from handlers.checkins.pause import pause
from handlers.checkins.settings import (
    after_setting,
    before_setting,
    turn_off,
    turn_on,
    wellbeing,
)
from handlers.checkins.summaries import summary, trend
from handlers.core.commands import CommandSpec, Sub

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="checkin",
        summary="How you're arriving, and whether you felt heard. Private; you can always pass.",
        usage="/checkin",
        examples=("/checkin", "/checkin answer 4 amber", "/checkin help", "/checkin pause"),
        run=show,
        takes_text=False,
        unknown_hint="Type /help checkin to see what it can do.",
        subs=(
            Sub(
                "answer",
                answer,
                "/checkin answer <number> <answer>",
                "Answer a check-in: green, amber or red before a meeting; 1 to 5 after it.",
            ),
            Sub("pass", pass_, "/checkin pass <number>", "Pass on a check-in. Always fine."),
            Sub(
                "need",
                note,
                "/checkin need <number> <words>",
                "Tell the facilitators what you need today, without your name.",
                private=True,
            ),
            Sub(
                "add",
                note,
                "/checkin add <number> <words>",
                "Add something after a meeting, without your name.",
                private=True,
            ),
            Sub(
                "named",
                named,
                "/checkin named <number>",
                "Let the facilitators see your name with your note.",
            ),
            Sub(
                "unnamed",
                unnamed,
                "/checkin unnamed <number>",
                "Keep your name out of your note (the default).",
            ),
            Sub(
                "help",
                wellbeing_help,
                "/checkin help",
                "Who the group's wellbeing contact is, told just to you.",
            ),
            Sub(
                "pause",
                pause,
                "/checkin pause [anon|named]",
                "During a meeting: tell the chair (or the facilitators) privately that someone "
                "needs a pause.",
                private=True,
            ),
            Sub(
                "off",
                turn_off,
                "/checkin off",
                "Stop check-ins for you, in every group.",
                needs_group=False,
            ),
            Sub("on", turn_on, "/checkin on", "Have check-ins again.", needs_group=False),
            Sub(
                "trend",
                trend,
                "/checkin trend",
                "How heard people felt at recent meetings, where at least 3 answered.",
            ),
            Sub(
                "summary",
                summary,
                "/checkin summary",
                "The latest check-in summaries: counts and notes, without names.",
                facilitator_only=True,
            ),
            Sub(
                "wellbeing",
                wellbeing,
                "/checkin wellbeing <name and how to reach them>",
                "Name the group's wellbeing contact, someone outside the meeting.",
                facilitator_only=True,
            ),
            Sub(
                "before",
                before_setting,
                "/checkin before <time>|off",
                "When the check-in goes out before a meeting (1h at first).",
                facilitator_only=True,
            ),
            Sub(
                "after",
                after_setting,
                "/checkin after <time>|off",
                "When the check-in goes out after a meeting ends (1h at first).",
                facilitator_only=True,
            ),
        ),
    ),
)
