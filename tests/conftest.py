"""Shared helpers: build input spreadsheets inside tmp_path and run validation on them.

Tests write real files (openpyxl for .xlsx, bytes for .csv) so that the loader is
exercised exactly as it is on staff's files; nothing is mocked.
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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from boardpack import load_config, validate_inputs
from boardpack.config import Config
from boardpack.load import load_inputs
from boardpack.model import LoadedInputs, Problem, ValidatedInputs

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


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(TEMPLATE)


@pytest.fixture
def inputs(tmp_path: Path, config: Config) -> InputsFolder:
    return InputsFolder(tmp_path / "inputs", config)


@pytest.fixture
def template_with(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a copy of the default template with ``old`` replaced by ``new``; returns its path."""

    def write(old: str, new: str) -> Path:
        text = TEMPLATE.read_text(encoding="utf-8")
        assert old in text, old
        path = tmp_path / "custom.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return write


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden page texts under tests/golden/ instead of comparing with them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds whole packs or runs subprocesses (deselect with -m 'not slow')")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
