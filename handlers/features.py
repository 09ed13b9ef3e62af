"""Every feature of the bot, listed once. Adding a feature means adding it here."""

from __future__ import annotations

from handlers import (
    access,
    actions,
    agenda,
    attendance,
    checkins,
    concerns,
    contributions,
    decisions,
    digest,
    direct,
    glossary,
    groups,
    help,
    home,
    icebreakers,
    ladder,
    live,
    meetings,
    minutes,
    packs,
    prefs,
    proposals,
    reminders,
    rights,
    rotation,
    safety,
)
from handlers.core.feature import Catalog, Feature

#: Every feature but the pack, in the order their pack sections appear.
FEATURES: tuple[Feature, ...] = (
    access.FEATURE,
    actions.FEATURE,
    agenda.FEATURE,
    attendance.FEATURE,
    checkins.FEATURE,
    concerns.FEATURE,
    contributions.FEATURE,
    decisions.FEATURE,
    digest.FEATURE,
    direct.FEATURE,
    glossary.FEATURE,
    groups.FEATURE,
    help.FEATURE,
    home.FEATURE,
    icebreakers.FEATURE,
    ladder.FEATURE,
    live.FEATURE,
    meetings.FEATURE,
    minutes.FEATURE,
    prefs.FEATURE,
    proposals.FEATURE,
    reminders.FEATURE,
    rights.FEATURE,
    rotation.FEATURE,
    safety.FEATURE,
)


def catalog() -> Catalog:
    """The whole bot, assembled: the pack gathers every other feature's pack sections."""
    sections = tuple(s for f in FEATURES for s in f.pack_sections)
    return Catalog.assemble((*FEATURES, packs.feature(sections)))
