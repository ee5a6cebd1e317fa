"""Drawing a chart spec with matplotlib: the PDF page, the SVG and the PNGs.

Imported only when a chart must be drawn, so that a run whose charts all come
from the cache never imports matplotlib. It reads nothing but the spec
(:mod:`boardpack.charts.spec`), the constants of :mod:`boardpack.charts.style`
and :mod:`boardpack.formats`, never the stage, so the same spec always gives
byte-identical PDF, SVG and PNG.

Figures are built with matplotlib's object API (a ``Figure`` on an Agg canvas
used to measure text, never pyplot). Layout decisions (wrapping and shortening
names, figure height, which labels fit inside a bar) are taken here, from
measured text widths; specs keep full names. Nothing is clipped: long names
wrap (``textwrap``-style, on measured widths) or end in an ellipsis, and
constrained layout makes room for every label.

``text`` measures and wraps; ``common`` holds the figure, its frame and what
every kind draws with; ``bars``, ``panels``, ``heatmap`` and ``metrics`` draw
one kind each; ``figure`` picks the drawer and freezes the layout; ``files``
saves the PDF and SVG and rasterises the PNGs.
"""

from .common import chart_context
from .figure import build_figure
from .files import draw_images
from .text import wrap_label

__all__ = ["build_figure", "chart_context", "draw_images", "wrap_label"]
