"""Draw the example chart the README shows, from made-up example data.

    .venv/bin/python scripts/example_chart.py

writes docs/felt-heard-trend.png (the /checkin trend chart) and prints its alt text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handlers.checkins.chart import HeardAt, heard_chart

EXAMPLE = [
    HeardAt(date(2026, 11, 5), 3.4, 5),
    HeardAt(date(2026, 11, 12), 3.8, 4),
    HeardAt(date(2026, 11, 19), 4.2, 6),
    HeardAt(date(2026, 11, 26), 4.0, 3),
    HeardAt(date(2026, 12, 3), 4.5, 5),
]


def main() -> None:
    """Write the PNG next to the README's other docs and say what it shows."""
    chart = heard_chart(EXAMPLE)
    assert chart is not None
    out = Path(__file__).parents[1] / "docs" / chart.name
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(chart.content)
    print(f"{out}\n{chart.alt}")


if __name__ == "__main__":
    main()
