"""The pack's "Words in this pack": plain meanings of the words its agenda uses."""

from __future__ import annotations

from handlers.core.messages import Block, BulletList, Paragraph
from handlers.core.occurrences import Occurrence
from handlers.glossary.finding import explained
from handlers.glossary.terms import words_of
from storage.models import Group
from storage.uow import UnitOfWork


async def pack_section(uow: UnitOfWork, group: Group, o: Occurrence) -> list[Block]:
    """The meanings of the group's words (its own, and the starter words it kept on) that
    this date's agenda items and their content notes use; nothing when none do."""
    items = await uow.meetings.agenda(o.meeting.id, o.key)
    text = "\n".join(part for i in items for part in (i.text, i.content_note) if part)
    found = explained(text, await words_of(uow, group.id)) if text else []
    if not found:
        return []
    return [
        Paragraph("Words in this pack:"),
        BulletList(tuple(entry.line(name) for entry, name in found)),
    ]
