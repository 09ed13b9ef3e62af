"""Drawing charts as PNG pictures with matplotlib (Agg: no display needed).

Every chart is readable in black and white and with colour blindness: colours come from
the Okabe-Ito palette, each series also has its own hatching or marker, and every bar
and point carries its number as a label, so colour is never the only cue. Text is large.

matplotlib is imported on the first chart, so start-up and commands that draw nothing
stay fast. Each chart is its own `Figure` (no pyplot state: nothing to close after).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito's colour-blind-safe palette (black left out: it is the text colour).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: A hatching per series, so bars differ without colour too.
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--")
#: Pixels per inch: small figures draw fast and still read well in chat.
DPI = 80
WIDTH = 8.0  # inches: 640 pixels
STYLE: dict[str, Any] = {
    "font.size": 15,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.labelsize": 15,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 1.5,
    "hatch.color": "black",
}


@dataclass(frozen=True)
class Drawn:
    """A drawn chart: the PNG's bytes and its size in pixels."""

    png: bytes
    width: int
    height: int


def _figure(height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    return fig, fig.subplots()


def _png(fig: Figure) -> Drawn:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    width, height = (round(v) for v in fig.get_size_inches() * DPI)
    return Drawn(out.getvalue(), width, height)


def line(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    scale: tuple[int, int],
    axis: str,
) -> Drawn:
    """A line with a marked, labelled point per value (x: `labels`; y: the `scale`)."""
    import matplotlib

    with matplotlib.rc_context(cast(Any, STYLE)):
        fig, ax = _figure(4.5)
        xs = range(len(values))
        ax.plot(xs, values, color=PALETTE[0], marker="o", markersize=11, linewidth=3)
        for x, v in zip(xs, values, strict=True):
            ax.annotate(
                f"{v:.1f}",
                (x, v),
                xytext=(0, 12),
                textcoords="offset points",
                ha="center",
                fontweight="bold",
            )
        ax.set_xticks(list(xs), list(labels))
        low, high = scale
        ax.set_ylim(low, high + 0.6)
        ax.set_xlim(-0.5, len(values) - 0.5)
        ax.set_yticks(list(range(low, high + 1)))
        ax.set_ylabel(axis)
        ax.grid(axis="y", color="#BBBBBB", linewidth=0.8)
        ax.set_title(title, loc="left")
        return _png(fig)


def bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    axis: str,
    stacked: bool = False,
) -> Drawn:
    """Horizontal bars, one row per category (first at the top), one bar (or, `stacked`,
    one segment) per series; each shows its number, and each series its own hatching."""
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    rows = len(categories)
    many = len(series) > 1
    with matplotlib.rc_context(cast(Any, STYLE)):
        per_row = 0.6 if stacked or not many else 0.35 * len(series) + 0.2
        fig, ax = _figure(1.8 + rows * per_row + (0.4 * ((len(series) + 2) // 3) if many else 0))
        ys = list(range(rows))[::-1]
        thick = 0.7 if stacked or not many else 0.8 / len(series)
        left = [0] * rows
        for i, (name, values) in enumerate(series):
            offset = 0.0 if stacked or not many else (len(series) - 1) / 2 * thick - i * thick
            where = [y + offset for y in ys]
            drawn = ax.barh(
                where,
                values,
                height=thick,
                left=left if stacked else None,
                color=PALETTE[i % len(PALETTE)],
                hatch=HATCHES[i % len(HATCHES)] if many else "",
                edgecolor="black",
                linewidth=1,
                label=name,
            )
            if stacked:
                labels = [str(v) if v else "" for v in values]
                ax.bar_label(
                    drawn,
                    labels,
                    label_type="center",
                    fontweight="bold",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
                left = [a + b for a, b in zip(left, values, strict=True)]
            else:
                ax.bar_label(drawn, [str(v) for v in values], padding=4, fontweight="bold")
        if stacked:
            for y, total in zip(ys, left, strict=True):  # each bar's total at its end
                ax.annotate(
                    f"= {total}" if len(series) > 1 and total else str(total),
                    (total, y),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    fontweight="bold",
                )
        ax.set_yticks(ys, list(categories))
        most = max(left if stacked else [max(v, default=0) for _, v in series] or [0])
        ax.set_xlim(0, max(most, 1) * 1.2 + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(axis)
        ax.set_title(title, loc="left")
        if many:
            fig.legend(loc="outside lower center", ncols=min(len(series), 3), frameon=False)
        return _png(fig)


def columns(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    axis: str,
) -> Drawn:
    """Upright bars side by side: a group per category (left to right), a bar per series,
    each with its number on top and its series' own hatching."""
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(cast(Any, STYLE)):
        fig, ax = _figure(5.0)
        wide = 0.8 / len(series)
        for i, (name, values) in enumerate(series):
            xs = [x - 0.4 + wide * (i + 0.5) for x in range(len(categories))]
            drawn = ax.bar(
                xs,
                values,
                width=wide,
                color=PALETTE[i % len(PALETTE)],
                hatch=HATCHES[i % len(HATCHES)],
                edgecolor="black",
                linewidth=1,
                label=name,
            )
            ax.bar_label(drawn, [str(v) for v in values], padding=2, fontsize=13)
        ax.set_xticks(list(range(len(categories))), list(categories))
        most = max((max(v, default=0) for _, v in series), default=0)
        ax.set_ylim(0, max(most, 1) * 1.15 + 0.3)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(axis)
        ax.set_title(title, loc="left")
        fig.legend(loc="outside lower center", ncols=min(len(series), 4), frameon=False)
        return _png(fig)
