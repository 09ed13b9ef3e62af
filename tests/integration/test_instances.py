"""More than one instance: on PostgreSQL they share the work safely; on SQLite only one runs.

The PostgreSQL test runs two real `alongside slack` processes on one database,
posting to a mock Slack that counts each delivery by its key
(bench/instances.py, which `python -m bench instances` runs at a larger size),
and kills the leader with SIGKILL while the messages fall due.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.instances import run


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_the_leader_killed_mid_delivery_loses_and_doubles_nothing(
    database_url: str, tmp_path: Path
) -> None:
    outcome = await run(
        database_url,
        tmp_path,
        instances=2,
        kills=1,
        members=25,
        each=2,
        spread=2.0,
        lead_in=1.0,
        within=30.0,
        replace=False,
    )
    assert len(outcome.expected) == 50
    assert outcome.missing == 0, "some messages never reached Slack"
    assert outcome.doubled == 0, "some messages reached Slack twice"
    assert set(outcome.posted.values()) == {1}
    assert outcome.in_doubt == 0
    [takeover] = outcome.takeovers
    assert takeover <= 30


@pytest.mark.slow
def test_a_second_instance_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "alongside.db"
    env = {**os.environ, "ALONGSIDE_CONFIG": str(tmp_path / "none.toml")}
    command = [sys.executable, "-m", "bot", "console", "--db", str(db)]
    first = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert first.stdin is not None and first.stdout is not None
        first.stdin.write("alice: /group setup Steering group\n")
        first.stdin.flush()
        assert first.stdout.readline()  # it answered: it is up, holding the database
        second = subprocess.run(
            command, input="", capture_output=True, text=True, env=env, timeout=60
        )
        assert second.returncode != 0
        said = " ".join(second.stderr.split())
        assert f"Another alongside is already running on the database {db}" in said
        assert f"(process {first.pid})" in said
        assert "Stop the other one first, or, to run several, use PostgreSQL" in said
        assert "Traceback" not in second.stderr
    finally:
        first.stdin.close()
        first.wait(timeout=60)
    assert first.returncode == 0
