"""Fuzzed inputs (issue 18): never an unexpected fault, and whatever validate passes, generate builds.

- Every failure a fuzzer has found is a small file under tests/data/fuzz/ with
  its own test: the outcome expected.toml gives it.
- A bounded, seeded run of fuzz/mutate.py's cases: every case is validated, and
  each that passes goes on through the stages after validation (some through the
  whole pack). ``make fuzz`` runs as many cases as asked, on every core.
- The scans of a workbook's parts read each byte once: work counted, not timed.
- A fault in one file never hides the problems of the others.
- At the default limits, validation stays within a gigabyte however many sheets
  a workbook has, and for a CSV file at the limits (slow: real processes).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ACTIVITY_HEADERS, EVERY_ACTIVITY_HEADER, activity, assert_clean, bounded
from openpyxl import Workbook
from pypdf import PdfReader

import boardpack.load.files
import boardpack.load.xlsx_guard
import boardpack.validate.tables
from boardpack import build_pack, validate_inputs
from boardpack.config import Limits
from fuzz.mutate import SAMPLE_NAMES, make_case
from fuzz.run import check
from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "fuzz"
EXPECTED = tomllib.loads((DATA / "expected.toml").read_text(encoding="utf-8"))
GB = 1024**3


# --- every failure found, one test each ----------------------------------------------------------


def test_every_regression_file_has_an_expected_outcome_and_every_outcome_a_file():
    files = {p.name for p in DATA.iterdir() if p.suffix in (".xlsx", ".csv")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_file_that_once_broke_boardpack(name, tmp_path, config):
    expected = EXPECTED[name]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(DATA / name, inputs / name)
    with bounded(seconds=10, megabytes=200):  # a guard against the hangs some of them caused
        validated = validate_inputs(inputs, config)
    if expected["outcome"] == "valid":
        assert validated.problems == ()
        return
    assert len(validated.problems) == 1, validated.problems
    [problem] = validated.problems
    where = (problem.file, problem.sheet, problem.row, problem.severity)
    assert where == (name, expected.get("sheet"), expected.get("row"), "error")
    # The cell's column: its heading as written where there is one, and its letter.
    assert expected.get("column") in (problem.column, problem.letter), (problem.column, problem.letter)
    if "value" in expected:
        assert problem.value == expected["value"]
    for word in expected["words"]:
        assert word in problem.message, (word, problem.message)


@pytest.mark.slow
def test_a_file_that_once_broke_boardpack_gets_a_message_from_the_command_line(tmp_path):
    """Through the real command: exit 1, each file named, no traceback, no fault, nothing on stderr from Rust."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in EXPECTED:
        shutil.copy(DATA / name, inputs / name)
    result = subprocess.run(
        [sys.executable, "generate_report.py", "validate", "--inputs", str(inputs), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "RUST_BACKTRACE": "1"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout and "unexpected fault" not in result.stderr
    assert result.stderr == ""  # nothing from Rust either (a panic prints its backtrace there)
    named = {p["file"] for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"}
    assert named == {name for name, expected in EXPECTED.items() if expected["outcome"] == "problem"}


# --- a bounded run of the fuzzer ----------------------------------------------------------------

FUZZ_SEED = 18
FUZZ_CASES = 200
WHOLE_PACK_EVERY = (
    15  # one passing case in this many builds the whole pack (charts drawn); the rest run the quick stages
)


@pytest.mark.slow
def test_a_bounded_seeded_fuzz_run_ends_every_case_in_problems_or_a_pack(tmp_path, config):
    """Cases 0-199 of seed 18 (a minute at most here): `make fuzz` runs as many as asked, saving each failure."""
    work = tmp_path / "work"
    outcomes, passed = [], 0
    for number in range(FUZZ_CASES):
        case = make_case(FUZZ_SEED, number)
        quick = passed % WHOLE_PACK_EVERY != 0
        outcome = check(case, work, config, "library", "quick" if quick else "pack")
        passed += outcome.result != "problems"
        outcomes.append(outcome)
        assert outcome.result != "failure", (outcome.case, case.steps, outcome.detail)
    results = [o.result for o in outcomes]
    # The mix stays useful: most cases stop at validation, many go on, a few build the whole pack.
    assert results.count("problems") > FUZZ_CASES // 2
    assert results.count("summary") + results.count("pack") > FUZZ_CASES // 10
    assert results.count("pack") >= 2


def test_the_same_seed_and_number_always_make_the_same_case():
    first, again = make_case(FUZZ_SEED, 7), make_case(FUZZ_SEED, 7)
    assert first.files == again.files and first.steps == again.steps
    assert make_case(FUZZ_SEED, 8).files != first.files
    assert set(first.files) <= set(SAMPLE_NAMES)


def test_make_fuzz_saves_a_failing_case_with_the_command_that_reproduces_it(tmp_path, monkeypatch):
    """A failure in a worker is saved: inputs, how they were made, what went wrong, the commands."""
    import fuzz.run

    def broken(folder, output, config, build="pack"):
        return "failure", "generate: validate passed, and building the pack raised:\nValueError: made up"

    monkeypatch.setattr(fuzz.run, "check_library", broken)
    monkeypatch.setattr(fuzz.run, "_WORKER", {"config": None, "work": tmp_path / "work"})
    outcome = fuzz.run._run_one(FUZZ_SEED, 3, "library", str(tmp_path / "failures"))
    saved = tmp_path / "failures" / f"seed{FUZZ_SEED}-case3"
    assert outcome.result == "failure"
    assert sorted(p.name for p in (saved / "inputs").iterdir()) == sorted(make_case(FUZZ_SEED, 3).files)
    text = (saved / "REPRODUCE.md").read_text(encoding="utf-8")
    assert f"fuzz/run.py --seed {FUZZ_SEED} --case 3" in text
    assert f"generate_report.py validate --inputs {saved}/inputs" in text
    assert "ValueError: made up" in text


# --- the scans of a part read each byte once ----------------------------------------------------------


def _sheet_xml(name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(DATA / name) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_the_far_cell_scan_looks_at_each_byte_of_a_part_once(monkeypatch):
    """32,000 far references inside one tag used to be followed, each, to the end of the part."""
    xml = _sheet_xml("far-references-32000.xlsx")
    spans, original = [], boardpack.load.xlsx_guard._holds_value

    def counting(part, at):
        holds, end = original(part, at)
        spans.append((at, end))
        return holds, end

    monkeypatch.setattr(boardpack.load.xlsx_guard, "_holds_value", counting)
    assert boardpack.load.xlsx_guard._far_cell(xml, 100_000, 50) is None
    assert spans and all(end <= start for (_, end), (start, _) in pairwise(spans))
    assert sum(end - start for start, end in spans) <= len(xml)


class _Recorder:
    """A compiled pattern whose match() calls are recorded, to see where each one starts and ends."""

    def __init__(self, pattern, spans):
        self.pattern, self.spans = pattern, spans

    def match(self, text, at=0):
        m = self.pattern.match(text, at)
        self.spans.append((at, m.end() if m else at))
        return m


@pytest.mark.parametrize("copies", [1, 32_000])
def test_the_tag_by_tag_walk_reads_each_byte_once(monkeypatch, copies):
    """Cells written <x:c r=...> (another program's prefix) or without r are walked tag by tag."""
    xml = _sheet_xml("far-references-32000.xlsx").replace(b'<c r="A200001"' * 32_000, b'<x:c s="1"' * copies)
    spans: list[tuple[int, int]] = []
    for name in ("_ROW_OR_CELL", "_IN_FAR_CELL"):
        monkeypatch.setattr(boardpack.load.xlsx_guard, name, _Recorder(getattr(boardpack.load.xlsx_guard, name), spans))
    assert boardpack.load.xlsx_guard._far_cell(xml, 100_000, 50) is None
    assert spans[0][0] == 0 and all(end == start for (_, end), (start, _) in pairwise(spans))
    assert spans[-1][1] == len(xml)  # every byte read once, in order, to the end


# --- one bad file never hides the others ----------------------------------------------------------


def _two_files(inputs) -> None:
    inputs.activities_xlsx(activity(status="Purple"))
    inputs.csv("other.csv", [ACTIVITY_HEADERS, activity(activity="From the CSV")])


def test_a_fault_reading_one_file_is_named_and_the_other_files_are_still_checked(inputs, monkeypatch):
    def broken(name, data, config):
        raise RuntimeError("made up for the test")

    monkeypatch.setattr(boardpack.load.files, "read_csv", broken)
    _two_files(inputs)
    problems = inputs.validate().problems
    assert [(p.file, p.sheet, p.row, p.column) for p in problems] == [
        ("other.csv", None, None, None),
        ("tracker.xlsx", "Activities", 2, "Status"),
    ]
    assert (
        "could not be checked because of a fault in boardpack (RuntimeError: made up for the test)"
        in problems[0].message
        and "the other files were checked" in problems[0].message
    )


def test_a_fault_checking_one_sheet_is_named_and_the_other_sheets_are_still_checked(inputs, monkeypatch):
    original = boardpack.validate.tables.check_table

    def broken(table, config):
        if table.file == "other.csv":
            raise ZeroDivisionError("made up for the test")
        return original(table, config)

    monkeypatch.setattr(boardpack.validate.tables, "check_table", broken)
    _two_files(inputs)
    problems = inputs.validate().problems
    assert [(p.file, p.sheet, p.row, p.column) for p in problems] == [
        ("other.csv", "other", None, None),
        ("tracker.xlsx", "Activities", 2, "Status"),
    ]
    assert "a fault in boardpack (ZeroDivisionError: made up for the test)" in problems[0].message


def test_a_fault_in_one_file_is_a_message_from_the_command_line_not_an_unexpected_fault(inputs, monkeypatch):
    monkeypatch.setattr(boardpack.load.files, "read_csv", lambda *a: 1 / 0)
    _two_files(inputs)
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs.folder)])
    assert_clean(result)
    said = " ".join(result.output.split())  # the problem table wraps long messages
    assert "other.csv" in said and "fault in boardpack (ZeroDivisionError" in said
    assert "Purple" in result.output  # the workbook's own problem is still listed


def test_files_over_the_limits_together_are_refused_by_name_and_the_others_kept(inputs, config):
    import dataclasses

    for n in range(3):
        inputs.csv(f"part-{n}.csv", [ACTIVITY_HEADERS, *[activity(activity=f"A{n}-{k}") for k in range(4)]])
    small = dataclasses.replace(config, limits=Limits(max_rows=10))
    validated = validate_inputs(inputs.folder, small)
    [problem] = validated.problems
    assert (problem.file, problem.sheet, problem.row) == ("part-2.csv", None, None)
    assert "was not read: with the files before it, the inputs would come to more than" in problem.message
    assert "10 rows, the limits for all files together" in problem.message
    assert len(validated.activities) == 8


def test_a_few_kilobytes_that_would_copy_one_shared_text_into_thousands_of_cells_are_refused(inputs, config):
    import dataclasses

    from test_hostile import SHEET, SST_HEAD, add_row, rewrite, with_shared_strings

    path = inputs.activities_xlsx(activity())
    with_shared_strings(path, SST_HEAD + b' count="1" uniqueCount="1"><si><t>' + b"x" * 30_000 + b"</t></si></sst>")
    rewrite(
        path,
        SHEET,
        lambda xml: add_row(
            xml, b"".join(b'<row r="%d"><c r="I%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(4, 2004))
        ),
    )
    assert path.stat().st_size < 50_000
    small = dataclasses.replace(config, limits=Limits(max_uncompressed_mb=50))
    with bounded(seconds=5, megabytes=64):
        validated = validate_inputs(inputs.folder, small)
    [problem] = validated.problems
    assert problem.file == "tracker.xlsx"
    assert "would unpack to 57 MB once each shared text is counted in every cell that uses it" in problem.message


# --- one promise: what validation accepts, the pack is built from ----------------------------------

EDGE_HEADERS = EVERY_ACTIVITY_HEADER
EDGE_ROWS = [  # every bound at its edge: the first and last years, the largest amount, the smallest numbers
    [
        "ESU",
        "Education policy",
        "Edge early",
        "2000-01 Q1",
        "Red",
        0,
        dt.date(2000, 1, 1),
        "",
        "Late",
        1_000_000_000,
        1_000_000_000,
        "Approve £1bn",
        dt.date(2100, 12, 31),
    ],
    [
        "ESU",
        "Education policy",
        "Edge early",
        "2100-01 Q4",
        "Amber",
        100,
        "2100-12-31",
        "x",
        "Later",
        0.01,
        999_999_999.99,
        "",
        "2000-01-01",
    ],
    [
        "CSA",
        "Capacity building",
        "Edge late",
        "2100-01 Q4",
        "Complete",
        99.5,
        dt.date(2100, 12, 31),
        "",
        "done",
        1_000_000_000,
        0,
        "",
        None,
    ],
    [
        "CSA",
        "Capacity building",
        "Edge late",
        "2000-01 Q1",
        "Not started",
        1e-9,
        None,
        "",
        "",
        0.01,
        0.01,
        "",
        None,
    ],
]
EDGE_METRICS = [
    ["Partner", "Area", "Metric", "Period", "Target", "Actual", "Unit", "Better when"],
    ["ESU", "Education policy", "Huge", "2100-01 Q4", -1e12, 1e12, "£", "lower"],
    ["ESU", "Education policy", "Huge", "2000-01 Q1", 1e12, -1e12, "%", "higher"],
    ["CSA", "", "Tiny", "2100-01 Q4", 0.000001, 1e12, "number", ""],  # the widest share: 10^20 %
    ["CSA", "", "Tiny", "2000-01 Q1", -0.000001, -0.000001, "number", ""],
]


@pytest.mark.slow
def test_values_at_every_edge_validation_accepts_build_the_whole_pack(inputs, tmp_path, config):
    inputs.xlsx("edges.xlsx", {"Activities": [EDGE_HEADERS, *EDGE_ROWS], "Metrics": EDGE_METRICS})
    validated = inputs.validate()
    assert validated.errors == () and str(validated.as_at) == "2100-01 Q4"
    result = build_pack(inputs.folder, tmp_path / "reports", config)
    assert result.pdf_pages > 2 and result.meeting_date == dt.date(2101, 8, 1)
    words = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(result.pdf).pages)
    assert "£1,000,000,000 of £0.01 (9,999,999,999,900%)" in words  # a penny is not "£0"
    assert not re.findall(r"£\d{1,3}(?:,\d{3})*,\d{0,2} \d", words)  # no amount broken across lines


@pytest.mark.parametrize(
    "value, words",
    [
        (1_000_000_000.01, "is more than £1,000,000,000, the largest amount accepted ([limits] max_money"),
        ("9" * 400, "is more than £1,000,000,000"),
        (-0.01, "is negative"),
        (0.005, "is less than a penny; expected £0 or an amount of at least £0.01"),
        (5e-324, "is less than a penny"),
    ],
    ids=["a penny over", "400 nines", "negative", "half a penny", "5e-324"],
)
def test_money_beyond_its_bounds_is_an_error_in_its_cell(inputs, value, words):
    inputs.activities_xlsx(activity(budget=value))
    [problem] = inputs.validate().problems
    assert (problem.row, problem.column) == (2, "Budget") and words in problem.message


def test_the_money_bound_is_the_templates(inputs, template_with):
    from boardpack import load_config

    config = load_config(template_with("max_money = 1000000000", "max_money = 5000"))
    inputs.activities_xlsx(activity(budget=5000), activity(activity="Second", budget="£5,000.50"))
    [problem] = validate_inputs(inputs.folder, config).problems
    assert (problem.row, problem.value) == (3, "£5,000.50") and "is more than £5,000" in problem.message


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("due_date", "2101-01-01", "is in the year 2101; expected a date from 2000 to 2100"),
        ("due_date", dt.date(1999, 12, 31), "is in the year 1999"),
        ("period", "2101-02 Q1", "names a strategy year starting in 2101"),
        ("period", "Q4 99/00", None),  # 2099-00 Q4: inside the years
        ("period", dt.datetime(2000, 1, 15), "names a strategy year starting in 1999"),
    ],
    ids=["due 2101", "due 1999", "period 2101", "period 2099", "period date in January 2000"],
)
def test_dates_and_periods_beyond_the_years_are_errors_in_their_cells(inputs, column, value, words):
    inputs.activities_xlsx(activity(**{column: value}))
    problems = inputs.validate().problems
    if words is None:
        assert problems == ()
        return
    [problem] = problems
    assert problem.row == 2 and words in problem.message


@pytest.mark.parametrize(
    "actual, ok",
    [
        (1e12, True),
        (-1e12, True),
        (1e12 + 1, False),
        ("1e309", False),
        ("-" + "9" * 400, False),
        (0.000001, True),
        (-0.000001, True),
        (0, True),
        (0.0000009, False),
        (5e-324, False),
    ],
    ids=[
        "a million million",
        "minus a million million",
        "one more",
        "1e309",
        "minus 400 nines",
        "a millionth",
        "minus a millionth",
        "zero",
        "less than a millionth",
        "5e-324",
    ],
)
def test_metric_numbers_beyond_a_million_million_are_errors(inputs, actual, ok):
    from helpers import METRIC_HEADERS, metric

    inputs.xlsx(
        "tracker.xlsx",
        {"Activities": [ACTIVITY_HEADERS, activity()], "Metrics": [METRIC_HEADERS, metric(actual=actual)]},
    )
    problems = inputs.validate().problems
    assert (problems == ()) == ok, problems


# --- memory at the default limits (real processes: Rust's memory counts too) ----------------------------


def _peak_of_validate(inputs: Path) -> tuple[int, float]:
    """(exit status, peak resident memory in bytes) of `generate_report.py validate` on ``inputs``."""
    process = subprocess.Popen(
        [sys.executable, "generate_report.py", "validate", "--inputs", str(inputs)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss * 1024


def _sparse_workbook(path: Path, sheets: int, corner: str) -> None:
    book = Workbook()
    book.remove(book.active)
    for n in range(sheets):
        sheet = book.create_sheet(f"Sheet{n + 1}")
        for row in (ACTIVITY_HEADERS, activity(activity=f"Activity {n}")):
            sheet.append(row)
        sheet[corner] = "x"  # the last cell the limits allow: the reader holds every cell up to it
    book.save(path)


@pytest.mark.slow
def test_sparse_sheets_at_the_limits_are_read_within_a_gigabyte_however_many_there_are(tmp_path):
    limits = Limits()
    from boardpack.load.common import column_letter

    corner = f"{column_letter(limits.max_columns - 1)}{limits.max_rows}"
    peaks = {}
    for sheets in (1, 3):
        inputs = tmp_path / f"sheets-{sheets}"
        inputs.mkdir()
        _sparse_workbook(inputs / "sparse.xlsx", sheets, corner)
        status, peaks[sheets] = _peak_of_validate(inputs)
        assert status == 0
    assert peaks[3] < GB, peaks
    assert peaks[3] < peaks[1] * 1.25, peaks  # one sheet's cells are let go before the next is read


@pytest.mark.slow
def test_a_csv_at_the_limits_is_read_within_a_gigabyte(tmp_path):
    limits = Limits()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    extra = limits.max_columns - len(ACTIVITY_HEADERS)
    with open(inputs / "big.csv", "w", encoding="utf-8", newline="") as stream:
        stream.write(",".join(ACTIVITY_HEADERS + [f"Note {n}" for n in range(extra)]) + "\r\n")
        for row in range(limits.max_rows - 1):
            cells = [str(v) for v in activity(activity=f"Activity {row}")] + [
                f"{(row + n) % 97:02d}" for n in range(extra)
            ]
            stream.write(",".join(cells) + "\r\n")
    status, peak = _peak_of_validate(inputs)
    assert status == 0
    assert peak < GB, peak
