"""The summary of one run: plain, frozen data that charts, the PDF and exports read.

:func:`boardpack.summarise.summarise` builds a :class:`Summary`; nothing in this
module computes figures, reads files or draws. It lives apart from the summarise
stage so that the charts and PDF stages can import the shapes without importing
another stage.

``Summary.as_dict()`` is the form written to ``summary.json`` and
``Summary.to_json()`` the exact text (docs/summary.md describes every key).
Mappings are read-only and sequences are tuples, so nothing downstream can change
a summary by accident. Blank numbers are ``None``, never NaN.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import HistoryPeriod, Period, Problem
from .text import match_key

# Why an activity needs the board's attention, in the order they are listed.
ATTENTION_REASONS: tuple[str, ...] = ("red", "amber", "overdue", "worsened")


def _number(value: float | int | None) -> float | int | None:
    """JSON-safe number: NaN and infinities become None."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


# Period labels, made once per period: an activity's history repeats the same few
# periods, and summary.json writes every activity's (several lists hold the same one).
_LABELS: dict[Period, str] = {}


def _label(period: Period) -> str:
    label = _LABELS.get(period)
    if label is None:
        label = _LABELS[period] = period.label
    return label


def _percent(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal place; None when whole is 0."""
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True, kw_only=True)
class Totals:
    """Counts and sums over a set of as-at activities (all of them, or one group).

    ``by_status`` has every status of ``model.STATUSES`` and ``changes`` every
    category of ``model.CHANGES``, in that order, zeros included.
    ``on_track_or_complete_pct`` is (Green + Complete) / activities x 100 to one
    decimal, 0.0 when there are no activities. ``budget`` and ``spend`` are sums
    in pounds with blanks counted as 0, rounded to the penny. ``mean_progress``
    is the mean of the progress values given (0-100, one decimal), None when none
    were given.
    """

    activities: int
    by_status: Mapping[str, int]
    changes: Mapping[str, int]
    overdue: int
    on_track_or_complete_pct: float
    budget: float
    spend: float
    mean_progress: float | None

    @property
    def spend_pct_of_budget(self) -> float | None:
        """Spend as a percentage of budget (one decimal), None when there is no budget."""
        return _percent(self.spend, self.budget)

    def as_dict(self) -> dict[str, Any]:
        return {
            "activities": self.activities,
            "by_status": dict(self.by_status),
            "changes": dict(self.changes),
            "overdue": self.overdue,
            "on_track_or_complete_pct": self.on_track_or_complete_pct,
            "budget": self.budget,
            "spend": self.spend,
            "spend_pct_of_budget": self.spend_pct_of_budget,
            "mean_progress": _number(self.mean_progress),
        }


@dataclass(frozen=True, kw_only=True)
class GroupSummary(Totals):
    """The totals of one registry partner or strategic area, with who they are."""

    name: str
    short_name: str
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "short_name": self.short_name, "description": self.description, **super().as_dict()}


@dataclass(frozen=True, kw_only=True)
class MatrixCell:
    """One partner x area pair of the as-at period: how many, in which status."""

    partner: str
    area: str
    activities: int
    by_status: Mapping[str, int]
    mean_progress: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "area": self.area,
            "activities": self.activities,
            "by_status": dict(self.by_status),
            "mean_progress": _number(self.mean_progress),
        }


@dataclass(frozen=True, kw_only=True)
class TrendPoint:
    """One reporting period: its status mix and the share on track or complete.

    ``on_track_or_complete_pct`` is None when the period has no activity rows;
    ``partners`` maps every registry partner name (registry order) to its share,
    None for a partner with no rows in the period. ``partner_status`` maps every
    registry partner to its count of each status in the period (zeros included).
    """

    period: Period
    activities: int
    by_status: Mapping[str, int]
    on_track_or_complete_pct: float | None
    partners: Mapping[str, float | None]
    partner_status: Mapping[str, Mapping[str, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "activities": self.activities,
            "by_status": dict(self.by_status),
            "on_track_or_complete_pct": self.on_track_or_complete_pct,
            "partners": dict(self.partners),
            "partner_status": {name: dict(counts) for name, counts in self.partner_status.items()},
        }


@dataclass(frozen=True)
class ActivityRow:
    """One activity as at the report's period, compared with the period before.

    ``previous_status`` is None when the activity is new. ``progress``,
    ``budget``, ``spend`` and ``due_date`` are None when blank; ``lead`` and
    ``commentary`` are "" when blank. ``file``, ``sheet`` and ``row`` say where
    the as-at row was read. ``overdue`` and ``days_overdue`` follow the due date
    that counts (``due_that_counts``) against the as-at period's last day.
    """

    partner: str
    area: str
    activity: str
    status: str
    previous_status: str | None
    change: str
    overdue: bool
    progress: float | None
    due_date: dt.date | None
    lead: str
    commentary: str
    budget: float | None
    spend: float | None
    file: str
    sheet: str | None
    row: int | None
    # What the board is asked to decide, in staff's words ("" when nothing).
    decision: str = ""
    revised_due_date: dt.date | None = None
    # The unbroken run of the current status up to the as-at period: since when,
    # and over how many periods (1 = this period only). A period with no row for
    # the activity breaks the run.
    status_since: Period | None = None
    status_periods: int = 1
    # The previous period's commentary ("" when none or when the activity is new).
    previous_commentary: str = ""
    # Days between the due date that counts (revised, else original) and the as-at
    # period's last day, when overdue; None otherwise.
    days_overdue: int | None = None
    # (period, status) for every period the activity has a row in, oldest first.
    history: tuple[tuple[Period, str], ...] = ()

    @property
    def due_that_counts(self) -> dt.date | None:
        """The revised due date when given, else the original."""
        return self.revised_due_date or self.due_date

    @property
    def commentary_unchanged(self) -> bool:
        """Commentary given, and word for word the previous period's (ignoring case and spacing)."""
        return bool(self.commentary.strip()) and match_key(self.commentary) == match_key(self.previous_commentary)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why it needs attention: any of "red", "amber", "overdue", "worsened"."""
        found = {
            "red": self.status == "Red",
            "amber": self.status == "Amber",
            "overdue": self.overdue,
            "worsened": self.change == "worsened",
        }
        return tuple(reason for reason in ATTENTION_REASONS if found[reason])

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "area": self.area,
            "activity": self.activity,
            "status": self.status,
            "previous_status": self.previous_status,
            "change": self.change,
            "overdue": self.overdue,
            "progress": _number(self.progress),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "lead": self.lead,
            "commentary": self.commentary,
            "budget": _number(self.budget),
            "spend": _number(self.spend),
            "decision": self.decision,
            "revised_due_date": self.revised_due_date.isoformat() if self.revised_due_date else None,
            "status_since": self.status_since.label if self.status_since else None,
            "status_periods": self.status_periods,
            "commentary_unchanged": self.commentary_unchanged,
            "days_overdue": self.days_overdue,
            "history": [[_label(period), status] for period, status in self.history],
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
        }


@dataclass(frozen=True, kw_only=True)
class MetricPoint:
    """One period's value of a metric."""

    period: Period
    actual: float | None
    target: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"period": self.period.label, "actual": _number(self.actual), "target": _number(self.target)}


@dataclass(frozen=True, kw_only=True)
class MetricSummary:
    """One partner's metric: its latest value at or before the as-at period.

    ``period``, ``actual``, ``area`` and ``unit`` come from the latest row;
    ``target`` is the latest row's target, or the most recent target given
    before it when that row leaves it blank. ``pct_of_target`` is actual /
    target x 100 (one decimal), None without a non-zero target. ``series`` has
    one point per period with a value, oldest first.
    """

    partner: str
    area: str | None
    metric: str
    unit: str
    period: Period
    actual: float | None
    target: float | None
    pct_of_target: float | None
    series: tuple[MetricPoint, ...]
    better_when: str = "higher"  # "higher" or "lower": which side of the target is good

    @property
    def on_wrong_side(self) -> bool:
        """Below a target that is better higher, or above one that is better lower."""
        if self.actual is None or self.target is None:
            return False
        return self.actual < self.target if self.better_when == "higher" else self.actual > self.target

    @property
    def result(self) -> str:
        """ "met", "not met" (on the wrong side of its target, by its direction), "no target" or "no value"."""
        if self.target is None:
            return "no target"
        if self.actual is None:
            return "no value"
        return "not met" if self.on_wrong_side else "met"

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "area": self.area,
            "metric": self.metric,
            "unit": self.unit,
            "period": self.period.label,
            "actual": _number(self.actual),
            "target": _number(self.target),
            "pct_of_target": self.pct_of_target,
            "better_when": self.better_when,
            "on_wrong_side": self.on_wrong_side,
            "series": [point.as_dict() for point in self.series],
        }


@dataclass(frozen=True, kw_only=True)
class MissingActivity:
    """An activity reported in the previous period with no row in the as-at period."""

    partner: str
    area: str
    activity: str
    previous_status: str
    file: str
    sheet: str | None
    row: int | None  # where its previous-period row was read

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "area": self.area,
            "activity": self.activity,
            "previous_status": self.previous_status,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
        }


# Kinds of money flag, in the order key messages give them.
MONEY_FLAGS: tuple[str, ...] = ("overspent", "near_budget", "partner_overspend", "partner_underspend")


@dataclass(frozen=True, kw_only=True)
class MoneyFlag:
    """Money a trustee should hear about.

    ``overspent``: an as-at activity whose spend is above its budget (budget
    above 0). ``near_budget``: an as-at activity not Complete that has spent at
    least the template's ``near_budget_pct`` of its budget (exactly that share
    counts) and not more than all of it. ``partner_overspend`` /
    ``partner_underspend``: a partner with a budget whose as-at spend is more
    than ``partner_money_pct`` above or below its as-at budget (exactly that far
    does not count). ``activity`` and ``status`` are "" for the partner kinds.
    ``pct`` is spend as a percentage of budget, one decimal.
    """

    kind: str
    partner: str
    activity: str
    status: str  # the activity's status; "" for the partner kinds
    budget: float
    spend: float
    pct: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "partner": self.partner,
            "activity": self.activity,
            "status": self.status,
            "budget": self.budget,
            "spend": self.spend,
            "pct": self.pct,
        }


@dataclass(frozen=True, kw_only=True)
class Summary:
    """Everything the board pack says, as plain data.

    ``partners`` and ``areas`` hold every registry entry in registry order, zeros
    where there is nothing. ``matrix`` holds every partner x area pair, partner
    by partner. ``activities`` holds the as-at activities in partner, area,
    activity order; ``exceptions`` those needing attention, each once, in the
    Needs attention order: Red (most periods Red first), then overdue and not
    Red (most days overdue first), then worsened, then Amber, ties in
    ``activities`` order; ``missing_commentary`` the Red and Amber ones with no
    commentary.
    """

    as_at: Period
    previous: Period
    previous_has_data: bool
    as_at_last_day: dt.date
    totals: Totals
    partners: tuple[GroupSummary, ...]
    areas: tuple[GroupSummary, ...]
    matrix: tuple[MatrixCell, ...]
    trend: tuple[TrendPoint, ...]
    activities: tuple[ActivityRow, ...]
    exceptions: tuple[ActivityRow, ...]
    missing_commentary: tuple[ActivityRow, ...]
    metrics: tuple[MetricSummary, ...]
    warnings: tuple[Problem, ...]
    # As-at activities that ask the board for a decision (decision text not
    # blank), in ``activities`` order.
    decisions: tuple[ActivityRow, ...] = ()
    # Metrics whose latest value is on the wrong side of their target, in ``metrics`` order.
    attention_metrics: tuple[MetricSummary, ...] = ()
    # Activities of the previous period with no row in the as-at period, in
    # registry partner order, then the order their previous rows were read.
    missing_activities: tuple[MissingActivity, ...] = ()
    # Kinds in MONEY_FLAGS order, then partner order (activities order within a partner).
    money_flags: tuple[MoneyFlag, ...] = ()
    # Partners' periods the spreadsheets no longer held, taken from the history: by period, then run.
    from_history: tuple[HistoryPeriod, ...] = ()

    def history_run(self, partner: str, period: Period) -> HistoryPeriod | None:
        """Where this partner's rows of ``period`` came from, when they came from the history."""
        for used in self.from_history:
            if used.period == period and partner in used.partners:
                return used
        return None

    @property
    def streaks(self) -> tuple[ActivityRow, ...]:
        """As-at activities Red or Not started for two periods or more running, longest first."""
        rows = [a for a in self.activities if a.status in ("Red", "Not started") and a.status_periods >= 2]
        return tuple(sorted(rows, key=lambda a: -a.status_periods))

    def partner(self, name: str) -> GroupSummary:
        """The summary of the partner with this registry name (KeyError if none)."""
        return _named(self.partners, name, "partner")

    def area(self, name: str) -> GroupSummary:
        """The summary of the area with this registry name (KeyError if none)."""
        return _named(self.areas, name, "area")

    def cell(self, partner: str, area: str) -> MatrixCell:
        """The matrix cell of one partner and one area (KeyError if none)."""
        for cell in self.matrix:
            if cell.partner == partner and cell.area == area:
                return cell
        raise KeyError(f"no matrix cell for {partner!r} x {area!r}")

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able form written to summary.json (see docs/summary.md)."""
        return {
            "as_at": self.as_at.label,
            "previous": self.previous.label,
            "previous_has_data": self.previous_has_data,
            "as_at_last_day": self.as_at_last_day.isoformat(),
            "totals": self.totals.as_dict(),
            "partners": [p.as_dict() for p in self.partners],
            "areas": [a.as_dict() for a in self.areas],
            "matrix": [c.as_dict() for c in self.matrix],
            "trend": [t.as_dict() for t in self.trend],
            "activities": [a.as_dict() for a in self.activities],
            "exceptions": [{**a.as_dict(), "reasons": list(a.reasons)} for a in self.exceptions],
            "missing_commentary": [a.as_dict() for a in self.missing_commentary],
            "metrics": [m.as_dict() for m in self.metrics],
            "warnings": [w.as_dict() for w in self.warnings],
            "decisions": [a.as_dict() for a in self.decisions],
            "streaks": [a.as_dict() for a in self.streaks],
            "attention_metrics": [m.as_dict() for m in self.attention_metrics],
            "missing_activities": [m.as_dict() for m in self.missing_activities],
            "money_flags": [f.as_dict() for f in self.money_flags],
            "from_history": [h.as_dict() for h in self.from_history],
        }

    def to_json(self) -> str:
        """summary.json as text: the same summary always gives the same bytes.

        One top-level key per line and one list item (a partner, an activity...)
        per line: readable and easy to compare between runs, and ten times faster
        than an indented dump, which Python encodes without its C accelerator.
        """
        lines = []
        for key, value in self.as_dict().items():
            if isinstance(value, list) and value:
                items = ",\n".join(f"    {_compact(item)}" for item in value)
                lines.append(f"  {_compact(key)}: [\n{items}\n  ]")
            else:
                lines.append(f"  {_compact(key)}: {_compact(value)}")
        return "{\n" + ",\n".join(lines) + "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _named(groups: tuple[GroupSummary, ...], name: str, kind: str) -> GroupSummary:
    for group in groups:
        if group.name == name:
            return group
    raise KeyError(f"no {kind} named {name!r}")
