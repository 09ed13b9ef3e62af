"""Fixtures for the Slack integration tests: a mock Slack Web API on 127.0.0.1:0.

    async def test_reply(mock_slack, slack_client):
        await slack_client.chat_postMessage(channel="CGROUP", text="hi")
        assert mock_slack.messages("CGROUP")[0].text == "hi"

``mock_slack`` is started and stopped in each test's own event loop. After the
test it fails if Slack would have refused any Block Kit payload
(``mock_slack.invalid``); a test that sends invalid payloads on purpose clears
that list once it has checked it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.integration.slack.mock_api import MockSlackAPI

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"


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
