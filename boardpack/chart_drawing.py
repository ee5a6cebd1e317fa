"""Drawing a chart spec with matplotlib: the PDF page, the SVG and the 300-dpi PNG.

The other half of the chart stage (:mod:`boardpack.charts` makes the specs and
decides what to draw). Kept apart so that a run whose charts all come from
the cache never imports matplotlib: :func:`boardpack.charts.draw_charts`
imports this module only when something must be drawn.

:func:`render_chart` draws one spec with matplotlib's object API (a ``Figure``
on an Agg canvas used to measure text, never pyplot). It reads nothing but the
spec and the constants of :mod:`chart_style`, so the same spec always gives
byte-identical PDF, SVG and PNG. Layout decisions (wrapping and shortening
names, figure height, which labels fit inside a bar) are taken here, from
measured text widths; specs keep full names. Nothing is clipped: long names
wrap (``textwrap``-style, on measured widths) or end in an ellipsis, and
constrained layout makes room for every label.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import pairwise
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from . import chart_style as style
from .charts import ELLIPSIS, ChartSpec, Panel, Series, chart_of
from .formats import money, number, percent
from .model import STATUSES, Chart

__all__ = ["render_chart", "build_figure", "chart_context", "wrap_label"]


def render_chart(spec: ChartSpec) -> Chart:
    """Draw one spec in every form the outputs use, the same bytes every time.

    The figure is built and laid out once, with its title, subtitle and source
    line around the chart (:func:`_title`). matplotlib saves it twice as PDF:
    whole, and cropped to the chart alone (those texts hidden), which the pack
    places under its own heading and the slides under their titles. The SVG is
    the whole figure, or the cropped one when ``spec.bare``. PNGs are the PDF
    pages rasterised by pdfium (three times as fast as matplotlib drawing them
    again, and exactly what the pack prints): the officers' PNG at 300 dpi, the
    same with a transparent background, the same centred on a 16:9 canvas for
    a full slide, and the cropped chart for the slides.
    """
    from matplotlib.transforms import Bbox

    words = {"Title": spec.title, "Description": spec.alt_text}
    with chart_context():
        fig = _build(spec)
        width, height = (float(v) for v in fig.get_size_inches())
        header, footer, frame = getattr(fig, "_boardpack_frame", (0.0, 0.0, ()))
        whole = io.BytesIO()
        fig.savefig(whole, format="pdf", metadata={**style.PDF_METADATA, "Title": spec.title})
        svg = io.BytesIO()
        if not spec.bare:
            fig.savefig(svg, format="svg", metadata={**style.SVG_METADATA, **words})
        for artist in frame:
            artist.set_visible(False)
        crop = Bbox.from_bounds(0, footer, width, height - header - footer)
        bare = io.BytesIO()
        fig.savefig(bare, format="pdf", bbox_inches=crop, metadata={**style.PDF_METADATA, "Title": spec.title})
        if spec.bare:
            fig.savefig(svg, format="svg", bbox_inches=crop, metadata={**style.SVG_METADATA, **words})
    text = {**style.PNG_METADATA, **words}
    bare_pixels = _rasterise(bare.getvalue(), style.DPI)
    slide_png = _png(bare_pixels, style.DPI, text)
    officer_pdf = bare.getvalue() if spec.bare else whole.getvalue()
    pixels = bare_pixels if spec.bare else _rasterise(officer_pdf, style.DPI)
    png = slide_png if spec.bare else _png(pixels, style.DPI, text)
    transparent = _png(_rasterise(officer_pdf, style.DPI, transparent=True), style.DPI, text)
    wide = _png(_on_wide_canvas(pixels), style.DPI, text)
    officer_height = height - header - footer if spec.bare else height
    return chart_of(
        spec,
        png=png,
        svg=svg.getvalue(),
        pdf=bare.getvalue(),
        width_in=round(width, 3),
        height_in=round(officer_height, 3),
        slide_png=slide_png,
        slide_width_in=round(width, 3),
        slide_height_in=round(height - header - footer, 3),
        wide_png=wide,
        transparent_png=transparent,
    )


def _on_wide_canvas(rgb: np.ndarray) -> np.ndarray:
    """The picture centred on a white 16:9 canvas (the shape of a slide), never stretched."""
    height, width = rgb.shape[:2]
    canvas_height = max(height, int(np.ceil(width * 9 / 16)))
    canvas_width = max(width, int(np.ceil(canvas_height * 16 / 9)))
    canvas = np.full((canvas_height, canvas_width, 3), 255, dtype=np.uint8)
    top, left = (canvas_height - height) // 2, (canvas_width - width) // 2
    canvas[top : top + height, left : left + width] = rgb[..., :3]
    return canvas


def build_figure(spec: ChartSpec) -> Figure:
    """The laid-out matplotlib Figure of a spec, for tests and previews.

    Draw or save it inside :func:`chart_context` to get what :func:`render_chart` saves.
    """
    with chart_context():
        return _build(spec)


@contextmanager
def chart_context() -> Iterator[None]:
    """matplotlib settings while a chart is built and saved, restored afterwards.

    Starts from matplotlib's own defaults, so neither a user's matplotlibrc nor
    settings changed by other code alter the charts, then applies
    ``chart_style.RC_PARAMS``.
    """
    with matplotlib.rc_context(), warnings.catch_warnings():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(style.RC_PARAMS)
        # A character the font lacks (Chinese, most emoji) is drawn as a box;
        # the pack's data quality notes name it, so stderr stays quiet.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


# --------------------------------------------------------------------------- measuring text


@lru_cache(maxsize=8192)
def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of text in the chart font."""
    prop = FontProperties(family=style.FONT_FAMILY, size=size, weight="bold" if bold else "normal")
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def _lines_width(text: str, size: float, bold: bool = False) -> float:
    return max((_text_width(line, size, bold) for line in text.split("\n")), default=0.0)


def _shorten(text: str, width: float, size: float, bold: bool = False, suffix: str = "") -> str:
    """``text`` cut so that text + "…" + suffix fits ``width`` points."""
    if _text_width(text + suffix, size, bold) <= width:
        return text + suffix
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits
        mid = (low + high + 1) // 2
        if _text_width(text[:mid].rstrip() + ELLIPSIS + suffix, size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    head = text[:low].rstrip(" ,;:-–·")
    return (head + ELLIPSIS + suffix) if head else (ELLIPSIS + suffix)


def wrap_label(
    text: str,
    width: float,
    size: float,
    max_lines: int = 2,
    *,
    bold: bool = False,
    suffix: str = "",
    break_words: bool = True,
) -> str:
    """Wrap ``text`` on words into lines of at most ``width`` points.

    A word too long for a line is broken with a hyphen (unless ``break_words``
    is False: then it stays whole and may overrun ``width``). Past
    ``max_lines`` the last line ends in an ellipsis, followed by ``suffix``
    (e.g. " (ESU)") so that it stays unique.
    """
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        # Lines past max_lines are shortened below anyway, so breaking stops there.
        while break_words and len(lines) <= max_lines and len(word) > 1 and _text_width(word, size, bold) > width:
            low, high = 1, len(word) - 1
            while low < high:  # the longest piece that fits with its hyphen
                mid = (low + high + 1) // 2
                if _text_width(word[:mid] + "-", size, bold) <= width:
                    low = mid
                else:
                    high = mid - 1
            cut = low
            if len(word) - cut < 3 and cut > 3:  # leave at least three letters for the next line
                cut = max(3, len(word) - 3)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return "\n".join(lines)
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    return "\n".join([*kept, _shorten(rest, width, size, bold, suffix)])


def _category_labels(spec: ChartSpec, width: float, size: float, max_lines: int) -> list[str]:
    labels = []
    for i, name in enumerate(spec.categories):
        short = spec.short_categories[i] if i < len(spec.short_categories) else ""
        label = wrap_label(name, width, size, max_lines)
        if label.endswith(ELLIPSIS) and short and short != name:
            label = wrap_label(name, width, size, max_lines, suffix=f" ({short})")
        labels.append(label)
    return labels


def _line_count(labels: Iterable[str]) -> int:
    return max((label.count("\n") + 1 for label in labels), default=1)


# --------------------------------------------------------------------------- drawing


def _build(spec: ChartSpec) -> Figure:
    """The spec's figure, laid out once and for all.

    Solving the constrained layout is most of the cost of building a chart, so
    drawers measure what they must (which labels fit, the room on the right) on
    a solved layout (:func:`_laid_out`) and solve it as few times as they can.
    The layout is solved one last time if anything changed since, then frozen:
    both saves (PNG, then SVG) draw it as it is instead of each solving it
    again, and so share one layout.
    """
    fig = _DRAWERS[spec.kind](spec)
    _laid_out(fig)
    # None, not "none" (a placeholder engine): savefig then also skips the layout
    # draw it makes first for a figure with an engine. Within chart_context None
    # means no engine at all (figure.autolayout and constrained_layout.use are off).
    fig.set_layout_engine(None)
    # The layout solver's sums can differ in their last bits from run to run; axes placed
    # to a millionth of the figure draw the same bytes every time.
    for ax in fig.axes:
        ax.set_position([round(float(v), 6) for v in ax.get_position(original=False).bounds])
    return fig


def _new_figure(height: float) -> Figure:
    fig = Figure(figsize=(style.FIGURE_WIDTH_IN, round(height, 2)), dpi=style.DPI, layout="constrained")
    fig.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0.02, hspace=0.02)
    FigureCanvasAgg(fig)  # the renderer text is measured with
    return fig


def _laid_out(fig: Figure):
    """The renderer to measure with, once the figure's constrained layout is solved.

    Solves it only when something changed since it was last solved (matplotlib
    marks the figure stale on any change to one of its artists). Solving alone
    is enough to measure, and cheaper than a whole ``draw_without_rendering``.
    """
    renderer = fig.canvas.get_renderer()
    if fig.stale:
        fig.get_layout_engine().execute(fig)
        fig.stale = False
    return renderer


def _rasterise(pdf: bytes, dpi: float, *, transparent: bool = False) -> np.ndarray:
    """The first page of ``pdf`` as rows of RGB pixels at ``dpi``, drawn by pdfium on white
    (RGBA on nothing when ``transparent``: the charts draw no background of their own)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        # pdfium rounds the size up; a stray last row or column of white goes,
        # so the PNG is the figure's size in inches x dpi, as the SVG and PDF are.
        width, height = (round(points * dpi / 72) for points in page.get_size())
        if transparent:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, fill_color=(255, 255, 255, 0))  # RGBA
        else:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB, on white
        return bitmap.to_numpy()[:height, :width].copy()  # the bitmap's memory goes with the document
    finally:
        document.close()


def _png(rgb: np.ndarray, dpi: float, text: Mapping[str, str | None]) -> bytes:
    """PNG bytes of a picture given as rows of RGB or RGBA pixels.

    Saved with Pillow as 8-bit RGB, or RGBA when there is an alpha channel, at zlib
    level ``chart_style.PNG_COMPRESS_LEVEL``, with ``dpi`` and each ``text`` item
    (None leaves it out) stored in the file.
    """
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        if value is not None:
            info.add_text(key, value)  # tEXt, or UTF-8 iTXt when the text is not Latin-1
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(
        buffer, format="PNG", dpi=(dpi, dpi), pnginfo=info, compress_level=style.PNG_COMPRESS_LEVEL
    )
    return buffer.getvalue()


def _title(fig: Figure, spec: ChartSpec) -> None:
    """The chart's frame, so that it explains itself pasted alone: a short rule in the
    highlight colour, the title (bold), the subtitle (when: the period) and, at the foot, the
    source line. Each has room of its own: the figure grows by their height and the chart is
    laid out in the rest (the layout's ``rect``), so :func:`render_chart` can crop it to the
    chart alone. Drawers size their figure with one title line of room (``_overhead(1)``),
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
    fig.get_layout_engine().set(rect=(0, footer / height, 1, body / height))
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
    fig._boardpack_frame = (header, footer, tuple(artists))


def _note(fig: Figure, spec: ChartSpec) -> Figure:
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


def _overhead(title_lines: int, legend_rows: int = 0, axis: bool = True, axis_label_lines: int = 1) -> float:
    """Inches above and below the plotting area: title, legend, value axis."""
    height = 0.12 + title_lines * style.TITLE_SIZE * 1.3 / 72
    height += legend_rows * style.LEGEND_SIZE * 1.9 / 72 + (0.08 if legend_rows else 0)
    if axis:
        height += (style.TICK_SIZE * 1.6 + axis_label_lines * style.LABEL_SIZE * 1.5) / 72
    return height


def _row_height(lines: int, minimum: float = 0.26, *, many: bool = False) -> float:
    """Inches per bar row holding a category label of ``lines`` lines.

    With many rows (one-line labels by then) rows are packed tighter, so that
    forty partners still fit about one page.
    """
    if many:
        return max(style.MANY_ROW_HEIGHT_IN, (lines * style.TICK_SIZE * style.LINE_HEIGHT + 4) / 72)
    return max(minimum, (lines * style.TICK_SIZE * style.LINE_HEIGHT + 7) / 72)


def _set_category_ticks(axis, positions: Sequence[float], labels: Sequence[str]) -> None:
    axis.set_ticks(list(positions), list(labels), parse_math=False, fontsize=style.TICK_SIZE)


def _legend_above(fig: Figure, ax, handles: Sequence[Any], labels: Sequence[str], **kw) -> None:
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
    _literal(legend.get_texts())


def _literal(texts: Iterable[Any]) -> None:
    """Show names as written: "$5 and $6" is not mathematics."""
    for text in texts:
        text.set_parse_math(False)


def _status_legend(fig: Figure, ax) -> None:
    _legend_above(
        fig, ax, [_status_patch(s) for s in STATUSES], STATUSES, handlelength=1.6, handleheight=1.1, columnspacing=1.4
    )


def _status_patch(status: str) -> Patch:
    s = style.STATUS_STYLES[status]
    edge = s.edge_colour if status == "Not started" else s.colour
    return Patch(facecolor=s.colour, edgecolor=edge, hatch=s.hatch, hatchcolor=s.hatch_colour, linewidth=0.6)


def _bar_label(ax, x: float, y: float, text: str, colour: str, fill: str | None, **kw):
    """A label inside a bar. It is shown only where it fits its bar
    (:func:`_hide_labels_that_do_not_fit`), so it never needs room in the layout."""
    bbox = None
    if fill is not None:
        bbox = {"boxstyle": "round,pad=0.12", "facecolor": fill, "edgecolor": "none"}
    label = ax.text(x, y, text, color=colour, fontsize=style.ANNOTATION_SIZE, parse_math=False, bbox=bbox, **kw)
    label.set_in_layout(False)
    return label


def _hide_labels_that_do_not_fit(fig: Figure, pairs: Sequence[tuple[Any, Any]], pad: float = 2.0):
    """Hide each label whose text is wider or taller than its bar (measured after layout).

    The labels (from :func:`_bar_label`) are not part of the layout, so hiding
    some moves nothing else: the figure stays laid out.
    """
    if not pairs:
        return
    renderer = _laid_out(fig)
    pad_px = pad * fig.dpi / 72
    for text, patch in pairs:
        box = text.get_window_extent(renderer)
        bar = patch.get_window_extent(renderer)
        if box.width + 2 * pad_px > bar.width or box.height + pad_px > bar.height:
            text.set_visible(False)
    fig.stale = False


def _make_room_right(fig: Figure, ax, texts: Sequence[Any], pad: float = 4.0) -> None:
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
        renderer = _laid_out(fig)
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
    renderer = _laid_out(fig)
    if any(t.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1 for t in texts):
        fig.stale = True


def _style_value_axis(ax, axis: str = "x") -> None:
    ax.grid(axis=axis, color=style.GRID_COLOUR, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y" if axis == "x" else "x", length=0)


# stacked bars ---------------------------------------------------------------


def _status_stack(
    ax, series_list: Sequence[Series], positions: np.ndarray, thickness: float, *, horizontal: bool
) -> tuple[np.ndarray, list[tuple[Any, Any]]]:
    """One stacked bar per category, a segment per status series, each labelled inside.

    Returns where each bar ends and the (label, segment) pairs for
    :func:`_hide_labels_that_do_not_fit`.
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
                label = _bar_label(ax, x, y, text, st.text_colour, st.colour, ha="center", va="center")
                pairs.append((label, bar))
        ends += values
    return ends, pairs


def _draw_stacked_barh(spec: ChartSpec) -> Figure:
    n = len(spec.categories)
    many = n > style.MANY_ROWS
    max_lines = style.LABEL_MAX_LINES_MANY if many else style.LABEL_MAX_LINES
    label_width = style.LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72
    labels = _category_labels(spec, label_width, style.TICK_SIZE, max_lines)
    lines = _line_count(labels)
    row = _row_height(lines, many=many)
    height = _overhead(1, legend_rows=1) + max(n, 1) * row
    fig = _new_figure(max(height, 1.9))
    _title(fig, spec)
    if spec.note or not n:
        return _note(fig, spec)
    ax = fig.add_subplot()
    y = np.arange(n)
    totals, pairs = _status_stack(ax, spec.series, y, 0.68, horizontal=True)
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
    _set_category_ticks(ax.yaxis, y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, max(float(totals.max()), 1) * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.set_xlabel(spec.value_label, fontsize=style.LABEL_SIZE)
    _style_value_axis(ax, "x")
    _status_legend(fig, ax)
    _make_room_right(fig, ax, total_texts)
    _hide_labels_that_do_not_fit(fig, pairs)
    return fig


def _period_labels(periods: Sequence[str], slot_pt: float, second: Sequence[str] = ()) -> tuple[list[str], bool]:
    """Period tick labels that fit their slot: (labels, turned 90 degrees?).

    One line ("2025-26 Q1"), else two ("2025-26" over "Q1"), else turned.
    ``second`` adds a line under each label (e.g. the overall share) when it fits.
    """

    def fits(labels: Sequence[str]) -> bool:
        return all(_lines_width(label, style.TICK_SIZE) + 8 <= slot_pt for label in labels)

    for labels in ([p for p in periods], [p.replace(" ", "\n", 1) for p in periods]):
        if second:
            with_second = [f"{label}\n{extra}" if extra else label for label, extra in zip(labels, second, strict=True)]
            if fits(with_second):
                return with_second, False
        if fits(labels):
            return labels, False
    return list(periods), True


# small multiples: status by period, a panel per group -----------------------------


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
    """Panels a row: by how many partners' panels there are (chart_style.PANEL_COLUMNS),
    at most all ``panels``, fewer when a column would be narrower than ``slot_min`` points."""
    wanted = next((cols for most, cols in style.PANEL_COLUMNS if partners <= most), style.PANEL_COLUMNS_MANY)
    for ncols in range(max(1, min(wanted, panels)), 0, -1):
        if _panel_width_pt(ncols) / slots >= slot_min:
            return ncols
    return 1


def _draw_small_multiples(spec: ChartSpec) -> Figure:
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
                _text_width(t, style.ANNOTATION_SIZE)
                for panel, row in zip(panels, count_labels, strict=True)
                if panel.own_scale == own
                for t in row
            ),
            default=0.0,
        )

    widest_quarter = max((_text_width(q, style.TICK_SIZE) for q in quarters), default=0.0)
    slot_min = max(
        style.MIN_SLOT_PT,
        widest_quarter + 3,
        *((_text_width(year, style.TICK_SIZE) + 6) / (last - first + 1) for first, last, year in runs),
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
    fig = _new_figure(max(_overhead(1, legend_rows=1, axis=False) + rows * row_in, 1.9))
    _title(fig, spec)
    if spec.note or not n or not panels:
        return _note(fig, spec)
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
        _, panel_pairs = _status_stack(ax, panel.series, x, thickness, horizontal=False)
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
        _set_category_ticks(ax.xaxis, x, quarters)
        if runs:
            ax.set_xticks(
                [(first + last) / 2 for first, last, _ in runs],
                [year for _, _, year in runs],
                minor=True,
                fontsize=style.TICK_SIZE,
                color=style.MUTED_COLOUR,
            )
            ax.tick_params(axis="x", which="minor", length=0, pad=style.TICK_SIZE * 1.3 + 4)
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
        _style_value_axis(ax, "y")
    anchor = blended_transform_factory(fig.transFigure, legend_ax.transAxes)
    legend = legend_ax.legend(
        handles=[_status_patch(st) for st in STATUSES],
        labels=list(STATUSES),
        loc="center left",
        bbox_to_anchor=(2 / 72 / style.FIGURE_WIDTH_IN, 0.5),
        bbox_transform=anchor,
        ncols=len(STATUSES),
        fontsize=style.LEGEND_SIZE,
        borderaxespad=0.0,
        borderpad=0.2,
        handlelength=1.6,
        handleheight=1.1,
        columnspacing=1.4,
    )
    legend.set_in_layout(False)
    _literal(legend.get_texts())
    _fit_counts(fig, axes, tops)
    _hide_labels_that_do_not_fit(fig, pairs)
    return fig


def _fit_counts(fig: Figure, axes: Sequence[Any], tops: Sequence[float]) -> None:
    """Each panel's value axis from 0 to its top (its own, or the shared one) plus room
    for the count written above the tallest column, measured on the laid-out panels.

    New limits may change the value labels' widths a little; the layout solved
    afterwards moves the panels by a point or two, which the room allows for.
    """
    room_pt = style.ANNOTATION_SIZE * 1.25 + 4
    renderer = _laid_out(fig)
    # Panels with the same top share one scale: the same limit exactly, from the shortest.
    heights: dict[float, float] = {}
    for ax, top in zip(axes, tops, strict=True):
        height_pt = ax.get_window_extent(renderer).height * 72 / fig.dpi
        heights[top] = min(heights.get(top, height_pt), height_pt)
    for ax, top in zip(axes, tops, strict=True):
        share = min(room_pt / max(heights[top], 1.0), 0.6)
        ax.set_ylim(0, top / (1 - share))


# lines ---------------------------------------------------------------------


def _draw_lines(spec: ChartSpec) -> Figure:
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
    fig = _new_figure(max(_overhead(1, legend_rows=1, axis=False) + rows * row_in, 1.9))
    _title(fig, spec)
    if spec.note or not n or not partners:
        return _note(fig, spec)
    legend_in = (style.LEGEND_SIZE * 1.9 + 4) / 72
    grid = fig.add_gridspec(rows + 1, ncols, height_ratios=[legend_in / plot_in, *([1] * rows)])
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.set_axis_off()
    x = np.arange(n)
    ends = []
    label_pt = _text_width("100%", style.ANNOTATION_SIZE, True) + 8
    write_ends = panel_pt - label_pt >= style.MIN_SLOT_PT * max(n, 1)
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
        # Room on the right for the latest value written after the last point, where the
        # panel is wide enough to keep its periods apart too (not with many narrow panels).
        span = max(n - 1, 1) + 0.3
        ax.set_xlim(-0.3, -0.3 + (span * panel_pt / (panel_pt - label_pt) if write_ends else span))
        _set_category_ticks(ax.xaxis, x, quarters)
        if runs:
            ax.set_xticks(
                [(first + last) / 2 for first, last, _ in runs],
                [year for _, _, year in runs],
                minor=True,
                fontsize=style.TICK_SIZE,
                color=style.MUTED_COLOUR,
            )
            ax.tick_params(axis="x", which="minor", length=0, pad=style.TICK_SIZE * 1.3 + 4)
        ax.tick_params(axis="x", which="major", length=0, pad=3)
        ax.spines["left"].set_visible(False)
        _style_value_axis(ax, "y")
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
    anchor = blended_transform_factory(fig.transFigure, legend_ax.transAxes)
    legend = legend_ax.legend(
        handles=handles,
        labels=names,
        loc="center left",
        bbox_to_anchor=(2 / 72 / style.FIGURE_WIDTH_IN, 0.5),
        bbox_transform=anchor,
        ncols=len(handles),
        fontsize=style.LEGEND_SIZE,
        borderaxespad=0.0,
        borderpad=0.2,
        handlelength=2.6,
        columnspacing=1.6,
    )
    legend.set_in_layout(False)
    _literal(legend.get_texts())
    return fig


ALL_PARTNERS_LABEL = "All activities"


# grouped bars (budget, spend) -------------------------------------------------


def _draw_grouped_barh(spec: ChartSpec) -> Figure:
    """Budget and spend per partner: side by side, or, past ``MANY_ROWS`` partners,
    spend drawn inside budget on one row ("£900 of £1,200") so the chart stays
    about a page tall."""
    n = len(spec.categories)
    many = n > style.MANY_ROWS
    max_lines = style.LABEL_MAX_LINES_MANY if many else style.LABEL_MAX_LINES
    labels = _category_labels(spec, style.LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72, style.TICK_SIZE, max_lines)
    lines = _line_count(labels)
    k = len(spec.series)
    if many:
        per_row = _row_height(lines, many=True)
    else:
        per_row = max(_row_height(lines), k * (style.ANNOTATION_SIZE * 1.45 + 1) / 72 + 0.08)
    fig = _new_figure(max(_overhead(1, legend_rows=1) + max(n, 1) * per_row, 1.9))
    _title(fig, spec)
    if spec.note or not n:
        return _note(fig, spec)
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
    _set_category_ticks(ax.yaxis, y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, max(top, 1) * 1.02)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel(spec.value_label, fontsize=style.LABEL_SIZE)
    _style_value_axis(ax, "x")
    handles, names = ax.get_legend_handles_labels()
    _legend_above(fig, ax, handles, names)
    _make_room_right(fig, ax, texts)
    return fig


# heatmap ---------------------------------------------------------------------


def _column_headers(names: Sequence[str], shorts: Sequence[str], column_pt: float) -> tuple[list[str], bool]:
    """Column headings of the heatmap: (labels, turned 90 degrees?).

    Names wrap on words into up to three lines; a single word may overrun its
    column a little as long as it stays clear of its neighbours' headings.
    When that fails, headings are turned and shortened to one line.
    """
    labels = [wrap_label(name, column_pt - 6, style.TICK_SIZE, 3, break_words=False) for name in names]
    widths = [_lines_width(label, style.TICK_SIZE) for label in labels]
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
    fills = []
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


def _draw_heatmap(spec: ChartSpec) -> Figure:
    rows, cols = len(spec.categories), len(spec.series)
    many = rows > style.MANY_ROWS
    max_lines = style.LABEL_MAX_LINES_MANY if many else style.LABEL_MAX_LINES
    label_width = style.HEATMAP_LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72
    labels = _category_labels(spec, label_width, style.TICK_SIZE, max_lines)
    lines = _line_count(labels)
    widest_label = max((_lines_width(label, style.TICK_SIZE) for label in labels), default=0)
    column_pt = (style.FIGURE_WIDTH_IN * 72 - widest_label - 30) / max(cols, 1)
    area_shorts = dict(spec.extras).get("area_short_name", ())
    column_labels, rotate = _column_headers([s.name for s in spec.series], area_shorts, column_pt)
    if rotate:
        header = max((_lines_width(c, style.TICK_SIZE) for c in column_labels), default=0) / 72
    else:
        header = _line_count(column_labels) * style.TICK_SIZE * style.LINE_HEIGHT / 72
    two_line_cells = not many
    cell_in = max(
        _row_height(lines, 0.42, many=many), (2 if two_line_cells else 1) * style.ANNOTATION_SIZE * 1.3 / 72 + 0.06
    )
    fig = _new_figure(max(_overhead(1, axis=False) + header + 0.15 + rows * cell_in, 1.6))
    _title(fig, spec)
    if spec.note or not rows or not cols:
        return _note(fig, spec)
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
    _set_category_ticks(ax.yaxis, np.arange(rows), labels)
    ax.xaxis.tick_top()
    _set_category_ticks(ax.xaxis, np.arange(cols), column_labels)
    if rotate:
        for label in ax.get_xticklabels():
            label.set_rotation(90)
            label.set_verticalalignment("bottom")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


# metrics: one small panel per metric ------------------------------------------------


def _draw_metrics(spec: ChartSpec) -> Figure:
    """Bullet rows on one "% of target" axis: a bar per metric for its latest value as a share
    of its target, a black line at 100% (the target), and the value, target and "met" or "not
    met" written beside it. Met bars are filled with the measure colour, not met ones are pale
    with an outline, and the words say which, by the metric's own direction. A metric without
    a target (or a value) has no bar, only its words."""
    n = len(spec.categories)
    labels = _category_labels(spec, style.METRIC_LABEL_WIDTH_SHARE * style.FIGURE_WIDTH_IN * 72, style.TICK_SIZE, 2)
    lines = _line_count(labels)
    row = max(_row_height(lines, 0.34), 0.34)
    fig = _new_figure(max(_overhead(1, legend_rows=1) + n * row, 1.9))
    _title(fig, spec)
    if not n:
        return _note(fig, spec)
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
    _set_category_ticks(ax.yaxis, y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, limit)
    ax.set_xticks([t for t in (0, 50, 100, 150, 200, 250, 300) if t <= limit])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v)))
    ax.set_xlabel(spec.value_label, fontsize=style.LABEL_SIZE)
    _style_value_axis(ax, "x")
    handles = [
        Patch(facecolor=measure, edgecolor=measure, linewidth=0.9),
        Patch(facecolor=pale, edgecolor=measure, linewidth=0.9),
        Line2D([], [], color=style.TARGET_COLOUR, linewidth=1.6),
    ]
    _legend_above(fig, ax, handles, ["Met", "Not met", "Target (100%)"], handlelength=1.6)
    _make_room_right(fig, ax, texts)
    return fig


_DRAWERS = {
    "stacked-barh": _draw_stacked_barh,
    "lines": _draw_lines,
    "grouped-barh": _draw_grouped_barh,
    "heatmap": _draw_heatmap,
    "small-multiples": _draw_small_multiples,
    "metrics": _draw_metrics,
}
