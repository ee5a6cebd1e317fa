"""Small multiples, a panel per group: status counts by period (stacked columns) and the
share on track or complete by period (lines)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from ...formats import number, percent
from ...model import STATUSES
from .. import style
from ..spec import ELLIPSIS, ChartSpec, Panel
from .common import (
    ChartFigure,
    add_frame,
    add_note,
    hide_labels_that_do_not_fit,
    laid_out,
    literal,
    new_figure,
    overhead,
    set_category_ticks,
    status_patch,
    status_stack,
    style_value_axis,
)
from .text import text_width, wrap_label

__all__ = ["draw_lines", "draw_small_multiples"]


# small multiples: status by period, a panel per group -----------------------------


# The least room between two period names under a chart: quarters, and years.
QUARTER_GAP_PT, YEAR_GAP_PT = 3.0, 6.0


def _split_period(label: str) -> tuple[str, str]:
    """("25-26", "Q1") from "25-26 Q1"; ("", "Q1") from "Q1"."""
    year, _, quarter = label.rpartition(" ")
    return year, quarter


def _year_runs(years: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first index, last index, year) of each run of neighbouring periods in one year."""
    runs: list[tuple[int, int, str]] = []
    for i, year in enumerate(years):
        if runs and runs[-1][2] == year:
            runs[-1] = (runs[-1][0], i, year)
        else:
            runs.append((i, i, year))
    return runs


def _year_ticks(ax, runs: Sequence[tuple[int, int, str]]) -> None:
    """Each run's year under the middle of its quarters, a line below them."""
    if not runs:
        return
    # A run of an odd number of periods has its middle on a quarter's tick, and matplotlib
    # drops a minor tick where there is a major one unless told not to.
    ax.xaxis.remove_overlapping_locs = False
    ax.set_xticks(
        [(first + last) / 2 for first, last, _ in runs],
        [year for _, _, year in runs],
        minor=True,
        fontsize=style.TICK_SIZE,
        color=style.MUTED_COLOUR,
    )
    ax.tick_params(axis="x", which="minor", length=0, pad=style.TICK_SIZE * 1.3 + 4)


def _label_step(texts: Sequence[str], room_pt: float, gap_pt: float) -> int:
    """The smallest k for which naming every k-th of ``texts`` keeps them apart: each named
    one, with ``gap_pt`` beside it, fits in k times ``room_pt`` (the room of one)."""
    widest = max((text_width(t, style.TICK_SIZE) for t in texts), default=0.0) + gap_pt
    return max(1, math.ceil(widest / room_pt)) if room_pt > 0 else 1


def _panel_width_pt(ncols: int) -> float:
    """Estimated plot width of one panel, in points, when ``ncols`` panels share a row
    (value labels left of a row's first panel only)."""
    gap, tick_room = 12.0, 20.0
    return (style.FIGURE_WIDTH_IN * 72 - 8 - tick_room - (ncols - 1) * gap) / ncols


def _panel_span(ncols: int, slots: float, slot_min: float) -> int:
    """Columns of the grid a panel takes so that its columns are ``slot_min`` points wide
    (all partners' counts are larger than any one partner's), at most a whole row."""
    for span in range(1, ncols + 1):
        if (span * _panel_width_pt(ncols) + (span - 1) * 12.0) / slots >= slot_min:
            return span
    return ncols


def _panel_columns(partners: int, panels: int, slots: float, slot_min: float) -> int:
    """Panels a row: by how many partners' panels there are (style.PANEL_COLUMNS),
    at most all ``panels``, fewer when a column would be narrower than ``slot_min`` points."""
    wanted = next((cols for most, cols in style.PANEL_COLUMNS if partners <= most), style.PANEL_COLUMNS_MANY)
    for ncols in range(max(1, min(wanted, panels)), 0, -1):
        if _panel_width_pt(ncols) / slots >= slot_min:
            return ncols
    return 1


def draw_small_multiples(spec: ChartSpec) -> ChartFigure:
    """A grid of small stacked-column charts, one per panel (all partners, then each partner),
    a column per period, the total written on top.

    The partners' panels share one value scale, so their columns compare
    honestly; a panel with ``own_scale`` (all partners together) has its own,
    with its own value labels. Period labels are "Q1"; when the periods span
    strategy years, the year ("25-26") is written once under its quarters.
    Panels a row: see :func:`_panel_columns`; a panel on its own scale takes
    more than one column of the grid when its counts need wider columns
    (:func:`_panel_span`). The figure is as tall as its rows.
    """
    panels: Sequence[Panel] = spec.panels
    n = len(spec.categories)
    split = [_split_period(label) for label in (spec.short_categories or spec.categories)]
    quarters = [q for _, q in split]
    years = [y for y, _ in split]
    runs = _year_runs(years) if any(years) else []
    totals = [
        np.sum([[v or 0 for v in s.values] for s in panel.series], axis=0) if panel.series else np.zeros(n)
        for panel in panels
    ]
    count_labels = [[number(t) for t in row] for row in totals]

    # A column must hold its count, its quarter and (in a run of k periods) 1/k of its year.
    def widest_count(own: bool) -> float:
        return max(
            (
                text_width(t, style.ANNOTATION_SIZE)
                for panel, row in zip(panels, count_labels, strict=True)
                if panel.own_scale == own
                for t in row
            ),
            default=0.0,
        )

    widest_quarter = max((text_width(q, style.TICK_SIZE) for q in quarters), default=0.0)
    slot_min = max(
        style.MIN_SLOT_PT,
        widest_quarter + QUARTER_GAP_PT,
        *((text_width(year, style.TICK_SIZE) + YEAR_GAP_PT) / (last - first + 1) for first, last, year in runs),
    )
    slots = max(n, 1) + 0.2
    ncols = _panel_columns(
        sum(1 for p in panels if not p.own_scale), len(panels), slots, max(slot_min, widest_count(False) + 4)
    )
    own_span = _panel_span(ncols, slots, max(slot_min, widest_count(True) + 4))
    cells = []  # (row, first column, columns) of each panel
    position = 0
    for panel in panels:
        width = own_span if panel.own_scale else 1
        if position % ncols + width > ncols:
            position += ncols - position % ncols
        cells.append((position // ncols, position % ncols, width))
        position += width
    rows = max((row for row, _, _ in cells), default=0) + 1
    panel_pt = _panel_width_pt(ncols)
    plot_in = min(max(panel_pt / 72 * style.PANEL_ASPECT, style.PANEL_MIN_HEIGHT_IN), style.PANEL_MAX_HEIGHT_IN)
    tick_lines = 2 if runs else 1
    # Panels are headed by full names where they fit one line, else by the registry's short
    # name: one line keeps the chart within the executive summary's page.
    titles = []
    for index, panel in enumerate(panels):
        title_width = cells[index][2] * (panel_pt + 12) - 12  # the panel's width
        full = wrap_label(panel.name, title_width, style.PANEL_TITLE_SIZE, 1, bold=True)
        titles.append(
            full
            if "\n" not in full and not full.endswith(ELLIPSIS)
            else wrap_label(panel.title, title_width, style.PANEL_TITLE_SIZE, 1, bold=True)
        )
    row_in = plot_in + (style.PANEL_TITLE_SIZE * 1.25 + 4) / 72 + (tick_lines * style.TICK_SIZE * 1.3 + 5) / 72 + 0.08
    fig = new_figure(max(overhead(1, legend_rows=1, axis=False) + rows * row_in, 1.9))
    add_frame(fig, spec)
    if spec.note or not n or not panels:
        return add_note(fig, spec)
    # The legend has a row of its own across the grid: as part of the first panel it
    # would widen the first column of panels to its own width.
    legend_in = (style.LEGEND_SIZE * 1.9 + 4) / 72
    grid = fig.add_gridspec(rows + 1, ncols, height_ratios=[legend_in / plot_in, *([1] * rows)])
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.set_axis_off()
    axes = [fig.add_subplot(grid[1 + row, column : column + width]) for row, column, width in cells]
    shared_top = max(
        (float(t.max(initial=0)) for t, p in zip(totals, panels, strict=True) if not p.own_scale), default=0.0
    )
    x = np.arange(n)
    thickness = 0.66 if n > 1 else 0.4
    pairs, tops = [], []
    for index, (ax, panel) in enumerate(zip(axes, panels, strict=True)):
        _, panel_pairs = status_stack(ax, panel.series, x, thickness, horizontal=False)
        pairs += panel_pairs
        top = float(totals[index].max(initial=0)) if panel.own_scale else shared_top
        tops.append(max(top, 1.0))
        for i in range(n):
            label = ax.annotate(
                count_labels[index][i],
                (x[i], totals[index][i]),
                xytext=(0, 1.5),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=style.ANNOTATION_SIZE,
                color=style.TEXT_COLOUR,
                annotation_clip=False,
                parse_math=False,
            )
            label.set_in_layout(False)
        ax.set_title(
            titles[index],
            loc="left",
            fontsize=style.PANEL_TITLE_SIZE,
            fontweight="bold",
            pad=4,
            color=style.TEXT_COLOUR,
            parse_math=False,
        )
        ax.set_xlim(-0.6, n - 0.4)
        set_category_ticks(ax.xaxis, x, quarters)
        _year_ticks(ax, runs)
        ax.tick_params(axis="x", which="major", length=0, pad=3)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
        # Value labels where the scale is new: a row's first panel, and the one after a panel
        # on another scale.
        first_in_row = cells[index][1] == 0
        after_other = index > 0 and panels[index - 1].own_scale != panel.own_scale
        ax.tick_params(
            axis="y",
            labelleft=first_in_row or after_other,
            length=0,
            pad=2,
            labelsize=style.ANNOTATION_SIZE,
            labelcolor=style.MUTED_COLOUR,
        )
        ax.spines["left"].set_visible(False)
        style_value_axis(ax, "y")
    _legend_row(
        fig,
        legend_ax,
        [status_patch(st) for st in STATUSES],
        list(STATUSES),
        handlelength=1.6,
        handleheight=1.1,
        columnspacing=1.4,
    )
    _fit_counts(fig, axes, tops)
    hide_labels_that_do_not_fit(fig, pairs)
    return fig


def _fit_counts(fig: Figure, axes: Sequence[Any], tops: Sequence[float]) -> None:
    """Each panel's value axis from 0 to its top (its own, or the shared one) plus room
    for the count written above the tallest column, measured on the laid-out panels.

    New limits may change the value labels' widths a little; the layout solved
    afterwards moves the panels by a point or two, which the room allows for.
    """
    room_pt = style.ANNOTATION_SIZE * 1.25 + 4
    renderer = laid_out(fig)
    # Panels with the same top share one scale: the same limit exactly, from the shortest.
    heights: dict[float, float] = {}
    for ax, top in zip(axes, tops, strict=True):
        height_pt = ax.get_window_extent(renderer).height * 72 / fig.dpi
        heights[top] = min(heights.get(top, height_pt), height_pt)
    for ax, top in zip(axes, tops, strict=True):
        share = min(room_pt / max(heights[top], 1.0), 0.6)
        ax.set_ylim(0, top / (1 - share))


# lines ---------------------------------------------------------------------


def draw_lines(spec: ChartSpec) -> ChartFigure:
    """Small multiples of the on-track share: one panel per partner, the partner's line in the
    measure colour with its latest value written at its end, all partners as a grey dashed
    line in every panel, so that each partner reads against the whole without six lines
    lying on top of each other. One partner: one panel, its line (which is the whole)."""
    n = len(spec.categories)
    overall = next((s for s in spec.series if s.style == "overall"), None)
    partners = [s for s in spec.series if s.style == "partner"] or ([overall] if overall else [])
    measure = spec.brand[0]
    labels = spec.short_categories or spec.categories
    split = [_split_period(label) for label in labels]
    quarters = [q for _, q in split]
    runs = _year_runs([y for y, _ in split]) if any(y for y, _ in split) else []
    wanted = next((cols for most, cols in style.PANEL_COLUMNS if len(partners) <= most), style.PANEL_COLUMNS_MANY)
    ncols = max(1, min(wanted, len(partners)))
    rows = -(-len(partners) // ncols) if partners else 1
    panel_pt = _panel_width_pt(ncols)
    titles = [wrap_label(s.name, panel_pt, style.PANEL_TITLE_SIZE, 2, bold=True) for s in partners]
    title_lines = max((t.count("\n") + 1 for t in titles), default=1)
    plot_in = min(max(panel_pt / 72 * style.PANEL_ASPECT, style.PANEL_MIN_HEIGHT_IN), style.PANEL_MAX_HEIGHT_IN)
    tick_lines = 2 if runs else 1
    row_in = (
        plot_in
        + (title_lines * style.PANEL_TITLE_SIZE * 1.25 + 4) / 72
        + (tick_lines * style.TICK_SIZE * 1.3 + 5) / 72
        + 0.08
    )
    fig = new_figure(max(overhead(1, legend_rows=1, axis=False) + rows * row_in, 1.9))
    add_frame(fig, spec)
    if spec.note or not n or not partners:
        return add_note(fig, spec)
    legend_in = (style.LEGEND_SIZE * 1.9 + 4) / 72
    grid = fig.add_gridspec(rows + 1, ncols, height_ratios=[legend_in / plot_in, *([1] * rows)])
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.set_axis_off()
    x = np.arange(n)
    ends = []
    label_pt = text_width("100%", style.ANNOTATION_SIZE, True) + 8
    write_ends = panel_pt - label_pt >= style.MIN_SLOT_PT * max(n, 1)
    # Room on the right for the latest value written after the last point, where the
    # panel is wide enough to keep its periods apart too (not with many narrow panels).
    span = max(n - 1, 1) + 0.3
    x_span = span * panel_pt / (panel_pt - label_pt) if write_ends else span
    # Every period is drawn, but in narrow panels only every k-th quarter (and year) is
    # named, counting back from the latest, so that the names do not run into each other.
    period_pt = panel_pt / x_span
    step = _label_step(quarters, period_pt, QUARTER_GAP_PT)
    quarters = [q if (n - 1 - i) % step == 0 else "" for i, q in enumerate(quarters)]
    shortest_run = min(((last - first + 1) * period_pt for first, last, _ in runs), default=0.0)
    runs = runs[::-1][:: _label_step([year for *_, year in runs], shortest_run, YEAR_GAP_PT)][::-1]
    for index, series in enumerate(partners):
        ax = fig.add_subplot(grid[1 + index // ncols, index % ncols])
        if overall is not None and series is not overall:
            reference = np.array([np.nan if v is None else v for v in overall.values], dtype=float)
            ax.plot(
                x,
                reference,
                color=style.REFERENCE_COLOUR,
                linewidth=1.3,
                linestyle=(0, (4, 2)),
                zorder=2,
                clip_on=False,
            )
        values = np.array([np.nan if v is None else v for v in series.values], dtype=float)
        ax.plot(x, values, color=measure, linewidth=2.2, marker="o", markersize=3.5, zorder=3, clip_on=False)
        known = [i for i in range(n) if not np.isnan(values[i])]
        if known and write_ends:
            last = known[-1]
            label = ax.annotate(
                series.labels[last] if series.labels else percent(values[last]),
                (x[last], values[last]),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=style.ANNOTATION_SIZE,
                fontweight="bold",
                color=measure,
                annotation_clip=False,
                parse_math=False,
            )
            ends.append(label)
        ax.set_title(
            titles[index],
            loc="left",
            fontsize=style.PANEL_TITLE_SIZE,
            fontweight="bold",
            pad=4,
            color=style.TEXT_COLOUR,
            parse_math=False,
        )
        ax.set_ylim(0, spec.value_max or 100)
        ax.set_yticks([0, 50, 100])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v)))
        ax.tick_params(
            axis="y",
            labelleft=index % ncols == 0,
            length=0,
            pad=2,
            labelsize=style.ANNOTATION_SIZE,
            labelcolor=style.MUTED_COLOUR,
        )
        ax.set_xlim(-0.3, -0.3 + x_span)
        set_category_ticks(ax.xaxis, x, quarters)
        _year_ticks(ax, runs)
        ax.tick_params(axis="x", which="major", length=0, pad=3)
        ax.spines["left"].set_visible(False)
        style_value_axis(ax, "y")
    for label in ends:
        label.set_in_layout(False)
    handles = [Line2D([], [], color=measure, linewidth=2.2, marker="o", markersize=3.5)]
    names = [
        ("Partner (latest share written at the end)" if write_ends else "Partner")
        if overall is not None and partners[0] is not overall
        else ALL_PARTNERS_LABEL
    ]
    if overall is not None and partners[0] is not overall:
        handles.append(Line2D([], [], color=style.REFERENCE_COLOUR, linewidth=1.3, linestyle=(0, (4, 2))))
        names.append("All partners")
    _legend_row(fig, legend_ax, handles, names, handlelength=2.6, columnspacing=1.6)
    return fig


def _legend_row(fig, legend_ax, handles: list, labels: list[str], **spacing: float) -> None:
    """The legend in one row above the panels, from the figure's left edge; kept out of the layout."""
    legend = legend_ax.legend(
        handles=handles,
        labels=labels,
        loc="center left",
        bbox_to_anchor=(2 / 72 / style.FIGURE_WIDTH_IN, 0.5),
        bbox_transform=blended_transform_factory(fig.transFigure, legend_ax.transAxes),
        ncols=len(handles),
        fontsize=style.LEGEND_SIZE,
        borderaxespad=0.0,
        borderpad=0.2,
        **spacing,
    )
    legend.set_in_layout(False)
    literal(legend.get_texts())


ALL_PARTNERS_LABEL = "All activities"
