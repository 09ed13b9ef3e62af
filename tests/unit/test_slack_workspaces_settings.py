"""Which Slack mode the settings choose: one bot token (the default, unchanged) or several
workspaces through OAuth; and what is said plainly when the settings are not enough."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import build_app
from bot.config import Settings, SlackSettings
from bot.platforms.slack.oauth import CANCELLED, EXPIRED, FAILED, INSTALLED
from bot.platforms.slack.platform import NOT_INSTALLED
from bot.platforms.slack.service import SlackService, SlackSetupError, check_settings
from bot.platforms.slack.workspaces import TeamClient
from scheduler.clock import VirtualClock
from tests.readability import read

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ONE = SlackSettings(bot_token="xoxb-1", signing_secret="secret")
SEVERAL = SlackSettings(client_id="1.2", client_secret="shh", signing_secret="secret")


def paths(application: web.Application) -> set[str]:
    return {r.resource.canonical for r in application.router.routes() if r.resource}


async def test_one_bot_token_is_still_the_default_and_unchanged(tmp_path: Path) -> None:
    assert not ONE.oauth
    check_settings(Settings(slack=ONE))
    app = await build_app(f"sqlite:///{tmp_path / 'one.db'}", VirtualClock(START))
    service = SlackService(app, ONE)
    try:
        platform = service.platform
        assert type(platform.client) is AsyncWebClient and platform.client.token == "xoxb-1"
        assert platform.installations is None and platform.bolt.client is platform.client
        routes = paths(platform.web_app())
        assert "/slack/events" in routes and "/slack/install" not in routes
    finally:
        await service.session.close()
        await app.close()


async def test_client_id_and_secret_without_a_bot_token_serve_several_workspaces(
    tmp_path: Path,
) -> None:
    assert SEVERAL.oauth
    check_settings(Settings(slack=SEVERAL))
    app = await build_app(f"sqlite:///{tmp_path / 'several.db'}", VirtualClock(START))
    service = SlackService(app, SEVERAL, public_url="https://bot.example.org")
    try:
        platform = service.platform
        assert isinstance(platform.client, TeamClient) and platform.installations is not None
        assert {"/slack/events", "/slack/install", "/slack/oauth_redirect"} <= paths(
            platform.web_app()
        )
    finally:
        await service.session.close()
        await app.close()


@pytest.mark.parametrize(
    ("slack", "said"),
    [
        (SlackSettings(client_id="1.2", signing_secret="s"), "needs both"),
        (SEVERAL.model_copy(update={"bot_token": "xoxb-1"}), "Please set only one of them"),
        (SEVERAL.model_copy(update={"signing_secret": None}), "SIGNING_SECRET"),
        (SEVERAL.model_copy(update={"app_token": "xapp-1"}), "Please remove"),
        (SEVERAL.model_copy(update={"install_path": "/slack/events"}), "two different paths"),
        (SlackSettings(signing_secret="s"), "CLIENT_ID and ALONGSIDE_SLACK__CLIENT_SECRET"),
    ],
)
def test_settings_not_enough_for_slack_say_plainly_what_to_change(
    slack: SlackSettings, said: str
) -> None:
    with pytest.raises(SlackSetupError, match=said):
        check_settings(Settings(slack=slack))


@pytest.mark.parametrize(
    "said",
    [" ".join(page) for page in (INSTALLED, CANCELLED, EXPIRED, FAILED)] + [NOT_INSTALLED],
)
def test_what_the_install_pages_and_a_removed_workspace_say_reads_plainly(said: str) -> None:
    assert read(said).problems() == []
