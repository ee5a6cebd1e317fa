"""Builders tests share: summaries made from a few hand-written activity rows."""

from __future__ import annotations

import pandas as pd

from boardpack.config import Config, load_config
from boardpack.model import Period, ValidatedInputs
from boardpack.schema import ACTIVITY_FRAME_COLUMNS, METRIC_FRAME_COLUMNS
from boardpack.summarise import summarise
from boardpack.summary_model import Summary
from boardpack.text import match_key

ESU, CSA, GSV = "European Students' Union", "Commonwealth Students' Association", "Global Student Voice"
EDU, CAP = "Education policy", "Capacity building"
NAN = float("nan")


def act(name: str, period: Period, status: str, *, partner: str = ESU, area: str = EDU, **values) -> dict:
    """One activity row as validation hands it over; anything not given is blank (commentary given)."""
    return {"partner": partner, "area": area, "activity": name, "period": period, "status": status, **values}


def summary_of(rows: list[dict], config: Config | None = None) -> Summary:
    """The summary of these rows, as at their latest period."""
    blank = {"progress": NAN, "due_date": None, "lead": "", "commentary": "Going to plan", "decision": "",
             "revised_due_date": None, "budget": NAN, "spend": NAN, "file": "tracker.xlsx", "sheet": "Activities"}
    records = [{**blank, "activity_key": match_key(r["activity"]), "row": i + 2, **r} for i, r in enumerate(rows)]
    frame = pd.DataFrame(records, columns=list(ACTIVITY_FRAME_COLUMNS))
    periods = tuple(sorted({r["period"] for r in records}))
    inputs = ValidatedInputs(activities=frame, metrics=pd.DataFrame([], columns=list(METRIC_FRAME_COLUMNS)),
                             as_at=max(periods), periods=periods, problems=(), sources=(), skipped=())
    return summarise(inputs, config or load_config())
