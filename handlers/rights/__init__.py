"""Members' rights: take away what the bot holds about you (/prefs export), leave a group
(/leave) or everything (/forget me), read what facilitators did (/group log), and how
long details are kept (/group keep).

Modules: `commands` (/leave, /forget), `export`, `erasure`, `retention` (the
housekeeping that deletes or aggregates old details), `log` (the audit log).
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.rights import retention
from handlers.rights.commands import COMMANDS

FEATURE = Feature(name="rights", commands=COMMANDS, housekeeping=(retention.housekeep,))
