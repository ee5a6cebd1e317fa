"""Strategic areas: how the activities spread across the areas, one row per area."""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import money, number, percent
from ..model import STATUSES
from ..summary_model import Summary, Totals
from .printed import NONE


def areas_intro(summary: Summary) -> str:
    return (
        f"How the activities of {summary.as_at.label} spread across the strategic areas, and how each "
        "area stands. Each activity is counted once, under its partner and its area."
    )


AREA_COLUMNS = ("Area", "Activities", "Status mix", "On track", "Budget", "Spend", "Spent")


@dataclass(frozen=True)
class AreaText:
    """One row of the areas table; ``mix`` is (status, count) for each status present."""

    name: str
    activities: str
    mix: tuple[tuple[str, int], ...]
    on_track: str
    budget: str
    spend: str
    spent: str


def area_text(name: str, totals: Totals, *, all_areas: bool = False) -> AreaText:
    return AreaText(
        name=name,
        activities=number(totals.activities),
        mix=tuple((st, totals.by_status[st]) for st in STATUSES if totals.by_status.get(st)),
        on_track=(percent(totals.on_track_or_complete_pct) if totals.activities or all_areas else NONE),
        budget=money(totals.budget) if totals.budget else NONE,
        spend=money(totals.spend) if totals.spend or totals.budget else NONE,
        spent=percent(totals.spend_pct_of_budget) if totals.budget else NONE,
    )


def area_rows(summary: Summary) -> tuple[AreaText, ...]:
    """Each area's row, then "All areas"."""
    rows = [area_text(f"{a.name} ({a.short_name})" if a.short_name != a.name else a.name, a) for a in summary.areas]
    return (*rows, area_text("All areas", summary.totals, all_areas=True))
