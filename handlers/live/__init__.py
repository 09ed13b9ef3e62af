"""Live meeting mode: the bot calls each agenda item at its time, steered by the chair."""

from __future__ import annotations

from handlers.core.feature import Feature

FEATURE = Feature(name="live")
