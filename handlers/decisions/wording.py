"""How decisions and their updates read: status words, lines, and "you said, we did"."""

from __future__ import annotations

from handlers.core.messages import Block, Heading, Message, message
from handlers.decisions.lookups import occurrence_of, public_concern
from handlers.followups import day_words, name_of, occurrence_words
from storage.models import Decision, DecisionUpdate, Group
from storage.uow import UnitOfWork

OPEN = ("open", "in progress", "blocked")
CLOSED = ("done", "changed", "dropped")
NEEDS_A_REASON = ("changed", "dropped")
#: How each status reads after "You said → " and in lists.
SAID_WE_DID = {
    "done": "we did",
    "in progress": "we're working on it",
    "blocked": "we're stuck for now",
    "changed": "we did something different, and here's why",
    "dropped": "we didn't, and here's why",
}
STATUS_WORDS = {
    "open": "no update yet",
    "in progress": "in progress",
    "blocked": "stuck for now",
    "done": "done",
    "changed": "changed",
    "dropped": "dropped",
}
#: What the update's words are, for each status.
TEXT_LABEL = {
    "done": "What was done",
    "in progress": "How it's going",
    "blocked": "What's in the way",
    "changed": "What changed and why",
    "dropped": "Why",
}
LIVED_WORDS = {
    "yes": "People with lived experience helped to make it.",
    "no": "People with lived experience did not help to make it.",
    "unsure": "Nobody is sure if people with lived experience helped to make it.",
}
EXAMPLE = "/decision Papers go out a week before each meeting owner @sam update in 2 weeks"
UPDATE_EXAMPLE = "/update 3 done Papers now go out seven days before each meeting."


async def line(uow: UnitOfWork, group: Group, d: Decision) -> str:
    """'Decision 3: ... (sam; in progress; next update Saturday 19 December)'."""
    owner = await name_of(uow, d.owner_id, group_id=group.id)
    parts = [f"Decision {d.number}: {d.text} ({owner}; {STATUS_WORDS[d.status]}"]
    if d.next_update_at is not None:
        parts.append(f"; next update {day_words(d.next_update_at, group)}")
    return "".join(parts) + ")"


async def from_words(uow: UnitOfWork, group: Group, d: Decision) -> str | None:
    """'From: Steering group meeting on Saturday 5 December (agenda item: Budget).'"""
    o = await occurrence_of(uow, group, d)
    item = await uow.followups.agenda_item_of(d)
    if o is None and item is None:
        return None
    parts = ["From:", occurrence_words(o) if o else "the meeting"]
    if item is not None:
        parts.append(f"(agenda item: {item.text})")
    return " ".join(parts) + "."


async def you_said_we_did(uow: UnitOfWork, group: Group, d: Decision, u: DecisionUpdate) -> Message:
    """The plain "You said → we did (or didn't, and why)" message for one update."""
    by = await name_of(uow, u.by_id, group_id=group.id)
    blocks: list[Block | str] = [
        Heading(f"You said → {SAID_WE_DID[u.status]}"),
        f"You said (decision {d.number}): {d.text}",
    ]
    if u.text:
        blocks.append(f"{TEXT_LABEL[u.status]}: {u.text}")
    else:
        blocks.append(f"Where it is now: {STATUS_WORDS[u.status]}.")
    if (number := await public_concern(uow, d)) is not None:
        blocks.append(f"This answers concern {number}, raised anonymously.")
    closing = f"Update from {by}."
    if u.status in OPEN and d.next_update_at is not None and d.status == u.status:
        closing += f" The next update is due on {day_words(d.next_update_at, group)}."
    blocks.append(closing)
    blocks.append("You don't need to reply. Type /decision to see all open decisions.")
    return message(*blocks, summary=f"You said → {SAID_WE_DID[u.status]}: decision {d.number}")
