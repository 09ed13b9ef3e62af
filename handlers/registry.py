"""Finds every feature module's COMMANDS, so adding a command is one module."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import handlers
from handlers.commands import CommandSpec


def _modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(handlers.__path__))
    return [importlib.import_module(f"handlers.{name}") for name in names]


def discover_attribute(name: str) -> list[Any]:
    """Every feature module's entries for `name` (like PLANNERS), in module order."""
    return [entry for module in _modules() for entry in getattr(module, name, ())]


def discover() -> dict[str, CommandSpec]:
    """Every command by name and alias, collected from the handlers package."""
    found: dict[str, CommandSpec] = {}
    for module in _modules():
        for spec in getattr(module, "COMMANDS", ()):
            for name in (spec.name, *spec.aliases):
                if name in found:
                    raise RuntimeError(f"two commands are called /{name}")
                found[name] = spec
    return found
