"""What tests share: input spreadsheets written inside tmp_path, validated frames and summaries
built from a few hand-written rows, checks on problems and command results, and hostile text.

Spreadsheet tests write real files (openpyxl for .xlsx, bytes for .csv) so that the loader is
exercised exactly as it is on staff's files; nothing is mocked. Fixtures live in conftest.py.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import re
import resource
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from boardpack import validate_inputs
from boardpack.config import Config, load_config
from boardpack.load import load_inputs
from boardpack.model import LoadedInputs, Period, Problem, ValidatedInputs
from boardpack.schema import ACTIVITIES, ACTIVITY_FRAME_COLUMNS, FRAME_NAMES, METRIC_FRAME_COLUMNS, METRICS, Table
from boardpack.summarise import summarise
from boardpack.summary_model import Summary
from boardpack.text import match_key

# --------------------------------------------------------------------------- input spreadsheets

TEMPLATE = Path(__file__).resolve().parent.parent / "boardpack" / "templates" / "board_report.toml"

ACTIVITY_HEADERS = [
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
]
# With the two optional columns as well, as staff type them.
EVERY_ACTIVITY_HEADER = [*ACTIVITY_HEADERS, "Decision needed", "Revised due date"]
METRIC_HEADERS = ["Partner", "Area", "Metric", "Period", "Target", "Actual", "Unit"]

_ACTIVITY_DEFAULTS = {
    "Partner": "ESU",
    "Area": "Education policy",
    "Activity": "Bologna follow-up",
    "Period": "2025-26 Q1",
    "Status": "Green",
    "Progress": 50,
    "Due date": "31/03/2026",
    "Lead": "VP Education",
    "Commentary": "On course",
    "Budget": 1000,
    "Spend": 250,
}
_METRIC_DEFAULTS = {
    "Partner": "ESU",
    "Area": "Education policy",
    "Metric": "Students reached",
    "Period": "2025-26 Q1",
    "Target": 100,
    "Actual": 80,
    "Unit": "number",
}


def _row(defaults: dict[str, Any], headers: list[str], changes: dict[str, Any]) -> list[Any]:
    lookup = {h.casefold().replace(" ", "_"): h for h in headers}
    values = dict(defaults)
    for key, value in changes.items():
        values[lookup[key.casefold()]] = value
    return [values.get(h) for h in headers]


def activity(**changes: Any) -> list[Any]:
    """A valid activities row in ACTIVITY_HEADERS order; keyword names are the headers in snake case."""
    return _row(_ACTIVITY_DEFAULTS, ACTIVITY_HEADERS, changes)


def metric(**changes: Any) -> list[Any]:
    """A valid metrics row in METRIC_HEADERS order."""
    return _row(_METRIC_DEFAULTS, METRIC_HEADERS, changes)


Sheets = dict[str, list[list[Any]]]


class InputsFolder:
    """An inputs folder under tmp_path, with writers for the files staff keep."""

    def __init__(self, folder: Path, config: Config) -> None:
        self.folder = folder
        self.config = config
        folder.mkdir(parents=True, exist_ok=True)

    # --- writers --------------------------------------------------------------

    def xlsx(self, name: str, sheets: Sheets | list[list[Any]], edit: Callable[[Workbook], None] | None = None) -> Path:
        """Write a workbook; ``sheets`` maps sheet name to rows (a bare list is one "Activities" sheet).

        ``None`` in a row is an empty cell, ``[]`` an empty row. ``edit`` may change the
        workbook (formats, error cells, formulas) before it is saved.
        """
        if isinstance(sheets, list):
            sheets = {"Activities": sheets}
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        if edit is not None:
            edit(book)
        path = self.folder / name
        book.save(path)
        return path

    def activities_xlsx(
        self, *rows: list[Any], name: str = "tracker.xlsx", edit: Callable[[Workbook], None] | None = None
    ) -> Path:
        """The common case: one Activities sheet with the canonical headers in row 1."""
        return self.xlsx(name, {"Activities": [ACTIVITY_HEADERS, *rows]}, edit=edit)

    def csv(self, name: str, rows: Iterable[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
        """Write a CSV as Excel does (CRLF line ends, quotes only where needed)."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        path = self.folder / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    def bytes(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    # --- running --------------------------------------------------------------

    def load(self) -> LoadedInputs:
        return load_inputs(self.folder, self.config)

    def validate(self, **options: Any) -> ValidatedInputs:
        return validate_inputs(self.folder, self.config, **options)


def patch_sheet_xml(path: Path, sheet_index: int, old: str, new: str) -> None:
    """Replace text in one worksheet's XML, for cells openpyxl cannot write (e.g. Excel's own <v/>)."""
    member = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    xml = parts[member].decode("utf-8")
    assert re.search(re.escape(old), xml), f"{old!r} not in {member}"
    parts[member] = xml.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, data in parts.items():
            archive.writestr(filename, data)


_UNCHECKED = object()


def assert_problem(
    problem: Problem,
    *,
    file: str,
    sheet: str | None,
    row: int | None,
    column: str | None,
    value: str | None,
    severity: str = "error",
    words: Iterable[str] = (),
    letter: Any = _UNCHECKED,
) -> None:
    """Every field of ``problem`` is exactly as given (the column letter too, when given), and the
    message holds each of ``words``."""
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.value, problem.severity) == (
        file,
        sheet,
        row,
        column,
        value,
        severity,
    ), problem
    if letter is not _UNCHECKED:
        assert problem.letter == letter, problem
    for word in words:
        assert word in problem.message, (word, problem.message)


def only_problem(validated: ValidatedInputs) -> Problem:
    """The single problem of a run; fails listing them all when there is not exactly one."""
    assert len(validated.problems) == 1, validated.problems
    return validated.problems[0]


def assert_clean(result, exit_code: int = 1) -> None:
    """A CliRunner result that ended the way the program meant: no exception escaped, no fault.

    CliRunner catches what escapes and never prints a traceback, so "Traceback" in the output
    proves nothing; an escaped exception shows as ``result.exception`` other than SystemExit.
    """
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "unexpected fault" not in result.output, result.output


# --- measuring: a guard against runaway, not a benchmark (timings live in benchmarks/) ---------------

MB = 1024 * 1024


@dataclasses.dataclass
class Cost:
    seconds: float = 0.0
    peak_mb: float = 0.0  # Python allocations (tracemalloc)
    rss_growth_mb: float = 0.0  # the process's peak resident size, Rust allocations included


@contextlib.contextmanager
def bounded(seconds: float = 5.0, megabytes: float = 64.0):
    """Fail when the block takes longer or allocates more than the bound; yields the measured Cost."""
    cost = Cost()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - start
        cost.peak_mb = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
        cost.rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    assert cost.seconds < seconds, cost
    assert cost.peak_mb < megabytes, cost
    assert cost.rss_growth_mb < 8 * megabytes, cost


# --------------------------------------------------------------------------- validated frames and summaries

ESU, CSA, GSV = "European Students' Union", "Commonwealth Students' Association", "Global Student Voice"
EDU, CAP = "Education policy", "Capacity building"
NAN = float("nan")
ACTIVITIES_FILE, METRICS_FILE = "tracker.xlsx", "metrics.csv"

# What validation leaves in a blank cell, by the column's kind in schema.py (validate.py fills
# blank units and directions with their defaults).
_BLANK_BY_KIND: dict[str, Any] = {
    "text": "",
    "area": "",
    "percent": NAN,
    "money": NAN,
    "number": NAN,
    "date": None,
    "unit": "number",
    "direction": "higher",
}


def _blank_row(table: Table) -> dict[str, Any]:
    """A frame row of ``table`` with every optional column blank, keyed by the frame's column names."""
    return {FRAME_NAMES.get(c.name, c.name): _BLANK_BY_KIND[c.kind] for c in table.columns if not c.required}


def act(name: str, period: Period, status: str, *, partner: str = ESU, area: str = EDU, **values) -> dict:
    """One activity row as validation hands it over; anything not given is blank but the commentary."""
    return {
        "partner": partner,
        "area": area,
        "activity": name,
        "period": period,
        "status": status,
        "commentary": "Going to plan",
        **values,
    }


def validated_inputs(
    rows: Sequence[dict],
    metrics: Sequence[dict] = (),
    *,
    as_at: Period | None = None,
    problems: Iterable[Problem] = (),
) -> ValidatedInputs:
    """ValidatedInputs as validation hands them over, from activity and metric row dicts keyed by
    frame column; every column not given is blank, and the as-at period is the latest unless given."""
    records = [
        {
            **_blank_row(ACTIVITIES),
            "file": ACTIVITIES_FILE,
            "sheet": "Activities",
            "row": i + 2,
            "activity_key": match_key(r["activity"]),
            **r,
        }
        for i, r in enumerate(rows)
    ]
    metric_records = [
        {**_blank_row(METRICS), "file": METRICS_FILE, "sheet": None, "row": i + 2, **m} for i, m in enumerate(metrics)
    ]
    periods = sorted({r["period"] for r in records} | {m["period"] for m in metric_records})
    as_at = as_at or (max(periods) if periods else None)
    return ValidatedInputs(
        activities=pd.DataFrame(records, columns=list(ACTIVITY_FRAME_COLUMNS)),
        metrics=pd.DataFrame(metric_records, columns=list(METRIC_FRAME_COLUMNS)),
        as_at=as_at,
        periods=tuple(p for p in periods if as_at is not None and p <= as_at),
        problems=tuple(problems),
        sources=(),
        skipped=(),
    )


def summary_of(
    rows: Sequence[dict], config: Config | None = None, metrics: Sequence[dict] = (), **options: Any
) -> Summary:
    """The summary of these rows (``options`` as for validated_inputs), by the default template unless given."""
    return summarise(validated_inputs(rows, metrics, **options), config or load_config())


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
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    headers = EVERY_ACTIVITY_HEADER
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
