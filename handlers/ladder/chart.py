"""A ladder round's result as a chart: how many people chose each rung (passes left out).

Drawn only when at least `FEWEST_TO_SHOW` people chose a rung, the same rule as the words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from handlers.charts import picture, sentences
from handlers.charts.drawing import bars
from handlers.core.messages import Image
from handlers.ladder.wording import FEWEST_TO_SHOW, PASS, RUNGS, middle
from handlers.proposals.wording import people

TITLE = "Where the group thinks it stands"


def ladder_chart(answers: Sequence[int]) -> Image | None:
    """Bars, one per rung (the top rung first); None with too few answers to show."""
    rungs = [a for a in answers if a != PASS]
    if len(rungs) < FEWEST_TO_SHOW:
        return None
    found = Counter(rungs)
    order = list(reversed(RUNGS))
    drawn = bars(
        TITLE,
        [RUNGS[n][0] for n in order],
        [("People", [found.get(n, 0) for n in order])],
        axis="People who chose it",
    )
    none = len(RUNGS) - len(found)
    alt = sentences(
        [
            f"A bar chart of the ladder. {people(len(rungs))} chose a rung",
            *(f"{people(found[n])} chose {RUNGS[n][0]}" for n in order if found[n]),
            *([f"Nobody chose the other {none}"] if none else []),
            f"The middle answer is {RUNGS[middle(rungs)][0]}",
        ]
    )
    return picture("ladder", TITLE, drawn, alt)
