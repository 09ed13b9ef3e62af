"""One package per chat platform (console, slack, matrix) and what they share.

A platform turns what people do into `Incoming` for the app, sends what the app
returns (rendered its own way: `text.py` is the plain text they share), acts on
the effects a command reports (`effects.py`), never on its text, and is the
delivery engine's `Sender`. Live platforms are run by `bot.runtime`.
"""
