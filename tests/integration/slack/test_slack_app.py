"""The Slack platform over real HTTP: signed requests in, a mock Slack Web API out.

The app runs on 127.0.0.1 (port 0) in the test's own loop with a virtual clock
and a fresh SQLite file; every Web API call it makes goes to `MockSlackAPI`,
which refuses any Block Kit payload Slack would refuse. The assertions are on
what members would see in Slack.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import Settings, SlackSettings
from bot.platforms.slack import manifest as slack_manifest
from bot.platforms.slack.http import listen
from bot.platforms.slack.pacing import Pacer
from bot.platforms.slack.render import MAX_BLOCKS, MAX_SECTION_TEXT, MODAL, REF, escape, render
from bot.platforms.slack.sender import SlackSender
from bot.platforms.slack.service import SlackSetupError, serve
from handlers.core.messages import (
    Address,
    Addressed,
    BulletList,
    Choices,
    Heading,
    Message,
    Option,
    Paragraph,
    PrivateInput,
    message,
)
from handlers.features import catalog
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Membership, SlackInbox
from tests.integration.slack import signing
from tests.integration.slack.harness import (
    BOT_TOKEN,
    MEETING,
    PACK_DUE,
    SIGNING_SECRET,
    Bot,
    buttons,
    delivered,
    group_with_meeting,
    meeting_cycle,
    text_kinds,
    words,
)
from tests.integration.slack.mock_api import MockSlackAPI, block_problems

pytestmark = pytest.mark.slack

REPO = Path(__file__).resolve().parents[3]


# --------------------------------------------------------------------------- manifest


def test_the_manifest_declares_every_command_and_nothing_slack_keeps_for_itself() -> None:
    on_disk = (REPO / "slack" / "manifest.yml").read_text(encoding="utf-8")
    assert on_disk == slack_manifest.render(), (
        "slack/manifest.yml is out of date: "
        "python -m bot.platforms.slack.manifest > slack/manifest.yml"
    )
    data = slack_manifest.manifest(catalog().commands)
    declared = [c["command"] for c in data["features"]["slash_commands"]]
    assert declared == sorted(
        f"/{name}" for name in catalog().commands if name not in slack_manifest.RESERVED
    )
    assert len(declared) <= slack_manifest.MAX_COMMANDS
    for entry in data["features"]["slash_commands"]:
        name = entry["command"][1:]
        assert name not in slack_manifest.RESERVED
        assert len(name) <= slack_manifest.MAX_COMMAND_NAME and name == name.lower()
        assert 0 < len(entry["description"]) <= slack_manifest.MAX_DESCRIPTION
        assert len(entry.get("usage_hint", "")) <= slack_manifest.MAX_USAGE_HINT
        assert entry["url"] == slack_manifest.PLACEHOLDER_URL and entry["should_escape"] is True
    assert data["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "member_joined_channel",
        "member_left_channel",
        "message.im",
        "tokens_revoked",
    ]
    assert data["oauth_config"]["redirect_urls"] == [
        "https://alongside.example.org/slack/oauth_redirect"
    ]
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    info = data["display_information"]
    assert len(info["description"]) <= 140 and 175 <= len(info["long_description"]) <= 4000


def test_the_cli_prints_a_manifest_for_your_server_and_explains_missing_tokens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "SIGNING_SECRET", "APP_TOKEN"):
        monkeypatch.delenv(f"ALONGSIDE_SLACK__{name}", raising=False)
    runner = CliRunner()
    url = "https://bot.example/slack/events"
    printed = runner.invoke(main, ["slack", "--manifest", "--url", url])
    assert printed.exit_code == 0
    registered = [n for n in catalog().commands if n not in slack_manifest.RESERVED]
    assert printed.output.count(f'  url: "{url}"') == len(registered)  # each command
    assert printed.output.count(f'request_url: "{url}"') == 2  # events, interactivity
    socket = runner.invoke(main, ["slack", "--manifest", "--socket-mode"])
    assert "socket_mode_enabled: true" in socket.output and "request_url" not in socket.output
    refused = runner.invoke(main, ["slack"])
    assert refused.exit_code == 1
    assert "ALONGSIDE_SLACK__BOT_TOKEN" in refused.output and "Traceback" not in refused.output


# --------------------------------------------------------------------------- rendering


def test_a_long_pack_is_split_within_slacks_limits() -> None:
    msg = Message(
        (
            Heading("A heading far too long for Slack " * 10),
            Paragraph("A very long paragraph. " * 400),
            *(Paragraph(f"Decision {n}: we said, you did.") for n in range(60)),
            BulletList(tuple(f"Item {n}: " + "words " * 30 for n in range(150))),
            Paragraph("The end."),
        ),
        summary="Pack for Steering <!channel> & co",
    )
    parts = render(msg)
    assert len(parts) > 1
    everything = []
    for part in parts:
        assert block_problems(part.blocks) == []
        assert len(part.blocks) <= MAX_BLOCKS
        assert all(
            len(b["text"]["text"]) <= MAX_SECTION_TEXT
            for b in part.blocks
            if b["type"] == "section"
        )
        assert part.text.startswith(escape("Pack for Steering <!channel> & co"))
        everything.append(words(part.blocks))
    joined = "\n".join(everything)
    assert "Item 149:" in joined and joined.endswith("The end.")
    assert " ".join(joined.split()).count("A very long paragraph.") == 400  # nothing lost


# --------------------------------------------------------------------------- the meeting cycle


async def test_the_meeting_cycle_reaches_everyone_once(bot: Bot) -> None:
    mock = bot.mock
    await bot.command("UALICE", "/group setup Steering group")
    welcome = mock.messages("CGROUP")
    assert len(welcome) == 1 and "Welcome to Steering group" in words(welcome[0].blocks)
    assert welcome[0].blocks[0]["type"] == "header"
    assert mock.calls_to("conversations.members", ok=True)  # the channel's people joined

    help_ = await bot.command("UBOB", "/help")
    assert len(help_) == 1 and help_[0].startswith("What I can do")
    for name in catalog().commands:
        assert f"/{name} - " in help_[0]

    # Slack sends a mention as <@U…|name> when the command escapes (should_escape: true).
    refused = await bot.command("UBOB", "/group facilitator add <@UCAROL|carol>")
    assert refused == [
        "Only the facilitators (the people who run the group) can use /group facilitator. "
        "Nothing was changed.\n"
        "Here, that's alice. You could ask them to do it for you."
    ]
    made = await bot.command("UALICE", "/group facilitator add <@UCAROL|carol>")
    assert made == []
    assert "carol now helps run this group" in words(mock.messages("CGROUP")[-1].blocks)

    prefs = await bot.command("UCAROL", "/prefs reminders channel", channel="DUCAROL")
    assert len(prefs) == 1 and prefs[0].startswith("Done.")
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    added = await bot.command("UBOB", "/agenda add Crisis line waiting times minutes 30")
    assert added and "Crisis line waiting times" in added[0]
    group = await bot.command("UALICE", "/group")
    assert "Members (3):" in group[0] and "carol (helps run the group)" in group[0]
    posts_before = len(mock.messages())

    engine, clock = bot.platform.engine, bot.clock
    await fast_forward(engine, clock, PACK_DUE - timedelta(minutes=1))
    assert len(mock.messages()) == posts_before  # nothing early

    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=1))
    alice, bob, carol = (mock.dm_channel(u) for u in ("UALICE", "UBOB", "UCAROL"))
    assert delivered(mock, alice) == ["pack"]
    assert delivered(mock, bob) == ["pack"]
    assert delivered(mock, "CGROUP") == ["pack"]  # carol asked for the channel
    assert delivered(mock, carol) == []
    pack = next(m for m in mock.messages(bob) if m.metadata)
    pack_words = words(pack.blocks)
    assert pack.blocks[0]["type"] == "header" and "Pack for Steering" in pack_words
    for expected in (
        "Crisis line waiting times",
        "14:00",
        "Room 4",
        "Nobody ever has to share their own story",
    ):
        assert expected in pack_words

    await fast_forward(engine, clock, MEETING + timedelta(days=1))
    cycle = ["pack", "daybefore", "hourbefore", "after"]
    # Nobody chairs, so alice (a facilitator) hears when the item has 5 minutes left.
    assert meeting_cycle(mock, alice) == ["pack", "daybefore", "hourbefore", "live-warn0", "after"]
    assert meeting_cycle(mock, bob) == cycle
    assert meeting_cycle(mock, "CGROUP") == [
        "pack",
        "daybefore",
        "hourbefore",
        "live-openNone",  # live meeting mode: today's agenda as it starts
        "live-breakNone",
        "live-breakNone",
        "after",
    ]
    keys = [m.metadata["event_payload"]["key"] for m in mock.messages() if m.metadata]
    assert len(keys) == len(set(keys))
    assert mock.rate_limited == 0  # posting was paced under Slack's per-channel limit
    report = await engine.deliver_due(clock.now())
    assert report.sent == 0 and meeting_cycle(mock, bob) == cycle


async def test_requests_not_from_slack_are_refused_and_change_nothing(bot: Bot) -> None:
    good = signing.slash_command(SIGNING_SECRET, command="/group", text="setup Stolen")
    headers = good.headers
    bad = {
        "forged": signing.forged(good),
        "five minutes old": signing.expired(good, SIGNING_SECRET, age=301),
        "from the future": signing.expired(good, SIGNING_SECRET, age=-400),
        "no headers": signing.SignedRequest(good.body, {"Content-Type": headers["Content-Type"]}),
        "no signature": signing.SignedRequest(
            good.body, {k: v for k, v in headers.items() if k != "X-Slack-Signature"}
        ),
        "no timestamp": signing.SignedRequest(
            good.body, {k: v for k, v in headers.items() if k != "X-Slack-Request-Timestamp"}
        ),
        "garbled timestamp": signing.SignedRequest(
            good.body, {**headers, "X-Slack-Request-Timestamp": "yesterday"}
        ),
        "huge timestamp": signing.SignedRequest(
            good.body, {**headers, "X-Slack-Request-Timestamp": "9" * 40}
        ),
        "garbled signature": signing.SignedRequest(
            good.body, {**headers, "X-Slack-Signature": "v0=not-hex"}
        ),
        "other scheme": signing.SignedRequest(
            good.body, {**headers, "X-Slack-Signature": headers["X-Slack-Signature"][1:]}
        ),
        "body changed": signing.SignedRequest(good.body + b"x", headers),
        "not utf-8": signing.sign(SIGNING_SECRET.upper(), b"\xff\xfe", content_type="text/plain"),
    }
    for reason, request in bad.items():
        status, _, _ = await bot.post(request)
        assert status == 401, reason
    garbled = signing.sign(SIGNING_SECRET, b"{not json", content_type="application/json")
    status, _, _ = await bot.post(garbled)
    assert status == 400  # signed by Slack but unreadable: refused, never a 500
    assert await bot.count(SlackInbox) == 0
    assert bot.mock.messages() == [] and bot.mock.responses == []


async def test_slack_can_check_the_events_address(bot: Bot) -> None:
    status, body, _ = await bot.post(signing.url_verification(SIGNING_SECRET, "let-me-in"))
    assert status == 200 and "let-me-in" in body


async def test_a_channel_the_bot_is_not_in_gets_a_kind_hint_instead_of_silence(bot: Bot) -> None:
    bot.mock.fail_next("chat.postMessage", error="not_in_channel")
    answers = await bot.command("UALICE", "/group setup Steering group")
    assert any("/invite @alongside" in answer for answer in answers), answers
    assert await bot.in_flight() == 0  # done: not retried forever


async def test_serve_starts_and_stops_cleanly(mock_slack: MockSlackAPI, tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'served.db'}",
        platform="slack",
        slack=SlackSettings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=mock_slack.base_url,
            host="127.0.0.1",
            port=0,
        ),
    )
    stop = asyncio.Event()
    stop.set()  # start everything, then stop at once
    await asyncio.wait_for(serve(settings, stop), timeout=20)
    assert mock_slack.calls_to("auth.test", ok=True)

    mock_slack.token = BOT_TOKEN
    settings.slack.bot_token = "xoxb-not-this-one"
    with pytest.raises(SlackSetupError, match="didn't accept the bot token"):
        await asyncio.wait_for(serve(settings, stop), timeout=20)


async def test_only_a_command_that_changes_the_schedule_wakes_the_delivery_engine(
    bot: Bot,
) -> None:
    woken: list[str] = []
    bot.platform.worker.wake = lambda: woken.append("wake")
    await bot.command("UALICE", "/group Setup Steering group")  # however it is written
    assert await bot.count(Membership) == 3  # everyone already in the channel joined
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h")
    assert len(woken) == 2
    await bot.command("UALICE", "/agenda")
    await bot.command("UBOB", "/help")
    assert len(woken) == 2
    await bot.command("UBOB", "/agenda add Crisis line waiting times minutes 30")
    assert len(woken) == 3


async def test_socket_mode_takes_the_same_requests_without_a_public_address(bot: Bot) -> None:
    stop_listening = await listen(
        bot.platform.endpoint,
        SlackSettings(bot_token=BOT_TOKEN, app_token="xapp-1-A0TEST-1-secret"),
    )
    try:
        url = bot.mock.response_url()
        command = dict(
            parse_qsl(
                signing.slash_command(
                    SIGNING_SECRET,
                    command="/group",
                    text="setup Steering group",
                    user_id="UALICE",
                    response_url=url,
                ).body.decode()
            )
        )
        ack = await bot.mock.socket_request("slash_commands", command)
        assert ack["envelope_id"].startswith("envelope-")
        await bot.platform.idle()
        (welcome,) = bot.mock.messages("CGROUP")
        assert "Welcome to Steering group" in words(welcome.blocks)
    finally:
        await stop_listening()
    assert bot.mock.calls_to("apps.connections.open", ok=True)


async def test_a_retried_event_has_exactly_one_effect(bot: Bot) -> None:
    await bot.command("UALICE", "/group setup Steering group")
    joined = {
        "type": "member_joined_channel",
        "user": "UDAN",
        "channel": "CGROUP",
        "channel_type": "C",
        "team": "T0TEST",
    }
    for retry in (None, 1, 2):
        request = signing.event(SIGNING_SECRET, joined, event_id="EvJOIN", retry_num=retry)
        status, _, _ = await bot.post(request)
        assert status == 200
    assert await bot.count(Membership) == 4
    group = await bot.command("UALICE", "/group")
    assert "• dan" in group[0]

    hello = signing.message_event("hello", user="UBOB", channel="DUBOB", channel_type="im")
    for retry in (None, 1):
        await bot.post(signing.event(SIGNING_SECRET, hello, event_id="EvHELLO", retry_num=retry))
    replies = bot.mock.messages("DUBOB")
    assert len(replies) == 1 and "commands that start with a slash" in words(replies[0].blocks)

    own = {
        **signing.message_event("I am the bot", user="UBOT", channel="DUBOB", channel_type="im"),
        "bot_id": "BBOT",
    }
    await bot.post(signing.event(SIGNING_SECRET, own))
    typed = signing.message_event("!help", user="UBOB", channel="DUBOB", channel_type="im")
    await bot.post(signing.event(SIGNING_SECRET, typed))
    replies = bot.mock.messages("DUBOB")
    assert len(replies) == 2 and words(replies[1].blocks).startswith("What I can do")


async def test_a_429_storm_loses_nothing(bot: Bot) -> None:
    await group_with_meeting(bot)
    mock = bot.mock

    def calm_after_five(waited: int) -> None:
        if waited == 5:
            mock.calm()

    bot.waits.then = calm_after_five
    mock.storm(retry_after=2, methods=["chat.postMessage"])
    await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    assert mock.rate_limited == 5
    assert all(wait >= 2 for wait in bot.waits.asked)  # Retry-After honoured each time
    for place in (mock.dm_channel("UALICE"), mock.dm_channel("UBOB"), "CGROUP"):
        assert delivered(mock, place) == ["pack"]

    # A storm longer than the client's patience: the engine keeps the deliveries and
    # sends them, once each, on its next run after the storm.
    bot.waits.then = None
    mock.storm(retry_after=1, methods=["chat.postMessage"])
    report = await fast_forward(bot.platform.engine, bot.clock, MEETING - timedelta(hours=23))
    assert report.failed > 0 and report.sent == 0
    mock.calm()
    again = await bot.platform.engine.deliver_due(bot.clock.now())
    assert again.recovered == 3  # alice's DM, bob's DM and the channel (for carol)
    for place in (mock.dm_channel("UALICE"), mock.dm_channel("UBOB"), "CGROUP"):
        assert delivered(mock, place) == ["pack", "daybefore"]


async def test_a_server_error_from_slack_is_retried(bot: Bot) -> None:
    bot.mock.fail_next("chat.postMessage", status=500)
    bot.mock.fail_next("conversations.open", status=503)
    await bot.command("UALICE", "/group setup Steering group")
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    posts = bot.mock.calls_to("chat.postMessage")
    assert [c.status for c in posts[:2]] == [500, 200]
    assert len(bot.mock.messages("CGROUP")) == 2  # the welcome (once) and the new meeting
    await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    assert delivered(bot.mock, bot.mock.dm_channel("UALICE")) == ["emptyagenda", "pack"]


@pytest.mark.parametrize("failure", [{"status": 500}, {"status": 503}, {"disconnect": True}])
async def test_a_post_slack_made_but_did_not_confirm_is_not_made_twice(
    bot: Bot, failure: dict[str, Any]
) -> None:
    """Slack posted the message, then the answer was lost: a retry must not post it again."""
    mock = bot.mock
    await bot.command("UALICE", "/group setup Steering group")
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    mock.fail_next("chat.postMessage", processed=True, **failure)
    report = await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    assert report.failed == 0
    assert delivered(mock, mock.dm_channel("UALICE")) == ["emptyagenda", "pack"]

    # A reply to a command too: the welcome to a second group, posted once.
    mock.add_channel("COTHER", "other", members=["UALICE", "UBOT"])
    mock.fail_next("chat.postMessage", processed=True, **failure)
    await bot.command("UALICE", "/group setup Other group", channel="COTHER")
    assert len(mock.messages("COTHER")) == 1


async def test_posting_to_one_channel_keeps_to_slacks_pace_and_order(bot: Bot) -> None:
    mock = bot.mock
    now = [1000.0]

    async def pass_time(seconds: float) -> None:
        now[0] += seconds

    mock.time_fn = lambda: now[0]
    mock.rate_limit_per_channel = (5, 5.0)  # Slack's: about one a second, short bursts
    mock.reset_rate_limits()
    pacer = Pacer(burst=3, per_second=1.0, clock=lambda: now[0], sleep=pass_time)
    sender = SlackSender(bot.platform.client, bot.session, bot.platform.sender.stash, pacer)
    notes = [Addressed(message(f"Note {n}"), Address(channel="CGROUP")) for n in range(12)]
    await asyncio.gather(*(sender.send(note, f"note:{n}") for n, note in enumerate(notes)))
    assert [m.text for m in mock.messages("CGROUP")] == [f"Note {n}" for n in range(12)]
    assert mock.rate_limited == 0
    assert now[0] - 1000.0 >= 9  # three at once, then one a second


# --------------------------------------------------------------------------- buttons and forms


async def test_a_button_runs_its_command_as_the_person_who_pressed_it(bot: Bot) -> None:
    mock = bot.mock
    mock.add_channel("COTHER", "other", members=["UALICE", "UBOT"])
    await bot.command("UALICE", "/group setup Steering group")
    await bot.command("UALICE", "/group setup Other group", channel="COTHER")
    url = mock.response_url()
    request = signing.slash_command(
        SIGNING_SECRET,
        command="/group",
        user_id="UALICE",
        channel_id="DUALICE",
        channel_name="directmessage",
        response_url=url,
    )
    await bot.post(request)
    (question,) = bot.answer_posts(url)
    assert "Which group is this for?" in words(question["blocks"])
    choices = {b["text"]["text"]: b for b in buttons(question["blocks"])}
    assert set(choices) == {"Steering group", "Other group"}

    pressed_url = mock.response_url()
    other = choices["Other group"]
    press = signing.block_actions(
        SIGNING_SECRET,
        action_id=other["action_id"],
        value=other["value"],
        user_id="UALICE",
        channel_id="DUALICE",
        response_url=pressed_url,
    )
    status, _, _ = await bot.post(press)
    assert status == 200
    (answer,) = bot.answers(pressed_url)
    assert answer.startswith("Other group") and "Members (1):" in answer

    # The same button pressed by bob runs as bob, who is not in that group.
    bobs_url = mock.response_url()
    await bot.post(
        signing.block_actions(
            SIGNING_SECRET,
            action_id=other["action_id"],
            value=other["value"],
            user_id="UBOB",
            channel_id="DUBOB",
            response_url=bobs_url,
        )
    )
    assert bot.answers(bobs_url)[0].startswith("You're not in that group")


async def test_a_form_runs_its_command_privately_and_answers_in_the_form(bot: Bot) -> None:
    mock = bot.mock
    form = Message(
        (
            Paragraph("You can tell facilitators what helps you take part."),
            PrivateInput("Access needs", "What would help you take part?", "/prefs access"),
        )
    )
    await bot.platform.sender.send(Addressed(form, Address(user="UALICE")), "test:form")
    (posted,) = mock.messages(mock.dm_channel("UALICE"))
    (button,) = buttons(posted.blocks)
    assert button["text"]["text"] == "Access needs"

    trigger = signing.new_trigger_id()
    await bot.post(
        signing.block_actions(
            SIGNING_SECRET,
            action_id=button["action_id"],
            value=button["value"],
            user_id="UALICE",
            channel_id=mock.dm_channel("UALICE"),
            trigger_id=trigger,
        )
    )
    (opened,) = mock.calls_to("views.open", ok=True)
    assert opened.params["trigger_id"] == trigger
    view = next(iter(mock.views.values()))
    assert view["callback_id"] == MODAL and view["title"]["text"] == "Access needs"
    assert "What would help you take part?" in words(view["blocks"])

    posts_before = len(mock.messages())
    request = signing.view_submission(
        SIGNING_SECRET,
        callback_id=MODAL,
        private_metadata=view["private_metadata"],
        values={"text": {"text": "Step-free access & <!here> a quiet room"}},
        user_id="UALICE",
    )
    status, body, took = await bot.post(request)
    assert status == 200 and took < 3.0
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    assert "Done. I've saved your access needs." in words(answer["view"]["blocks"])
    assert block_problems(answer["view"]["blocks"]) == []
    assert len(mock.messages()) == posts_before  # nothing landed in any conversation

    prefs = await bot.command("UALICE", "/prefs", channel="DUALICE")
    assert "Step-free access & <!here> a quiet room" in prefs[0]


async def test_an_anonymous_concern_goes_through_forms_and_lands_in_no_conversation(
    bot: Bot,
) -> None:
    mock = bot.mock
    await bot.command("UALICE", "/group setup Steering group")
    url = mock.response_url()
    await bot.post(
        signing.slash_command(
            SIGNING_SECRET,
            command="/concern",
            user_id="UALICE",
            channel_id="CGROUP",
            response_url=url,
        )
    )
    (offer,) = bot.answer_posts(url)
    (write,) = buttons(offer["blocks"])
    await bot.post(
        signing.block_actions(
            SIGNING_SECRET,
            action_id=write["action_id"],
            value=write["value"],
            user_id="UALICE",
            channel_id="CGROUP",
            trigger_id=signing.new_trigger_id(),
        )
    )
    view = next(iter(mock.views.values()))
    status, body, _ = await bot.post(
        signing.view_submission(
            SIGNING_SECRET,
            callback_id=MODAL,
            private_metadata=view["private_metadata"],
            view_id=view["id"],
            values={"text": {"text": "The room was too hot"}},
            user_id="UALICE",
        )
    )
    asked = json.loads(body)["view"]  # a small group: "send it anyway?", inside the form
    assert status == 200 and "small group" in words(asked["blocks"])
    anyway = next(b for b in buttons(asked["blocks"]) if b["text"]["text"] == "Send it anyway")
    await bot.post(
        signing.block_actions(
            SIGNING_SECRET,
            action_id=anyway["action_id"],
            value=anyway["value"],
            user_id="UALICE",
            channel_id=None,
            view={**view, "title": {"type": "plain_text", "text": "Raise a concern"}},
        )
    )
    (receipt,) = mock.calls_to("views.update", ok=True)
    assert "Your receipt code is" in words(receipt.params["view"]["blocks"])
    seen = [words(m.blocks) + (m.text or "") for m in mock.messages()]
    seen += [words(r.blocks) + (r.text or "") for r in mock.responses]
    assert not any("too hot" in text or "receipt code is" in text for text in seen)
    assert await bot.in_flight() == 0


async def test_a_button_whose_command_is_too_long_for_slack_still_works(bot: Bot) -> None:
    mock = bot.mock
    long_command = "/help " + "x" * 2500
    choice = Message((Paragraph("Pick one."), Choices((Option("Go", long_command),))))
    await bot.platform.sender.send(Addressed(choice, Address(user="UBOB")), "test:long")
    (posted,) = mock.messages(mock.dm_channel("UBOB"))
    (go,) = buttons(posted.blocks)
    assert go["value"].startswith(REF) and len(go["value"]) < 100
    url = mock.response_url()
    await bot.post(
        signing.block_actions(
            SIGNING_SECRET,
            action_id=go["action_id"],
            value=go["value"],
            user_id="UBOB",
            channel_id=mock.dm_channel("UBOB"),
            response_url=url,
        )
    )
    assert bot.answers(url)[0].startswith("I don't have a command called /" + "x" * 40 + ".")


async def test_when_the_response_url_fails_the_answer_comes_as_an_ephemeral_message(
    bot: Bot,
) -> None:
    await bot.command("UALICE", "/group setup Steering group")
    gone = "http://127.0.0.1:9/response/gone"  # nothing listens there
    await bot.post(
        signing.slash_command(
            SIGNING_SECRET, command="/help", user_id="UBOB", channel_id="CGROUP", response_url=gone
        )
    )
    (answer,) = [m for m in bot.mock.messages("CGROUP") if m.ephemeral]
    assert answer.user == "UBOB" and words(answer.blocks).startswith("What I can do")


# --------------------------------------------------------------------------- escaping


async def test_member_text_arrives_inert_but_readable(bot: Bot) -> None:
    mock = bot.mock
    await bot.command("UALICE", "/group setup Steering &lt;!channel&gt; group")
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h")
    # As Slack sends what bob typed: a real @channel, a typed "<!here>", and user mentions
    # (someone Slack knows is shown by name; an id it doesn't know stays as it was).
    await bot.command(
        "UBOB", "/agenda add Budget &lt;!here&gt; &amp; <!channel> <@UCAROL|carol> <@UGHOST> *now*"
    )
    agenda = await bot.command("UBOB", "/agenda")
    assert "Budget <!here> & @channel @carol @UGHOST *now*" in agenda[0]
    await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
    pack = next(m for m in mock.messages(mock.dm_channel("UBOB")) if m.metadata)
    assert "Budget <!here> & @channel @carol @UGHOST *now*" in words(pack.blocks)

    everything = [(m.text or "", m.blocks) for m in mock.messages()]
    everything += [(r.text or "", r.blocks) for r in mock.responses]
    for text, blocks in everything:
        assert text_kinds(blocks) <= {"plain_text"}  # Slack parses nothing in plain_text
        for control in ("<!", "<@", "<#", "<http"):
            assert control not in text  # the notification text is escaped
    welcome = mock.messages("CGROUP")[0]
    assert "Steering &lt;!channel&gt; group" in (welcome.text or "")


# --------------------------------------------------------------------------- the inbox


class Crash(BaseException):
    """The process dying at this point (not an error anything would catch)."""


async def test_work_acknowledged_before_a_crash_is_done_once_after_a_restart(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(*_: object) -> None:
        raise Crash

    monkeypatch.setattr(bot.app, "handle", crash)
    request = signing.slash_command(
        SIGNING_SECRET,
        command="/group",
        text="setup Steering group",
        user_id="UALICE",
        response_url=bot.mock.response_url(),
    )
    status, body, _ = await bot.post(request)
    assert (status, body) == (200, "")  # Slack was told it arrived...
    assert bot.mock.messages() == []  # ...and then the process died before doing it
    monkeypatch.undo()
    await bot.stop()

    # The next process starts a minute later, past the dead one's lease.
    wall = VirtualClock(datetime.now(UTC) + timedelta(minutes=2))
    await bot.start(wall)
    (welcome,) = bot.mock.messages("CGROUP")
    assert "Welcome to Steering group" in words(welcome.blocks)
    await bot.platform.sweep()
    await bot.post(request)  # even the same request again
    assert len(bot.mock.messages("CGROUP")) == 1
    assert await bot.in_flight() == 0  # done, and only its bare key kept

    # A plain failure gives the work back at once: the next sweep does it, once.
    failing = {"left": 1}
    real = bot.app.handle

    async def fail_once(incoming: Any) -> Any:
        if failing["left"]:
            failing["left"] -= 1
            raise RuntimeError("database went away")
        return await real(incoming)

    monkeypatch.setattr(bot.app, "handle", fail_once)
    url = bot.mock.response_url()
    await bot.post(
        signing.slash_command(
            SIGNING_SECRET,
            command="/group",
            text="aims Better care",
            user_id="UALICE",
            response_url=url,
        )
    )
    assert len(bot.mock.messages("CGROUP")) == 1
    await bot.platform.sweep()
    await bot.platform.sweep()
    aims = [m for m in bot.mock.messages("CGROUP") if "Better care" in words(m.blocks)]
    assert len(aims) == 1


async def test_work_saved_just_before_a_crash_is_not_done_again(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.command("UALICE", "/group setup Steering group")
    await bot.command("UALICE", "/meeting new Steering 2026-12-10 14:00 for 1h")
    inbox = bot.platform.worker.inbox
    real = inbox.handled

    async def crash_before_noting(key: str, replies: str) -> None:
        raise RuntimeError("the process died before it noted the work was done")

    # The command's work is saved, then the process dies before the inbox says so.
    monkeypatch.setattr(inbox, "handled", crash_before_noting)
    url = bot.mock.response_url()
    await bot.post(
        signing.slash_command(
            SIGNING_SECRET,
            command="/agenda",
            text="add Budget for 2027",
            user_id="UBOB",
            response_url=url,
        )
    )
    await bot.platform.idle()
    assert bot.answers(url) == []
    monkeypatch.setattr(inbox, "handled", real)
    await bot.platform.sweep()  # the row is worked again: its work is not done twice
    (told,) = bot.answers(url)
    assert "I did that already" in told
    agenda = "\n".join(await bot.command("UBOB", "/agenda"))
    assert agenda.count("Budget for 2027") == 1
