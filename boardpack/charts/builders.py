"""Chart specs from the summary: one :class:`~boardpack.charts.spec.ChartSpec` per chart.

Cheap and pure: nothing is drawn here, and matplotlib is never imported.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from ..config import Config
from ..formats import money, number, percent, plural, uk_date, value_with_unit
from ..model import STATUSES
from ..summary_model import GroupSummary, Summary
from . import style
from .spec import ALL_PARTNERS, ChartSpec, Panel, Series
from .words import (
    as_at_words,
    counts_text,
    listing,
    period_span,
    share_words,
    short_periods,
    status_by_period_words,
)

__all__ = ["chart_source", "chart_specs", "slugify"]


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
    taken for a status colour, else the palette's own (see style.py); load_config checked them."""
    primary, accent = config.branding.primary_colour, config.branding.accent_colour
    return (style.data_colour(primary, style.MEASURE_FALLBACK), style.data_colour(accent, style.HIGHLIGHT_FALLBACK))


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
    span = period_span(periods)
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
        alt_text=status_by_period_words(trend, partners, span),
        category_label="period",
        categories=tuple(p.label for p in periods),
        short_categories=short_periods(periods),
        series=tuple(Series(name=s, style=s, values=()) for s in STATUSES),
        value_label="Activities",
        note="" if any(point.activities for point in trend) else "No periods with activities.",
        brand=brand,
        panels=tuple(panels),
    )


def _rag_overview(summary: Summary, brand: tuple[str, str]) -> ChartSpec:
    at = summary.as_at.label
    partners = summary.partners
    total = summary.totals
    described = [
        f"{p.name}: {plural(p.activities, 'activity', 'activities')}"
        + (f" ({counts_text(p.by_status)})" if p.activities else "")
        for p in partners
    ]
    return ChartSpec(
        name="rag-overview",
        section="officer",
        kind="stacked-barh",
        title="Activity status by partner",
        subtitle=as_at_words(summary),
        caption=(
            f"Each bar counts one partner's activities in {at} by RAG status; "
            f"{percent(total.on_track_or_complete_pct)} of all {number(total.activities)} "
            f"are on track or complete."
        ),
        alt_text=(f"Stacked bar chart of activity status by partner as at {at}. {listing(described)}."),
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
    if first is None or last is None:
        change = "There are no periods to show."
    elif first is last:
        change = f"Only {first.period.label} has data: {share_words(first.on_track_or_complete_pct)}."
    else:
        change = (
            f"All partners went from {share_words(first.on_track_or_complete_pct)} in "
            f"{first.period.label} to {share_words(last.on_track_or_complete_pct)} in "
            f"{last.period.label}."
        )
    latest = [f"{p.name} {share_words(last.partners.get(p.name))}" for p in partners] if last else []
    return ChartSpec(
        name="trend-on-track",
        section="officer",
        kind="lines",
        title="Share of activities on track or complete, by partner",
        subtitle=period_span(tuple(point.period for point in trend)),
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
            + (f" Latest by partner: {listing(latest)}." if lines and latest else "")
        ),
        category_label="period",
        categories=periods,
        short_categories=short_periods([point.period for point in trend]),
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
        subtitle=as_at_words(summary),
        caption=(
            f"Budget against spend to date of the activities in {summary.as_at.label}; "
            f"in all {money(total.spend)} spent of {money(total.budget)}"
            + (f" ({percent(share)})." if share is not None else ".")
        ),
        alt_text=(
            f"Grouped bar chart of budget and spend per partner as at {summary.as_at.label}: {listing(described)}."
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
        subtitle=as_at_words(summary),
        caption=(
            "Each cell counts a partner's activities in one strategic area, darker for more; "
            "the percentage under a count is their mean progress."
        ),
        alt_text=(
            f"Table-like heat map of {plural(len(partners), 'partner')} by "
            f"{plural(len(areas), 'strategic area')} as at {summary.as_at.label}, "
            f"{plural(summary.totals.activities, 'activity', 'activities')} in all. "
            + (f"Cells with activities, most first: {listing(described)}." if described else "No cell has activities.")
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
    when = periods[-1].label if len(periods) == 1 else period_span(periods)
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
            + listing(
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
