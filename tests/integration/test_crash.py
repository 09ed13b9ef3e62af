"""Kill the bot at random points while 500 deliveries fall due: each arrives exactly once.

The platform here is the console with a transcript file (its own durable
history, as Slack and Matrix have theirs); we count deliveries there.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

START = "2026-11-30T09:00"
END = ":now 2027-01-05T00:00"
MEMBERS = [f"m{n:02d}" for n in range(1, 25)]
SETUP = "\n".join(
    ["alice: /group setup Crisis care steering group"]
    + [f"{name}: hello" for name in MEMBERS]
    + [
        "alice: /meeting new Weekly 2026-12-07 14:00 every week for 45m at Room 4",
        "alice: /agenda add Welcome",
    ]
)


def console(db: Path, transcript: Path) -> subprocess.Popen[str]:
    """Start `alongside console` on this database and transcript (its log beside them)."""
    with (db.parent / "stderr.log").open("a") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "console",
                "--db",
                str(db),
                "--start",
                START,
                "--transcript",
                str(transcript),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )


def run(db: Path, transcript: Path, lines: str) -> None:
    """Run the console to the end of its input."""
    process = console(db, transcript)
    process.communicate(lines + "\n", timeout=300)
    assert process.returncode == 0, (db.parent / "stderr.log").read_text()[-3000:]


def keys(transcript: Path) -> list[str]:
    """Every delivery the platform received, in order (a line still being written is not yet)."""
    if not transcript.exists():
        return []
    text = transcript.read_text()
    whole = text[: text.rfind("\n") + 1]
    return [json.loads(line)["key"] for line in whole.splitlines() if line]


def test_sigkill_at_random_points_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    reference_db, reference = tmp_path / "ref.db", tmp_path / "ref.jsonl"
    run(reference_db, reference, SETUP + "\n" + END)
    expected = keys(reference)
    assert len(expected) >= 500
    assert len(set(expected)) == len(expected)

    db, transcript = tmp_path / "crash.db", tmp_path / "crash.jsonl"
    run(db, transcript, SETUP)
    rng = random.Random(os.environ.get("ALONGSIDE_TEST_SEED", "sigkill"))
    kills = 0
    for threshold in sorted(rng.sample(range(5, len(expected) - 5), 6)):
        process = console(db, transcript)
        assert process.stdin is not None
        process.stdin.write(END + "\n")
        process.stdin.flush()
        deadline = time.monotonic() + 120
        while len(keys(transcript)) < threshold and process.poll() is None:
            assert time.monotonic() < deadline, (tmp_path / "stderr.log").read_text()[-3000:]
            time.sleep(0.002)
        time.sleep(rng.random() * 0.02)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
    run(db, transcript, END)

    received = keys(transcript)
    assert kills >= 3
    duplicates = [key for key, count in Counter(received).items() if count > 1]
    assert duplicates == []
    assert sorted(received) == sorted(expected)


def test_a_record_cut_short_by_a_crash_counts_as_not_received(tmp_path: Path) -> None:
    reference_db, reference = tmp_path / "ref.db", tmp_path / "ref.jsonl"
    run(reference_db, reference, SETUP + "\n" + END)
    expected = keys(reference)

    db, transcript = tmp_path / "cut.db", tmp_path / "cut.jsonl"
    run(db, transcript, SETUP)
    with transcript.open("a") as log:
        log.write('{"key": "' + expected[0] + '", "at')  # killed mid-write: no newline
    run(db, transcript, END)

    assert transcript.read_text().count("\n") == len(expected)
    assert keys(transcript) == expected
