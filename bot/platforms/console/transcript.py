"""The console's transcript: one JSON line per delivery, so a restart repeats none."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path


def _recorded_keys(path: Path) -> set[str]:
    """The keys of every whole record in the transcript.

    A record cut short by a crash (no closing newline) was never received:
    it is cut off, so the next record starts on a line of its own.
    """
    if not path.exists():
        return set()
    data = path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        with path.open("r+b") as log:
            log.truncate(len(whole))
            os.fsync(log.fileno())
    return {json.loads(line)["key"] for line in whole.decode("utf-8").splitlines() if line.strip()}


class Transcript:
    """The deliveries recorded in one file (the console's own history)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys = _recorded_keys(path)

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def record(self, key: str, at: datetime) -> None:
        """Write the delivery down (synced to disk) before it is shown."""
        with self.path.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"key": key, "at": at.isoformat()}) + "\n")
            log.flush()
            os.fsync(log.fileno())
        self.keys.add(key)
