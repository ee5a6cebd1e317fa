"""The summarise stage: clean tables -> Summary. No I/O, no drawing.

``summarise(inputs, config)`` compares each activity's row in the as-at period
with its row in the period before, counts statuses, changes and overdue items
for the whole strategy, each partner, each area and each partner x area pair,
follows the share on track or complete across periods, picks out what needs the
board's attention and takes each metric's latest value. The rules are in
docs/summary.md and design.md ("The input contract / Rules").

The counting is vectorised (merge, numpy bincount over category codes) so that
100,000 rows take a fraction of a second; the only per-row Python is building
the as-at ``ActivityRow`` objects the PDF lists. The input frames are never
changed: every step works on a new frame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from types import MappingProxyType
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .config import Config, RegistryEntry
from .model import CHANGES, STATUS_RANK, STATUSES, Period, ValidatedInputs
from .summary_model import (
    ActivityRow, GroupSummary, MatrixCell, MetricPoint, MetricSummary, Summary, Totals, TrendPoint,
)
from .text import match_key

__all__ = ["summarise", "classify_change", "is_overdue", "on_track_share"]

ON_TRACK: tuple[str, ...] = ("Green", "Complete")

Entries = tuple[RegistryEntry, ...]

_ACTIVITY_COLUMNS = ("partner", "area", "activity", "activity_key", "period", "status", "progress",
                     "due_date", "lead", "commentary", "budget", "spend", "file", "sheet", "row")
_METRIC_COLUMNS = ("partner", "area", "metric", "period", "target", "actual", "unit",
                   "file", "sheet", "row")


# --------------------------------------------------------------------------- rules
# The rules, one value at a time. The vectorised code below does the same to whole
# columns; the tests check the two agree.

def classify_change(previous_status: str | None, status: str) -> str:
    """The change category of one activity: new, completed, improved, worsened or unchanged.

    New: no row in the previous period. Completed: any move into Complete.
    Otherwise the status rank (Red < Amber < Green = Not started < Complete)
    decides improved or worsened; equal ranks, Complete -> Complete included,
    are unchanged.
    """
    if previous_status is None:
        return "new"
    if status == "Complete" and previous_status != "Complete":
        return "completed"
    before, now = STATUS_RANK[previous_status], STATUS_RANK[status]
    if now > before:
        return "improved"
    if now < before:
        return "worsened"
    return "unchanged"


def is_overdue(due_date: dt.date | None, status: str, as_at_last_day: dt.date) -> bool:
    """Due before the last day of the as-at period and not Complete (Not started counts).

    Due on the last day itself is not overdue. Today's date plays no part.
    """
    return due_date is not None and due_date < as_at_last_day and status != "Complete"


def on_track_share(green_or_complete: int, activities: int) -> float:
    """Green + Complete as a percentage of all activities, one decimal; 0.0 when none."""
    return round(100.0 * green_or_complete / activities, 1) if activities else 0.0


# --------------------------------------------------------------------------- stage

def summarise(inputs: ValidatedInputs, config: Config) -> Summary:
    """Summarise validated inputs as at ``inputs.as_at`` for the board pack.

    Raises ValueError when there is no as-at period (validation found no
    activities), which the pipeline stops on before calling this.
    """
    history = _activity_history(inputs)
    as_at = _as_at_period(inputs)
    previous = as_at.previous()
    last_day = as_at.last_day(config.year_start_month)
    history = history[history["_period"] <= _period_number(as_at)]

    partners, areas = config.partners.entries, config.areas.entries
    current, previous_has_data = _compare(history, as_at, previous, last_day)
    current = _sort_by_registry(current, partners, areas)

    partner_codes = _codes(current["partner"], _names(partners))
    area_codes = _codes(current["area"], _names(areas))
    activities = _activity_rows(current)
    totals = Totals(**_tallies(current, np.zeros(len(current), dtype=np.intp), 1)[0])

    return Summary(
        as_at=as_at,
        previous=previous,
        previous_has_data=previous_has_data,
        as_at_last_day=last_day,
        totals=totals,
        partners=_groups(current, partner_codes, partners),
        areas=_groups(current, area_codes, areas),
        matrix=_matrix(current, partner_codes, area_codes, partners, areas),
        trend=_trend(history, inputs.periods, as_at, partners),
        activities=activities,
        exceptions=_exceptions(current, activities, partner_codes),
        missing_commentary=_missing_commentary(current, activities),
        metrics=_metrics(inputs.metrics, as_at, partners),
        warnings=tuple(inputs.warnings),
    )


# --------------------------------------------------------------------------- preparing

def _period_number(period: Period) -> int:
    """Periods as consecutive integers, so columns of them compare and group fast."""
    return period.start_year * 4 + period.quarter - 1


def _period_numbers(column: pd.Series) -> np.ndarray:
    return np.fromiter((_period_number(p) for p in column), dtype=np.int64, count=len(column))


def _columns(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """A new frame with exactly these columns (missing optional ones blank)."""
    return frame.reindex(columns=list(names))


def _numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce").astype(float)


def _texts(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str)


def _activity_history(inputs: ValidatedInputs) -> pd.DataFrame:
    """Every activity row, with the period as a number; one row per activity per period."""
    source = inputs.activities
    frame = _columns(source, _ACTIVITY_COLUMNS)
    if "activity_key" not in source.columns:
        frame["activity_key"] = frame["activity"].map(match_key)
    for name in ("progress", "budget", "spend"):
        frame[name] = _numbers(frame[name])
    for name in ("lead", "commentary"):
        frame[name] = _texts(frame[name])
    frame["_period"] = _period_numbers(frame["period"])
    # Validation merges or rejects the same activity twice in a period; this only
    # guards the merge below against a frame that skipped it.
    return frame.drop_duplicates(["partner", "activity_key", "_period"])


def _as_at_period(inputs: ValidatedInputs) -> Period:
    if inputs.as_at is not None:
        return inputs.as_at
    if inputs.periods:
        return max(inputs.periods)
    raise ValueError("there is no as-at period to summarise: the inputs hold no activities")


def _compare(history: pd.DataFrame, as_at: Period, previous: Period,
             last_day: dt.date) -> tuple[pd.DataFrame, bool]:
    """The as-at rows with previous_status, change and overdue added."""
    current = history[history["_period"] == _period_number(as_at)]
    before = history.loc[history["_period"] == _period_number(previous),
                         ["partner", "activity_key", "status"]]
    before = before.rename(columns={"status": "previous_status"})
    current = current.merge(before, on=["partner", "activity_key"], how="left",
                            validate="one_to_one")

    status, earlier = current["status"], current["previous_status"]
    rank, earlier_rank = status.map(STATUS_RANK), earlier.map(STATUS_RANK)
    current["change"] = np.select(
        [earlier.isna().to_numpy(),
         ((status == "Complete") & (earlier != "Complete")).to_numpy(),
         (rank > earlier_rank).to_numpy(),
         (rank < earlier_rank).to_numpy()],
        ["new", "completed", "improved", "worsened"],
        default="unchanged",
    ).astype(object)

    due = pd.to_datetime(current["due_date"], errors="coerce")
    current["_due"] = due
    current["overdue"] = ((due < pd.Timestamp(last_day)) & (status != "Complete")).to_numpy(bool)
    return current, not before.empty


def _names(entries: Iterable[RegistryEntry]) -> list[str]:
    return [entry.name for entry in entries]


def _codes(column: pd.Series, categories: Sequence[Any]) -> np.ndarray:
    """Position of each value in ``categories``; -1 for a value not among them."""
    return pd.Categorical(column, categories=list(categories)).codes.astype(np.intp)


def _sort_by_registry(current: pd.DataFrame, partners: Entries, areas: Entries) -> pd.DataFrame:
    """As-at rows in partner then area registry order, then activity, then source."""
    order = current.assign(_p=_codes(current["partner"], _names(partners)),
                           _a=_codes(current["area"], _names(areas)))
    order = order.sort_values(["_p", "_a", "activity_key", "file", "sheet", "row"],
                              kind="stable", na_position="last")
    return order.drop(columns=["_p", "_a"]).reset_index(drop=True)


# --------------------------------------------------------------------------- counting

def _cross(a: np.ndarray, a_size: int, b: np.ndarray, b_size: int) -> np.ndarray:
    """Counts of each (a, b) code pair as an a_size x b_size array; -1 codes skipped."""
    keep = (a >= 0) & (b >= 0)
    flat = np.bincount(a[keep] * b_size + b[keep], minlength=a_size * b_size)
    return flat.reshape(a_size, b_size)


def _sums(codes: np.ndarray, size: int, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per code, blanks (NaN) counted as 0; -1 codes skipped."""
    keep = codes >= 0
    return np.bincount(codes[keep], weights=np.nan_to_num(values[keep]), minlength=size)


def _means(codes: np.ndarray, size: int, values: np.ndarray) -> list[float | None]:
    """Mean of the non-blank ``values`` per code, one decimal; None where there are none."""
    keep = (codes >= 0) & ~np.isnan(values)
    totals = np.bincount(codes[keep], weights=values[keep], minlength=size)
    counts = np.bincount(codes[keep], minlength=size)
    return [round(float(t / n), 1) if n else None for t, n in zip(totals, counts)]


def _counts(row: np.ndarray, keys: Sequence[str]) -> MappingProxyType:
    return MappingProxyType({key: int(n) for key, n in zip(keys, row)})


def _tallies(rows: pd.DataFrame, codes: np.ndarray, size: int) -> list[dict[str, Any]]:
    """The Totals fields for each of ``size`` groups of the as-at rows."""
    by_status = _cross(codes, size, _codes(rows["status"], STATUSES), len(STATUSES))
    changes = _cross(codes, size, _codes(rows["change"], CHANGES), len(CHANGES))
    overdue = _sums(codes, size, rows["overdue"].to_numpy(float))
    budget = _sums(codes, size, rows["budget"].to_numpy(float))
    spend = _sums(codes, size, rows["spend"].to_numpy(float))
    progress = _means(codes, size, rows["progress"].to_numpy(float))
    on_track = [STATUSES.index(s) for s in ON_TRACK]
    tallies = []
    for i in range(size):
        activities = int(by_status[i].sum())
        tallies.append(dict(
            activities=activities,
            by_status=_counts(by_status[i], STATUSES),
            changes=_counts(changes[i], CHANGES),
            overdue=int(overdue[i]),
            on_track_or_complete_pct=on_track_share(int(by_status[i, on_track].sum()), activities),
            budget=round(float(budget[i]), 2),
            spend=round(float(spend[i]), 2),
            mean_progress=progress[i],
        ))
    return tallies


def _groups(current: pd.DataFrame, codes: np.ndarray,
            entries: Entries) -> tuple[GroupSummary, ...]:
    tallies = _tallies(current, codes, len(entries))
    return tuple(GroupSummary(name=e.name, short_name=e.short_name, description=e.description, **t)
                 for e, t in zip(entries, tallies))


def _matrix(current: pd.DataFrame, partner_codes: np.ndarray, area_codes: np.ndarray,
            partners: Entries, areas: Entries) -> tuple[MatrixCell, ...]:
    n_areas = len(areas)
    pair = np.where((partner_codes >= 0) & (area_codes >= 0),
                    partner_codes * n_areas + area_codes, -1)
    by_status = _cross(pair, len(partners) * n_areas, _codes(current["status"], STATUSES),
                       len(STATUSES))
    progress = _means(pair, len(partners) * n_areas, current["progress"].to_numpy(float))
    cells = []
    for p, partner in enumerate(partners):
        for a, area in enumerate(areas):
            i = p * n_areas + a
            cells.append(MatrixCell(partner=partner.name, area=area.name,
                                    activities=int(by_status[i].sum()),
                                    by_status=_counts(by_status[i], STATUSES),
                                    mean_progress=progress[i]))
    return tuple(cells)


def _trend(history: pd.DataFrame, periods: Sequence[Period], as_at: Period,
           partners: Entries) -> tuple[TrendPoint, ...]:
    periods = sorted(p for p in set(periods) if p <= as_at)
    period_codes = pd.Index([_period_number(p) for p in periods], dtype=np.int64) \
        .get_indexer(history["_period"].to_numpy())
    partner_codes = _codes(history["partner"], _names(partners))
    by_status = _cross(period_codes, len(periods), _codes(history["status"], STATUSES),
                       len(STATUSES))
    rows = _cross(period_codes, len(periods), partner_codes, len(partners))
    status_codes = _codes(history["status"], STATUSES)
    known = partner_codes >= 0
    partner_status = _cross(period_codes[known], len(periods),
                            partner_codes[known] * len(STATUSES) + status_codes[known],
                            len(partners) * len(STATUSES)).reshape(len(periods), len(partners), len(STATUSES))
    on_track = history["status"].isin(ON_TRACK).to_numpy()
    good = _cross(period_codes[on_track], len(periods), partner_codes[on_track], len(partners))
    on_track_columns = [STATUSES.index(s) for s in ON_TRACK]

    points = []
    for i, period in enumerate(periods):
        activities = int(by_status[i].sum())
        shares = {partner.name: (on_track_share(int(good[i, p]), int(rows[i, p]))
                                 if rows[i, p] else None)
                  for p, partner in enumerate(partners)}
        points.append(TrendPoint(
            period=period,
            activities=activities,
            by_status=_counts(by_status[i], STATUSES),
            on_track_or_complete_pct=(on_track_share(int(by_status[i, on_track_columns].sum()),
                                                     activities) if activities else None),
            partners=MappingProxyType(shares),
            partner_status=MappingProxyType({partner.name: _counts(partner_status[i, p], STATUSES)
                                             for p, partner in enumerate(partners)}),
        ))
    return tuple(points)


# --------------------------------------------------------------------------- activities

def _blank_to_none(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _values(column: pd.Series, convert=None) -> list:
    """The column as a Python list, blanks (NaN, NaT, None) as None."""
    values = column.astype(object).where(column.notna(), None)
    return values.tolist() if convert is None else [None if v is None else convert(v) for v in values]


def _activity_rows(current: pd.DataFrame) -> tuple[ActivityRow, ...]:
    """One ActivityRow per as-at row; blanks converted once per column, not per cell."""
    columns = {
        "partner": current["partner"].astype(str).tolist(),
        "area": current["area"].astype(str).tolist(),
        "activity": current["activity"].astype(str).tolist(),
        "status": current["status"].astype(str).tolist(),
        "previous_status": _values(current["previous_status"], str),
        "change": current["change"].tolist(),
        "overdue": current["overdue"].tolist(),
        "progress": _values(current["progress"], float),
        "due_date": _values(current["_due"].dt.date),
        "lead": current["lead"].tolist(),
        "commentary": current["commentary"].tolist(),
        "budget": _values(current["budget"], float),
        "spend": _values(current["spend"], float),
        "file": [v or "" for v in _values(current["file"], str)],
        "sheet": _values(current["sheet"], str),
        "row": _values(current["row"], int),
    }
    # Positional, in field order, because 100,000 keyword calls cost a tenth of a second.
    ordered = [columns[f.name] for f in dataclasses.fields(ActivityRow)]
    return tuple(ActivityRow(*values) for values in zip(*ordered))


def _exceptions(current: pd.DataFrame, activities: tuple[ActivityRow, ...],
                partner_codes: np.ndarray) -> tuple[ActivityRow, ...]:
    """Activities needing attention: Red, then Amber, then the rest; each in partner order.

    ``current`` and ``activities`` are in the same (partner, area, activity)
    order and the sort is stable, so ties keep that order.
    """
    status = current["status"]
    flagged = ((status == "Red") | (status == "Amber") | current["overdue"]
               | (current["change"] == "worsened")).to_numpy(bool)
    severity = np.select([(status == "Red").to_numpy(), (status == "Amber").to_numpy()], [0, 1], 2)
    partner = np.where(partner_codes >= 0, partner_codes, np.iinfo(np.intp).max)
    index = np.flatnonzero(flagged)
    order = index[np.lexsort((index, partner[index], severity[index]))]
    return tuple(activities[i] for i in order)


def _missing_commentary(current: pd.DataFrame,
                        activities: tuple[ActivityRow, ...]) -> tuple[ActivityRow, ...]:
    """Red and Amber activities whose commentary is blank."""
    missing = (current["status"].isin(("Red", "Amber"))
               & (current["commentary"].str.strip() == "")).to_numpy(bool)
    return tuple(activities[i] for i in np.flatnonzero(missing))


# --------------------------------------------------------------------------- metrics

def _metrics(source: pd.DataFrame, as_at: Period,
             partners: Entries) -> tuple[MetricSummary, ...]:
    """Each (partner, metric): its latest value at or before as-at, target and series."""
    frame = _columns(source, _METRIC_COLUMNS)
    if frame.empty:
        return ()
    frame["_period"] = _period_numbers(frame["period"])
    frame = frame[frame["_period"] <= _period_number(as_at)]
    keys = {m: match_key(str(m)) for m in frame["metric"].unique()}
    frame = frame.assign(
        _key=frame["metric"].map(keys),
        _partner=_codes(frame["partner"], _names(partners)),
        actual=_numbers(frame["actual"]),
        target=_numbers(frame["target"]),
    )
    frame = frame[frame["_partner"] >= 0]
    frame = frame.sort_values(["_partner", "_key", "_period", "file", "sheet", "row"],
                              kind="stable", na_position="last")
    # One value per period: the last row read for it (validation flags repeats).
    frame = frame.drop_duplicates(["_partner", "_key", "_period"], keep="last")

    summaries = []
    for _, group in frame.groupby(["_partner", "_key"], sort=True):
        latest = group.iloc[-1]
        targets = group["target"].dropna()
        target = float(targets.iloc[-1]) if len(targets) else None
        actual = _blank_to_none(latest["actual"])
        area = latest["area"]
        summaries.append(MetricSummary(
            partner=str(latest["partner"]),
            area=str(area) if isinstance(area, str) and area.strip() else None,
            metric=str(latest["metric"]),
            unit=str(latest["unit"]) if isinstance(latest["unit"], str) and latest["unit"] else "number",
            period=latest["period"],
            actual=actual,
            target=target,
            pct_of_target=(round(100.0 * actual / target, 1)
                           if actual is not None and target else None),
            series=tuple(MetricPoint(period=p, actual=_blank_to_none(a), target=_blank_to_none(t))
                         for p, a, t in zip(group["period"], group["actual"], group["target"])),
        ))
    return tuple(summaries)
