"""The chart stage: Summary -> chart specs -> drawn charts (PDF, SVG and PNG at 300 dpi).

Two steps, so that drawing can be spread over processes and cached:

* :func:`~.builders.chart_specs` turns a :class:`~boardpack.summary_model.Summary`
  into one :class:`~.spec.ChartSpec` per chart: frozen, hashable, picklable plain
  data (names, words, numbers, labels, the template's two brand colours). Cheap
  and pure (``spec``, ``builders``, ``words``; ``native`` for the slides' own charts).
* :func:`~.draw.draw_images` draws one spec with matplotlib (``draw/``); it imports
  the spec, ``style`` and :mod:`boardpack.formats`, never the stage.

:func:`~.stage.draw_charts` does both for a whole summary: it reuses charts whose
spec is unchanged from a :class:`~.cache.ChartCache` and draws the rest in a pool
of worker processes (``stage``). Nothing here imports matplotlib until a chart
must be drawn.

Charts, by name (``<short>`` is the registry short name, slugified). The pack
places "executive" and "areas" charts; "officer" charts are exported (PNG, SVG,
CSV, alt text, a slide each) but not placed in the pack, because the tables
beside them already say what they show:

==========================  =========  ===========================================
name                        section    what
==========================  =========  ===========================================
status-by-period            executive  small multiples: status counts per period
                                       (stacked columns), all partners then one
                                       panel per partner
partner-area-heatmap        areas      activities per partner x area
rag-overview                officer    status counts per partner (stacked)
trend-on-track              officer    share on track or complete per period
budget-spend                officer    budget against spend per partner
partner-<short>-metrics     officer    latest actual against target per metric
==========================  =========  ===========================================

The metrics chart exists only for partners with metrics. Specs come in that
order: the pack's charts, then the officers', metrics in registry order.

Every number, amount and percentage written on a chart, in its caption or in
its alt text comes from :mod:`boardpack.formats` (whole pounds, whole-number
percentages, thousands separators), the same rule as the PDF's tables.

Sizes: every figure is 7 in wide (placed ~16 cm wide on A4); heights follow the
content, so ``Chart.height_in`` varies (about 2 to 10 in). Bar charts grow with
their rows (past ``style.MANY_ROWS`` rows they switch to one-line labels
and tighter rows so they stay near a page); the small multiples grow with their
rows of panels (3 panels a row, more when there are many partners, see
:mod:`boardpack.charts.draw.panels`). Past ``MAX_NAMED_LINES`` partners the trend chart
draws partners as unnamed grey lines, and budget-spend draws spend inside budget.
"""

from .builders import chart_source, chart_specs, slugify
from .spec import ChartSpec, DrawnImages, Panel, Series
from .stage import (
    ChartPool,
    ChartSet,
    PendingCharts,
    chart_of,
    draw_charts,
    drawing_version,
    pool_start_method,
    render_chart,
    start_charts,
)

__all__ = [
    "ChartPool",
    "ChartSet",
    "PendingCharts",
    "start_charts",
    "ChartSpec",
    "DrawnImages",
    "Panel",
    "Series",
    "chart_of",
    "chart_source",
    "chart_specs",
    "draw_charts",
    "drawing_version",
    "pool_start_method",
    "render_chart",
    "slugify",
]
