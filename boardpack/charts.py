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
drawn (then before the workers start, so on Linux, where they fork, they start
with it), so a run whose charts all come from the cache skips matplotlib's
import altogether. Elsewhere (Windows, macOS) the workers are spawned: each
imports the drawing code itself and draws the same bytes (a test compares them).

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
their rows (past ``chart_style.MANY_ROWS`` rows they switch to one-line labels
and tighter rows so they stay near a page); the small multiples grow with their
rows of panels (3 panels a row, more when there are many partners, see
:mod:`boardpack.chart_drawing`). Past ``MAX_NAMED_LINES`` partners the trend chart
draws partners as unnamed grey lines, and budget-spend draws spend inside budget.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import multiprocessing
import os
import re
import signal
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import chart_style as style
from .chart_cache import CachedImage, ChartCache, chart_key
from .config import Config
from .formats import money, number, percent, plural, uk_date, value_with_unit
from .model import STATUSES, Chart, NativeChart, NativeSeries, Period
from .summary_model import GroupSummary, Summary, TrendPoint

__all__ = ["ChartSet", "ChartSpec", "Panel", "Series", "chart_specs", "draw_charts", "drawing_version", "slugify"]

Kind = Literal["stacked-barh", "lines", "grouped-barh", "heatmap", "metrics", "small-multiples"]

ELLIPSIS = "…"
ALL_PARTNERS = "All partners"


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
class Panel:
    """One small chart of a "small-multiples" spec: a group and its status series.

    ``name`` is the group's full name (data, alt text), ``title`` what heads the
    panel (the registry short name). ``series`` line up with the spec's
    ``categories`` as a spec's own do. Panels share one value scale, except one
    with ``own_scale`` (all partners together, several times any one partner).
    """

    name: str
    title: str
    series: tuple[Series, ...]
    own_scale: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart, as plain hashable data.

    ``categories`` are what the bars, rows or points stand for (partners,
    activities, periods, metrics), in drawing order, with full names;
    ``short_categories`` the registry short names, used to keep a shortened
    name unique (the small multiples: the short period labels, "Q1").
    ``extras`` are further per-category columns of the data (e.g.
    ("unit", (...))). ``panels`` are the small multiples' panels (other kinds
    have none). ``brand`` is the (measure, highlight) colours, from the template's primary and
    accent where they cannot be taken for a status colour (:func:`chart_style.data_colour`). ``note``
    is said on the chart when there is nothing to draw.
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
    panels: tuple[Panel, ...] = ()
    subtitle: str = ""
    source: str = ""
    bare: bool = False  # officers' PNG and SVG without title, subtitle and source (`charts --bare`)

    def frame(self) -> pd.DataFrame:
        """Exactly what is plotted, one row per category (the heatmap: per cell; the
        small multiples: per panel and period)."""
        if self.kind == "heatmap":
            records = [
                {
                    self.category_label: category,
                    "area": s.name,
                    "activities": s.values[i],
                    "mean_progress": s.detail[i] if s.detail else None,
                }
                for i, category in enumerate(self.categories)
                for s in self.series
            ]
            frame = pd.DataFrame.from_records(
                records, columns=[self.category_label, "area", "activities", "mean_progress"]
            )
            frame["mean_progress"] = frame["mean_progress"].astype(float)
            return frame
        if self.kind == "small-multiples":
            columns = ["panel", "short_name", self.category_label, *(s.name for s in self.series), "activities"]
            records = []
            for panel in self.panels:
                for i, category in enumerate(self.categories):
                    counts = [int(s.values[i] or 0) for s in panel.series]
                    records.append([panel.name, panel.title, category, *counts, sum(counts)])
            return pd.DataFrame.from_records(records, columns=columns)
        columns: dict[str, Any] = {self.category_label: list(self.categories)}
        for name, values in self.extras:
            columns[name] = list(values)
        for series in self.series:
            columns[series.name] = [np.nan if v is None else v for v in series.values]
        return pd.DataFrame(columns)


# --------------------------------------------------------------------------- public API


def chart_specs(summary: Summary, config: Config, *, bare: bool = False) -> tuple[ChartSpec, ...]:
    """One spec per chart, in the order of the pack (and so of the slides and the numbered files):
    the executive summary's views, the partners' (status, money, then each partner's
    metrics in registry order), then the strategic areas'."""
    brand = _brand(config)
    partner_slugs = _unique_slugs(p.short_name for p in summary.partners)
    specs = [
        _status_by_period(summary, brand),
        _trend_on_track(summary, brand),
        _rag_overview(summary, brand),
        _budget_spend(summary, brand),
    ]
    for partner, slug in zip(summary.partners, partner_slugs, strict=True):
        metrics = _partner_metrics(summary, partner, slug, brand)
        if metrics is not None:
            specs.append(metrics)
    specs.append(_heatmap(summary, brand))
    source = chart_source(summary, config)
    return tuple(dataclasses.replace(spec, source=source, bare=bare) for spec in specs)


def chart_source(summary: Summary, config: Config) -> str:
    """The footer line of every chart: "Source: Students' Union international strategy trackers,
    as at 31 July 2026"."""
    return f"Source: {config.organisation} international strategy trackers, as at {uk_date(summary.as_at_last_day)}"


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


def draw_charts(
    summary: Summary, config: Config, *, cache: ChartCache | None = None, workers: int | None = None, bare: bool = False
) -> ChartSet:
    """Every chart of the pack: reused from ``cache`` when its content is unchanged, else drawn.

    ``workers`` is the number of drawing processes (default: one per core;
    1 draws in this process). ``bare`` draws the officers' PNG and SVG without
    title, subtitle and source line.
    """
    specs = chart_specs(summary, config, bare=bare)
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
    drawn = dict(zip(missing, _render_all([specs[i] for i in missing], workers), strict=True))
    if cache is not None:
        for index, chart in drawn.items():
            cache.put(
                keys[index],
                CachedImage(
                    chart.png,
                    chart.svg,
                    chart.pdf,
                    chart.width_in,
                    chart.height_in,
                    chart.slide_png,
                    chart.wide_png,
                    chart.transparent_png,
                    chart.slide_width_in,
                    chart.slide_height_in,
                ),
            )
    charts = tuple(drawn[i] if i in drawn else _from_image(specs[i], images[i]) for i in range(len(specs)))
    return ChartSet(
        charts, tuple(specs[i].name for i in missing), tuple(specs[i].name for i in range(len(specs)) if i in images)
    )


def _from_image(spec: ChartSpec, image: CachedImage) -> Chart:
    return chart_of(spec, **dataclasses.asdict(image))


def chart_of(spec: ChartSpec, **drawn: Any) -> Chart:
    """The :class:`Chart` of a spec, with its drawn images (``png``, ``svg``, ``pdf`` and sizes)."""
    return Chart(
        name=spec.name,
        section=spec.section,
        title=spec.title,
        caption=spec.caption,
        alt_text=spec.alt_text,
        data=spec.frame(),
        subtitle=spec.subtitle,
        source=spec.source,
        native=native_chart(spec),
        **drawn,
    )


def _render_all(specs: Sequence[ChartSpec], workers: int | None) -> list[Chart]:
    """Draw specs in worker processes; a pool only pays off for more than a couple of charts."""
    if not specs:
        return []  # every chart came from the cache
    from .chart_drawing import render_chart  # matplotlib, imported before the workers fork

    workers = min(workers or os.cpu_count() or 1, len(specs))
    if workers <= 1 or len(specs) <= 2:
        return [render_chart(spec) for spec in specs]
    context = multiprocessing.get_context(pool_start_method())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_ctrl_c)
    try:
        return list(pool.map(render_chart, specs, chunksize=1))
    except BaseException:  # Ctrl-C included: drop the charts not started, then let it through
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def pool_start_method() -> str:
    """How the drawing workers start: "fork" on Linux, where workers then start with matplotlib
    already imported, "spawn" everywhere else (Windows has no fork; macOS's is unsafe once its
    system libraries are loaded), which works on every platform."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _ignore_ctrl_c() -> None:
    """In a drawing worker: Ctrl-C is the main process's to handle, so a worker never dies mid-chart."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def slugify(text: str) -> str:
    """File-name form of a short name: lowercase ASCII letters, digits and hyphens."""
    # Accents go (Ŵ -> W); any other non-ASCII character (a dash, a symbol) splits words.
    ascii_text = "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) else "-") for c in unicodedata.normalize("NFKD", text)
    )
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
    """(measure, highlight): the template's primary and accent colours where they cannot be
    taken for a status colour, else the palette's own (see chart_style); load_config checked them."""
    primary, accent = config.branding.primary_colour, config.branding.accent_colour
    return (style.data_colour(primary, style.MEASURE_FALLBACK), style.data_colour(accent, style.HIGHLIGHT_FALLBACK))


def _share(value: float | None) -> str:
    """A share in words: "72%", or "no data"."""
    return "no data" if value is None else percent(value)


def _counts_text(by_status: dict[str, int] | Any) -> str:
    parts = [f"{number(by_status[s])} {s}" for s in STATUSES if by_status.get(s, 0)]
    return ", ".join(parts) if parts else "none"


def _listing(items: Sequence[str], limit: int = 12) -> str:
    """Items joined with "; ", the tail folded into "and N more" past ``limit``."""
    if len(items) <= limit:
        return "; ".join(items)
    return "; ".join(items[:limit]) + f"; and {number(len(items) - limit)} more"


def _period_span(periods: Sequence[Period]) -> str:
    """ "2025-26 Q1 to Q4", "2024-25 Q3 to 2025-26 Q2", or one period's label."""
    if not periods:
        return ""
    first, last = periods[0], periods[-1]
    if first == last:
        return first.label
    if first.start_year == last.start_year:
        return f"{first.label} to Q{last.quarter}"
    return f"{first.label} to {last.label}"


def _short_period(period: Period, same_year: bool) -> str:
    """ "Q1" when every period is of one strategy year (named in the title), else "25-26 Q1"."""
    if same_year:
        return f"Q{period.quarter}"
    return f"{period.start_year % 100:02d}-{(period.start_year + 1) % 100:02d} Q{period.quarter}"


# --------------------------------------------------------------------------- the charts


def _status_series(rows: Sequence[dict[str, int] | Any]) -> tuple[Series, ...]:
    return tuple(
        Series(
            name=status,
            style=status,
            values=tuple(int(r.get(status, 0)) for r in rows),
            labels=tuple(number(r.get(status, 0)) if r.get(status, 0) else "" for r in rows),
        )
        for status in STATUSES
    )


def _status_by_period(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    """Small multiples: all partners, then each partner, a stacked column per period."""
    partners = summary.partners
    trend = summary.trend
    # Many partners over many periods would make the chart taller than a page.
    cut = len(partners) > style.MANY_PANELS and len(trend) > style.PERIODS_WHEN_MANY
    if cut:
        trend = trend[-style.PERIODS_WHEN_MANY :]
    periods = [point.period for point in trend]
    same_year = len({p.start_year for p in periods}) <= 1
    span = _period_span(periods)
    panels = []
    # With one partner its panel is the overall one: drawing both would say it twice.
    if len(partners) != 1:
        panels.append(
            Panel(
                name=ALL_PARTNERS,
                title=ALL_PARTNERS,
                series=_status_series([point.by_status for point in trend]),
                own_scale=len(partners) > 1,
            )
        )
    for partner in partners:
        panels.append(
            Panel(
                name=partner.name,
                title=partner.short_name,
                series=_status_series([point.partner_status[partner.name] for point in trend]),
            )
        )
    own = len(partners) > 1
    return ChartSpec(
        name="status-by-period",
        section="executive",
        kind="small-multiples",
        title="Activities by RAG status, period by period",
        subtitle=(f"{span}: all partners, then each partner" if span and len(partners) > 1 else span),
        caption=(
            "Activities in each reporting period by RAG status"
            + (", for all partners and for each partner" if len(partners) > 1 else "")
            + "; the number above a column is its total"
            + ("; the partners' panels share one scale, all partners have their own" if own else "")
            + (
                f"; the latest {number(len(trend))} of {number(len(summary.trend))} periods "
                f"(every period is in trend-on-track)"
                if cut
                else ""
            )
            + "."
        ),
        alt_text=_status_by_period_words(trend, partners, span),
        category_label="period",
        categories=tuple(p.label for p in periods),
        short_categories=tuple(_short_period(p, same_year) for p in periods),
        series=tuple(Series(name=s, style=s, values=()) for s in STATUSES),
        value_label="Activities",
        note="" if any(point.activities for point in trend) else "No periods with activities.",
        brand=brand,
        panels=tuple(panels),
    )


def _status_by_period_words(trend: Sequence[TrendPoint], partners: Sequence[GroupSummary], span: str) -> str:
    """The small multiples in words: the overall trend, who changed most, the latest mix."""
    if not trend:
        return "Small-multiple column charts of activities by status: there are no periods to show."
    panels = (
        "one panel for all partners, then one for each of " + plural(len(partners), "partner")
        if len(partners) > 1
        else f"one panel for {partners[0].name}"
        if partners
        else "one panel for all activities"
    )
    words = [
        f"Small-multiple stacked column charts of activities by RAG status in each reporting period, {span}: {panels}."
    ]
    first, last = trend[0], trend[-1]

    def point_text(point: TrendPoint) -> str:
        return f"{plural(point.activities, 'activity', 'activities')} in {point.period.label}" + (
            f" ({percent(point.on_track_or_complete_pct)} on track or complete)"
            if point.on_track_or_complete_pct is not None
            else ""
        )

    if first is last:
        words.append(f"Overall: {point_text(first)}, {_counts_text(first.by_status)}.")
    else:
        direction = _direction(first.on_track_or_complete_pct, last.on_track_or_complete_pct)
        words.append(f"Overall: {point_text(first)}, {direction} {point_text(last)}.")
        words.append(
            f"Red went from {number(first.by_status.get('Red', 0))} to "
            f"{number(last.by_status.get('Red', 0))} and Complete from "
            f"{number(first.by_status.get('Complete', 0))} to "
            f"{number(last.by_status.get('Complete', 0))}."
        )
        moves = []
        for order, partner in enumerate(partners):
            known = [
                (point.period, point.partners.get(partner.name))
                for point in trend
                if point.partners.get(partner.name) is not None
            ]
            if len(known) < 2:
                continue
            (start, before), (end, after) = known[0], known[-1]
            if round(after) != round(before):
                moves.append((-abs(after - before), order, partner.name, before, after, start, end))
        moves.sort()
        if moves:
            words.append(
                "Partners whose share on track or complete changed most: "
                + _listing(
                    [
                        f"{name} from {percent(before)} in {start.label} to {percent(after)} in {end.label}"
                        for _, _, name, before, after, start, end in moves
                    ],
                    limit=3,
                )
                + "."
            )
        elif len(partners) > 1:
            words.append("No partner's share on track or complete changed.")
    if len(partners) > 1:
        latest = [f"{p.name} {_counts_text(last.partner_status[p.name])}" for p in partners]
        words.append(f"In {last.period.label}: {_listing(latest)}.")
    return " ".join(words)


def _as_at_words(summary: Summary) -> str:
    """The subtitle of a chart of the as-at period: "Activities reported in 2025-26 Q4"."""
    return f"Activities reported in {summary.as_at.label}"


def _direction(before: float | None, after: float | None) -> str:
    if before is None or after is None or round(before) == round(after):
        return "then"
    return "rising to" if after > before else "falling to"


def _rag_overview(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    at = summary.as_at.label
    partners = summary.partners
    total = summary.totals
    described = [
        f"{p.name}: {plural(p.activities, 'activity', 'activities')}"
        + (f" ({_counts_text(p.by_status)})" if p.activities else "")
        for p in partners
    ]
    return ChartSpec(
        name="rag-overview",
        section="officer",
        kind="stacked-barh",
        title="Activity status by partner",
        subtitle=_as_at_words(summary),
        caption=(
            f"Each bar counts one partner's activities in {at} by RAG status; "
            f"{percent(total.on_track_or_complete_pct)} of all {number(total.activities)} "
            f"are on track or complete."
        ),
        alt_text=(f"Stacked bar chart of activity status by partner as at {at}. {_listing(described)}."),
        category_label="partner",
        categories=tuple(p.name for p in partners),
        short_categories=tuple(p.short_name for p in partners),
        series=_status_series([p.by_status for p in partners]),
        value_label="Activities",
        note="No activities reported." if not total.activities else "",
        brand=brand,
    )


def _trend_on_track(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    """Small multiples: one panel per partner, its share on track or complete against all partners'."""
    trend = summary.trend
    periods = tuple(point.period.label for point in trend)
    partners = summary.partners

    def shares(values: Sequence[float | None]) -> tuple[str, ...]:
        return tuple("" if v is None else percent(v) for v in values)

    overall_values = tuple(point.on_track_or_complete_pct for point in trend)
    overall = Series(name=ALL_PARTNERS, style="overall", values=overall_values, labels=shares(overall_values))
    # With one partner its line is the overall line: drawing both would say it twice.
    lines = []
    if len(partners) > 1:
        for partner in partners:
            values = tuple(point.partners.get(partner.name) for point in trend)
            lines.append(Series(name=partner.name, style="partner", values=values, labels=shares(values)))
    first, last = (trend[0], trend[-1]) if trend else (None, None)
    if first is None:
        change = "There are no periods to show."
    elif first is last:
        change = f"Only {first.period.label} has data: {_share(first.on_track_or_complete_pct)}."
    else:
        change = (
            f"All partners went from {_share(first.on_track_or_complete_pct)} in "
            f"{first.period.label} to {_share(last.on_track_or_complete_pct)} in "
            f"{last.period.label}."
        )
    latest = [f"{p.name} {_share(last.partners.get(p.name))}" for p in partners] if last else []
    return ChartSpec(
        name="trend-on-track",
        section="officer",
        kind="lines",
        title="Share of activities on track or complete, by partner",
        subtitle=_period_span(tuple(point.period for point in trend)),
        caption=(
            "Green and Complete activities as a share of all activities in each period"
            + (
                ": one panel per partner, its own share as the coloured line (the latest written "
                "at its end), all partners together as the grey line in every panel."
                if lines
                else "."
            )
        ),
        alt_text=(
            f"Line charts of the share of activities on track or complete over "
            f"{plural(len(periods), 'period')} ({', '.join(periods)})"
            + (", one panel per partner, each with the all-partners line. " if lines else ". ")
            + change
            + (f" Latest by partner: {_listing(latest)}." if lines and latest else "")
        ),
        category_label="period",
        categories=periods,
        short_categories=tuple(
            _short_period(point.period, len({p.period.start_year for p in trend}) <= 1) for point in trend
        ),
        series=(overall, *lines),
        value_label="On track or complete",
        value_max=100.0,
        note="" if trend else "No periods with activities.",
        brand=brand,
    )


def _budget_spend(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    partners = summary.partners
    total = summary.totals
    described = [f"{p.name} {money(p.spend)} of {money(p.budget)}" for p in partners]
    share = total.spend_pct_of_budget
    return ChartSpec(
        name="budget-spend",
        section="officer",
        kind="grouped-barh",
        title="Budget and spend to date by partner",
        subtitle=_as_at_words(summary),
        caption=(
            f"Budget against spend to date of the activities in {summary.as_at.label}; "
            f"in all {money(total.spend)} spent of {money(total.budget)}"
            + (f" ({percent(share)})." if share is not None else ".")
        ),
        alt_text=(
            f"Grouped bar chart of budget and spend per partner as at {summary.as_at.label}: {_listing(described)}."
        ),
        category_label="partner",
        categories=tuple(p.name for p in partners),
        short_categories=tuple(p.short_name for p in partners),
        series=(
            Series(
                name="Budget",
                style="budget",
                values=tuple(p.budget for p in partners),
                labels=tuple(money(p.budget) for p in partners),
            ),
            Series(
                name="Spend",
                style="spend",
                values=tuple(p.spend for p in partners),
                labels=tuple(money(p.spend) for p in partners),
            ),
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
        series.append(
            Series(name=area.name, style="count", values=counts, detail=means, labels=tuple(number(n) for n in counts))
        )
    busiest = sorted(((c.activities, c.partner, c.area) for c in summary.matrix if c.activities), key=lambda t: -t[0])
    described = [f"{p} in {a} {number(n)}" for n, p, a in busiest]
    return ChartSpec(
        name="partner-area-heatmap",
        section="areas",
        kind="heatmap",
        title="Activities by partner and strategic area",
        subtitle=_as_at_words(summary),
        caption=(
            "Each cell counts a partner's activities in one strategic area, darker for more; "
            "the percentage under a count is their mean progress."
        ),
        alt_text=(
            f"Table-like heat map of {plural(len(partners), 'partner')} by "
            f"{plural(len(areas), 'strategic area')} as at {summary.as_at.label}, "
            f"{plural(summary.totals.activities, 'activity', 'activities')} in all. "
            + (f"Cells with activities, most first: {_listing(described)}." if described else "No cell has activities.")
        ),
        category_label="partner",
        categories=tuple(p.name for p in partners),
        short_categories=tuple(p.short_name for p in partners),
        series=tuple(series),
        extras=(("area_short_name", tuple(a.short_name for a in areas)),),
        value_label="Activities",
        note="" if summary.totals.activities else "No activities reported.",
        brand=brand,
    )


def _metric_value(value: float | None, unit: str) -> str:
    return "no value" if value is None else value_with_unit(value, unit)


def _partner_metrics(summary: Summary, partner: GroupSummary, slug: str, brand: tuple[str, str]) -> ChartSpec | None:
    """Each metric's latest value as a share of its target, on one "% of target" axis.

    A metric without a target (or without a value) has no bar, only words. Met
    or not follows the metric's direction: a "lower is better" metric above its
    target is not met, however long its bar.
    """
    metrics = [m for m in summary.metrics if m.partner == partner.name]
    if not metrics:
        return None
    labels, results = [], []
    for m in metrics:
        value = _metric_value(m.actual, m.unit)
        result = m.result
        results.append(result)
        if m.target is None:
            labels.append(f"{value}, no target")
        else:
            lower = ", lower is better" if m.better_when == "lower" else ""
            labels.append(f"{value} of {_metric_value(m.target, m.unit)}: {result}{lower}")
    periods = sorted({m.period for m in metrics})
    when = periods[-1].label if len(periods) == 1 else _period_span(periods)
    shares = tuple(m.pct_of_target if m.actual is not None else None for m in metrics)
    met = sum(1 for r in results if r == "met")
    judged = sum(1 for r in results if r in ("met", "not met"))
    return ChartSpec(
        name=f"partner-{slug}-metrics",
        section="officer",
        kind="metrics",
        title=f"{partner.name}: metrics against target",
        subtitle=f"Latest value of each metric, {when}",
        caption=(
            "Each bar is a metric's latest value as a share of its target; the line at 100% is "
            "the target. Met or not met follows the metric's direction (for a "
            "lower-is-better metric, over 100% is not met); a metric without a target has "
            "no bar."
        ),
        alt_text=(
            f"Bar chart of {plural(len(metrics), 'metric')} for {partner.name} as a share of "
            f"target ({when}): {met} of {judged} with a target met. "
            + _listing(
                [
                    f"{m.metric} {label}" + (f" ({percent(share)} of target)" if share is not None else "")
                    for m, label, share in zip(metrics, labels, shares, strict=True)
                ]
            )
            + "."
        ),
        category_label="metric",
        categories=tuple(m.metric for m in metrics),
        extras=(
            ("unit", tuple(m.unit for m in metrics)),
            ("period", tuple(m.period.label for m in metrics)),
            ("better when", tuple(m.better_when for m in metrics)),
            ("result", tuple(results)),
        ),
        series=(
            Series(name="% of target", style="share", values=shares, labels=tuple(labels)),
            Series(name="actual", style="actual", values=tuple(m.actual for m in metrics)),
            Series(name="target", style="target", values=tuple(m.target for m in metrics)),
        ),
        value_label="% of target",
        brand=brand,
    )


# --------------------------------------------------------------------------- native slide charts

_PATTERNS = {"xx": "cross", "//": "up", "\\\\": "down", "--": "dash", "": ""}
# Excel number formats: a zero count is left unlabelled (the third, empty, section).
_COUNT_FORMAT = "#,##0"
_COUNT_LABEL_FORMAT = "#,##0;-#,##0;;"
_POUNDS_FORMAT = "£#,##0"
_PERCENT_FORMAT = '0"%"'
_DASHES = ("dash", "round-dot", "dash-dot", "long-dash", "solid")


def native_chart(spec: ChartSpec) -> NativeChart | None:
    """The spec as a chart PowerPoint draws itself (with its data, so it can be restyled),
    coloured and labelled like the picture; None for the small multiples and the heat map,
    which PowerPoint cannot draw. The values are exactly the chart's CSV columns."""
    if spec.note or not spec.categories:
        return None
    measure = spec.brand[0]
    if spec.kind == "stacked-barh":
        series = tuple(
            NativeSeries(
                name=s.name,
                values=s.values,
                colour=look.colour,
                pattern=_PATTERNS[look.hatch],
                pattern_colour=look.hatch_colour,
                label_colour=look.text_colour,
                labels=True,
            )
            for s in spec.series
            for look in (style.STATUS_STYLES[s.style],)
        )
        return NativeChart(
            "bar-stacked", spec.categories, series, _COUNT_FORMAT, spec.value_label, label_format=_COUNT_LABEL_FORMAT
        )
    if spec.kind == "grouped-barh":
        looks = {"budget": style.mix(measure, "#FFFFFF", 0.55), "spend": measure}
        series = tuple(
            NativeSeries(name=s.name, values=s.values, colour=looks[s.style], labels=True) for s in spec.series
        )
        return NativeChart("bar-clustered", spec.categories, series, _POUNDS_FORMAT, spec.value_label)
    if spec.kind == "lines":
        series = []
        for i, s in enumerate(spec.series):
            if s.style == "overall":
                series.append(
                    NativeSeries(name=s.name, values=s.values, colour=style.TARGET_COLOUR, line_width=2.75, labels=True)
                )
            else:
                series.append(
                    NativeSeries(
                        name=s.name,
                        values=s.values,
                        colour=measure,
                        line_width=1.5,
                        dash=_DASHES[(i - 1) % len(_DASHES)],
                    )
                )
        return NativeChart("line", spec.categories, tuple(series), _PERCENT_FORMAT, spec.value_label, value_max=100.0)
    if spec.kind == "metrics":
        share = spec.series[0]
        results = dict(spec.extras)["result"]
        colours = tuple(measure if r == "met" else style.mix(measure, "#FFFFFF", 0.7) for r in results)
        named = tuple(f"{name} ({result})" for name, result in zip(spec.categories, results, strict=True))
        return NativeChart(
            "bar-clustered",
            named,
            (NativeSeries(name=share.name, values=share.values, colour=measure, point_colours=colours, labels=True),),
            _PERCENT_FORMAT,
            spec.value_label,
            legend=False,
        )
    return None
