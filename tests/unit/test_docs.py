"""The README and /help stay in step with the commands' own metadata."""

from __future__ import annotations

from pathlib import Path

from handlers.features import catalog

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_every_command_is_in_the_readme() -> None:
    for name, spec in catalog().commands.items():
        assert f"`/{name}" in README, f"/{name} is missing from the README's command table"
        assert spec.summary and spec.examples, f"/{name} needs a summary and an example"


def test_every_command_and_sub_command_has_plain_help() -> None:
    for spec in catalog().commands.values():
        for text in [spec.summary, *(sub.summary for sub in spec.subs)]:
            assert text.endswith("."), text
            assert len(text) <= 160, text
