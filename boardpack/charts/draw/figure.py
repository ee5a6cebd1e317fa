"""A spec's laid-out figure: the drawer of its kind, then the layout solved once and frozen."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..spec import ChartSpec, Kind
from .bars import draw_grouped_barh, draw_stacked_barh
from .common import ChartFigure, chart_context, laid_out
from .heatmap import draw_heatmap
from .metrics import draw_metrics
from .panels import draw_lines, draw_small_multiples

__all__ = ["build", "build_figure"]

DRAWERS: Mapping[Kind, Callable[[ChartSpec], ChartFigure]] = {
    "stacked-barh": draw_stacked_barh,
    "lines": draw_lines,
    "grouped-barh": draw_grouped_barh,
    "heatmap": draw_heatmap,
    "small-multiples": draw_small_multiples,
    "metrics": draw_metrics,
}


def build_figure(spec: ChartSpec) -> ChartFigure:
    """The laid-out matplotlib Figure of a spec, for tests and previews.

    Draw or save it inside :func:`chart_context` to get what
    :func:`~boardpack.charts.draw.files.draw_images` saves.
    """
    with chart_context():
        return build(spec)


def build(spec: ChartSpec) -> ChartFigure:
    """The spec's figure, laid out once and for all.

    Solving the constrained layout is most of the cost of building a chart, so
    drawers measure what they must (which labels fit, the room on the right) on
    a solved layout (:func:`~boardpack.charts.draw.common.laid_out`) and solve it
    as few times as they can. The layout is solved one last time if anything
    changed since, then frozen: both saves (PNG, then SVG) draw it as it is
    instead of each solving it again, and so share one layout.
    """
    fig = DRAWERS[spec.kind](spec)
    laid_out(fig)
    # None, not "none" (a placeholder engine): savefig then also skips the layout
    # draw it makes first for a figure with an engine. Within chart_context None
    # means no engine at all (figure.autolayout and constrained_layout.use are off).
    fig.set_layout_engine(None)
    # The layout solver's sums can differ in their last bits from run to run; axes placed
    # to a millionth of the figure draw the same bytes every time.
    for ax in fig.axes:
        x0, y0, width, height = (round(float(v), 6) for v in ax.get_position(original=False).bounds)
        ax.set_position((x0, y0, width, height))
    return fig
