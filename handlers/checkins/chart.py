"""The felt-heard trend as a chart: the average answer out of 5 at recent meetings.

Only meetings where at least `FEWEST_TO_SHOW` people answered are ever drawn, the same
rule as the words, so a chart can't show anyone's own answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from handlers.charts import picture, sentences
from handlers.charts.drawing import line
from handlers.checkins.wording import FEWEST_TO_SHOW
from handlers.core.messages import Image

TITLE = "Did people feel heard? Recent meetings"


@dataclass(frozen=True)
class HeardAt:
    """How heard people felt at one meeting: the average answer (1 to 5) and how many."""

    day: date
    average: float
    answers: int

    def line(self) -> str:
        """'Thursday 3 December: 4.2 (5 answers)'."""
        return f"{_day(self.day)}: {self.average:.1f} ({self.answers} answers)"


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def heard_chart(trend: Sequence[HeardAt]) -> Image | None:
    """A line chart of the trend, oldest first; None when no meeting had enough answers."""
    shown = [h for h in trend if h.answers >= FEWEST_TO_SHOW]
    if not shown:
        return None
    drawn = line(
        TITLE,
        [f"{h.day.day} {h.day:%b}" for h in shown],
        [h.average for h in shown],
        scale=(1, 5),
        axis="Average, out of 5",
    )
    meetings = "1 meeting" if len(shown) == 1 else f"{len(shown)} meetings, oldest first"
    alt = sentences(
        [
            f"A line chart of how heard people felt at {meetings}",
            "Each point is the average answer, from 1 (not at all) to 5 (yes, fully)",
            *(f"{_day(h.day)}: {h.average:.1f} out of 5, from {h.answers} answers" for h in shown),
        ]
    )
    return picture("felt-heard-trend", TITLE, drawn, alt)
