"""How the bot's commands are named in one Slack workspace.

By default each command is its own slash command (`/agenda`, `/rotate`, ...). Names
like `/update` or `/help` can clash with other apps, so an admin may choose instead:

- a prefix: `ALONGSIDE_SLACK__COMMAND_PREFIX=co-` registers `/co-agenda`, `/co-rotate`, ...
- one umbrella command: `ALONGSIDE_SLACK__UMBRELLA=alongside` registers only `/alongside`,
  and `/alongside agenda add ...` runs `/agenda add ...`.

The manifest (manifest.py) and the running app (listeners.py) use the same naming.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from bot.config import SlackSettings

#: What Slack allows in a command name: lower-case letters, digits, '-' and '_'.
NAME_CHARS = re.compile(r"[a-z0-9_-]+")
MAX_NAME = 32


@dataclass(frozen=True)
class CommandNaming:
    """A prefix for every command, or one umbrella command; neither is the default."""

    prefix: str = ""
    umbrella: str | None = None

    @classmethod
    def from_settings(cls, slack: SlackSettings) -> CommandNaming:
        """The naming the settings ask for (check it with `problem()`)."""
        return cls(slack.command_prefix.lower(), (slack.umbrella or "").lower() or None)

    def problem(self) -> str | None:
        """Why this naming can't be used, in plain words; None if it is fine."""
        if self.prefix and self.umbrella:
            return (
                "Choose a command prefix or an umbrella command, not both: "
                "unset ALONGSIDE_SLACK__COMMAND_PREFIX or ALONGSIDE_SLACK__UMBRELLA."
            )
        for what, value in (("command prefix", self.prefix), ("umbrella command", self.umbrella)):
            if value and not NAME_CHARS.fullmatch(value):
                return (
                    f"The {what} {value!r} can only use letters, digits, '-' and '_', "
                    "with no '/' or spaces."
                )
        return None

    def command_text(self, slack_name: str, text: str) -> str:
        """The bot's own command for what was typed: `/co-agenda add x` -> `/agenda add x`,
        `/alongside agenda add x` -> `/agenda add x` (and `/alongside` alone -> `/help`)."""
        name = slack_name.lstrip("/").lower()
        text = text.strip()
        if self.umbrella and name == self.umbrella:
            return f"/{text.lstrip('/')}" if text else "/help"
        if self.prefix and name.startswith(self.prefix):
            name = name.removeprefix(self.prefix)
        return f"/{name} {text}".strip()

    def shown(self, names: Collection[str]) -> Callable[[str], str] | None:
        """What rewrites the bot's words so each `/command` reads as this workspace types it
        (`/agenda add` -> `/co-agenda add` or `/alongside agenda add`); None by default."""
        if not (self.prefix or self.umbrella) or not names:
            return None
        words = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        mention = re.compile(rf"(?<![\w/.:-])/({words})(?![\w-])")
        typed = f"/{self.umbrella} " if self.umbrella else f"/{self.prefix}"
        return lambda text: mention.sub(lambda m: typed + m.group(1), text)


#: Each command under its own name: `/agenda`, `/rotate`, ...
DEFAULT_NAMING = CommandNaming()
