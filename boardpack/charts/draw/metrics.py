"""A partner's metrics: each latest value as a share of its target, on one axis."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ...formats import percent
from .. import style
from ..spec import ChartSpec
from .common import (
    ChartFigure,
    add_frame,
    add_note,
    legend_above,
    make_room_right,
    new_figure,
    overhead,
    row_height,
    set_category_ticks,
    style_value_axis,
)
from .text import category_labels, line_count

__all__ = ["draw_metrics"]


def draw_metrics(spec: ChartSpec) -> ChartFigure:
    """Bullet rows on one "% of target" axis: a bar per metric for its latest value as a share
    of its target, a black line at 100% (the target), and the value, target and "met" or "not
    met" written beside it. Met bars are filled with the measure colour, not met ones are pale
    with an outline, and the words say which, by the metric's own direction. A metric without
    a target (or a value) has no bar, only its words."""
    n = len(spec.categories)
    labels = category_labels(spec, style.METRIC_LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72, style.TICK_SIZE, 2)
    lines = line_count(labels)
    row = max(row_height(lines, 0.34), 0.34)
    fig = new_figure(max(overhead(1, legend_rows=1) + n * row, 1.9))
    add_frame(fig, spec)
    if not n:
        return add_note(fig, spec)
    share, measure = spec.series[0], spec.brand[0]
    results = dict(spec.extras).get("result", ("",) * n)
    pale = style.mix(measure, "#FFFFFF", 0.72)
    ax = fig.add_subplot()
    y = np.arange(n)
    top = max([100.0, *(v for v in share.values if v is not None)])
    limit = min(max(150.0, np.ceil(top / 50) * 50), 300.0)
    texts = []
    for i in range(n):
        value = share.values[i]
        met = results[i] == "met"
        if value is not None:
            ax.barh(
                y[i],
                min(value, limit),
                height=0.56,
                color=measure if met else pale,
                edgecolor=measure,
                linewidth=0.9,
                zorder=2,
            )
        end = 0.0 if value is None else max(min(value, limit), 100.0)
        text = share.labels[i] if share.labels else ""
        texts.append(
            ax.text(
                end,
                y[i],
                f"  {text}",
                va="center",
                ha="left",
                fontsize=style.ANNOTATION_SIZE,
                color=style.TEXT_COLOUR,
                parse_math=False,
                zorder=4,
            )
        )
    ax.axvline(100, color=style.TARGET_COLOUR, linewidth=1.6, zorder=3)
    set_category_ticks(ax.yaxis, y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, limit)
    ax.set_xticks([t for t in (0, 50, 100, 150, 200, 250, 300) if t <= limit])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v)))
    ax.set_xlabel(spec.value_label, fontsize=style.LABEL_SIZE)
    style_value_axis(ax, "x")
    handles = [
        Patch(facecolor=measure, edgecolor=measure, linewidth=0.9),
        Patch(facecolor=pale, edgecolor=measure, linewidth=0.9),
        Line2D([], [], color=style.TARGET_COLOUR, linewidth=1.6),
    ]
    legend_above(fig, ax, handles, ["Met", "Not met", "Target (100%)"], handlelength=1.6)
    make_room_right(fig, ax, texts)
    return fig
