"""A closed proposal's answers as a chart: how many agreed, abstained, disagreed, blocked.

Drawn only when at least `FEWEST_FOR_COUNT` people answered, so a small count can't point
at anyone.
"""

from __future__ import annotations

from collections.abc import Mapping

from handlers.charts import picture, sentences
from handlers.charts.drawing import bars
from handlers.core.messages import Image
from handlers.proposals.wording import ANSWERS, FEWEST_FOR_COUNT, LABEL, people


def outcome_chart(number: int, tally: Mapping[str, int]) -> Image | None:
    """Bars, one per answer; None when fewer than `FEWEST_FOR_COUNT` answered."""
    total = sum(tally.get(a, 0) for a in ANSWERS)
    if total < FEWEST_FOR_COUNT:
        return None
    title = f"Proposal {number}: the answers"
    drawn = bars(
        title,
        [LABEL[a] for a in ANSWERS],
        [("Answers", [tally.get(a, 0) for a in ANSWERS])],
        axis="People",
    )
    alt = sentences(
        [
            f"A bar chart of how {people(total)} answered proposal {number}",
            *(f"{LABEL[a]}: {tally.get(a, 0)}" for a in ANSWERS),
        ]
    )
    return picture(f"proposal-{number}", title, drawn, alt)
