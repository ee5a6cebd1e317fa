"""All raw tables together: each one checked, duplicates merged, and the as-at period chosen."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ..config import Config
from ..errors import PeriodError
from ..model import LoadedInputs, Period, Problem, ValidatedInputs, in_other_period
from ..text import match_key
from .duplicates import merge_duplicates
from .sheet import ACTIVITY_COLUMNS, METRIC_COLUMNS, check_table
from .values import BadValue, parse_period


def validate_tables(
    loaded: LoadedInputs, config: Config, period: Period | str | None = None, strict: bool = False
) -> ValidatedInputs:
    """Check the raw tables; return clean frames and every problem found.

    ``period`` picks the as-at period (default: the latest in the data); rows
    after it are left out with a note. ``strict`` turns warnings into errors.
    """
    problems: list[Problem] = list(loaded.problems)
    frames: dict[str, list[pd.DataFrame]] = {"activities": [], "metrics": []}
    notes: list[str] = []
    for table in loaded.tables:
        try:
            frame, table_problems, table_notes = check_table(table, config)
        except Exception as exc:  # a fault of ours: name the sheet, and go on to check the others
            problems.append(Problem.fault(table.file, exc, table.sheet))
            continue
        problems.extend(table_problems)
        notes.extend(table_notes)
        frames[table.table].append(frame)

    activities = _concat(frames["activities"], ACTIVITY_COLUMNS)
    metrics = _concat(frames["metrics"], METRIC_COLUMNS)
    if activities.empty and not any(p.severity == "error" for p in problems):
        why = (
            "the activities sheets have no rows"
            if frames["activities"]
            else "no sheet in any file has a header row with Partner, Area, Activity, Period and Status"
        )
        problems.append(
            Problem(loaded.folder, None, None, None, None, f"no activities found: {why} (see docs/inputs.md)")
        )

    activities, dup_problems = merge_duplicates(activities, ["partner", "activity_key", "period"], "activity")
    problems.extend(dup_problems)
    metrics["metric_key"] = metrics["metric"].map(match_key)
    metrics, dup_problems = merge_duplicates(metrics, ["partner", "metric_key", "period"], "metric")
    problems.extend(dup_problems)
    metrics = metrics.drop(columns="metric_key")

    periods = sorted(set(activities["period"]))
    as_at = periods[-1] if periods else None
    if period is not None and periods:
        try:
            wanted = parse_period(period, config.year_start_month)
        except BadValue as exc:
            raise PeriodError(f'the period "{period}" {exc}') from None
        if wanted not in periods:
            raise PeriodError(
                f"there are no activities in {wanted}; the inputs have {', '.join(p.label for p in periods)}"
            )
        as_at = wanted
    if as_at is not None:
        later = activities["period"].map(lambda p: p > as_at)
        later_metrics = metrics["period"].map(lambda p: p > as_at).astype(bool)
        if later.any() or later_metrics.any():
            notes.append(
                f"{int(later.sum())} activity rows and {int(later_metrics.sum())} metric rows "
                f"after {as_at} were left out (the report is as at {as_at})"
            )
        activities = activities[~later.astype(bool)].reset_index(drop=True)
        metrics = metrics[~later_metrics].reset_index(drop=True)
        periods = [p for p in periods if p <= as_at]

    if strict:
        # Warnings about long-past (or left-out later) periods stay warnings: staff cannot change them now.
        problems = [p if in_other_period(p, as_at) else dataclasses.replace(p, severity="error") for p in problems]
    problems.sort(key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or "", p.message))
    return ValidatedInputs(
        activities, metrics, as_at, tuple(periods), tuple(problems), loaded.sources, loaded.skipped, tuple(notes)
    )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]
