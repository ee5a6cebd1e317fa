"""Each partner's metrics: the latest value at or before the as-at period, its target and series."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..model import Period
from ..schema import METRIC_FRAME_COLUMNS
from ..summary_model import MetricPoint, MetricSummary
from ..text import match_key
from .frames import Entries, as_numbers, category_codes, period_number, period_numbers, registry_names, with_columns


def _blank_to_none(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def metric_summaries(source: pd.DataFrame, as_at: Period, partners: Entries) -> tuple[MetricSummary, ...]:
    """Each (partner, metric): its latest value at or before as-at, target and series."""
    frame = with_columns(source, METRIC_FRAME_COLUMNS)
    if frame.empty:
        return ()
    frame["_period"] = period_numbers(frame["period"])
    frame = frame[frame["_period"] <= period_number(as_at)]
    keys = {m: match_key(str(m)) for m in frame["metric"].unique()}
    frame = frame.assign(
        _key=frame["metric"].map(keys),
        _partner=category_codes(frame["partner"], registry_names(partners)),
        actual=as_numbers(frame["actual"]),
        target=as_numbers(frame["target"]),
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
