"""One round-up message from several held ones: what it holds, then each in full."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.digestible import contents, kept, parts
from handlers.core.messages import (
    Block,
    BulletList,
    Choices,
    Heading,
    Message,
    Paragraph,
    PrivateInput,
)
from storage.models import DigestItem


def round_up(title: str, intro: str, items: Sequence[DigestItem], ending: str) -> Message:
    """'<title>', '<intro>:' and what it holds ('3 updates on decisions', 'the minutes'), then
    each message under its own heading (buttons left out: each message says its commands;
    closing words the same as the message before's, said once), then `ending`."""
    held = [kept(item.payload) for item in items]
    kinds = [kind for kind, _ in held]
    blocks: list[Block] = [Heading(title), Paragraph(f"{intro}:"), BulletList(tuple(parts(kinds)))]
    closing: Block | None = None
    for _, msg in held:
        body = [b for b in msg.blocks if not isinstance(b, Choices | PrivateInput)]
        if body and body[-1] == closing and isinstance(closing, Paragraph):
            body.pop()  # the same closing words as the message before: once is enough
        elif body:
            closing = body[-1]
        if msg.summary and not (body and isinstance(body[0], Heading)):
            body.insert(0, Heading(msg.summary))
        blocks += body
    blocks.append(Paragraph(ending))
    return Message(tuple(blocks), summary=f"{title}: {contents(kinds)}")
