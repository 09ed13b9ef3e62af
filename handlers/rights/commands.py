"""/leave and /forget: what they say, and which module runs each."""

from __future__ import annotations

from handlers.core.commands import CommandSpec
from handlers.rights import erasure

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="leave",
        summary="Leave this group. I delete what I hold about you in it, and send you "
        "nothing more from it.",
        usage="/leave",
        examples=("/leave", "/group leave"),
        run=erasure.leave,
    ),
    CommandSpec(
        name="forget",
        summary="Ask me to forget you in every group. I ask you to confirm first.",
        usage="/forget me",
        examples=("/forget me",),
        run=erasure.forget,
        needs_group=False,
    ),
)
