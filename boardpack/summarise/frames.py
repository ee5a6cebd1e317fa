"""Preparing the frames: every activity row with its period as a number, each row's status run,
and the as-at rows compared with the period before. The input frames are never changed.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import RegistryEntry
from ..model import STATUS_RANK, STATUSES, Period, ValidatedInputs
from ..schema import ACTIVITY_FRAME_COLUMNS
from ..text import match_key

Entries = tuple[RegistryEntry, ...]


def period_number(period: Period) -> int:
    """Periods as consecutive integers, so columns of them compare and group fast."""
    return period.start_year * 4 + period.quarter - 1


def period_numbers(column: pd.Series) -> np.ndarray:
    """:func:`period_number` of a column of Periods (two C-level passes: twice as fast as one in Python)."""
    periods = column.to_numpy(dtype=object)
    years = np.fromiter(map(_START_YEAR, periods), dtype=np.int64, count=len(periods))
    quarters = np.fromiter(map(_QUARTER, periods), dtype=np.int64, count=len(periods))
    return years * 4 + quarters - 1


_START_YEAR, _QUARTER = operator.attrgetter("start_year"), operator.attrgetter("quarter")


def with_columns(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """A new frame with exactly these columns (missing optional ones blank)."""
    return frame.reindex(columns=list(names))


def as_numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce").astype(float)


def _texts(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str)


def activity_history(inputs: ValidatedInputs) -> pd.DataFrame:
    """Every activity row, with the period as a number; one row per activity per period."""
    source = inputs.activities
    frame = with_columns(source, ACTIVITY_FRAME_COLUMNS)
    if "activity_key" not in source.columns:
        frame["activity_key"] = frame["activity"].map(match_key)
    for name in ("progress", "budget", "spend"):
        frame[name] = as_numbers(frame[name])
    for name in ("lead", "commentary", "decision"):
        frame[name] = _texts(frame[name])
    frame["_period"] = period_numbers(frame["period"])
    # Validation merges or rejects the same activity twice in a period; this only
    # guards the merge below against a frame that skipped it.
    return frame.drop_duplicates(["partner", "activity_key", "_period"])


def as_at_period(inputs: ValidatedInputs) -> Period:
    if inputs.as_at is not None:
        return inputs.as_at
    if inputs.periods:
        return max(inputs.periods)
    raise ValueError("there is no as-at period to summarise: the inputs hold no activities")


def status_runs(history: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[Period, str]]]:
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
    status = category_codes(history["status"], STATUSES)
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


def compare_with_previous(
    history: pd.DataFrame, as_at: Period, previous: Period, last_day: dt.date
) -> tuple[pd.DataFrame, bool]:
    """The as-at rows with previous_status, previous_commentary, change, overdue and days added.

    ``history`` carries the columns :func:`status_runs` adds.
    """
    current = history[history["_period"] == period_number(as_at)]
    before = history.loc[history["_period"] == period_number(previous), ["_ident", "status", "commentary"]]
    before = before.rename(columns={"status": "previous_status", "commentary": "previous_commentary"})
    # _ident (from status_runs) numbers each (partner, activity_key): merging on it is
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


def registry_names(entries: Iterable[RegistryEntry]) -> list[str]:
    return [entry.name for entry in entries]


def category_codes(column: pd.Series, categories: Sequence[Any]) -> np.ndarray:
    """Position of each value in ``categories``; -1 for a value not among them."""
    return pd.Categorical(column, categories=list(categories)).codes.astype(np.intp)


def sort_by_registry(current: pd.DataFrame, partners: Entries, areas: Entries) -> pd.DataFrame:
    """As-at rows in partner then area registry order, then activity, then source."""
    order = current.assign(
        _p=category_codes(current["partner"], registry_names(partners)),
        _a=category_codes(current["area"], registry_names(areas)),
    )
    order = order.sort_values(["_p", "_a", "activity_key", "file", "sheet", "row"], kind="stable", na_position="last")
    return order.drop(columns=["_p", "_a"]).reset_index(drop=True)
