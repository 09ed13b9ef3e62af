"""The console, the demo and the database tools need none of the optional extras
(`alongside[slack]`, `[matrix]`, `[postgres]`); a platform whose extra is missing says
what to install instead of showing a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: What the extras bring (aiohttp is not one: /healthz and /metrics need it everywhere).
OPTIONAL = ("slack_bolt", "slack_sdk", "nio", "nh3", "asyncpg")
#: Runs the command line as if no extra were installed.
WITHOUT_EXTRAS = f"""
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {OPTIONAL!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from bot.cli import main
main(sys.argv[1:])
"""


def alongside(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`alongside ARGS` with none of the extras importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRAS, *args],
        input=stdin,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_console_needs_no_extra_and_a_platform_names_its_own(tmp_path: Path) -> None:
    console = alongside("console", "--db", "here.db", stdin="alice: /help\n", cwd=tmp_path)
    assert console.returncode == 0, console.stderr
    assert "[dm:alice] ** What I can do **" in console.stdout

    slack = alongside("slack", stdin="", cwd=tmp_path)
    assert slack.returncode == 1 and "Traceback" not in slack.stderr
    assert "pip install 'alongside[slack]'" in slack.stderr

    matrix = alongside("matrix", stdin="", cwd=tmp_path)
    assert matrix.returncode == 1 and "Traceback" not in matrix.stderr
    assert "pip install 'alongside[matrix]'" in matrix.stderr

    postgres = alongside(
        "db", "upgrade", "--db", "postgresql://nobody@127.0.0.1:1/none", stdin="", cwd=tmp_path
    )
    assert postgres.returncode == 1 and "Traceback" not in postgres.stderr
    assert "pip install 'alongside[postgres]'" in postgres.stderr
