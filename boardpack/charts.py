"""The chart stage: Summary -> chart specs -> drawn charts (PDF, SVG and PNG at 300 dpi).

Two steps, so that drawing can be spread over processes and cached:

* :func:`chart_specs` turns a :class:`~boardpack.summary_model.Summary` into one
  :class:`ChartSpec` per chart: frozen, hashable, picklable plain data (names,
  words, numbers, labels, the template's two brand colours). Cheap and pure.
* :func:`boardpack.chart_drawing.render_chart` draws one spec with matplotlib.

:func:`draw_charts` does both for a whole summary: it reuses charts whose spec
is unchanged from a :class:`~boardpack.chart_cache.ChartCache` and draws the
rest in a pool of worker processes. This module never imports matplotlib
itself; :mod:`boardpack.chart_drawing` is imported only when a chart must be
drawn (then before the workers fork, so they start with it), so a run whose
charts all come from the cache skips matplotlib's import altogether.

Charts, by name (``<short>`` is the registry short name, slugified):

==========================  ===================  =====================================
name                        section              what
==========================  ===================  =====================================
rag-overview                executive            status counts per partner (stacked)
trend-on-track              executive            share on track or complete per period
budget-spend                executive            budget against spend per partner
partner-area-heatmap        areas                activities per partner x area
partner-<short>-progress    partner:<SHORT>      progress % of each activity, by status
partner-<short>-trend       partner:<SHORT>      status counts per period (stacked)
partner-<short>-metrics     partner:<SHORT>      latest actual against target per metric
area-<short>-status         area:<SHORT>         status mix of the area per partner
==========================  ===================  =====================================

The metrics chart exists only for partners with metrics. Specs come in that
order: executive charts, the matrix, then each partner's, then each area's.

Sizes: every figure is 7 in wide (placed ~16 cm wide on A4); heights follow the
number of rows, so ``Chart.height_in`` varies (about 2 to 10 in; a chart with
more than ``chart_style.MANY_ROWS`` rows switches to one-line labels and tighter
rows so it stays near a page). Past ``MAX_NAMED_LINES`` partners the trend chart
draws partners as unnamed grey lines, and budget-spend draws spend inside budget.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import os
import re
import signal
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Literal, Sequence

import numpy as np
import pandas as pd

from . import chart_style as style
from .chart_cache import CachedImage, ChartCache, chart_key
from .config import Config
from .model import STATUSES, Chart
from .summary_model import GroupSummary, Summary
from .text import plural

__all__ = ["ChartSet", "ChartSpec", "Series", "chart_specs", "draw_charts", "drawing_version", "slugify"]

Kind = Literal["stacked-barh", "stacked-bar", "lines", "grouped-barh", "heatmap", "status-barh",
               "metrics"]

ELLIPSIS = "…"


# --------------------------------------------------------------------------- specs

@dataclass(frozen=True)
class Series:
    """One set of values drawn together: a status, a partner's line, budget or spend.

    ``values`` line up with the spec's ``categories``; None means nothing to draw
    there. ``labels`` (same length, or empty) are the texts written at each
    value, "" for none. ``style`` names how it is drawn: a status of
    ``model.STATUSES``, "overall", "line-<n>", "line-muted", "budget", "spend",
    "actual", "target" or "count". ``detail`` is a second number per value
    (the heatmap's mean progress).
    """

    name: str
    values: tuple[float | None, ...]
    style: str
    labels: tuple[str, ...] = ()
    detail: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart, as plain hashable data.

    ``categories`` are what the bars, rows or points stand for (partners,
    activities, periods, metrics), in drawing order, with full names;
    ``short_categories`` the registry short names, used to keep a shortened
    name unique. ``extras`` are further per-category columns of the data (e.g.
    ("status", (...)) or ("unit", (...))). ``brand`` is the template's
    (primary, accent) colours. ``note`` is said on the chart when there is
    nothing to draw.
    """

    name: str
    section: str
    kind: Kind
    title: str
    caption: str
    alt_text: str
    category_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    short_categories: tuple[str, ...] = ()
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()
    value_label: str = ""
    value_max: float | None = None
    note: str = ""
    brand: tuple[str, str] = (style.PRIMARY_COLOUR, style.ACCENT_COLOUR)

    def frame(self) -> pd.DataFrame:
        """Exactly what is plotted, one row per category (the heatmap: per cell)."""
        if self.kind == "heatmap":
            records = [{self.category_label: category, "area": s.name, "activities": s.values[i],
                        "mean_progress": s.detail[i] if s.detail else None}
                       for i, category in enumerate(self.categories) for s in self.series]
            frame = pd.DataFrame.from_records(
                records, columns=[self.category_label, "area", "activities", "mean_progress"])
            frame["mean_progress"] = frame["mean_progress"].astype(float)
            return frame
        columns: dict[str, Any] = {self.category_label: list(self.categories)}
        for name, values in self.extras:
            columns[name] = list(values)
        for series in self.series:
            columns[series.name] = [np.nan if v is None else v for v in series.values]
        return pd.DataFrame(columns)


# --------------------------------------------------------------------------- public API

def chart_specs(summary: Summary, config: Config) -> tuple[ChartSpec, ...]:
    """One spec per chart of the pack, executive charts first, then partners, then areas."""
    brand = _brand(config)
    partner_slugs = _unique_slugs(p.short_name for p in summary.partners)
    area_slugs = _unique_slugs(a.short_name for a in summary.areas)
    specs = [
        _rag_overview(summary, brand),
        _trend_on_track(summary, brand),
        _budget_spend(summary, brand),
        _heatmap(summary, brand),
    ]
    for partner, slug in zip(summary.partners, partner_slugs):
        specs.append(_partner_progress(summary, partner, slug, brand))
        specs.append(_partner_trend(summary, partner, slug, brand))
        metrics = _partner_metrics(summary, partner, slug, brand)
        if metrics is not None:
            specs.append(metrics)
    for area, slug in zip(summary.areas, area_slugs):
        specs.append(_area_status(summary, area, slug, brand))
    return tuple(specs)




@dataclass(frozen=True)
class ChartSet:
    """Every chart of a run, and which were drawn now or reused from the cache."""

    charts: tuple[Chart, ...]
    drawn: tuple[str, ...]
    reused: tuple[str, ...]


def drawing_version() -> str:
    """Changes whenever the drawing code, its style or matplotlib changes, so stale charts are redrawn."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(importlib.metadata.version("matplotlib").encode())  # without importing it
    for module in ("charts.py", "chart_drawing.py", "chart_style.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()


def draw_charts(summary: Summary, config: Config, *, cache: ChartCache | None = None,
                workers: int | None = None) -> ChartSet:
    """Every chart of the pack: reused from ``cache`` when its content is unchanged, else drawn.

    ``workers`` is the number of drawing processes (default: one per core;
    1 draws in this process).
    """
    specs = chart_specs(summary, config)
    version = drawing_version() if cache is not None else ""
    images: dict[int, CachedImage] = {}
    keys: dict[int, str] = {}
    if cache is not None:
        for index, spec in enumerate(specs):
            keys[index] = chart_key(spec, version)
            found = cache.get(keys[index])
            if found is not None:
                images[index] = found
    missing = [i for i in range(len(specs)) if i not in images]
    drawn = dict(zip(missing, _render_all([specs[i] for i in missing], workers)))
    if cache is not None:
        for index, chart in drawn.items():
            cache.put(keys[index], CachedImage(chart.png, chart.svg, chart.pdf, chart.width_in, chart.height_in))
    charts = tuple(drawn[i] if i in drawn else _from_image(specs[i], images[i]) for i in range(len(specs)))
    return ChartSet(charts, tuple(specs[i].name for i in missing),
                    tuple(specs[i].name for i in range(len(specs)) if i in images))


def _from_image(spec: ChartSpec, image: CachedImage) -> Chart:
    return Chart(name=spec.name, section=spec.section, title=spec.title, caption=spec.caption,
                 alt_text=spec.alt_text, data=spec.frame(), png=image.png, svg=image.svg, pdf=image.pdf,
                 width_in=image.width_in, height_in=image.height_in)


def _render_all(specs: Sequence[ChartSpec], workers: int | None) -> list[Chart]:
    """Draw specs in worker processes; a pool only pays off for more than a couple of charts."""
    if not specs:
        return []  # every chart came from the cache
    from .chart_drawing import render_chart  # matplotlib, imported before the workers fork

    workers = min(workers or os.cpu_count() or 1, len(specs))
    if workers <= 1 or len(specs) <= 2:
        return [render_chart(spec) for spec in specs]
    # Fork where the platform has it: workers start with matplotlib already imported.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_ctrl_c)
    try:
        return list(pool.map(render_chart, specs, chunksize=1))
    except BaseException:  # Ctrl-C included: drop the charts not started, then let it through
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def _ignore_ctrl_c() -> None:
    """In a drawing worker: Ctrl-C is the main process's to handle, so a worker never dies mid-chart."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)






def slugify(text: str) -> str:
    """File-name form of a short name: lowercase ASCII letters, digits and hyphens."""
    # Accents go (Ŵ -> W); any other non-ASCII character (a dash, a symbol) splits words.
    ascii_text = "".join(c if c.isascii() else ("" if unicodedata.combining(c) else "-")
                         for c in unicodedata.normalize("NFKD", text))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


# --------------------------------------------------------------------------- words

def _unique_slugs(short_names: Iterable[str]) -> list[str]:
    """Slugs in order; a slug already taken gets -2, -3 ... so file names never collide."""
    seen: set[str] = set()
    slugs = []
    for short in short_names:
        base = slugify(short)
        slug, n = base, 1
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        slugs.append(slug)
    return slugs


def _brand(config: Config) -> tuple[str, str]:
    branding = config.branding or {}
    primary = branding.get("primary_colour", style.PRIMARY_COLOUR)
    accent = branding.get("accent_colour", style.ACCENT_COLOUR)
    return (primary if style.is_colour(primary) else style.PRIMARY_COLOUR,
            accent if style.is_colour(accent) else style.ACCENT_COLOUR)


def _num(value: float) -> str:
    """A number as people write it: 1,250 or 2.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{_num(round(value, 1))}%"


def _money(value: float | None) -> str:
    if value is None:
        return "none"
    pounds = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(int(pounds)):,}"


def _with_unit(value: float | None, unit: str) -> str:
    if value is None:
        return "no value"
    if unit == "£":
        return _money(value)
    if unit == "%":
        return _pct(value)
    return _num(round(value, 2))


def _counts_text(by_status: dict[str, int] | Any) -> str:
    parts = [f"{by_status[s]} {s}" for s in STATUSES if by_status.get(s, 0)]
    return ", ".join(parts) if parts else "none"


def _listing(items: Sequence[str], limit: int = 12) -> str:
    """Items joined with "; ", the tail folded into "and N more" past ``limit``."""
    if len(items) <= limit:
        return "; ".join(items)
    return "; ".join(items[:limit]) + f"; and {len(items) - limit} more"


# --------------------------------------------------------------------------- the charts

def _status_series(rows: Sequence[dict[str, int] | Any]) -> tuple[Series, ...]:
    return tuple(Series(name=status, style=status,
                        values=tuple(int(r.get(status, 0)) for r in rows),
                        labels=tuple(str(int(r.get(status, 0))) if r.get(status, 0) else ""
                                     for r in rows))
                 for status in STATUSES)


def _rag_overview(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    at = summary.as_at.label
    partners = summary.partners
    total = summary.totals
    described = [f"{p.name}: {plural(p.activities, 'activity', 'activities')}"
                 + (f" ({_counts_text(p.by_status)})" if p.activities else "") for p in partners]
    return ChartSpec(
        name="rag-overview", section="executive", kind="stacked-barh",
        title=f"Activity status by partner, {at}",
        caption=(f"Each bar counts one partner's activities in {at} by RAG status; "
                 f"{_pct(total.on_track_or_complete_pct)} of all {total.activities} "
                 f"are on track or complete."),
        alt_text=(f"Stacked bar chart of activity status by partner as at {at}. "
                  f"{_listing(described)}."),
        category_label="partner",
        categories=tuple(p.name for p in partners),
        short_categories=tuple(p.short_name for p in partners),
        series=_status_series([p.by_status for p in partners]),
        value_label="Activities",
        note="No activities reported." if not total.activities else "",
        brand=brand,
    )


def _trend_on_track(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    trend = summary.trend
    periods = tuple(point.period.label for point in trend)
    partners = summary.partners
    named = len(partners) <= style.MAX_NAMED_LINES
    overall = Series(
        name="All partners", style="overall",
        values=tuple(point.on_track_or_complete_pct for point in trend),
        labels=tuple("" if point.on_track_or_complete_pct is None
                     else _pct(point.on_track_or_complete_pct) for point in trend))
    # With one partner its line is the overall line: drawing both would hide one.
    lines = tuple(
        Series(name=partner.name, style=f"line-{i}" if named else "line-muted",
               values=tuple(point.partners.get(partner.name) for point in trend))
        for i, partner in enumerate(partners)) if len(partners) > 1 else ()
    first, last = (trend[0], trend[-1]) if trend else (None, None)
    if first is None:
        change = "There are no periods to show."
    elif first is last:
        change = f"Only {first.period.label} has data: {_pct(first.on_track_or_complete_pct)}."
    else:
        change = (f"Overall it went from {_pct(first.on_track_or_complete_pct)} in "
                  f"{first.period.label} to {_pct(last.on_track_or_complete_pct)} in "
                  f"{last.period.label}.")
    latest = [f"{p.name} {_pct(last.partners.get(p.name))}" for p in partners] if last else []
    return ChartSpec(
        name="trend-on-track", section="executive", kind="lines",
        title="Share of activities on track or complete, by period",
        caption=("Green and Complete activities as a share of all activities in each period"
                 + ("" if not lines else ", overall (bold) and per partner")
                 + ("" if named else "; partners in grey, named in their own sections") + "."),
        alt_text=(f"Line chart of the share of activities on track or complete over "
                  f"{plural(len(periods), 'period')} ({', '.join(periods)}). {change}"
                  + (f" Latest by partner: {_listing(latest)}." if latest else "")),
        category_label="period",
        categories=periods,
        series=(overall, *lines),
        short_categories=(),
        value_label="On track or complete",
        value_max=100.0,
        note="" if trend else "No periods with activities.",
        brand=brand,
    )


def _budget_spend(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    partners = summary.partners
    total = summary.totals
    described = [f"{p.name} {_money(p.spend)} of {_money(p.budget)}" for p in partners]
    share = total.spend_pct_of_budget
    return ChartSpec(
        name="budget-spend", section="executive", kind="grouped-barh",
        title=f"Budget and spend to date by partner, {summary.as_at.label}",
        caption=(f"Budget against spend to date of the activities in {summary.as_at.label}; "
                 f"in all {_money(total.spend)} spent of {_money(total.budget)}"
                 + (f" ({_pct(share)})." if share is not None else ".")),
        alt_text=(f"Grouped bar chart of budget and spend per partner as at "
                  f"{summary.as_at.label}: {_listing(described)}."),
        category_label="partner",
        categories=tuple(p.name for p in partners),
        short_categories=tuple(p.short_name for p in partners),
        series=(
            Series(name="Budget", style="budget", values=tuple(p.budget for p in partners),
                   labels=tuple(_money(p.budget) for p in partners)),
            Series(name="Spend", style="spend", values=tuple(p.spend for p in partners),
                   labels=tuple(_money(p.spend) for p in partners)),
        ),
        value_label="Pounds (£)",
        note="" if (total.budget or total.spend) else "No budget or spend recorded.",
        brand=brand,
    )


def _heatmap(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    partners, areas = summary.partners, summary.areas
    cells = {(c.partner, c.area): c for c in summary.matrix}
    series = []
    for area in areas:
        row = [cells.get((p.name, area.name)) for p in partners]
        counts = tuple(c.activities if c else 0 for c in row)
        means = tuple(c.mean_progress if c else None for c in row)
        series.append(Series(
            name=area.name, style="count", values=counts, detail=means,
            labels=tuple(str(n) for n in counts)))
    busiest = sorted(((c.activities, c.partner, c.area) for c in summary.matrix if c.activities),
                     key=lambda t: -t[0])
    described = [f"{p} in {a} {n}" for n, p, a in busiest]
    return ChartSpec(
        name="partner-area-heatmap", section="areas", kind="heatmap",
        title=f"Activities by partner and strategic area, {summary.as_at.label}",
        caption=("Each cell counts a partner's activities in one strategic area, darker for more; "
                 "the percentage under a count is their mean progress."),
        alt_text=(f"Table-like heat map of {len(partners)} partners by {len(areas)} strategic "
                  f"areas as at {summary.as_at.label}, {summary.totals.activities} activities in "
                  f"all. "
                  + (f"Cells with activities, most first: {_listing(described)}."
                     if described else "No cell has activities.")),
        category_label="partner",
        categories=tuple(p.name for p in partners),
        short_categories=tuple(p.short_name for p in partners),
        series=tuple(series),
        extras=(("area_short_name", tuple(a.short_name for a in areas)),),
        value_label="Activities",
        note="" if summary.totals.activities else "No activities reported.",
        brand=brand,
    )


def _partner_progress(summary: Summary, partner: GroupSummary, slug: str,
                      brand: tuple[str, str]) -> ChartSpec:
    rows = [a for a in summary.activities if a.partner == partner.name]
    at = summary.as_at.label
    labels = tuple(f"{a.status} · {_pct(a.progress)}" if a.progress is not None
                   else f"{a.status} · no progress given" for a in rows)
    described = [f"{a.activity} ({label})" for a, label in zip(rows, labels)]
    mean = partner.mean_progress
    return ChartSpec(
        name=f"partner-{slug}-progress", section=f"partner:{partner.short_name}",
        kind="status-barh",
        title=f"{partner.short_name}: progress of each activity, {at}",
        caption=(f"Progress reported for each of {partner.name}'s activities in {at}, "
                 f"coloured and labelled by status"
                 + (f"; mean progress {_pct(mean)}." if mean is not None else ".")),
        alt_text=(f"Horizontal bar chart of progress for "
                  f"{plural(len(rows), 'activity', 'activities')} of {partner.name} as at "
                  f"{at}: {_listing(described)}." if rows
                  else f"{partner.name} has no activities in {at}."),
        category_label="activity",
        categories=tuple(a.activity for a in rows),
        extras=(("area", tuple(a.area for a in rows)), ("status", tuple(a.status for a in rows))),
        series=(Series(name="progress_pct", style="progress",
                       values=tuple(a.progress for a in rows), labels=labels),),
        value_label="Progress (%)",
        value_max=100.0,
        note="" if rows else f"No activities reported for {at}.",
        brand=brand,
    )


def _partner_trend(summary: Summary, partner: GroupSummary, slug: str,
                   brand: tuple[str, str]) -> ChartSpec:
    periods = [point.period.label for point in summary.trend]
    counts = [dict(point.partner_status[partner.name]) for point in summary.trend]
    series = _status_series(counts)
    described = [f"{p}: {_counts_text(c)}" for p, c in zip(periods, counts)]
    return ChartSpec(
        name=f"partner-{slug}-trend", section=f"partner:{partner.short_name}",
        kind="stacked-bar",
        title=f"{partner.short_name}: activity status by period",
        caption=f"{partner.name}'s activities in each reporting period, by RAG status.",
        alt_text=(f"Stacked column chart of {partner.name}'s activity status over "
                  f"{plural(len(periods), 'period')}: {_listing(described)}."),
        category_label="period",
        categories=tuple(periods),
        series=series,
        value_label="Activities",
        note="" if any(c and sum(c.values()) for c in counts) else "No activities reported.",
        brand=brand,
    )


def _partner_metrics(summary: Summary, partner: GroupSummary, slug: str,
                     brand: tuple[str, str]) -> ChartSpec | None:
    metrics = [m for m in summary.metrics if m.partner == partner.name]
    if not metrics:
        return None
    labels = []
    for m in metrics:
        value = _with_unit(m.actual, m.unit)
        if m.target is None:
            labels.append(f"{value} (no target)")
        else:
            labels.append(f"{value} (target {_with_unit(m.target, m.unit)})")
    periods = sorted({m.period for m in metrics})
    when = periods[-1].label if len(periods) == 1 else f"{periods[0].label} to {periods[-1].label}"
    return ChartSpec(
        name=f"partner-{slug}-metrics", section=f"partner:{partner.short_name}", kind="metrics",
        title=f"{partner.short_name}: metrics against target",
        caption=(f"Latest value of each of {partner.name}'s metrics ({when}) as a bar; "
                 f"the black mark is the target. Each metric has its own scale."),
        alt_text=(f"Bar chart of {plural(len(metrics), 'metric')} for {partner.name}: "
                  + _listing([f"{m.metric} {label}" for m, label in zip(metrics, labels)]) + "."),
        category_label="metric",
        categories=tuple(m.metric for m in metrics),
        extras=(("unit", tuple(m.unit for m in metrics)),
                ("period", tuple(m.period.label for m in metrics))),
        series=(Series(name="actual", style="actual", values=tuple(m.actual for m in metrics),
                       labels=tuple(labels)),
                Series(name="target", style="target", values=tuple(m.target for m in metrics))),
        brand=brand,
    )


def _area_status(summary: Summary, area: GroupSummary, slug: str,
                 brand: tuple[str, str]) -> ChartSpec:
    cells = [c for c in summary.matrix if c.area == area.name and c.activities]
    shorts = {p.name: p.short_name for p in summary.partners}
    left_out = len(summary.partners) - len(cells)
    at = summary.as_at.label
    described = [f"{c.partner}: {_counts_text(c.by_status)}" for c in cells]
    return ChartSpec(
        name=f"area-{slug}-status", section=f"area:{area.short_name}", kind="stacked-barh",
        title=f"{area.name}: activity status by partner, {at}",
        caption=(f"Activities in {area.name} in {at} by partner and RAG status"
                 + (f"; {plural(left_out, 'partner')} with none left out." if left_out and cells
                    else ".")),
        alt_text=(f"Stacked bar chart of {area.name} activities by partner as at {at}: "
                  f"{_listing(described)}." if cells
                  else f"No partner has {area.name} activities in {at}."),
        category_label="partner",
        categories=tuple(c.partner for c in cells),
        short_categories=tuple(shorts.get(c.partner, c.partner) for c in cells),
        series=_status_series([c.by_status for c in cells]),
        value_label="Activities",
        note="" if cells else f"No activities in this area in {at}.",
        brand=brand,
    )
