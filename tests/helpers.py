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
    blank = {
        "progress": NAN,
        "due_date": None,
        "lead": "",
        "commentary": "Going to plan",
        "decision": "",
        "revised_due_date": None,
        "budget": NAN,
        "spend": NAN,
        "file": "tracker.xlsx",
        "sheet": "Activities",
    }
    records = [{**blank, "activity_key": match_key(r["activity"]), "row": i + 2, **r} for i, r in enumerate(rows)]
    frame = pd.DataFrame(records, columns=list(ACTIVITY_FRAME_COLUMNS))
    periods = tuple(sorted({r["period"] for r in records}))
    inputs = ValidatedInputs(
        activities=frame,
        metrics=pd.DataFrame([], columns=list(METRIC_FRAME_COLUMNS)),
        as_at=max(periods),
        periods=periods,
        problems=(),
        sources=(),
        skipped=(),
    )
    return summarise(inputs, config or load_config())


# --------------------------------------------------------------------------- hostile text for the HTML page

SCRIPT_NAME = '<script>alert("pwned")</script> Exchange 🎓'
IMG_LEAD = '<img src=x onerror="alert(1)">'
WELSH_NAME = "Gŵyl Ddewi: cyfnewid â myfyrwyr yng Nghymru (ŵ ŷ Ŵ Ŷ)"
EMOJI_NAME = "Students 🎓🌍 👩🏽‍🎓 ✅ welcome week"
MARKUP_NAME = 'Ampersand & <i>italic</i> ]]> &amp; "quoted"'
DECISION = '<b>Approve</b> the "exchange" & <a href="https://example.com">pause</a> it'
LONG_COMMENTARY = ("Mae’r gwaith yn mynd rhagddo’n dda 🎓 <b>not bold</b> & ‘quoted’. " * 80)[:5000]
SVG_METRIC = "<svg onload=alert(1)> reach"


def write_hostile_inputs(folder) -> None:
    """Two periods of activities whose text is markup, emoji, Welsh and a 5,000-character commentary (CSV)."""
    import csv
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    headers = [
        "Partner",
        "Area",
        "Activity",
        "Period",
        "Status",
        "Progress",
        "Due date",
        "Lead",
        "Commentary",
        "Budget",
        "Spend",
        "Decision needed",
        "Revised due date",
    ]
    rows = [
        [
            "ESU",
            "Education policy",
            SCRIPT_NAME,
            "2025-26 Q1",
            "Green",
            20,
            "31/10/2025",
            IMG_LEAD,
            "Started",
            1000,
            100,
            "",
            "",
        ],
        [
            "ESU",
            "Education policy",
            SCRIPT_NAME,
            "2025-26 Q2",
            "Red",
            30,
            "31/10/2025",
            IMG_LEAD,
            LONG_COMMENTARY,
            1000,
            1200.5,
            DECISION,
            "",
        ],
        [
            "CSA",
            "Capacity building",
            WELSH_NAME,
            "2025-26 Q1",
            "Amber",
            10,
            "30/11/2025",
            "Swyddog Cymraeg",
            "Oedi",
            500,
            50,
            "",
            "",
        ],
        [
            "CSA",
            "Capacity building",
            WELSH_NAME,
            "2025-26 Q2",
            "Amber",
            40,
            "30/11/2025",
            "Swyddog Cymraeg",
            "",
            500,
            250,
            "",
            "31/12/2025",
        ],
        [
            "ESU",
            "Student voice",
            EMOJI_NAME,
            "2025-26 Q2",
            "Green",
            50,
            "31/07/2026",
            "",
            "On course 🎉",
            "",
            "",
            "",
            "",
        ],
        [
            "CSA",
            "Social justice",
            MARKUP_NAME,
            "2025-26 Q1",
            "Green",
            70,
            "31/01/2026",
            "VP <Welfare>",
            MARKUP_NAME,
            300,
            200,
            "",
            "",
        ],
        [
            "CSA",
            "Social justice",
            MARKUP_NAME,
            "2025-26 Q2",
            "Complete",
            100,
            "31/01/2026",
            "VP <Welfare>",
            MARKUP_NAME,
            300,
            290,
            "",
            "",
        ],
    ]
    metrics = [
        ["Partner", "Metric", "Period", "Target", "Actual", "Unit"],
        ["ESU", SVG_METRIC, "2025-26 Q1", 10, 4, "number"],
        ["ESU", SVG_METRIC, "2025-26 Q2", 10, 5, "number"],
    ]
    for name, table in (("activities.csv", [headers, *rows]), ("metrics.csv", metrics)):
        with open(folder / name, "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, lineterminator="\r\n").writerows(table)
