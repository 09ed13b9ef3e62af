"""Wiring and platforms: CLI, config, app assembly, and one module per chat platform."""
