"""The group's glossary (/jargon): plain meanings for the words and acronyms it uses.

A group has its own words (anyone adds one; its author or a facilitator changes or
removes it) and the starter words shipped in handlers/data/jargon.toml (common NHS,
social care and council words), any of which a facilitator can turn off. Every
change is posted in the channel. The pack explains the words its agenda uses
("Words in this pack"), and the jargon buster asks, privately and once per term,
whoever writes an acronym nobody has explained yet what it means.

The modules: `commands` (/jargon), `reading` (what people type), `terms` (the
starter list and a group's words), `finding` (terms and acronyms in text), `pack`
and `buster` (what other features use).
"""

from __future__ import annotations

from handlers.core.feature import Feature
from handlers.glossary.buster import ask_about_jargon
from handlers.glossary.commands import COMMANDS
from handlers.glossary.pack import pack_section

__all__ = ["FEATURE", "ask_about_jargon"]

FEATURE = Feature(name="glossary", commands=COMMANDS, pack_sections=(pack_section,))
