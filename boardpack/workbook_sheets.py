"""What summary.xlsx holds: its data sheets as plain values, one Excel table each (:func:`summary_sheets`).

Values keep their type: money in pounds, shares as fractions (Excel's % format
shows 0.72 as 72%), dates as dates, yes/no as "Yes"/"No", counts as whole
numbers. Headers follow one rule: sentence case, the unit in brackets
("Budget (£)", "On track or complete (%)"). ``workbook.py`` writes them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import CHANGES, STATUSES
from .summary_model import ActivityRow, GroupSummary, Summary


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, kind (how workbook.py writes and formats it: text, wrap,
    count, number, pounds, pence, percent, date or yesno) and width in characters."""

    header: str
    kind: str = "text"
    width: float = 12


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, what it holds (for README), its columns and rows of plain values.

    A sheet wider than one landscape page at a readable size (``_PAGE_WIDTH``
    characters in workbook.py) prints two pages wide, its ``names`` columns repeated on the
    second, so a row's name is on every page that holds its numbers.

    ``row_formats`` (optional, one per row) overrides the kind of the column
    named by ``varying`` row by row, for a column whose unit differs by row
    (a metric's value, an overview measure).
    """

    name: str
    about: str
    one_row_per: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    varying: tuple[str, ...] = ()
    row_kinds: tuple[str, ...] = field(default=())
    names: int = 1  # the leading columns that name a row, repeated on a page that continues it sideways

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _share(value: float | None) -> float | None:
    """A percentage (0-100) as the fraction Excel's % format shows: 72.0 -> 0.72."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value / 100


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


_GROUP_COLUMNS = (
    Column("Name", "wrap", 24),
    Column("Short name", "text", 10),
    Column("Activities", "count", 9),
    *(Column(status, "count", 7) for status in STATUSES),
    *(Column(change.capitalize(), "count", 8) for change in CHANGES),
    Column("Overdue", "count", 8),
    Column("On track or complete (%)", "percent", 11),
    Column("Mean progress (%)", "percent", 10),
    Column("Budget (£)", "pounds", 11),
    Column("Spend (£)", "pounds", 11),
)


def _group_rows(groups: Sequence[GroupSummary]) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        (
            g.name,
            g.short_name,
            g.activities,
            *(g.by_status[s] for s in STATUSES),
            *(g.changes[c] for c in CHANGES),
            g.overdue,
            _share(g.on_track_or_complete_pct),
            _share(g.mean_progress),
            g.budget,
            g.spend,
        )
        for g in groups
    )


_ACTIVITY_COLUMNS = (
    Column("Partner", "wrap", 20),
    Column("Area", "wrap", 13),
    Column("Activity", "wrap", 30),
    Column("Status", "text", 10),
    Column("Previous status", "text", 10),
    Column("Change", "text", 10),
    Column("Overdue", "yesno", 8),
    Column("Days overdue", "count", 8),
    Column("Periods at this status", "count", 9),
    Column("Progress (%)", "percent", 9),
    Column("Due date", "date", 11),
    Column("Revised due date", "date", 11),
    Column("Lead", "wrap", 15),
    Column("Commentary", "wrap", 42),
    Column("Decision needed", "wrap", 22),
    Column("Budget (£)", "pence", 11),
    Column("Spend (£)", "pence", 11),
    Column("File", "wrap", 15),
    Column("Sheet", "wrap", 10),
    Column("Row", "count", 6),
)


def _activity_row(a: ActivityRow) -> tuple[Any, ...]:
    return (
        a.partner,
        a.area,
        a.activity,
        a.status,
        a.previous_status,
        a.change,
        yes_no(a.overdue),
        a.days_overdue,
        a.status_periods,
        _share(a.progress),
        a.due_date,
        a.revised_due_date,
        a.lead,
        a.commentary,
        a.decision,
        a.budget,
        a.spend,
        a.file,
        a.sheet,
        a.row,
    )


def summary_sheets(summary: Summary) -> list[Sheet]:
    """The data sheets of summary.xlsx, in order (README is made from them)."""
    totals = summary.totals
    overview = [
        ("As at", summary.as_at.label, "text"),
        ("Previous period", summary.previous.label, "text"),
        ("Last day of the period", summary.as_at_last_day, "date"),
        ("Activities", totals.activities, "count"),
        ("On track or complete (%)", _share(totals.on_track_or_complete_pct), "percent"),
        ("Overdue", totals.overdue, "count"),
        ("Budget (£)", totals.budget, "pounds"),
        ("Spend (£)", totals.spend, "pounds"),
        ("Spend against budget (%)", _share(totals.spend_pct_of_budget), "percent"),
    ]
    overview += [(f"Status: {s}", totals.by_status[s], "count") for s in STATUSES]
    overview += [(f"Change: {c}", totals.changes[c], "count") for c in CHANGES]

    trend_rows = []
    for point in summary.trend:
        groups = [("All partners", point.by_status, point.activities)]
        groups += [(name, counts, sum(counts.values())) for name, counts in point.partner_status.items()]
        for partner, counts, total in groups:
            for status in STATUSES:
                count = counts.get(status, 0)
                trend_rows.append((point.period.label, partner, status, count, count / total if total else None))

    metric_rows, metric_kinds = [], []
    for m in summary.metrics:
        metric_rows.append(
            (
                m.partner,
                m.area,
                m.metric,
                m.unit,
                m.period.label,
                m.actual,
                m.target,
                _share(m.pct_of_target),
                m.better_when.capitalize(),
                m.result.capitalize(),
            )
        )
        metric_kinds.append({"£": "pounds", "%": "number"}.get(m.unit, "number"))

    return [
        Sheet(
            "Overview",
            "The headline figures of the as-at period.",
            "measure",
            (Column("Measure", "text", 28), Column("Value", "text", 14)),
            tuple((name, value) for name, value, _ in overview),
            varying=("Value",),
            row_kinds=tuple(kind for _, _, kind in overview),
        ),
        Sheet(
            "Partners",
            "Each partner's activities in the as-at period: statuses, changes since the "
            "previous period, overdue, on-track share, progress and money.",
            "partner",
            _GROUP_COLUMNS,
            _group_rows(summary.partners),
        ),
        Sheet(
            "Areas", "The same for each strategic area.", "strategic area", _GROUP_COLUMNS, _group_rows(summary.areas)
        ),
        Sheet(
            "Partner x area",
            "Activities of each partner in each strategic area, by status.",
            "partner and area",
            (
                Column("Partner", "wrap", 30),
                Column("Area", "wrap", 20),
                Column("Activities", "count", 10),
                *(Column(s, "count", 8) for s in STATUSES),
                Column("Mean progress (%)", "percent", 10),
            ),
            tuple(
                (c.partner, c.area, c.activities, *(c.by_status[s] for s in STATUSES), _share(c.mean_progress))
                for c in summary.matrix
            ),
        ),
        Sheet(
            "Trend",
            "Activities by status in every period, for all partners and for each partner, in "
            "long form: pivot on Period, Partner and Status.",
            "period, partner and status",
            (
                Column("Period", "text", 11),
                Column("Partner", "wrap", 32),
                Column("Status", "text", 11),
                Column("Activities", "count", 10),
                Column("Share of the partner's activities (%)", "percent", 14),
            ),
            tuple(trend_rows),
        ),
        Sheet(
            "Activities",
            "Every activity of the as-at period in full, with where it was read.",
            "activity",
            _ACTIVITY_COLUMNS,
            tuple(_activity_row(a) for a in summary.activities),
            names=3,
        ),
        Sheet(
            "Needs attention",
            "The activities that need attention (Red, Amber, overdue or worse than "
            "the previous period), in the pack's order, and why.",
            "activity",
            (*_ACTIVITY_COLUMNS[:3], Column("Why", "wrap", 14), *_ACTIVITY_COLUMNS[3:]),
            tuple(
                (*_activity_row(a)[:3], ", ".join(a.reasons).capitalize(), *_activity_row(a)[3:])
                for a in summary.exceptions
            ),
            names=3,
        ),
        Sheet(
            "Metrics",
            "Each metric's latest value against its target, and whether it is met (by the metric's direction).",
            "metric",
            (
                Column("Partner", "wrap", 30),
                Column("Area", "wrap", 16),
                Column("Metric", "wrap", 30),
                Column("Unit", "text", 8),
                Column("Period", "text", 11),
                Column("Actual", "number", 11),
                Column("Target", "number", 11),
                Column("% of target", "percent", 10),
                Column("Better when", "text", 10),
                Column("Result", "text", 10),
            ),
            tuple(metric_rows),
            varying=("Actual", "Target"),
            row_kinds=tuple(metric_kinds),
        ),
        Sheet(
            "Data quality",
            "Warnings about the inputs: where, what was found and why it matters.",
            "warning",
            (
                Column("File", "wrap", 20),
                Column("Sheet", "wrap", 14),
                Column("Row", "count", 6),
                Column("Column", "wrap", 16),
                Column("Value", "wrap", 18),
                Column("Message", "wrap", 60),
                Column("Severity", "text", 9),
            ),
            tuple(
                (p.file, p.sheet, p.row, p.column, p.value, p.message, p.severity.capitalize())
                for p in summary.warnings
            ),
        ),
    ]
