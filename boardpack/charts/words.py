"""The words the chart specs share: shares, status counts, listings, spans of periods,
and the small multiples' alt text. Every number goes through :mod:`boardpack.formats`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..formats import number, percent, plural
from ..model import STATUSES, Period
from ..summary_model import GroupSummary, Summary, TrendPoint


def share_words(value: float | None) -> str:
    """A share in words: "72%", or "no data"."""
    return "no data" if value is None else percent(value)


def counts_text(by_status: dict[str, int] | Any) -> str:
    parts = [f"{number(by_status[s])} {s}" for s in STATUSES if by_status.get(s, 0)]
    return ", ".join(parts) if parts else "none"


def listing(items: Sequence[str], limit: int = 12) -> str:
    """Items joined with "; ", the tail folded into "and N more" past ``limit``."""
    if len(items) <= limit:
        return "; ".join(items)
    return "; ".join(items[:limit]) + f"; and {number(len(items) - limit)} more"


def period_span(periods: Sequence[Period]) -> str:
    """ "2025-26 Q1 to Q4", "2024-25 Q3 to 2025-26 Q2", or one period's label."""
    if not periods:
        return ""
    first, last = periods[0], periods[-1]
    if first == last:
        return first.label
    if first.start_year == last.start_year:
        return f"{first.label} to Q{last.quarter}"
    return f"{first.label} to {last.label}"


def short_periods(periods: Sequence[Period]) -> tuple[str, ...]:
    """Tick labels: "Q1" when every period is of one strategy year (named in the title), else
    "25-26 Q1"; "2025-26 Q1" in full should two-digit years print two years alike (2000-01
    and 2100-01)."""
    years = {p.start_year for p in periods}
    if len(years) <= 1:
        return tuple(f"Q{p.quarter}" for p in periods)
    if len({year % 100 for year in years}) < len(years):
        return tuple(p.label for p in periods)
    return tuple(f"{p.start_year % 100:02d}-{(p.start_year + 1) % 100:02d} Q{p.quarter}" for p in periods)


def status_by_period_words(trend: Sequence[TrendPoint], partners: Sequence[GroupSummary], span: str) -> str:
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
        words.append(f"Overall: {point_text(first)}, {counts_text(first.by_status)}.")
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
                (point.period, share) for point in trend if (share := point.partners.get(partner.name)) is not None
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
                + listing(
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
        latest = [f"{p.name} {counts_text(last.partner_status[p.name])}" for p in partners]
        words.append(f"In {last.period.label}: {listing(latest)}.")
    return " ".join(words)


def as_at_words(summary: Summary) -> str:
    """The subtitle of a chart of the as-at period: "Activities reported in 2025-26 Q4"."""
    return f"Activities reported in {summary.as_at.label}"


def _direction(before: float | None, after: float | None) -> str:
    if before is None or after is None or round(before) == round(after):
        return "then"
    return "rising to" if after > before else "falling to"
