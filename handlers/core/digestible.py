"""News that can wait for a round-up: its kinds, how a held message is kept, and its words.

Two round-ups gather messages instead of sending each on its own: a member's daily
round-up (`/prefs digest daily`) and the channel's after-the-meeting round-up. A held
message is kept exactly as it would have been sent, with its kind, so a round-up can
say plainly what it holds ("3 updates on decisions and the minutes").

Which messages can wait is decided in one place per source: a planner's `Due(digest=True)`
(decision updates, minutes) and the kind a command passes to `handlers.digest.holding.tell`
(replies to concerns, changes to meetings more than two days away). Reminders,
packs and check-ins are never held.
"""

from __future__ import annotations

import json

from handlers.core.messages import Message, from_json, to_json

#: Each kind of news a round-up can hold: (one of them, n of them).
KINDS: dict[str, tuple[str, str]] = {
    "decisionupdate": ("an update on a decision", "{n} updates on decisions"),
    "minutes": ("the minutes", "{n} sets of minutes"),
    "concern-response": ("a reply to a concern", "{n} replies to concerns"),
    "meeting-change": ("a change to a meeting", "{n} changes to meetings"),
    "decision": ("a decision", "{n} decisions"),
    "action": ("an action", "{n} actions"),
}


def keep(kind: str, msg: Message) -> str:
    """A held message as stored: its kind and the message as rendered."""
    return json.dumps({"kind": kind, "message": to_json(msg)})


def kept(payload: str) -> tuple[str, Message]:
    """The kind and message of a held message."""
    data = json.loads(payload)
    return str(data["kind"]), from_json(data["message"])


def parts(kinds: list[str]) -> list[str]:
    """What some held messages are, kind by kind: ['3 updates on decisions', 'the minutes']."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    found = []
    for kind, n in counts.items():
        one, many = KINDS.get(kind, ("a message", "{n} messages"))
        found.append(one if n == 1 else many.format(n=n))
    return found


def contents(kinds: list[str]) -> str:
    """What some held messages are, in words: '3 updates on decisions and the minutes'."""
    found = parts(kinds)
    if len(found) == 1:
        return found[0]
    return ", ".join(found[:-1]) + " and " + found[-1]
