"""Member text made safe to show anywhere: no terminal controls, no reordering marks.

Each platform's renderer keeps markup and mentions inert; this removes what no
renderer can: control characters (a terminal would obey ESC sequences) and the
Unicode embeddings, overrides and isolates that reorder how a line is
displayed (so text can't pretend to say something else); the plain direction
marks (LRM, RLM, ALM) stay, as right-to-left writing needs them. Line breaks
and tabs stay, so what people wrote reads as they wrote it.
"""

from __future__ import annotations

import unicodedata

#: Bidirectional embeddings, overrides and isolates (Unicode TR9): they reorder display.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEPT = frozenset("\n\t")


def inert(text: str) -> str:
    """`text` without control characters or reordering marks (line breaks and tabs kept).

    A lone surrogate (half of a character, which no database or platform can store)
    becomes the replacement character.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")  # line, paragraph separators
    return "".join(
        "\ufffd" if unicodedata.category(ch) == "Cs" else ch
        for ch in text
        if ch in _KEPT or (unicodedata.category(ch) != "Cc" and ch not in _REORDERING)
    )


def one_line(text: str) -> str:
    """`inert` text on one line (for names): line breaks and tabs become spaces."""
    return " ".join(inert(text).split())
