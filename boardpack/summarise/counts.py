"""Counting the as-at rows: totals for the whole strategy, each partner, each area and each
partner x area pair, and the share on track across periods. numpy bincount over category codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..model import CHANGES, STATUSES, Period
from ..summary_model import GroupSummary, MatrixCell, TrendPoint
from .frames import Entries, category_codes, period_number, registry_names
from .rules import ON_TRACK, on_track_share


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


def group_tallies(rows: pd.DataFrame, codes: np.ndarray, size: int) -> list[dict[str, Any]]:
    """The Totals fields for each of ``size`` groups of the as-at rows."""
    by_status = _cross(codes, size, category_codes(rows["status"], STATUSES), len(STATUSES))
    changes = _cross(codes, size, category_codes(rows["change"], CHANGES), len(CHANGES))
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


def group_summaries(current: pd.DataFrame, codes: np.ndarray, entries: Entries) -> tuple[GroupSummary, ...]:
    tallies = group_tallies(current, codes, len(entries))
    return tuple(
        GroupSummary(name=e.name, short_name=e.short_name, description=e.description, **t)
        for e, t in zip(entries, tallies, strict=True)
    )


def matrix_cells(
    current: pd.DataFrame, partner_codes: np.ndarray, area_codes: np.ndarray, partners: Entries, areas: Entries
) -> tuple[MatrixCell, ...]:
    n_areas = len(areas)
    pair = np.where((partner_codes >= 0) & (area_codes >= 0), partner_codes * n_areas + area_codes, -1)
    by_status = _cross(pair, len(partners) * n_areas, category_codes(current["status"], STATUSES), len(STATUSES))
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


def trend_points(
    history: pd.DataFrame, periods: Sequence[Period], as_at: Period, partners: Entries
) -> tuple[TrendPoint, ...]:
    periods = sorted(p for p in set(periods) if p <= as_at)
    period_codes = pd.Index([period_number(p) for p in periods], dtype=np.int64).get_indexer(
        history["_period"].to_numpy()
    )
    partner_codes = category_codes(history["partner"], registry_names(partners))
    status_codes = history["_status"].to_numpy()  # from frames.status_runs
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
