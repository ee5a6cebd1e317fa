"""The heat map: activities per partner and strategic area, as a table of tinted cells."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from matplotlib.patches import Rectangle

from ...formats import number, percent
from .. import style
from ..spec import ELLIPSIS, ChartSpec
from .common import ChartFigure, add_frame, add_note, new_figure, overhead, row_height, set_category_ticks
from .text import category_labels, line_count, lines_width, wrap_label

__all__ = ["draw_heatmap"]


def _column_headers(names: Sequence[str], shorts: Sequence[str], column_pt: float) -> tuple[list[str], bool]:
    """Column headings of the heatmap: (labels, turned 90 degrees?).

    Names wrap on words into up to three lines; a single word may overrun its
    column a little as long as it stays clear of its neighbours' headings.
    When that fails, headings are turned and shortened to one line.
    """
    labels = [wrap_label(name, column_pt - 6, style.TICK_SIZE, 3, break_words=False) for name in names]
    widths = [lines_width(label, style.TICK_SIZE) for label in labels]
    fits = all(w <= 1.3 * column_pt for w in widths) and all((a + b) / 2 + 6 <= column_pt for a, b in pairwise(widths))
    if fits and not any(label.endswith(ELLIPSIS) for label in labels):
        return labels, False
    turned = [
        wrap_label(
            name, 110, style.TICK_SIZE, 1, suffix=f" ({shorts[j]})" if j < len(shorts) and shorts[j] != name else ""
        )
        for j, name in enumerate(names)
    ]
    return turned, True


def _heatmap_fills(counts: np.ndarray, colour: str) -> list[list[str]]:
    """Cell colours: none is near-white; one activity is a light tint of ``colour``
    and the busiest cell the full colour, on a log scale so that one big cell does
    not wash out the rest. Lightness falls with the count, so greyscale keeps it."""
    top = float(counts.max(initial=0))
    fills: list[list[str]] = []
    for row in counts:
        fills.append([])
        for count in row:
            if count <= 0:
                fills[-1].append(style.HEATMAP_LOW)
                continue
            share = np.log(count) / np.log(top) if top > 1 else 1.0
            strength = style.HEATMAP_MIN_TINT + (1 - style.HEATMAP_MIN_TINT) * share
            fills[-1].append(style.mix("#FFFFFF", colour, strength))
    return fills


def draw_heatmap(spec: ChartSpec) -> ChartFigure:
    rows, cols = len(spec.categories), len(spec.series)
    many = rows > style.MANY_ROWS
    max_lines = style.LABEL_MAX_LINES_MANY if many else style.LABEL_MAX_LINES
    label_width = style.HEATMAP_LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72
    labels = category_labels(spec, label_width, style.TICK_SIZE, max_lines)
    lines = line_count(labels)
    widest_label = max((lines_width(label, style.TICK_SIZE) for label in labels), default=0)
    column_pt = (style.FIGURE_WIDTH_IN * 72 - widest_label - 30) / max(cols, 1)
    area_shorts = dict(spec.extras).get("area_short_name", ())
    column_labels, rotate = _column_headers([s.name for s in spec.series], area_shorts, column_pt)
    if rotate:
        header = max((lines_width(c, style.TICK_SIZE) for c in column_labels), default=0) / 72
    else:
        header = line_count(column_labels) * style.TICK_SIZE * style.LINE_HEIGHT / 72
    two_line_cells = not many
    cell_in = max(
        row_height(lines, 0.42, many=many), (2 if two_line_cells else 1) * style.ANNOTATION_SIZE * 1.3 / 72 + 0.06
    )
    fig = new_figure(max(overhead(1, axis=False) + header + 0.15 + rows * cell_in, 1.6))
    add_frame(fig, spec)
    if spec.note or not rows or not cols:
        return add_note(fig, spec)
    ax = fig.add_subplot()
    counts = np.array([[s.values[i] or 0 for s in spec.series] for i in range(rows)], dtype=float)
    fills = _heatmap_fills(counts, spec.brand[0])
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=fills[i][j], edgecolor="white", linewidth=1.2))
    for i in range(rows):
        for j, series in enumerate(spec.series):
            count = counts[i, j]
            fill = fills[i][j]
            colour = style.text_colour_on(fill) if count else style.MUTED_COLOUR
            mean = series.detail[i] if series.detail else None
            text = number(count)
            if count and mean is not None:
                text += ("\n" if two_line_cells else " · ") + percent(mean)
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                color=colour,
                fontsize=style.ANNOTATION_SIZE,
                fontweight="bold" if count else "normal",
                linespacing=1.15,
                parse_math=False,
            )
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    set_category_ticks(ax.yaxis, np.arange(rows), labels)
    ax.xaxis.tick_top()
    set_category_ticks(ax.xaxis, np.arange(cols), column_labels)
    if rotate:
        for label in ax.get_xticklabels():
            label.set_rotation(90)
            label.set_verticalalignment("bottom")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig
