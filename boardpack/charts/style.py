"""How charts look, as data: status colours and hatches, fonts, sizes, line styles.

Nothing here draws or reads files, and nothing is computed at import time
beyond these constants. :mod:`boardpack.charts.draw` reads them when it draws a
spec; the branding colours of the template (``[branding]`` primary and accent)
travel in each spec, so the same spec always draws the same picture.

Status colours still read as red, amber, green, blue and grey, but they differ
mainly in lightness (CIE L*, see :func:`lightness`), so they stay apart for
colour-blind readers and in greyscale print; neighbours in the stacking order
(``model.STATUSES``) are at least 15 L* apart. Each status also has a hatch, and
every chart names statuses in a legend or a text label, never by colour alone.

Sizes suit a figure 7 in wide placed about 16 cm wide on A4 (scale ~0.9): the
smallest text, 8.5 pt, prints at about 7.7 pt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# --------------------------------------------------------------------------- page

FONT_FAMILY = "DejaVu Sans"  # ships with matplotlib; the PDF uses the same family
DPI = 300
FIGURE_WIDTH_IN = 7.0

TITLE_SIZE = 11.0
SUBTITLE_SIZE = 9.5  # the period, under the title
SOURCE_SIZE = 8.0  # the source line at the foot
RULE_HEIGHT_PT = 2.5  # the short highlight-coloured rule over the title
LABEL_SIZE = 9.5  # axis titles
TICK_SIZE = 9.0  # tick labels: partner, activity and period names
LEGEND_SIZE = 9.0
ANNOTATION_SIZE = 8.5  # numbers inside bars and cells

TEXT_COLOUR = "#1A1A1A"
MUTED_COLOUR = "#595959"  # notes, gridlines' labels; 7:1 on white
GRID_COLOUR = "#D0D0D0"
LINE_HEIGHT = 1.25  # line spacing of wrapped labels, in font sizes

# Room a wrapped category label may take, as a share of the figure width, and
# how many lines it may wrap to before it is shortened with an ellipsis.
LABEL_WIDTH_SHARE = 0.34
HEATMAP_LABEL_WIDTH_SHARE = 0.26  # narrower, so area headings fit their columns
PROGRESS_LABEL_WIDTH_SHARE = 0.42  # activity names are long and the bars need less room
METRIC_LABEL_WIDTH_SHARE = 0.36
LABEL_MAX_LINES = 2
LABEL_MAX_LINES_MANY = 1  # when a chart has more rows than MANY_ROWS
MANY_ROWS = 14
MANY_ROW_HEIGHT_IN = 0.22  # rows of one-line labels when there are many, to stay near a page

# Small multiples (status-by-period): partners' panels a row, by how many partners
# there are (up to 12: 3 a row; up to 20: 4; up to 30: 5; more: 6), fewer when a
# panel's columns would be narrower than MIN_SLOT_PT or than their labels (counts
# and period names must fit a column). With more than MANY_PANELS partners only
# the latest PERIODS_WHEN_MANY periods are drawn, so forty partners take about a page.
MANY_PANELS = 12
PERIODS_WHEN_MANY = 4
PANEL_TITLE_SIZE = 9.5
PANEL_COLUMNS: tuple[tuple[int, int], ...] = ((12, 3), (20, 4), (30, 5))
PANEL_COLUMNS_MANY = 6
MIN_SLOT_PT = 14.0
PANEL_ASPECT = 0.55  # plot height / width of a panel, within the limits below
PANEL_MIN_HEIGHT_IN = 0.75
PANEL_MAX_HEIGHT_IN = 1.15

# Default branding when the template gives none (same as templates/board_report.toml).
PRIMARY_COLOUR = "#1F3A5F"
ACCENT_COLOUR = "#C8553D"

# The palette: one meaning per colour across the whole chart set (docs/charts.md).
#
# * The five status colours (STATUS_STYLES) mean a RAG status and nothing else.
# * The measure colour draws quantities that are not statuses: spend, the count
#   ramp of the heat map, a partner's on-track line, a metric's bar. It is the
#   template's primary colour, unless that is within BRAND_MIN_DISTANCE (CIE76
#   delta E) of a status colour, when it would read as a status: then
#   MEASURE_FALLBACK. The default primary (navy) is that close to Complete.
# * The highlight colour (the template's accent, on the same condition, else
#   HIGHLIGHT_FALLBACK) marks the thin brand rule over a chart's title only.
# * Black is a target or the all-partners figure; greys are axes, text and
#   the all-partners reference line.
MEASURE_FALLBACK = "#5E4FA2"  # a violet no status uses; L* 39
HIGHLIGHT_FALLBACK = "#404040"
BRAND_MIN_DISTANCE = 25.0
REFERENCE_COLOUR = "#7F7F7F"  # the all-partners line drawn in every partner's panel
TARGET_COLOUR = "#000000"

# matplotlib settings used while a chart is built and saved (matplotlib.rc_context).
# svg.fonttype "none" keeps text as text; the hash salt makes SVG ids the same
# on every run.
RC_PARAMS: Mapping[str, object] = MappingProxyType(
    {
        "font.family": [FONT_FAMILY],
        "font.sans-serif": [FONT_FAMILY],
        "font.size": LABEL_SIZE,
        "text.color": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "axes.edgecolor": "#8C8C8C",
        "axes.linewidth": 0.6,
        "axes.titlesize": TITLE_SIZE,
        "axes.labelsize": LABEL_SIZE,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.labelsize": TICK_SIZE,
        "ytick.labelsize": TICK_SIZE,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.fontsize": LEGEND_SIZE,
        "legend.frameon": False,
        "hatch.linewidth": 0.6,
        "svg.fonttype": "none",
        "svg.hashsalt": "boardpack",
        "svg.image_inline": True,
        "path.simplify": True,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        # No background of their own: the PNG is rasterised on white, the transparent
        # PNG on nothing, and the pack's and slides' white shows through the PDF and SVG.
        "savefig.facecolor": "none",
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        # Type 3 fonts: matplotlib writes them twice as fast as TrueType (42) subsets,
        # the files are no larger, and the text is still found by search and copy.
        "pdf.fonttype": 3,
    }
)

PNG_METADATA: Mapping[str, str | None] = MappingProxyType({"Software": None})
# zlib level of the PNGs (charts/draw/files.py): 3 takes a third less time than the usual 6,
# for files 15-25% larger, about as large as matplotlib's own PNGs (smaller when tall).
PNG_COMPRESS_LEVEL = 3
# The most pixels in a 16:9 PNG: 6,667 x 3,750, 500 dpi across a 13.3-inch slide, more than
# any screen, projector or printer shows. Charts up to 12.5 in tall stay at DPI; a taller one
# (a panel per partner at 200 partners) is rasterised at the dpi that fits, rather than
# centred at 300 dpi on a canvas of up to 500 million pixels (2 GB to hold in Pillow).
WIDE_MAX_PIXELS = 25_000_000
SVG_METADATA: Mapping[str, object] = MappingProxyType({"Date": None, "Creator": None})
# No dates or versions in a chart's PDF, so the pack's bytes depend on the data alone.
PDF_METADATA: Mapping[str, object] = MappingProxyType({"CreationDate": None, "Creator": None, "Producer": None})


# --------------------------------------------------------------------------- statuses


@dataclass(frozen=True)
class StatusStyle:
    """How one RAG status is drawn."""

    colour: str  # fill
    hatch: str  # matplotlib hatch pattern, drawn in hatch_colour
    text_colour: str  # for labels drawn on the fill (WCAG contrast >= 4.5)
    hatch_colour: str
    edge_colour: str  # outline, so the light grey still shows on white


STATUS_STYLES: Mapping[str, StatusStyle] = MappingProxyType(
    {
        # L* (CIE) of each fill: Complete 20, Red 45, Green 62, Amber 79, Not started 96;
        # any two are at least 16 apart (tests/test_charts.py checks it).
        #                          fill       hatch  text       hatch      edge
        "Red": StatusStyle("#C62F36", "xx", "#FFFFFF", "#E8858A", "#FFFFFF"),
        "Amber": StatusStyle("#F4B942", "//", "#000000", "#B8862A", "#FFFFFF"),
        "Green": StatusStyle("#5EA63C", "\\\\", "#000000", "#2F6B1A", "#FFFFFF"),
        "Complete": StatusStyle("#15305E", "", "#FFFFFF", "#15305E", "#FFFFFF"),
        "Not started": StatusStyle("#F2F2F2", "--", "#000000", "#A6A6A6", "#8C8C8C"),
    }
)


# --------------------------------------------------------------------------- lines

# Trend lines, one style per partner: colour (Okabe-Ito, colour-blind safe),
# marker and dash all differ, so lines part without colour.
LINE_COLOURS: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#999999", "#F0E442")
LINE_MARKERS: tuple[str, ...] = ("s", "^", "D", "v", "P", "X", "*", "h")
LINE_DASHES: tuple[object, ...] = (
    "--",
    "-.",
    ":",
    (0, (5, 1, 1, 1, 1, 1)),
    (0, (1, 1)),
    (0, (6, 2)),
    (0, (3, 1, 1, 1)),
    "-",
)
MAX_NAMED_LINES = len(LINE_MARKERS)  # more partners than this: thin grey lines, one legend entry
OVERALL_LINE = {"colour": "#000000", "width": 2.6, "marker": "o", "size": 6.5}
MUTED_LINE = {"colour": "#A6A6A6", "width": 0.9, "marker": ".", "size": 4.0}

# Heatmap: from near-white to the template's primary colour; lightness falls
# steadily, so counts read the same in greyscale.
HEATMAP_LOW = "#F7F7F7"
HEATMAP_MIN_TINT = 0.3  # share of the colour in a cell with one activity


# --------------------------------------------------------------------------- helpers


def _channels(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour, 0 (black) to 1 (white)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness(colour: str) -> float:
    """CIE L* of a #rrggbb colour: 0 black to 100 white; what greyscale print keeps."""
    y = luminance(colour)
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of a #rrggbb colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = (f(t) for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(a: str, b: str) -> float:
    """CIE76 colour difference (delta E) of two colours: about 2.3 is just noticeable."""
    return sum((x - y) ** 2 for x, y in zip(lab(a), lab(b), strict=True)) ** 0.5


def data_colour(brand: str, fallback: str) -> str:
    """``brand`` when it cannot be taken for a status colour, else ``fallback``."""
    if is_colour(brand) and all(distance(brand, s.colour) >= BRAND_MIN_DISTANCE for s in STATUS_STYLES.values()):
        return brand
    return fallback


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#FFFFFF") else "#FFFFFF"


def mix(a: str, b: str, share_of_b: float) -> str:
    """The colour ``share_of_b`` of the way from ``a`` to ``b`` (sRGB), as #rrggbb."""
    ca, cb = _channels(a), _channels(b)
    return "#" + "".join(f"{round(255 * (x + (y - x) * share_of_b)):02X}" for x, y in zip(ca, cb, strict=True))


def is_colour(text: object) -> bool:
    """True for "#rgb" or "#rrggbb" text."""
    if not isinstance(text, str) or not text.startswith("#") or len(text) not in (4, 7):
        return False
    try:
        int(text[1:], 16)
    except ValueError:
        return False
    return True
