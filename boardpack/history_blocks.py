"""The history's unit of storage, a *block*: one partner's rows of one table for one period.

A block is stored once however many runs read it, known by the SHA-256 digest of
its rows exactly as stored (:func:`digest`). This is the definition
``history.py`` stores and ``history_fill.py`` compares: the columns kept for each
table, rows as stored (:data:`Record`), the reference to a block a run read
(:class:`BlockRef`), and a validated frame's rows as blocks (:func:`blocks_of`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .model import Period

# The columns stored for each table, in order. They are the validated frames'
# columns (schema.py) except activity_key, which is worked out again on reading
# so that it always follows the current text matching. A new frame column needs
# a migration (history_file.MIGRATIONS) that adds it to the table, and adding it here.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "partner",
    "area",
    "activity",
    "period",
    "status",
    "progress",
    "due_date",
    "lead",
    "commentary",
    "budget",
    "spend",
    "decision",
    "revised_due_date",
    "file",
    "sheet",
    "row",
)
METRIC_COLUMNS: tuple[str, ...] = (
    "partner",
    "area",
    "metric",
    "period",
    "target",
    "actual",
    "unit",
    "better_when",
    "file",
    "sheet",
    "row",
)
COLUMNS: dict[str, tuple[str, ...]] = {"activities": ACTIVITY_COLUMNS, "metrics": METRIC_COLUMNS}
_NUMBERS = frozenset({"progress", "budget", "spend", "target", "actual"})
_DATES = frozenset({"due_date", "revised_due_date"})

Record = tuple  # one row as stored: Python str, float, int or None in COLUMNS order


@dataclass(frozen=True)
class BlockRef:
    """That run ``run`` read block ``block``: one partner's rows of one table for one period."""

    block: int
    kind: str  # "activities" or "metrics"
    partner: str
    period: Period
    digest: str
    rows: int
    run: int
    run_as_at: Period
    run_folder: str


# --------------------------------------------------------------------------- blocks


def parse_label(label: str) -> Period:
    """A Period from the label the history stores ("2025-26 Q3")."""
    match = re.fullmatch(r"(\d{4})-\d{2} Q([1-4])", label)
    if match is None:
        raise ValueError(f"{label!r} is not a period label")
    return Period(int(match[1]), int(match[2]))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value is pd.NA


def _column_values(frame: pd.DataFrame, name: str) -> list:
    """One frame column as the Python values SQLite stores: labels, ISO dates, floats, None for blanks.

    Whole columns at a time, and each distinct period or date converted once:
    10,000 rows take a few hundredths of a second.
    """
    if name not in frame.columns:
        return [None] * len(frame)
    column = frame[name]
    if name in _NUMBERS:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float).tolist()
        return [None if v != v else v for v in values]  # NaN is the only value not equal to itself
    values = column.tolist()
    if name == "period":
        labels: dict[Period, str] = {}
        return [(labels.get(v) or labels.setdefault(v, v.label)) if isinstance(v, Period) else None for v in values]
    if name in _DATES:
        dates: dict[Any, str] = {}
        found: list[str | None] = []
        for v in values:
            if _blank(v):
                found.append(None)
                continue
            iso = dates.get(v)
            if iso is None:
                iso = dates[v] = (v.date() if isinstance(v, dt.datetime) else v).isoformat()
            found.append(iso)
        return found
    if name == "row":
        return [v if type(v) is int else (None if _blank(v) else int(v)) for v in values]
    return [v if type(v) is str else (None if _blank(v) else str(v)) for v in values]


def digest(kind: str, records: Sequence[Record]) -> str:
    """The digest of a block: the same rows, stored or read back, always give the same text."""
    text = json.dumps([kind, records], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def blocks_of(frame: pd.DataFrame, kind: str) -> dict[tuple[str, Period], list[Record]]:
    """The rows of a validated frame as stored, in frame order, grouped by (partner, period)."""
    columns = COLUMNS[kind]
    if frame.empty:
        return {}
    by_label: dict[tuple[str, str], list[Record]] = {}  # keyed by text: hashing a Period costs more
    for record in zip(*(_column_values(frame, name) for name in columns), strict=True):
        key = (record[0], record[3])  # partner, period label
        block = by_label.get(key)
        if block is None:
            block = by_label[key] = []
        block.append(record)
    periods = {label: parse_label(label) for _, label in by_label}
    return {(partner, periods[label]): records for (partner, label), records in by_label.items()}
