"""Fixtures for the Slack integration tests: a mock Slack Web API on 127.0.0.1:0.

    async def test_reply(mock_slack, slack_client):
        await slack_client.chat_postMessage(channel="CGROUP", text="hi")
        assert mock_slack.messages("CGROUP")[0].text == "hi"

``mock_slack`` is started and stopped in each test's own event loop. After the
test it fails if Slack would have refused any Block Kit payload
(``mock_slack.invalid``); a test that sends invalid payloads on purpose clears
that list once it has checked it.

``bot`` is the whole app on Slack (tests/integration/slack/harness.py), talking to
``mock_slack``, with a virtual clock starting at ``harness.START``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import build_app
from scheduler.clock import VirtualClock
from tests.integration.slack.harness import BOT_TOKEN, SIGNING_SECRET, START, Bot, Waits
from tests.integration.slack.mock_api import MockSlackAPI

__all__ = ["BOT_TOKEN", "SIGNING_SECRET"]


def pytest_configure(config: pytest.Config) -> None:
    # Also registered in pyproject.toml; repeated here so this folder runs on its own.
    config.addinivalue_line(
        "markers", "slack: Slack integration over real HTTP with a mock Slack Web API"
    )


@pytest.fixture
async def mock_slack() -> AsyncIterator[MockSlackAPI]:
    """A started MockSlackAPI knowing alice and bob, both members of ``CGROUP``."""
    mock = MockSlackAPI(
        users={"UALICE": "alice", "UBOB": "bob"},
        members={"CGROUP": ["UALICE", "UBOB", "UBOT"]},
        channels={"CGROUP": "group"},
    )
    await mock.start()
    yield mock
    await mock.stop()
    mock.assert_all_valid()


@pytest.fixture
def slack_client(mock_slack: MockSlackAPI) -> AsyncWebClient:
    """slack_sdk's AsyncWebClient pointed at ``mock_slack`` (default retry handlers)."""
    return AsyncWebClient(token=BOT_TOKEN, base_url=mock_slack.base_url)


@pytest.fixture
async def bot(mock_slack: MockSlackAPI, tmp_path: Path) -> AsyncIterator[Bot]:
    """The app on Slack, with alice, bob and carol in the channel CGROUP (dan is known)."""
    mock_slack.add_user("UCAROL", "carol")
    mock_slack.add_user("UDAN", "dan")
    mock_slack.set_members("CGROUP", ["UALICE", "UBOB", "UCAROL", "UBOT"])
    mock_slack.rate_limit_per_channel = (5, 0.5)  # bursts of 5, then 10 a second
    clock = VirtualClock(START)
    app = await build_app(f"sqlite:///{tmp_path / 'slack.db'}", clock)
    harness = Bot(mock_slack, app, clock, Waits())
    await harness.start()
    yield harness
    await harness.close()
    await app.close()
