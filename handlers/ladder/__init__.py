"""The ladder pulse: members say, anonymously, where the group stands on the Ladder of
Co-production."""

from __future__ import annotations

from handlers.core.feature import Feature

FEATURE = Feature(name="ladder")
