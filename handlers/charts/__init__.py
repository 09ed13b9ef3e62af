"""Charts as pictures: the same facts a message gives in words, drawn for people who would
rather look at them.

`drawing` draws (matplotlib, headless, colour-blind safe, large text); each feature makes
its own charts from its own data (handlers/checkins/chart.py, handlers/rotation/chart.py,
handlers/decisions/chart.py, handlers/ladder/chart.py, handlers/proposals/chart.py) and
puts them in its messages as an `Image` block whose alt text says everything the picture
shows. The message's words always stay: `liking` takes the pictures out for people who
chose `/prefs pictures off`.
"""

from __future__ import annotations

from handlers.charts.drawing import Drawn
from handlers.core.messages import Image


def picture(name: str, title: str, drawn: Drawn, alt: str) -> Image:
    """An `Image` block for a drawn chart, saved as `name`.png."""
    return Image(f"{name}.png", title, drawn.png, alt, drawn.width, drawn.height)


def sentences(lines: list[str]) -> str:
    """Lines joined as sentences, each ending with a full stop."""
    return " ".join(line if line.endswith(".") else f"{line}." for line in lines)
