"""What every kind of chart draws with: the figure and its layout, the frame (rule, title,
subtitle, source), legends, labels inside bars, room for texts, stacked status bars."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from ...model import STATUSES
from .. import style
from ..spec import ChartSpec, Series
from .text import wrap_label


class ChartFigure(Figure):
    """A chart's figure, knowing its frame (set by :func:`add_frame`): the heights in inches of
    the header (rule, title, subtitle) and footer (source line), and the artists to hide when
    the figure is cropped to the chart alone."""

    frame_header: float = 0.0
    frame_footer: float = 0.0
    frame_artists: tuple[Artist, ...] = ()


@contextmanager
def chart_context() -> Iterator[None]:
    """matplotlib settings while a chart is built and saved, restored afterwards.

    Starts from matplotlib's own defaults, so neither a user's matplotlibrc nor
    settings changed by other code alter the charts, then applies
    ``style.RC_PARAMS``.
    """
    with matplotlib.rc_context(), warnings.catch_warnings():
        matplotlib.rcdefaults()
        # The stubs accept only the literal names of settings, not a mapping of str.
        matplotlib.rcParams.update(style.RC_PARAMS)  # type: ignore[arg-type]
        # A character the font lacks (Chinese, most emoji) is drawn as a box;
        # the pack's data quality notes name it, so stderr stays quiet.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def new_figure(height: float) -> ChartFigure:
    fig = ChartFigure(figsize=(style.FIGURE_WIDTH_IN, round(height, 2)), dpi=style.DPI, layout="constrained")
    layout_engine(fig).set(w_pad=4 / 72, h_pad=4 / 72, wspace=0.02, hspace=0.02)
    FigureCanvasAgg(fig)  # the renderer text is measured with
    return fig


def layout_engine(fig: Figure) -> ConstrainedLayoutEngine:
    """The constrained layout every chart figure is made with (:func:`new_figure`)."""
    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        raise TypeError("a chart figure is laid out by constrained layout until it is frozen")
    return engine


def laid_out(fig: Figure) -> RendererAgg:
    """The renderer to measure with, once the figure's constrained layout is solved.

    Solves it only when something changed since it was last solved (matplotlib
    marks the figure stale on any change to one of its artists). Solving alone
    is enough to measure, and cheaper than a whole ``draw_without_rendering``.
    """
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError("a chart figure is measured on an Agg canvas (new_figure)")
    renderer = canvas.get_renderer()
    if fig.stale:
        layout_engine(fig).execute(fig)
        fig.stale = False
    return renderer


def add_frame(fig: ChartFigure, spec: ChartSpec) -> None:
    """The chart's frame, so that it explains itself pasted alone: a short rule in the
    highlight colour, the title (bold), the subtitle (when: the period) and, at the foot, the
    source line. Each has room of its own: the figure grows by their height and the chart is
    laid out in the rest (the layout's ``rect``), so :func:`~.files.draw_images` can crop it to the
    chart alone. Drawers size their figure with one title line of room (``overhead(1)``),
    which this takes back.
    """
    width_in = float(fig.get_size_inches()[0])
    width = width_in * 72 - 12
    title = wrap_label(spec.title, width, style.TITLE_SIZE, 2, bold=True)
    subtitle = wrap_label(spec.subtitle, width, style.SUBTITLE_SIZE, 2) if spec.subtitle else ""
    source = wrap_label(spec.source, width, style.SOURCE_SIZE, 2) if spec.source else ""
    lines = {text: text.count("\n") + 1 if text else 0 for text in (title, subtitle, source)}
    body = float(fig.get_size_inches()[1]) - style.TITLE_SIZE * 1.3 / 72  # less the drawer's title line
    top_pad, rule, gap = 6 / 72, style.RULE_HEIGHT_PT / 72, 5 / 72
    title_in = lines[title] * style.TITLE_SIZE * 1.22 / 72
    subtitle_in = (lines[subtitle] * style.SUBTITLE_SIZE * 1.3 + 3) / 72 if subtitle else 0.0
    header = top_pad + rule + gap + title_in + subtitle_in + 4 / 72
    footer = (lines[source] * style.SOURCE_SIZE * 1.3 + 10) / 72 if source else 0.0
    height = round(body + header + footer, 2)
    body = height - header - footer
    fig.set_size_inches(width_in, height)
    layout_engine(fig).set(rect=(0, footer / height, 1, body / height))
    left = 6 / 72 / width_in
    artists = [
        fig.add_artist(
            Rectangle(
                (left, 1 - (top_pad + rule) / height),
                0.55 / width_in,
                rule / height,
                transform=fig.transFigure,
                facecolor=spec.brand[1],
                edgecolor="none",
            )
        )
    ]
    y = 1 - (top_pad + rule + gap) / height
    artists.append(
        fig.text(
            left,
            y,
            title,
            ha="left",
            va="top",
            fontsize=style.TITLE_SIZE,
            fontweight="bold",
            color=style.TEXT_COLOUR,
            parse_math=False,
            linespacing=1.1,
        )
    )
    if subtitle:
        artists.append(
            fig.text(
                left,
                y - (title_in + 2 / 72) / height,
                subtitle,
                ha="left",
                va="top",
                fontsize=style.SUBTITLE_SIZE,
                color=style.MUTED_COLOUR,
                parse_math=False,
            )
        )
    if source:
        artists.append(
            fig.text(
                left,
                4 / 72 / height,
                source,
                ha="left",
                va="bottom",
                fontsize=style.SOURCE_SIZE,
                color=style.MUTED_COLOUR,
                parse_math=False,
            )
        )
    for artist in artists:
        artist.set_in_layout(False)
    fig.frame_header, fig.frame_footer, fig.frame_artists = header, footer, tuple(artists)


def add_note(fig: ChartFigure, spec: ChartSpec) -> ChartFigure:
    """A chart with nothing to draw: the title and a sentence saying so."""
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        wrap_label(spec.note, style.FIGURE_WIDTH_IN * 72 - 40, style.LABEL_SIZE, 3),
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=style.LABEL_SIZE,
        color=style.MUTED_COLOUR,
        parse_math=False,
    )
    return fig


def overhead(title_lines: int, legend_rows: int = 0, axis: bool = True, axis_label_lines: int = 1) -> float:
    """Inches above and below the plotting area: title, legend, value axis."""
    height = 0.12 + title_lines * style.TITLE_SIZE * 1.3 / 72
    height += legend_rows * style.LEGEND_SIZE * 1.9 / 72 + (0.08 if legend_rows else 0)
    if axis:
        height += (style.TICK_SIZE * 1.6 + axis_label_lines * style.LABEL_SIZE * 1.5) / 72
    return height


def row_height(lines: int, minimum: float = 0.26, *, many: bool = False) -> float:
    """Inches per bar row holding a category label of ``lines`` lines.

    With many rows (one-line labels by then) rows are packed tighter, so that
    forty partners still fit about one page.
    """
    if many:
        return max(style.MANY_ROW_HEIGHT_IN, (lines * style.TICK_SIZE * style.LINE_HEIGHT + 4) / 72)
    return max(minimum, (lines * style.TICK_SIZE * style.LINE_HEIGHT + 7) / 72)


def set_category_ticks(axis, positions: Iterable[float], labels: Sequence[str]) -> None:
    axis.set_ticks(list(positions), list(labels), parse_math=False, fontsize=style.TICK_SIZE)


def legend_above(fig: Figure, ax, handles: Sequence[Any], labels: Sequence[str], **kw) -> None:
    """A one-row legend between the title and the plot, left-aligned with the title.

    It belongs to the axes (x in figure units, y in axes units), so constrained
    layout makes room for it under the title; ``fig.legend(loc="outside upper
    ...")`` would sit on top of the title instead.
    """
    anchor = blended_transform_factory(fig.transFigure, ax.transAxes)
    legend = ax.legend(
        handles=list(handles),
        labels=list(labels),
        loc="lower left",
        bbox_to_anchor=(2 / 72 / style.FIGURE_WIDTH_IN, 1.0),
        bbox_transform=anchor,
        ncols=kw.pop("ncols", len(handles)),
        fontsize=style.LEGEND_SIZE,
        borderaxespad=0.3,
        borderpad=0.2,
        **kw,
    )
    literal(legend.get_texts())


def literal(texts: Iterable[Any]) -> None:
    """Show names as written: "$5 and $6" is not mathematics."""
    for text in texts:
        text.set_parse_math(False)


def status_legend(fig: Figure, ax) -> None:
    legend_above(
        fig, ax, [status_patch(s) for s in STATUSES], STATUSES, handlelength=1.6, handleheight=1.1, columnspacing=1.4
    )


def status_patch(status: str) -> Patch:
    s = style.STATUS_STYLES[status]
    edge = s.edge_colour if status == "Not started" else s.colour
    return Patch(facecolor=s.colour, edgecolor=edge, hatch=s.hatch, hatchcolor=s.hatch_colour, linewidth=0.6)


def bar_label(ax, x: float, y: float, text: str, colour: str, fill: str | None, **kw):
    """A label inside a bar. It is shown only where it fits its bar
    (:func:`hide_labels_that_do_not_fit`), so it never needs room in the layout."""
    bbox = None
    if fill is not None:
        bbox = {"boxstyle": "round,pad=0.12", "facecolor": fill, "edgecolor": "none"}
    label = ax.text(x, y, text, color=colour, fontsize=style.ANNOTATION_SIZE, parse_math=False, bbox=bbox, **kw)
    label.set_in_layout(False)
    return label


def hide_labels_that_do_not_fit(fig: Figure, pairs: Sequence[tuple[Any, Any]], pad: float = 2.0):
    """Hide each label whose text is wider or taller than its bar (measured after layout).

    The labels (from :func:`bar_label`) are not part of the layout, so hiding
    some moves nothing else: the figure stays laid out.
    """
    if not pairs:
        return
    renderer = laid_out(fig)
    pad_px = pad * fig.dpi / 72
    for text, patch in pairs:
        box = text.get_window_extent(renderer)
        bar = patch.get_window_extent(renderer)
        if box.width + 2 * pad_px > bar.width or box.height + pad_px > bar.height:
            text.set_visible(False)
    fig.stale = False


def make_room_right(fig: Figure, ax, texts: Sequence[Any], pad: float = 4.0) -> None:
    """Widen the value axis just enough that every text ends ``pad`` points inside the axes.

    The texts (left-aligned at a data x) are kept out of the layout meanwhile, so
    the axes' width does not depend on where they end: one solved layout gives
    the width, the new limit follows from it, and solving again lays out the new
    ticks (it only takes another round if they left the axes narrower).
    Leaves the figure laid out.
    """
    texts = [t for t in texts if t.get_visible()]
    for text in texts:
        text.set_in_layout(False)
    for _ in range(3):
        renderer = laid_out(fig)
        width = ax.get_window_extent(renderer).width
        low, high = ax.get_xlim()
        right = high
        for text in texts:
            x = text.get_position()[0]
            # Its length past its anchor (the leading space included), and the room left for it.
            length = text.get_window_extent(renderer).x1 - ax.transData.transform((x, 0))[0]
            room = max(width - length - pad * fig.dpi / 72, 0.2 * width)
            right = max(right, low + (x - low) * width / room)
        if right - high <= 1e-9 * (high - low):
            break
        ax.set_xlim(low, right)
    # Back in the layout: inside the axes, they leave it as solved; one that
    # could not fit gets room from the layout when the figure is laid out last.
    for text in texts:
        text.set_in_layout(True)
    renderer = laid_out(fig)
    if any(t.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1 for t in texts):
        fig.stale = True


def style_value_axis(ax, axis: str = "x") -> None:
    ax.grid(axis=axis, color=style.GRID_COLOUR, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y" if axis == "x" else "x", length=0)


def status_stack(
    ax, series_list: Sequence[Series], positions: np.ndarray, thickness: float, *, horizontal: bool
) -> tuple[np.ndarray, list[tuple[Any, Any]]]:
    """One stacked bar per category, a segment per status series, each labelled inside.

    Returns where each bar ends and the (label, segment) pairs for
    :func:`hide_labels_that_do_not_fit`.
    """
    ends = np.zeros(len(positions))
    pairs = []
    for series in series_list:
        values = np.array([0 if v is None else v for v in series.values], dtype=float)
        st = style.STATUS_STYLES[series.style]
        look = dict(
            color=st.colour,
            hatch=st.hatch,
            hatchcolor=st.hatch_colour,
            edgecolor=st.edge_colour,
            linewidth=0.6,
            label=series.name,
        )
        if horizontal:
            bars = ax.barh(positions, values, left=ends, height=thickness, **look)
        else:
            bars = ax.bar(positions, values, bottom=ends, width=thickness, **look)
        for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
            text = series.labels[i] if series.labels else ""
            if value > 0 and text:
                middle = ends[i] + value / 2
                x, y = (middle, positions[i]) if horizontal else (positions[i], middle)
                label = bar_label(ax, x, y, text, st.text_colour, st.colour, ha="center", va="center")
                pairs.append((label, bar))
        ends += values
    return ends, pairs
