"""Finds every feature module's COMMANDS, so adding a command is one module."""

from __future__ import annotations

import importlib
import pkgutil

import handlers
from handlers.commands import CommandSpec


def discover() -> dict[str, CommandSpec]:
    """Every command by name and alias, collected from the handlers package."""
    found: dict[str, CommandSpec] = {}
    for info in sorted(pkgutil.iter_modules(handlers.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"handlers.{info.name}")
        for spec in getattr(module, "COMMANDS", ()):
            for name in (spec.name, *spec.aliases):
                if name in found:
                    raise RuntimeError(f"two commands are called /{name}")
                found[name] = spec
    return found
