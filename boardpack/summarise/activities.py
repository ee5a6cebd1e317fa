"""The activities the pack lists: every as-at row as an ActivityRow, then what needs attention
(ranked), the decisions asked, the missing commentary and the activities that disappeared.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..model import Period
from ..summary_model import ActivityRow, MissingActivity
from .frames import Entries, category_codes, period_number, registry_names


def _values(column: pd.Series, convert=None) -> list:
    """The column as a Python list, blanks (NaN, NaT, None) as None."""
    values = column.astype(object).where(column.notna(), None)
    return values.tolist() if convert is None else [None if v is None else convert(v) for v in values]


def activity_rows(current: pd.DataFrame, pairs: list[tuple[Period, str]]) -> tuple[ActivityRow, ...]:
    """One ActivityRow per as-at row; blanks converted once per column, not per cell.

    ``pairs`` is the (period, status) list of :func:`.frames.status_runs`: each activity's
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


def exceptions(
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


def decisions(current: pd.DataFrame, activities: tuple[ActivityRow, ...]) -> tuple[ActivityRow, ...]:
    """As-at activities whose decision text is not blank, in activities order."""
    asks = (current["decision"].str.strip() != "").to_numpy(bool)
    return tuple(activities[i] for i in np.flatnonzero(asks))


def missing_commentary(current: pd.DataFrame, activities: tuple[ActivityRow, ...]) -> tuple[ActivityRow, ...]:
    """Red and Amber activities whose commentary is blank."""
    missing = (current["status"].isin(("Red", "Amber")) & (current["commentary"].str.strip() == "")).to_numpy(bool)
    return tuple(activities[i] for i in np.flatnonzero(missing))


def missing_activities(
    history: pd.DataFrame, as_at: Period, previous: Period, partners: Entries
) -> tuple[MissingActivity, ...]:
    """Activities with a row in the previous period and none in the as-at period.

    In registry partner order, then the order they were read (file, sheet, row
    of the previous-period row). ``history`` carries the ``_ident`` of :func:`.frames.status_runs`.
    """
    before = history[history["_period"] == period_number(previous)]
    if before.empty:
        return ()
    now = history.loc[history["_period"] == period_number(as_at), "_ident"].to_numpy()
    gone = before[~np.isin(before["_ident"].to_numpy(), now)]
    codes = category_codes(gone["partner"], registry_names(partners))
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
