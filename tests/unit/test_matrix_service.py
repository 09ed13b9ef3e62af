"""The Matrix service between terms as the sync owner: standing by is healthy, it
sends nothing, and a new device carrying on from the stored sync position is warned
about (every instance must share the store, so that they are one device)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from structlog.testing import capture_logs

from bot.app import App
from bot.config import MatrixSettings
from bot.platforms.matrix.calls import MatrixUnavailable
from bot.platforms.matrix.service import MatrixService, note_device
from bot.platforms.matrix.store import MatrixStore
from handlers.core.messages import Address, Addressed, message

SETTINGS = MatrixSettings(homeserver="https://home.org", user_id="@alongside:home.org")


async def test_standing_by_is_ready_and_sends_nothing(app: App) -> None:
    service = MatrixService(app, SETTINGS)
    assert await service.connected() is None  # another instance syncs: nothing wrong here
    item = Addressed(message("Hello"), Address(user="@sam:home.org"))
    with pytest.raises(MatrixUnavailable):
        await service.engine.sender.send(item, "key")


def term(app: App, device: str) -> SimpleNamespace:
    """A platform logged in as `device` (only what noting the device looks at)."""
    client = SimpleNamespace(device_id=device)
    return SimpleNamespace(
        conn=SimpleNamespace(live=lambda: client), store=MatrixStore(app.db.sessions, app.clock)
    )


async def test_another_device_carrying_on_from_the_sync_position_is_warned_about(
    app: App,
) -> None:
    with capture_logs() as logs:
        await note_device(term(app, "DEVICEONE"))  # type: ignore[arg-type]
        await note_device(term(app, "DEVICEONE"))  # type: ignore[arg-type]
    assert [e for e in logs if e["event"] == "matrix.device_changed"] == []

    with capture_logs() as logs:
        await note_device(term(app, "DEVICETWO"))  # type: ignore[arg-type]
    [warning] = [e for e in logs if e["event"] == "matrix.device_changed"]
    assert "same matrix.store_path" in warning["hint"]
    assert await MatrixStore(app.db.sessions, app.clock).sync_device() == "DEVICETWO"
