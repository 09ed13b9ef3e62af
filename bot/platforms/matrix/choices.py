"""Choosing from a message's numbered options, by a number or a reaction.

A message's numbered options are kept in the database under its event id. A
bare number in a DM answers the latest options shown to that person (also
after a restart); a keycap reaction (1️⃣ to 🔟) on one of the bot's messages
chooses that message's option, as whoever reacted, if it was meant for them
(or was posted in a group room they are a member of). Options that run a
private command (like /concern) are kept in memory only, so the database never
shows who was asked about one; a restart forgets those.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import App
from bot.platforms.matrix.store import MatrixStore
from handlers.core.messages import Option

#: Reaction keys that mean a number: keycaps 1️⃣..9️⃣ (with or without the emoji
#: variation selector), 🔟, and plain digits.
_REACTION_NUMBERS = {
    **{f"{n}{tail}": n for n in range(1, 10) for tail in ("\ufe0f\u20e3", "\u20e3", "")},
    "\U0001f51f": 10,
    "10": 10,
}


def reaction_number(key: str) -> int | None:
    """The number a reaction means (1️⃣ is 1, 🔟 is 10), or None for any other reaction."""
    return _REACTION_NUMBERS.get(key.strip())


@dataclass(frozen=True)
class Chosen:
    """The command an option runs, for which group, and the message whose options
    it used up (None: they stay, or were kept in memory only)."""

    command: str
    group_id: int | None
    used: str | None


class Choices:
    """The options people can still choose from."""

    def __init__(self, app: App, store: MatrixStore) -> None:
        self.app = app
        self.store = store
        #: Options of private commands (like /concern), by person: in memory only.
        self.private_options: dict[str, list[Option]] = {}

    def person(self, user_id: str) -> str:
        """How the options table knows a person: a keyed hash, never their id."""
        return self.app.router.keys.digest("matrix-options", user_id)

    def forget(self, user_id: str) -> None:
        """Someone was forgotten: the options kept in memory for them go (the store drops
        the options it kept for them)."""
        self.private_options.pop(user_id, None)

    async def by_number(self, sender: str, text: str) -> Chosen | None:
        """What a bare number in a DM chooses from the latest options shown to this person."""
        said = text.strip()
        if not (said.isascii() and said.isdigit()) or len(said) > 2:
            return None
        number = int(said)
        if sender in self.private_options:
            options = self.private_options[sender]
            if not 1 <= number <= len(options):
                return None
            del self.private_options[sender]
            return Chosen(options[number - 1].command, options[number - 1].group_id, None)
        latest = await self.store.latest_options(self.person(sender))
        if latest is None or not 1 <= number <= len(latest.options):
            return None
        chosen = latest.options[number - 1]
        return Chosen(chosen.command, chosen.group_id, latest.event_id)

    async def by_reaction(
        self, room_id: str, sender: str, reacts_to: str, number: int
    ) -> Chosen | None:
        """What a number reaction on one of the bot's messages chooses, as whoever reacted:
        only options meant for them, or a group room's for one of its members."""
        sent = await self.store.options_of(reacts_to)
        if sent is None or not 1 <= number <= len(sent.options):
            return None
        chosen = sent.options[number - 1]
        group_id = chosen.group_id
        if sent.person is not None:
            if sent.person != self.person(sender):
                return None
        else:
            member_of = await self.store.group_of_member(room_id, sender)
            if member_of is None or group_id not in (None, member_of):
                return None
            group_id = member_of
        return Chosen(chosen.command, group_id, sent.event_id if sent.person is not None else None)

    async def remember(self, event_id: str, user: str | None, options: list[Option]) -> None:
        """Keep a sent message's options, so a number or a reaction can choose one later."""
        if not options:
            return
        if any(self.app.router.is_private(o.command) for o in options):
            if user is not None:
                self.private_options[user] = options
                await self.store.no_latest_options(self.person(user))
            return
        if user is not None:
            self.private_options.pop(user, None)
        await self.store.remember_options(
            event_id, self.person(user) if user is not None else None, options
        )
