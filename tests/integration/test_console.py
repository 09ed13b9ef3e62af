"""The console platform end to end: the real `alongside` command in a subprocess.

What is piped in is what a person types; what is asserted is what the bot prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ISSUE_SCRIPT = """\
alice: /group setup Steering group
alice: /group aims Improve crisis care together
bob: /group facilitator add @carol
alice: /group
bob: /help
bob: /grup
bob@dm: /prefs quiet 21:00-08:00
"""


def alongside(
    *args: str, stdin: str | None, cwd: Path, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ...` (the `alongside` command) with only the given ALONGSIDE_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env.update(settings or {})
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def messages(stdout: str) -> list[tuple[str, str]]:
    """Each message printed as (where, text): '[dm:bob] a' + '  b' -> ('dm:bob', 'a\\nb')."""
    found: list[tuple[str, str]] = []
    for line in stdout.splitlines():
        if line.startswith("  ") and found:
            where, text = found[-1]
            found[-1] = (where, f"{text}\n{line[2:]}")
        else:
            assert line.startswith("["), f"unexpected output line: {line!r}"
            where, _, text = line[1:].partition("] ")
            found.append((where, text))
    return found


def db_argument(database_url: str) -> str:
    """SQLite as a plain file path (as the README shows it); PostgreSQL as its URL."""
    return database_url.removeprefix("sqlite:///")


def test_the_issue_script_then_a_second_run_remembers(database_url: str, tmp_path: Path) -> None:
    db = db_argument(database_url)
    first = alongside("console", "--db", db, stdin=ISSUE_SCRIPT, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    said = messages(first.stdout)
    assert [where for where, _ in said] == [
        "#group",
        "dm:alice",
        "#group",
        "dm:bob",
        "dm:alice",
        "dm:bob",
        "dm:bob",
        "dm:bob",
    ]
    welcome, to_do, aims, refusal, group, help_, typo, quiet = (text for _, text in said)
    assert to_do.startswith("Still to do before this group is ready: aims,")

    assert welcome.splitlines()[0] == "** Welcome to Steering group **"
    assert "alice is its first facilitator." in welcome
    assert aims == "alice updated what this group is here to do:\nImprove crisis care together"
    assert refusal == (
        "Only the facilitators (the people who run the group) can use /group facilitator. "
        "Nothing was changed.\n"
        "Here, that's alice. You could ask them to do it for you."
    )
    assert group == (
        "** Steering group **\n"
        "What we are here to do: Improve crisis care together\n"
        "Run by alice (the facilitator). Times are in UK time.\n"
        "Members (2):\n"
        "- alice (helps run the group)\n"
        "- bob"
    )
    assert help_.startswith("** What I can do **")
    for command in ("/group", "/prefs", "/help"):
        assert f"\n- {command} - " in help_
    assert typo.startswith("I don't know /grup. Did you mean /group?")
    assert quiet.startswith("Done. I won't send you anything between 21:00 and 08:00.")

    second = alongside(
        "console",
        "--db",
        db,
        cwd=tmp_path,
        stdin="alice: /group\nbob@dm: /prefs\ncarol: /group setup Another group\n",
    )
    assert second.returncode == 0, second.stderr
    (w1, remembered), (w2, prefs), (w3, again) = messages(second.stdout)
    assert (w1, w2, w3) == ("dm:alice", "dm:bob", "dm:carol")
    assert remembered == group  # name, aims, facilitator and members, as before
    assert "- Quiet hours (nothing is sent then): 21:00 to 08:00" in prefs.splitlines()
    assert again.startswith("This channel is already the group Steering group.")


def test_the_protocol_copes_with_anything_typed(tmp_path: Path) -> None:
    long_line = "alice: /group setup " + "x" * 5000
    script = (
        "\n".join(
            [
                "# a comment is ignored",
                "   # so is an indented one",
                "",
                "hello there",
                "123: hi",
                "alice; /help",
                ":advance 2d3h",
                ":now 2026-12-03T10:00",
                ":now 2026-12-01T10:00",
                ":advance -1h",
                ":advance",
                ":advance 99999999d",
                ":now tomorrow",
                ":rewind 1h",
                long_line,
                "alice: /group",
                "alice:",
                "bob@dm:",
                "alice: /group setup Steering group",
                "ALICE@dm: /prefs quiet 9pm-7am",
            ]
        )
        + "\n"
    )
    done = alongside(
        "console",
        "--db",
        str(tmp_path / "x.db"),
        "--start",
        "2026-11-30T09:00",
        stdin=script,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    cannot_read = (
        "I couldn't read that line. Write it as name: message (in the group) or "
        "name@dm: message (privately). Time moves with :advance 1h or :now <time>."
    )
    said = messages(done.stdout)
    assert said[:11] == [
        ("console", cannot_read),
        ("console", cannot_read),
        ("console", cannot_read),
        ("console", "Time moves on to Wed 02 Dec 2026 12:00 UTC."),
        ("console", "Time moves on to Thu 03 Dec 2026 10:00 UTC."),
        ("console", "Time didn't move. Time only moves forward here."),
        ("console", "Time didn't move. Say how far, like :advance 2d3h or :advance 90m."),
        ("console", "Time didn't move. Say how far, like :advance 2d3h or :advance 90m."),
        ("console", "Time didn't move. That is further ahead than I can count."),
        ("console", "Time didn't move. Give the time like :now 2026-12-01T10:00 (UTC)."),
        ("console", "Time didn't move. The time commands are :advance <duration> and :now <time>."),
    ]
    too_long, not_a_group, welcome, to_do, quiet = said[11:]
    assert too_long[0] == "dm:alice"
    assert too_long[1].startswith(
        f"That message is too long for me ({len(long_line) - len('alice: '):,} characters). "
        "Nothing was changed."
    )
    # the over-long setup changed nothing: there is still no group
    assert not_a_group[0] == "dm:alice"
    assert not_a_group[1].startswith("This channel isn't a co-production group yet.")
    assert welcome == ("#group", welcome[1])
    assert welcome[1].startswith("** Welcome to Steering group **")
    assert to_do[0] == "dm:alice" and "/group ready" in to_do[1]
    assert quiet[0] == "dm:alice"
    assert "between 21:00 and 07:00" in quiet[1]


def test_run_on_the_console_platform_uses_alongside_db(tmp_path: Path) -> None:
    # stdin here is a pipe, not a terminal: the console must be asked for by name
    done = alongside(
        "run",
        stdin="alice: /group setup Steering group\n",
        cwd=tmp_path,
        settings={"ALONGSIDE_PLATFORM": "console"},
    )
    assert done.returncode == 0, done.stderr
    assert messages(done.stdout)[0][1].startswith("** Welcome to Steering group **")
    assert (tmp_path / "alongside.db").exists()


def test_demo_plays_by_itself_and_exits_cleanly(tmp_path: Path) -> None:
    done = alongside("demo", stdin=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "alice: /group setup Steering group" in lines
    assert "[#group] ** Welcome to Steering group **" in lines
    assert "[dm:bob] I don't know /grup. Did you mean /group?" in lines
    assert list(tmp_path.iterdir()) == []  # it leaves nothing behind
