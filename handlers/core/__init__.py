"""The core every feature builds on: commands, the router, messages, parsing and time words."""
