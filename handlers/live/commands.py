"""What the live meeting commands are: /next, /more, /back, /pause, /end."""

from __future__ import annotations

from handlers.core.commands import CommandSpec
from handlers.live.steering import back, end, more, next_item, pause

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="next",
        summary="The chair moves us on to the next item on the agenda.",
        usage="/next",
        examples=("/next",),
        run=next_item,
        takes_text=False,
    ),
    CommandSpec(
        name="more",
        summary="The chair gives the item under way more time; the rest move later.",
        usage="/more <minutes>",
        examples=("/more 10m", "/more 5"),
        run=more,
    ),
    CommandSpec(
        name="back",
        summary="The chair goes back to the item before this one.",
        usage="/back",
        examples=("/back",),
        run=back,
        takes_text=False,
    ),
    CommandSpec(
        name="pause",
        summary="Ask the chair privately for a pause; the chair pauses the meeting.",
        usage="/pause",
        examples=("/pause", "/pause 15m"),
        run=pause,
    ),
    CommandSpec(
        name="end",
        summary="The chair ends the meeting. My thank-you note comes an hour later.",
        usage="/end",
        examples=("/end",),
        run=end,
        takes_text=False,
    ),
)
