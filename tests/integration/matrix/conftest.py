"""Fixtures for the Matrix integration tests: a real Synapse on loopback.

`homeserver` is one Synapse per test session (rate limits lifted). Tests that
need their own server, or Synapse's default rate limits, use the factory:

    def test_limits(make_homeserver):
        hs = make_homeserver(default_rate_limits=True)

Nothing here skips: if Synapse cannot be installed or started, the tests
error with the reason (pip output, or the tail of Synapse's log).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.integration.matrix.homeserver import Homeserver, ensure_synapse_venv, start_homeserver


def pytest_configure(config: pytest.Config) -> None:
    # Also registered in pyproject.toml; repeated here so this folder runs on its own.
    config.addinivalue_line(
        "markers", "matrix: Matrix integration against a real Synapse homeserver"
    )


@pytest.fixture(scope="session")
def synapse_venv() -> None:
    """scripts/synapse-venv.sh, once per session (about 45 s the first time, then instant)."""
    ensure_synapse_venv()


@pytest.fixture(scope="session")
def homeserver(
    synapse_venv: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Homeserver]:
    """One Synapse for the whole session, every rate limit lifted; use unique usernames."""
    server = start_homeserver(tmp_path_factory.mktemp("synapse"), install=False)
    yield server
    server.stop()


@pytest.fixture
def make_homeserver(
    synapse_venv: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Homeserver]]:
    """A factory for extra Synapses (each stopped after the test), e.g. with default limits."""
    started: list[Homeserver] = []

    def make(**kwargs: Any) -> Homeserver:
        server = start_homeserver(tmp_path_factory.mktemp("synapse"), install=False, **kwargs)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()
