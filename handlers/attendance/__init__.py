"""Who is coming: members may say whether they'll be at a meeting date (never chased)."""

from __future__ import annotations

from handlers.core.feature import Feature

FEATURE = Feature(name="attendance")
