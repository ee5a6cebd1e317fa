"""Time the summarise stage on a synthetic activities table.

    .venv/bin/python benchmarks/bench_summarise.py [rows]    (default 100,000)

Rows are spread over eight quarters (so an eighth are as at the last one), the template's partners and areas, and
every status; about a third have blank progress, due date or money, a tenth a revised due date and one in fifty a
decision for the board. One activity in twenty-five stops appearing before the last quarter, so the list of
activities that disappeared is not empty. Prints the best and median of five runs, then the time to_json takes.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

from boardpack.config import load_config
from boardpack.model import STATUSES, Period, ValidatedInputs
from boardpack.summarise import summarise


def synthetic_inputs(rows: int, seed: int = 1) -> ValidatedInputs:
    config = load_config()
    rng = np.random.default_rng(seed)
    periods = [Period(2024 + q // 4, q % 4 + 1) for q in range(8)]
    per_period = rows // len(periods)
    partners = np.array(config.partners.names, dtype=object)
    areas = np.array(config.areas.names, dtype=object)
    n = per_period * len(periods)
    activity_id = np.tile(np.arange(per_period), len(periods))
    partner = partners[activity_id % len(partners)]
    days = rng.integers(0, 1100, n)
    due = np.array([dt.date(2024, 8, 1) + dt.timedelta(days=int(d)) for d in days], dtype=object)
    due[rng.random(n) < 0.3] = None
    money = rng.integers(0, 5000, n).astype(float)
    money[rng.random(n) < 0.3] = np.nan
    progress = rng.integers(0, 101, n).astype(float)
    progress[rng.random(n) < 0.3] = np.nan
    names = np.array([f"Activity {i}" for i in range(per_period)], dtype=object)[activity_id]
    revised = np.array([dt.date(2024, 8, 1) + dt.timedelta(days=int(d)) for d in days + 90], dtype=object)
    revised[rng.random(n) >= 0.1] = None
    decision = np.where(rng.random(n) < 0.02, "Approve the revised plan", "").astype(object)
    frame = pd.DataFrame(
        {
            "partner": partner,
            "area": areas[rng.integers(0, len(areas), n)],
            "activity": names,
            "activity_key": [s.casefold() for s in names],
            "period": np.repeat(np.array(periods, dtype=object), per_period),
            "status": np.array(STATUSES, dtype=object)[rng.integers(0, len(STATUSES), n)],
            "progress": progress,
            "due_date": due,
            "lead": "Officer",
            "commentary": np.where(rng.random(n) < 0.5, "Update", ""),
            "budget": money,
            "spend": np.round(money * rng.uniform(0.3, 1.2, n), 2),
            "decision": decision,
            "revised_due_date": revised,
            "file": "inputs/synthetic.xlsx",
            "sheet": "Activities",
            "row": np.arange(n) + 2,
        }
    )
    last = np.arange(n) >= n - per_period
    frame = frame[~(last & (activity_id % 25 == 0))].reset_index(drop=True)  # these disappeared
    metrics = pd.DataFrame(
        {
            "partner": np.repeat(partners, len(periods)),
            "area": "",
            "metric": "Students reached",
            "period": np.tile(np.array(periods, dtype=object), len(partners)),
            "target": 100.0,
            "actual": rng.integers(0, 150, len(partners) * len(periods)).astype(float),
            "unit": "number",
            "better_when": np.where(np.arange(len(partners) * len(periods)) % 2, "lower", "higher"),
            "file": "inputs/metrics.csv",
            "sheet": None,
            "row": np.arange(len(partners) * len(periods)) + 2,
        }
    )
    return ValidatedInputs(
        activities=frame,
        metrics=metrics,
        as_at=periods[-1],
        periods=tuple(periods),
        problems=(),
        sources=(),
        skipped=(),
    )


def main() -> None:
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and not sys.argv[1].isdigit()):
        print(__doc__.strip())
        raise SystemExit(0 if sys.argv[1:] in (["--help"], ["-h"]) else 2)
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    inputs, config = synthetic_inputs(rows), load_config()
    summarise(inputs, config)  # warm up imports and caches
    times = []
    for _ in range(5):
        start = time.perf_counter()
        summary = summarise(inputs, config)
        times.append(time.perf_counter() - start)
    print(
        f"summarise: {len(inputs.activities):,} rows, {summary.totals.activities:,} as at "
        f"{summary.as_at}: best {min(times):.3f}s, median {sorted(times)[2]:.3f}s"
    )
    print(
        f"  {len(summary.exceptions):,} need attention, {len(summary.decisions):,} decisions, "
        f"{len(summary.missing_activities):,} disappeared, {len(summary.money_flags):,} money flags"
    )
    start = time.perf_counter()
    summary.to_json()
    print(f"to_json: {time.perf_counter() - start:.3f}s")


if __name__ == "__main__":
    main()
