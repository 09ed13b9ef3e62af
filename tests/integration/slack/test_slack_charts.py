"""Charts on Slack (issue 20), over real signed HTTP with the mock Web API: /checkin trend
answers privately in words, and the chart arrives as a PNG uploaded to the person's DM
(Slack's three upload steps) with alt text that gives the same numbers."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from tests.heard_log import seed_heard
from tests.integration.slack.harness import Bot, group_with_meeting

pytestmark = pytest.mark.slack


async def test_the_trend_chart_is_uploaded_with_alt_text(bot: Bot) -> None:
    await group_with_meeting(bot)
    await seed_heard(bot.app.db, bot.clock.now(), [[5, 4, 3], [1, 2], [4, 4, 5, 5]])

    [answer] = await bot.command("UBOB", "/checkin trend")
    assert "4.0 (3 answers)" in answer and "4.5 (4 answers)" in answer
    assert "I've also drawn this as a chart: Did people feel heard? Recent meetings." in answer

    [shared] = bot.mock.files
    assert shared.channel == bot.dm("UBOB")
    assert shared.filename == "felt-heard-trend.png"
    assert shared.title == "Did people feel heard? Recent meetings"
    assert shared.data.startswith(b"\x89PNG\r\n\x1a\n")
    with PILImage.open(io.BytesIO(shared.data)) as picture:
        assert picture.format == "PNG" and picture.size == (640, 360)
    assert shared.alt_txt is not None
    assert shared.alt_txt.startswith("A line chart of how heard people felt at 2 meetings")
    assert "4.0 out of 5, from 3 answers." in shared.alt_txt
    assert "4.5 out of 5, from 4 answers." in shared.alt_txt
    assert "1.5" not in shared.alt_txt  # the meeting with 2 answers is never drawn
    steps = [c.method for c in bot.mock.calls if "upload" in c.method.lower()]
    assert steps == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]

    await bot.command("UBOB", "/prefs pictures off", channel=bot.dm("UBOB"))
    [plain] = await bot.command("UBOB", "/checkin trend")
    assert "4.5 (4 answers)" in plain and "chart" not in plain
    assert len(bot.mock.files) == 1
