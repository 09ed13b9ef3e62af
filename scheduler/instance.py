"""Who is sending: this running copy of the bot, as its 'sending' rows name it.

Every delivery claimed for sending carries its instance's id and a deadline
(wall-clock time, not the engine's clock, which may be virtual). A send is
given up before the deadline (`send_timeout`), so a row whose deadline has
passed belongs to no send in progress: its owner died or gave up. Recovery
touches only this instance's own rows and rows past their deadline, so no
instance ever takes another's send in progress for a crash. On SQLite only
one instance can run (bot/leadership.py locks the file), so every row left
'sending' is this instance's to finish (`sole`).
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

#: How long a claimed send may stay in doubt before another instance may finish it.
SENDING_DEADLINE = timedelta(minutes=2)


def _wall() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A fresh id for this process: host, process id and a random part (never reused)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Instance:
    """This running copy of the bot, as the delivery engine's claims name it."""

    id: str = field(default_factory=new_id)
    #: Only one instance can use the database (SQLite): every 'sending' row is ours.
    sole: bool = False
    deadline: timedelta = SENDING_DEADLINE
    wall: Callable[[], datetime] = _wall

    @property
    def send_timeout(self) -> float:
        """Seconds one send may take before it is given up (well inside the deadline)."""
        return self.deadline.total_seconds() / 2

    def deadline_from_now(self) -> datetime:
        """The deadline of a send claimed now."""
        return self.wall() + self.deadline
