"""The group's glossary (/jargon): plain meanings for the words and acronyms it uses."""

from __future__ import annotations

from handlers.core.feature import Feature

FEATURE = Feature(name="glossary")
