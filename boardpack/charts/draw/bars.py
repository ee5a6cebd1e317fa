"""Horizontal bar charts: status counts stacked per partner, budget against spend."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ...formats import money, number
from .. import style
from ..spec import ChartSpec
from .common import (
    ChartFigure,
    add_frame,
    add_note,
    hide_labels_that_do_not_fit,
    legend_above,
    make_room_right,
    new_figure,
    overhead,
    row_height,
    set_category_ticks,
    status_legend,
    status_stack,
    style_value_axis,
)
from .text import category_labels, line_count

__all__ = ["draw_grouped_barh", "draw_stacked_barh"]


# stacked bars ---------------------------------------------------------------


def draw_stacked_barh(spec: ChartSpec) -> ChartFigure:
    n = len(spec.categories)
    many = n > style.MANY_ROWS
    max_lines = style.LABEL_MAX_LINES_MANY if many else style.LABEL_MAX_LINES
    label_width = style.LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72
    labels = category_labels(spec, label_width, style.TICK_SIZE, max_lines)
    lines = line_count(labels)
    row = row_height(lines, many=many)
    height = overhead(1, legend_rows=1) + max(n, 1) * row
    fig = new_figure(max(height, 1.9))
    add_frame(fig, spec)
    if spec.note or not n:
        return add_note(fig, spec)
    ax = fig.add_subplot()
    y = np.arange(n)
    totals, pairs = status_stack(ax, spec.series, y, 0.68, horizontal=True)
    total_texts = [  # the total at the end of each bar, "none" for an empty row
        ax.text(
            total,
            y[i],
            f" {number(total)}" if total else " none",
            va="center",
            ha="left",
            fontsize=style.ANNOTATION_SIZE,
            color=style.MUTED_COLOUR,
            parse_math=False,
        )
        for i, total in enumerate(totals)
    ]
    set_category_ticks(ax.yaxis, y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, max(float(totals.max()), 1) * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.set_xlabel(spec.value_label, fontsize=style.LABEL_SIZE)
    style_value_axis(ax, "x")
    status_legend(fig, ax)
    make_room_right(fig, ax, total_texts)
    hide_labels_that_do_not_fit(fig, pairs)
    return fig


def draw_grouped_barh(spec: ChartSpec) -> ChartFigure:
    """Budget and spend per partner: side by side, or, past ``MANY_ROWS`` partners,
    spend drawn inside budget on one row ("£900 of £1,200") so the chart stays
    about a page tall."""
    n = len(spec.categories)
    many = n > style.MANY_ROWS
    max_lines = style.LABEL_MAX_LINES_MANY if many else style.LABEL_MAX_LINES
    labels = category_labels(spec, style.LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72, style.TICK_SIZE, max_lines)
    lines = line_count(labels)
    k = len(spec.series)
    if many:
        per_row = row_height(lines, many=True)
    else:
        per_row = max(row_height(lines), k * (style.ANNOTATION_SIZE * 1.45 + 1) / 72 + 0.08)
    fig = new_figure(max(overhead(1, legend_rows=1) + max(n, 1) * per_row, 1.9))
    add_frame(fig, spec)
    if spec.note or not n:
        return add_note(fig, spec)
    ax = fig.add_subplot()
    y = np.arange(n)
    primary, accent = spec.brand
    looks = {"budget": (style.mix(primary, "#FFFFFF", 0.55), primary), "spend": (primary, primary)}
    values = [np.array([0 if v is None else v for v in s.values], dtype=float) for s in spec.series]
    top = max((float(v.max(initial=0)) for v in values), default=0.0)
    texts = []
    if many and k == 2:
        for j, series in enumerate(spec.series):
            fill, edge = looks.get(series.style, (accent, accent))
            ax.barh(
                y,
                values[j],
                height=0.74 if j == 0 else 0.36,
                color=fill,
                edgecolor=edge,
                linewidth=0.6,
                label=series.name,
                zorder=2 + j,
            )
        first, second = spec.series
        for i in range(n):
            text = f" {second.labels[i]} of {first.labels[i]}" if second.labels else ""
            texts.append(
                ax.text(
                    max(values[0][i], values[1][i]),
                    y[i],
                    text,
                    va="center",
                    ha="left",
                    fontsize=style.ANNOTATION_SIZE,
                    color=style.TEXT_COLOUR,
                    parse_math=False,
                )
            )
    else:
        band = 0.8
        height = band / k
        for j, series in enumerate(spec.series):
            fill, edge = looks.get(series.style, (accent, accent))
            offset = -band / 2 + height * (j + 0.5)
            ax.barh(
                y + offset,
                values[j],
                height=height * 0.92,
                color=fill,
                edgecolor=edge,
                linewidth=0.6,
                label=series.name,
            )
            for i, value in enumerate(values[j]):
                text = series.labels[i] if series.labels else ""
                if text:
                    texts.append(
                        ax.text(
                            value,
                            y[i] + offset,
                            f" {text}",
                            va="center",
                            ha="left",
                            fontsize=style.ANNOTATION_SIZE,
                            color=style.TEXT_COLOUR,
                            parse_math=False,
                        )
                    )
    set_category_ticks(ax.yaxis, y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, max(top, 1) * 1.02)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel(spec.value_label, fontsize=style.LABEL_SIZE)
    style_value_axis(ax, "x")
    handles, names = ax.get_legend_handles_labels()
    legend_above(fig, ax, handles, names)
    make_room_right(fig, ax, texts)
    return fig
