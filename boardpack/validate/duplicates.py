"""The same activity (or metric) twice in one period: identical rows merge, others are errors."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..model import Problem
from ..text import match_key


def merge_duplicates(frame: pd.DataFrame, key: list[str], what: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The same activity twice in one period: identical rows merge (warning), others are errors."""
    if frame.empty:
        return frame, []
    duplicated = frame.duplicated(key, keep=False)
    if not duplicated.any():
        return frame, []
    problems: list[Problem] = []
    drop: list[int] = []
    # The activity (metric) text is part of the key, compared normalised: rows that differ only
    # in its case or spacing are the same activity, so it is left out of the comparison.
    compare = [c for c in frame.columns if c not in ("file", "sheet", "row", "activity_key", "metric_key", what)]
    for _, group in frame[duplicated].groupby(key, sort=False):
        first = group.iloc[0]
        where = f"{first['file']} › {first['sheet']} › row {first['row']}"
        for index, other in group.iloc[1:].iterrows():
            same = all(_same(first[c], other[c]) for c in compare)
            label = other[what]  # the value as written in the row named
            if same:
                problems.append(
                    Problem(
                        other["file"],
                        other["sheet"],
                        int(other["row"]),
                        None,
                        str(label),
                        f"repeats the same {what} for {first['period']} as {where}; the copies were merged",
                        "warning",
                        period=str(first["period"]),
                    )
                )
                drop.append(index)
            else:
                problems.append(
                    Problem(
                        other["file"],
                        other["sheet"],
                        int(other["row"]),
                        None,
                        str(label),
                        f"the same {what} for {first['period']} is also at {where} with "
                        "different values; keep one row per period",
                        period=str(first["period"]),
                    )
                )
    return frame.drop(index=drop).reset_index(drop=True), problems


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, str) and isinstance(b, str):
        # Text is stored as written but compared as matched: a curly quote or a
        # capital letter alone does not make two copies of a row different.
        return a == b or match_key(a) == match_key(b)
    return a == b
