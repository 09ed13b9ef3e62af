"""Proposals: members answer Agree, Abstain, Disagree or Block, and the outcome is shared."""

from __future__ import annotations

from handlers.core.feature import Feature

FEATURE = Feature(name="proposals")
