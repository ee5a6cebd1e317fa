"""The summarise stage: clean tables -> Summary. No I/O, no drawing.

``summarise(inputs, config)`` compares each activity's row in the as-at period
with its row in the period before, counts statuses, changes and overdue items
for the whole strategy, each partner, each area and each partner x area pair,
follows the share on track or complete across periods, follows each activity's
status back through the periods (how long it has been so), picks out what needs
the board's attention (ranked), the decisions asked of it, the activities that
disappeared and the money worth a word, and takes each metric's latest value.
The rules are in docs/summary.md and design.md ("The input contract / Rules").

The counting is vectorised (merge, numpy bincount over category codes, one sort
of the whole history for the status runs) so that 100,000 rows take a fraction
of a second; the only per-row Python is building the as-at ``ActivityRow``
objects the PDF lists, and the few records of the short lists. The input frames
are never changed: every step works on a new frame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import operator
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .config import Config, RegistryEntry
from .model import CHANGES, STATUS_RANK, STATUSES, Period, ValidatedInputs
from .schema import ACTIVITY_FRAME_COLUMNS, METRIC_FRAME_COLUMNS
from .summary_model import (
    ActivityRow,
    GroupSummary,
    MatrixCell,
    MetricPoint,
    MetricSummary,
    MissingActivity,
    MoneyFlag,
    Summary,
    Totals,
    TrendPoint,
)
from .text import match_key

__all__ = ["summarise", "classify_change", "is_overdue", "days_overdue", "on_track_share"]

ON_TRACK: tuple[str, ...] = ("Green", "Complete")

Entries = tuple[RegistryEntry, ...]

_ACTIVITY_COLUMNS = ACTIVITY_FRAME_COLUMNS
_METRIC_COLUMNS = METRIC_FRAME_COLUMNS


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
    """Due on or before the last day of the as-at period and not Complete (Not started counts).

    ``due_date`` is the date that counts: the revised due date when one is given,
    else the original (``ActivityRow.due_that_counts``). Due on the last day
    itself is overdue. Today's date plays no part.
    """
    return due_date is not None and due_date <= as_at_last_day and status != "Complete"


def days_overdue(due_date: dt.date | None, status: str, as_at_last_day: dt.date) -> int | None:
    """Days from the due date that counts to the as-at period's last day when overdue, else None.

    0 for an activity due on the last day itself.
    """
    return (as_at_last_day - due_date).days if is_overdue(due_date, status, as_at_last_day) else None


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
    history, pairs = _runs(history)
    current, previous_has_data = _compare(history, as_at, previous, last_day)
    current = _sort_by_registry(current, partners, areas)

    partner_codes = _codes(current["partner"], _names(partners))
    area_codes = _codes(current["area"], _names(areas))
    activities = _activity_rows(current, pairs)
    totals = Totals(**_tallies(current, np.zeros(len(current), dtype=np.intp), 1)[0])
    partner_groups = _groups(current, partner_codes, partners)
    metrics = _metrics(inputs.metrics, as_at, partners)

    return Summary(
        as_at=as_at,
        previous=previous,
        previous_has_data=previous_has_data,
        as_at_last_day=last_day,
        totals=totals,
        partners=partner_groups,
        areas=_groups(current, area_codes, areas),
        matrix=_matrix(current, partner_codes, area_codes, partners, areas),
        trend=_trend(history, inputs.periods, as_at, partners),
        activities=activities,
        exceptions=_exceptions(current, activities, partner_codes),
        missing_commentary=_missing_commentary(current, activities),
        metrics=metrics,
        warnings=tuple(inputs.warnings),
        decisions=_decisions(current, activities),
        attention_metrics=tuple(m for m in metrics if m.on_wrong_side),
        missing_activities=_missing_activities(history, as_at, previous, partners),
        money_flags=_money_flags(current, activities, partner_groups, config),
        from_history=inputs.from_history,
    )


# --------------------------------------------------------------------------- preparing


def _period_number(period: Period) -> int:
    """Periods as consecutive integers, so columns of them compare and group fast."""
    return period.start_year * 4 + period.quarter - 1


def _period_numbers(column: pd.Series) -> np.ndarray:
    """:func:`_period_number` of a column of Periods (two C-level passes: twice as fast as one in Python)."""
    periods = column.to_numpy(dtype=object)
    years = np.fromiter(map(_START_YEAR, periods), dtype=np.int64, count=len(periods))
    quarters = np.fromiter(map(_QUARTER, periods), dtype=np.int64, count=len(periods))
    return years * 4 + quarters - 1


_START_YEAR, _QUARTER = operator.attrgetter("start_year"), operator.attrgetter("quarter")


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
    for name in ("lead", "commentary", "decision"):
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


def _runs(history: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[Period, str]]]:
    """Each row's unbroken run of one status, and where each activity's rows lie in time order.

    One sort of the whole history by (activity, period) puts every activity's
    rows together, oldest first. A run breaks at a new activity, at a gap of a
    period (a period with no row for the activity) and at a change of status
    (Not started and Green are different statuses here). Returns a copy of
    ``history`` with, for each row, ``_ident`` (a number per activity),
    ``_status`` (the status's position in STATUSES, -1 for any other),
    ``_streak`` (periods in the run up to and including this row), ``_since``
    (the Period the run began) and ``_first`` / ``_last`` (positions in the
    returned list of (period, status) pairs of the activity's oldest row and of
    this row), so that an activity's history up to a row is
    ``pairs[_first:_last + 1]``.
    """
    size = len(history)
    ident = history.groupby(["partner", "activity_key"], sort=False, dropna=False).ngroup().to_numpy()
    period = history["_period"].to_numpy(np.int64)
    order = np.lexsort((period, ident))
    ident_s, period_s = ident[order], period[order]
    status = _codes(history["status"], STATUSES)
    status_s = status[order]
    starts = np.ones(size, dtype=bool)  # an activity's oldest row
    starts[1:] = ident_s[1:] != ident_s[:-1]
    breaks = starts.copy()
    breaks[1:] |= (period_s[1:] != period_s[:-1] + 1) | (status_s[1:] != status_s[:-1])
    position = np.arange(size)
    run_start = np.maximum.accumulate(np.where(breaks, position, 0)) if size else position
    first = np.maximum.accumulate(np.where(starts, position, 0)) if size else position

    # One Period object per period number and one (period, status) tuple per
    # distinct pair, picked by numpy: no Python per row.
    low = int(period_s.min()) if size else 0
    numbers = np.arange(low, int(period_s.max()) + 1 if size else 0)
    period_index = period_s - low
    periods = np.empty(len(numbers), dtype=object)
    periods[:] = [Period(int(n) // 4, int(n) % 4 + 1) for n in numbers]
    if size and status_s.min() >= 0:
        table = np.empty(len(numbers) * len(STATUSES), dtype=object)
        table[:] = [(period_of, name) for period_of in periods for name in STATUSES]
        pairs = table[period_index * len(STATUSES) + status_s].tolist()
    else:  # a status outside STATUSES (validation stops those): as written
        pairs = list(
            zip(
                periods[period_index].tolist(),
                history["status"].astype(str).to_numpy(dtype=object)[order].tolist(),
                strict=True,
            )
        )

    def unsort(values: np.ndarray) -> np.ndarray:
        result = np.empty(size, dtype=values.dtype)
        result[order] = values
        return result

    frame = history.assign(
        _ident=ident,
        _status=status,
        _streak=unsort(position - run_start + 1),
        _since=unsort(periods[period_index[run_start]]),
        _first=unsort(first),
        _last=unsort(position),
    )
    return frame, pairs


def _compare(history: pd.DataFrame, as_at: Period, previous: Period, last_day: dt.date) -> tuple[pd.DataFrame, bool]:
    """The as-at rows with previous_status, previous_commentary, change, overdue and days added.

    ``history`` carries the columns :func:`_runs` adds.
    """
    current = history[history["_period"] == _period_number(as_at)]
    before = history.loc[history["_period"] == _period_number(previous), ["_ident", "status", "commentary"]]
    before = before.rename(columns={"status": "previous_status", "commentary": "previous_commentary"})
    # _ident (from _runs) numbers each (partner, activity_key): merging on it is
    # the same join as on the two text columns, without hashing them again.
    current = current.merge(before, on="_ident", how="left", validate="one_to_one")
    current["previous_commentary"] = _texts(current["previous_commentary"])

    status, earlier = current["status"], current["previous_status"]
    rank, earlier_rank = status.map(STATUS_RANK), earlier.map(STATUS_RANK)
    current["change"] = np.select(
        [
            earlier.isna().to_numpy(),
            ((status == "Complete") & (earlier != "Complete")).to_numpy(),
            (rank > earlier_rank).to_numpy(),
            (rank < earlier_rank).to_numpy(),
        ],
        ["new", "completed", "improved", "worsened"],
        default="unchanged",
    ).astype(object)

    due = pd.to_datetime(current["due_date"], errors="coerce")
    revised = pd.to_datetime(current["revised_due_date"], errors="coerce")
    current["_due"], current["_revised"] = due, revised
    counts = revised.where(revised.notna(), due)  # the due date that counts
    end = pd.Timestamp(last_day)
    overdue = ((counts <= end) & (status != "Complete")).to_numpy(bool)
    current["overdue"] = overdue
    current["_days"] = (end - counts).dt.days.where(overdue)  # float: NaN when not overdue
    return current, not before.empty


def _names(entries: Iterable[RegistryEntry]) -> list[str]:
    return [entry.name for entry in entries]


def _codes(column: pd.Series, categories: Sequence[Any]) -> np.ndarray:
    """Position of each value in ``categories``; -1 for a value not among them."""
    return pd.Categorical(column, categories=list(categories)).codes.astype(np.intp)


def _sort_by_registry(current: pd.DataFrame, partners: Entries, areas: Entries) -> pd.DataFrame:
    """As-at rows in partner then area registry order, then activity, then source."""
    order = current.assign(_p=_codes(current["partner"], _names(partners)), _a=_codes(current["area"], _names(areas)))
    order = order.sort_values(["_p", "_a", "activity_key", "file", "sheet", "row"], kind="stable", na_position="last")
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
    return [round(float(t / n), 1) if n else None for t, n in zip(totals, counts, strict=True)]


def _counts(row: np.ndarray, keys: Sequence[str]) -> MappingProxyType:
    return MappingProxyType({key: int(n) for key, n in zip(keys, row, strict=True)})


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
        tallies.append(
            dict(
                activities=activities,
                by_status=_counts(by_status[i], STATUSES),
                changes=_counts(changes[i], CHANGES),
                overdue=int(overdue[i]),
                on_track_or_complete_pct=on_track_share(int(by_status[i, on_track].sum()), activities),
                budget=round(float(budget[i]), 2),
                spend=round(float(spend[i]), 2),
                mean_progress=progress[i],
            )
        )
    return tallies


def _groups(current: pd.DataFrame, codes: np.ndarray, entries: Entries) -> tuple[GroupSummary, ...]:
    tallies = _tallies(current, codes, len(entries))
    return tuple(
        GroupSummary(name=e.name, short_name=e.short_name, description=e.description, **t)
        for e, t in zip(entries, tallies, strict=True)
    )


def _matrix(
    current: pd.DataFrame, partner_codes: np.ndarray, area_codes: np.ndarray, partners: Entries, areas: Entries
) -> tuple[MatrixCell, ...]:
    n_areas = len(areas)
    pair = np.where((partner_codes >= 0) & (area_codes >= 0), partner_codes * n_areas + area_codes, -1)
    by_status = _cross(pair, len(partners) * n_areas, _codes(current["status"], STATUSES), len(STATUSES))
    progress = _means(pair, len(partners) * n_areas, current["progress"].to_numpy(float))
    cells = []
    for p, partner in enumerate(partners):
        for a, area in enumerate(areas):
            i = p * n_areas + a
            cells.append(
                MatrixCell(
                    partner=partner.name,
                    area=area.name,
                    activities=int(by_status[i].sum()),
                    by_status=_counts(by_status[i], STATUSES),
                    mean_progress=progress[i],
                )
            )
    return tuple(cells)


def _trend(
    history: pd.DataFrame, periods: Sequence[Period], as_at: Period, partners: Entries
) -> tuple[TrendPoint, ...]:
    periods = sorted(p for p in set(periods) if p <= as_at)
    period_codes = pd.Index([_period_number(p) for p in periods], dtype=np.int64).get_indexer(
        history["_period"].to_numpy()
    )
    partner_codes = _codes(history["partner"], _names(partners))
    status_codes = history["_status"].to_numpy()  # from _runs
    by_status = _cross(period_codes, len(periods), status_codes, len(STATUSES))
    rows = _cross(period_codes, len(periods), partner_codes, len(partners))
    known = partner_codes >= 0
    partner_status = _cross(
        period_codes[known],
        len(periods),
        partner_codes[known] * len(STATUSES) + status_codes[known],
        len(partners) * len(STATUSES),
    ).reshape(len(periods), len(partners), len(STATUSES))
    on_track = history["status"].isin(ON_TRACK).to_numpy()
    good = _cross(period_codes[on_track], len(periods), partner_codes[on_track], len(partners))
    on_track_columns = [STATUSES.index(s) for s in ON_TRACK]

    points = []
    for i, period in enumerate(periods):
        activities = int(by_status[i].sum())
        shares = {
            partner.name: (on_track_share(int(good[i, p]), int(rows[i, p])) if rows[i, p] else None)
            for p, partner in enumerate(partners)
        }
        points.append(
            TrendPoint(
                period=period,
                activities=activities,
                by_status=_counts(by_status[i], STATUSES),
                on_track_or_complete_pct=(
                    on_track_share(int(by_status[i, on_track_columns].sum()), activities) if activities else None
                ),
                partners=MappingProxyType(shares),
                partner_status=MappingProxyType(
                    {partner.name: _counts(partner_status[i, p], STATUSES) for p, partner in enumerate(partners)}
                ),
            )
        )
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


def _activity_rows(current: pd.DataFrame, pairs: list[tuple[Period, str]]) -> tuple[ActivityRow, ...]:
    """One ActivityRow per as-at row; blanks converted once per column, not per cell.

    ``pairs`` is the (period, status) list of :func:`_runs`: each activity's
    history is one slice of it.
    """
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
        "decision": current["decision"].tolist(),
        "revised_due_date": _values(current["_revised"].dt.date),
        "status_since": current["_since"].tolist(),
        "status_periods": current["_streak"].tolist(),
        "previous_commentary": current["previous_commentary"].tolist(),
        "days_overdue": _values(current["_days"], int),
        "history": [
            tuple(pairs[first : last + 1])
            for first, last in zip(current["_first"].tolist(), current["_last"].tolist(), strict=True)
        ],
    }
    # Positional, in field order, because 100,000 keyword calls cost a tenth of a second.
    ordered = [columns[f.name] for f in dataclasses.fields(ActivityRow)]
    return tuple(ActivityRow(*values) for values in zip(*ordered, strict=True))


def _exceptions(
    current: pd.DataFrame, activities: tuple[ActivityRow, ...], partner_codes: np.ndarray
) -> tuple[ActivityRow, ...]:
    """Activities needing attention, ranked as Needs attention lists them; each once.

    First Red (longest-running first: most periods in the status), then overdue
    that are not Red (most days overdue first), then worsened not already listed,
    then Amber not already listed. Ties keep partner order, then the
    (partner, area, activity) order that ``current`` and ``activities`` share.
    """
    status = current["status"]
    red, amber = (status == "Red").to_numpy(bool), (status == "Amber").to_numpy(bool)
    overdue = current["overdue"].to_numpy(bool)
    worsened = (current["change"] == "worsened").to_numpy(bool)
    tier = np.select([red, overdue, worsened, amber], [0, 1, 2, 3], 4)
    streak = current["_streak"].to_numpy(np.int64)
    days = current["_days"].fillna(0).to_numpy(np.int64)
    within = np.where(red, -streak, np.where(tier == 1, -days, 0))
    partner = np.where(partner_codes >= 0, partner_codes, np.iinfo(np.intp).max)
    index = np.flatnonzero(tier < 4)
    order = index[np.lexsort((index, partner[index], within[index], tier[index]))]
    return tuple(activities[i] for i in order)


def _decisions(current: pd.DataFrame, activities: tuple[ActivityRow, ...]) -> tuple[ActivityRow, ...]:
    """As-at activities whose decision text is not blank, in activities order."""
    asks = (current["decision"].str.strip() != "").to_numpy(bool)
    return tuple(activities[i] for i in np.flatnonzero(asks))


def _missing_commentary(current: pd.DataFrame, activities: tuple[ActivityRow, ...]) -> tuple[ActivityRow, ...]:
    """Red and Amber activities whose commentary is blank."""
    missing = (current["status"].isin(("Red", "Amber")) & (current["commentary"].str.strip() == "")).to_numpy(bool)
    return tuple(activities[i] for i in np.flatnonzero(missing))


def _missing_activities(
    history: pd.DataFrame, as_at: Period, previous: Period, partners: Entries
) -> tuple[MissingActivity, ...]:
    """Activities with a row in the previous period and none in the as-at period.

    In registry partner order, then the order they were read (file, sheet, row
    of the previous-period row). ``history`` carries the ``_ident`` of :func:`_runs`.
    """
    before = history[history["_period"] == _period_number(previous)]
    if before.empty:
        return ()
    now = history.loc[history["_period"] == _period_number(as_at), "_ident"].to_numpy()
    gone = before[~np.isin(before["_ident"].to_numpy(), now)]
    codes = _codes(gone["partner"], _names(partners))
    gone = gone.assign(_p=np.where(codes >= 0, codes, np.iinfo(np.intp).max))
    gone = gone.sort_values(["_p", "file", "sheet", "row"], kind="stable", na_position="last")
    return tuple(
        MissingActivity(
            partner=str(partner),
            area=str(area),
            activity=str(activity),
            previous_status=str(status),
            file=file or "",
            sheet=sheet,
            row=row,
        )
        for partner, area, activity, status, file, sheet, row in zip(
            gone["partner"],
            gone["area"],
            gone["activity"],
            gone["status"],
            _values(gone["file"], str),
            _values(gone["sheet"], str),
            _values(gone["row"], int),
            strict=False,
        )
    )


# Slack for float noise when a share is compared with a threshold, in percentage
# points: £117.72 of £130.80 is exactly 90%, but 100 x 117.72 / 130.8 computes as
# 89.99999999999999.
_PCT_SLACK = 1e-9


def _money_flags(
    current: pd.DataFrame, activities: tuple[ActivityRow, ...], partner_groups: tuple[GroupSummary, ...], config: Config
) -> tuple[MoneyFlag, ...]:
    """Money a trustee should hear about: kinds in MONEY_FLAGS order, then partner order.

    ``current`` and ``activities`` are in the same (partner, area, activity)
    order, so the activity kinds come out in partner order. A blank budget or
    spend never flags an activity; a partner's figures are its as-at totals
    (blanks as 0), as in ``partners``. A share exactly at ``near_budget_pct``
    counts; one exactly ``partner_money_pct`` away from 100% does not.
    """
    limits = config.pack
    budget, spend = current["budget"].to_numpy(float), current["spend"].to_numpy(float)
    funded = budget > 0  # NaN compares False
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(funded, 100.0 * spend / np.where(funded, budget, 1.0), np.nan)
    overspent = funded & (spend > budget)
    near = (
        funded
        & ~overspent
        & (current["status"] != "Complete").to_numpy(bool)
        & (share >= limits.near_budget_pct - _PCT_SLACK)
    )

    def activity_flags(kind: str, mask: np.ndarray) -> list[MoneyFlag]:
        return [
            MoneyFlag(
                kind=kind,
                partner=activities[i].partner,
                activity=activities[i].activity,
                status=activities[i].status,
                budget=round(float(budget[i]), 2),
                spend=round(float(spend[i]), 2),
                pct=round(float(share[i]), 1),
            )
            for i in np.flatnonzero(mask)
        ]

    over, under = [], []
    for group in partner_groups:
        if group.budget <= 0:
            continue
        pct = 100.0 * group.spend / group.budget
        flag = dict(
            partner=group.name, activity="", status="", budget=group.budget, spend=group.spend, pct=round(pct, 1)
        )
        if pct > 100.0 + limits.partner_money_pct + _PCT_SLACK:
            over.append(MoneyFlag(kind="partner_overspend", **flag))
        elif pct < 100.0 - limits.partner_money_pct - _PCT_SLACK:
            under.append(MoneyFlag(kind="partner_underspend", **flag))
    return tuple(activity_flags("overspent", overspent) + activity_flags("near_budget", near) + over + under)


# --------------------------------------------------------------------------- metrics


def _metrics(source: pd.DataFrame, as_at: Period, partners: Entries) -> tuple[MetricSummary, ...]:
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
    frame = frame.sort_values(
        ["_partner", "_key", "_period", "file", "sheet", "row"], kind="stable", na_position="last"
    )
    # One value per period: the last row read for it (validation flags repeats).
    frame = frame.drop_duplicates(["_partner", "_key", "_period"], keep="last")

    summaries = []
    for _, group in frame.groupby(["_partner", "_key"], sort=True):
        latest = group.iloc[-1]
        targets = group["target"].dropna()
        target = float(targets.iloc[-1]) if len(targets) else None
        actual = _blank_to_none(latest["actual"])
        area = latest["area"]
        summaries.append(
            MetricSummary(
                partner=str(latest["partner"]),
                area=str(area) if isinstance(area, str) and area.strip() else None,
                metric=str(latest["metric"]),
                unit=str(latest["unit"]) if isinstance(latest["unit"], str) and latest["unit"] else "number",
                period=latest["period"],
                actual=actual,
                target=target,
                pct_of_target=(round(100.0 * actual / target, 1) if actual is not None and target else None),
                series=tuple(
                    MetricPoint(period=p, actual=_blank_to_none(a), target=_blank_to_none(t))
                    for p, a, t in zip(group["period"], group["actual"], group["target"], strict=True)
                ),
                better_when="lower" if latest["better_when"] == "lower" else "higher",
            )
        )
    return tuple(summaries)
