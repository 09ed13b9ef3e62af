"""Fitting into a busy Slack workspace: a prefix on every command (`/co-agenda`) or one
umbrella command (`/alongside agenda add ...`), over real signed HTTP with the mock
Web API; and the manifest that registers the same names.

Everyone in the channel CGROUP: alice (sets the group up), bob and carol.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import build_app
from bot.cli import main
from bot.config import Settings
from bot.platforms.slack import manifest as slack_manifest
from bot.platforms.slack.naming import CommandNaming
from bot.platforms.slack.service import SlackSetupError, check_settings
from handlers.features import catalog
from scheduler.clock import VirtualClock
from tests.integration.slack.harness import START, Bot, Waits
from tests.integration.slack.mock_api import MockSlackAPI

pytestmark = pytest.mark.slack

ALICE, BOB = "UALICE", "UBOB"
MEETING = "meeting new Steering 2026-12-05 14:00 for 2h at Room 4"


async def named_bot(mock: MockSlackAPI, tmp_path: Path, naming: CommandNaming) -> Bot:
    """The app on Slack with the workspace's own command names."""
    mock.set_members("CGROUP", ["UALICE", "UBOB", "UBOT"])
    clock = VirtualClock(START)
    app = await build_app(f"sqlite:///{tmp_path / 'slack.db'}", clock)
    bot = Bot(mock, app, clock, Waits(), naming)
    await bot.start()
    return bot


@pytest.fixture
async def prefixed(mock_slack: MockSlackAPI, tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await named_bot(mock_slack, tmp_path, CommandNaming(prefix="co-"))
    yield bot
    await bot.close()
    await bot.app.close()


@pytest.fixture
async def umbrella(mock_slack: MockSlackAPI, tmp_path: Path) -> AsyncIterator[Bot]:
    bot = await named_bot(mock_slack, tmp_path, CommandNaming(umbrella="alongside"))
    yield bot
    await bot.close()
    await bot.app.close()


async def test_prefixed_commands_run_the_bots_own(prefixed: Bot) -> None:
    await prefixed.command(ALICE, "/co-group setup Steering group")
    assert "Welcome to Steering group" in "\n".join(prefixed.posts("CGROUP", "Welcome"))
    await prefixed.command(ALICE, f"/co-{MEETING}")
    [added] = await prefixed.command(BOB, "/co-agenda add Crisis line waiting times minutes 30")
    assert "Crisis line waiting times" in added
    [agenda] = await prefixed.command(BOB, "/co-agenda")
    assert "Crisis line waiting times" in agenda
    [helped] = await prefixed.command(BOB, "/co-help")  # commands as this workspace types them
    assert "/co-agenda - " in helped and "/co-rotate - " in helped
    assert "/agenda" not in helped.replace("/co-agenda", "")


async def test_one_umbrella_command_runs_them_all(umbrella: Bot) -> None:
    await umbrella.command(ALICE, "/alongside group setup Steering group")
    assert umbrella.posts("CGROUP", "Welcome to Steering group")
    await umbrella.command(ALICE, f"/alongside {MEETING}")
    [added] = await umbrella.command(BOB, "/alongside agenda add Crisis line waiting times")
    assert "Crisis line waiting times" in added
    [helped] = await umbrella.command(BOB, "/alongside")  # on its own: the help
    assert helped.startswith("What I can do")
    assert "/alongside agenda - " in helped and "/alongside rotate - " in helped


def test_the_manifest_registers_the_same_names() -> None:
    commands = catalog().commands
    default = slack_manifest.manifest(commands)["features"]["slash_commands"]
    prefixed = slack_manifest.manifest(commands, naming=CommandNaming(prefix="co-"))
    names = [c["command"] for c in prefixed["features"]["slash_commands"]]
    # A prefix also makes names Slack keeps for itself safe to register: /co-leave.
    assert names == sorted([f"/co-{c['command'][1:]}" for c in default] + ["/co-leave"])
    assert "/co-agenda" in names and "/co-rotate" in names and "/leave" not in names

    one = slack_manifest.manifest(commands, naming=CommandNaming(umbrella="alongside"))
    [only] = one["features"]["slash_commands"]
    assert only["command"] == "/alongside"
    assert "agenda" in only["usage_hint"] and len(only["usage_hint"]) <= 1000


def test_the_manifest_cli_refuses_names_slack_would_refuse(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert slack_manifest.main(["--umbrella", "alongside"]) == 0
    assert 'command: "/alongside"' in capsys.readouterr().out
    assert slack_manifest.main(["--prefix", "co-", "--umbrella", "alongside"]) == 2
    assert "not both" in capsys.readouterr().err
    assert slack_manifest.main(["--prefix", "a-very-long-prefix-for-commands-"]) == 2
    assert "too long for Slack" in capsys.readouterr().err


def test_the_settings_choose_the_names_and_bad_ones_stop_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALONGSIDE_SLACK__COMMAND_PREFIX", "co-")
    assert CommandNaming.from_settings(Settings().slack) == CommandNaming(prefix="co-")
    printed = CliRunner().invoke(main, ["slack", "--manifest"])
    assert printed.exit_code == 0 and 'command: "/co-agenda"' in printed.output

    monkeypatch.setenv("ALONGSIDE_SLACK__UMBRELLA", "alongside")
    monkeypatch.setenv("ALONGSIDE_SLACK__BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("ALONGSIDE_SLACK__SIGNING_SECRET", "secret")
    with pytest.raises(SlackSetupError, match="not both"):
        check_settings(Settings())
    printed = CliRunner().invoke(main, ["slack", "--manifest", "--prefix", ""])
    assert printed.exit_code == 0 and 'command: "/alongside"' in printed.output


def test_only_whole_command_names_are_rewritten_in_the_bots_words() -> None:
    shown = CommandNaming(prefix="co-").shown(["agenda", "help"])
    assert shown is not None
    said = "Type /agenda add, or (/help). See https://example.org/help and and/or /agendas."
    assert shown(said) == (
        "Type /co-agenda add, or (/co-help). See https://example.org/help and and/or /agendas."
    )
    assert CommandNaming().shown(["agenda"]) is None  # the default leaves words alone
