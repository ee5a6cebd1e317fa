"""The history: packs that compare with quarters the spreadsheets no longer hold (docs/history.md).

Every test keeps its history under tmp_path: a run's default history is
OUTPUT/history.sqlite, and every run here has its --output under tmp_path.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import ACTIVITY_HEADERS, METRIC_HEADERS, InputsFolder, activity, assert_clean, metric
from test_golden import page_texts

from boardpack import load_config, validate_inputs
from boardpack.errors import HistoryLocked
from boardpack.history import (
    ACTIVITY_COLUMNS,
    METRIC_COLUMNS,
    SCHEMA_VERSION,
    open_history,
    record_run,
)
from boardpack.history_file import _network_file_system
from boardpack.history_fill import _frame_of, fill_from_history
from boardpack.model import Period
from boardpack.schema import ACTIVITY_FRAME_COLUMNS, METRIC_FRAME_COLUMNS
from boardpack.summarise import summarise
from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
Q1, Q2, Q3, Q4 = (Period(2025, q) for q in range(1, 5))
QUARTERS = (Q1, Q2, Q3, Q4)
ESU, CSA, GSV = "ESU", "CSA", "GSV"

# (partner, activity, area): status in Q1..Q4, None for no row. Between them: a worsened
# activity, a four-quarter Red run, a completion, a Not started run, one that disappears
# in Q4, one new in Q4 and an unchanged Amber.
PLAN = {
    (ESU, "Bologna follow-up", "Education policy"): ("Green", "Green", "Amber", "Red"),
    (ESU, "Mobility charter", "Education policy"): ("Red", "Red", "Red", "Red"),
    (ESU, "Welsh language toolkit", "Student voice"): ("Not started", "Green", "Green", "Complete"),
    (CSA, "Commonwealth summit", "Capacity building"): ("Amber", "Amber", "Green", "Green"),
    (CSA, "Officer exchange", "Capacity building"): (None, None, "Not started", "Not started"),
    (CSA, "Climate pledge", "Sustainability"): ("Green", "Green", "Green", None),
    (GSV, "Global survey", "Student voice"): (None, None, None, "Green"),
    (GSV, "Student voice week", "Student voice"): ("Green", "Amber", "Amber", "Amber"),
}


def _rows(quarter: Period, changes: dict | None = None) -> list[list]:
    rows = []
    for (partner, name, area), statuses in PLAN.items():
        status = statuses[QUARTERS.index(quarter)]
        if status is not None:
            values = dict(
                partner=partner,
                activity=name,
                area=area,
                period=quarter.label,
                status=status,
                progress=25 * QUARTERS.index(quarter) + 10,
                commentary=f"{status} at {quarter.label}",
            )
            values.update((changes or {}).get((name, quarter), {}))
            rows.append(activity(**values))
    return rows


def _metrics(quarters) -> list[list]:
    return [metric(period=q.label, actual=50 + 10 * QUARTERS.index(q)) for q in quarters]


def quarterly_sheets(folder: Path, config, quarters=QUARTERS, changes: dict | None = None) -> Path:
    """One workbook with a sheet per quarter, as staff keep when they copy the sheet each quarter."""
    inputs = InputsFolder(folder, config)
    sheets = {q.label: [ACTIVITY_HEADERS, *_rows(q, changes)] for q in quarters}
    inputs.xlsx("tracker.xlsx", {**sheets, "Metrics": [METRIC_HEADERS, *_metrics(quarters)]})
    return folder


def living_sheet(folder: Path, config, quarter: Period = Q4, changes: dict | None = None) -> Path:
    """The same tracker kept as one living sheet: last quarter's cells overwritten, rows in another order."""
    inputs = InputsFolder(folder, config)
    inputs.xlsx(
        "tracker.xlsx",
        {
            "Tracker": [ACTIVITY_HEADERS, *reversed(_rows(quarter, changes))],
            "Metrics": [METRIC_HEADERS, *_metrics([quarter])],
        },
    )
    return folder


def record(inputs: Path, history: Path, config, *, folder: str = "run", command: str = "charts") -> int:
    """What a successful run records, without drawing its charts: the run's number."""
    return record_run(history, validate_inputs(inputs, config), command=command, folder=folder)


def filled(inputs: Path, history: Path, config, *, strict: bool = False):
    """The inputs as a run summarises them: the spreadsheets' rows, and the history's where they lack some."""
    with open_history(history) as stored:
        return fill_from_history(validate_inputs(inputs, config), stored, config, strict=strict)


def generate(inputs: Path, output: Path, *args: str):
    return CliRunner().invoke(cli, ["generate", "--inputs", str(inputs), "--output", str(output), *args])


def summary_json(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def without_places(summary: dict) -> dict:
    """The summary without where each as-at row sits in the spreadsheets (the files differ on purpose)."""
    summary = {key: value for key, value in summary.items() if key != "from_history"}
    for key in ("activities", "exceptions", "missing_commentary", "decisions", "streaks"):
        summary[key] = [{k: v for k, v in entry.items() if k not in ("file", "sheet", "row")} for entry in summary[key]]
    return summary


def squashed(pdf: Path) -> list[str]:
    return [" ".join(text.split()) for text in page_texts(pdf)]


# --------------------------------------------------------------------------- the test


@pytest.mark.slow
def test_a_living_sheet_gives_the_pack_of_four_quarterly_sheets(tmp_path, config):
    output = tmp_path / "reports"
    first = generate(quarterly_sheets(tmp_path / "quarterly", config), output, "--meeting-date", "2026-09-24")
    assert first.exit_code == 0, first.output
    assert f"Recorded as run 1 in {output / 'history.sqlite'}." in first.output
    four_sheets = summary_json(output / "2026-09-24")

    # The earlier sheets deleted, the living sheet overwritten with the last quarter only.
    living = living_sheet(tmp_path / "living", config)
    second = generate(living, output, "--meeting-date", "2026-09-25")
    assert second.exit_code == 0, second.output
    assert (
        "History: rows of 2025-26 Q1, 2025-26 Q2, 2025-26 Q3 taken from run 1 (as at 2025-26 Q4), as the "
        "spreadsheets no longer hold them."
    ) in second.output
    one_sheet = summary_json(output / "2026-09-25")

    assert one_sheet["totals"]["changes"] == {"new": 1, "completed": 1, "improved": 0, "worsened": 1, "unchanged": 4}
    assert without_places(one_sheet) == without_places(four_sheets)  # changes, streaks, trend and the rest
    assert [entry["period"] for entry in one_sheet["trend"]] == [q.label for q in QUARTERS]
    assert [(s["activity"], s["status_since"], s["status_periods"]) for s in one_sheet["streaks"]] == [
        ("Mobility charter", "2025-26 Q1", 4),
        ("Officer exchange", "2025-26 Q3", 2),
    ]
    assert (
        one_sheet["missing_activities"]
        == four_sheets["missing_activities"]
        == [
            {
                "partner": "Commonwealth Students' Association",
                "area": "Sustainability",
                "activity": "Climate pledge",
                "previous_status": "Green",
                "file": "tracker.xlsx",
                "sheet": "2025-26 Q3",
                "row": 7,
            }
        ]
    )
    assert one_sheet["from_history"] == [
        {
            "period": q.label,
            "run": 1,
            "run_as_at": "2025-26 Q4",
            "run_folder": "2026-09-24",
            "partners": ["European Students' Union", "Commonwealth Students' Association", "Global Student Voice"],
            "activities": rows,
            "metric_partners": ["European Students' Union"],
            "metrics": 1,
        }
        for q, rows in ((Q1, 6), (Q2, 6), (Q3, 7))
    ]
    assert four_sheets["from_history"] == []

    # The pack says where the rows came from, beside the comparisons and with the data sources.
    sentence = (
        "Rows of 2025-26 Q1, 2025-26 Q2 and 2025-26 Q3 for ESU, CSA and GSV come from the history: run 1 "
        "recorded them (the run as at 2025-26 Q4, written to 2026-09-24), and the spreadsheets no longer "
        "hold them."
    )
    pages = squashed(output / "2026-09-25" / "board-pack.pdf")
    executive = next(p for p in pages if "What changed since 2025-26 Q3" in p)
    assert sentence + " The changes and the trend use them (see Data sources)." in executive
    sources = next(p for p in pages if "SHA-256 checksum" in p)
    assert sentence + " Each successful run records the rows it read from the spreadsheets in the history" in sources
    assert (
        "Climate pledge (CSA), Green in 2025-26 Q3; from the history (run 1), first read from tracker.xlsx"
        in " ".join(pages)
    )
    assert not any("come from the history" in p for p in squashed(output / "2026-09-24" / "board-pack.pdf"))

    # Without the history the same living sheet has no previous quarter: every activity is new.
    alone = generate(living, tmp_path / "alone", "--meeting-date", "2026-09-25", "--no-history")
    assert alone.exit_code == 0, alone.output
    assert summary_json(tmp_path / "alone" / "2026-09-25")["totals"]["changes"]["new"] == 7
    assert not (tmp_path / "alone" / "history.sqlite").exists()


def _keep_only_the_as_at_rows(folder: Path, config) -> None:
    """Delete, in the files themselves, every activity and metric row before the as-at period."""
    validated = validate_inputs(folder, config)
    earlier = pd.concat(
        [
            frame[frame["period"].map(lambda p: p != validated.as_at).astype(bool)]
            for frame in (validated.activities, validated.metrics)
        ]
    )
    for name, rows in earlier.groupby("file"):
        path = folder / name
        if path.suffix == ".csv":
            data = path.read_bytes()
            encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "cp1252"  # as the file was saved
            records = list(csv.reader(data.decode(encoding).splitlines(keepends=True)))
            doomed = set(rows["row"])  # for CSV the header is row 1
            with open(path, "w", encoding=encoding, newline="") as handle:
                csv.writer(handle, lineterminator="\r\n").writerows(
                    r for number, r in enumerate(records, start=1) if number not in doomed
                )
            continue
        book = openpyxl.load_workbook(path)
        for sheet, numbers in rows.groupby("sheet")["row"]:
            for number in sorted(numbers, reverse=True):
                book[sheet].delete_rows(number)
        book.save(path)


def test_the_sample_with_only_its_last_quarter_left_gives_the_sample_pack(tmp_path, config):
    history = tmp_path / "history.sqlite"
    record(ROOT / "inputs", history, config)
    living = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", living)
    _keep_only_the_as_at_rows(living, config)
    sample = validate_inputs(ROOT / "inputs", config)
    whole = summarise(sample, config).as_dict()
    alone = validate_inputs(living, config)
    assert alone.periods == (Q4,) and len(alone.activities) == whole["totals"]["activities"] == 25

    validated = filled(living, history, config)
    counts = [
        (q, int((sample.activities["period"] == q).sum()), int((sample.metrics["period"] == q).sum()))
        for q in (Q1, Q2, Q3)
    ]
    assert [(u.period, u.activities, u.metrics) for u in validated.from_history] == counts
    assert sum(a for _, a, _ in counts) + 25 == len(sample.activities) == 99  # as inputs/README.md says
    living_summary = without_places(summarise(validated, config).as_dict())
    # The one warning of the sample is about a Q1 row, which the living sheet no longer has.
    assert [(w["row"], w["column"]) for w in whole["warnings"]] == [(10, "Progress Update")]
    assert living_summary.pop("warnings") == []
    assert living_summary == {key: value for key, value in without_places(whole).items() if key != "warnings"}


def test_each_partner_keeps_its_own_rows_and_only_the_overwritten_ones_are_filled(tmp_path, config):
    history = tmp_path / "history.sqlite"
    record(quarterly_sheets(tmp_path / "first", config), history, config)
    inputs = InputsFolder(tmp_path / "mixed", config)
    esu_all = [row for q in QUARTERS for row in _rows(q) if row[0] == ESU]
    inputs.xlsx("esu.xlsx", [ACTIVITY_HEADERS, *esu_all])  # ESU keeps every quarter
    inputs.xlsx("others.xlsx", [ACTIVITY_HEADERS, *(row for row in _rows(Q4) if row[0] != ESU)])  # a living sheet
    validated = filled(inputs.folder, history, config)
    assert [(u.period, u.partners, u.activities, u.metric_partners, u.metrics) for u in validated.from_history] == [
        (q, ("Commonwealth Students' Association", "Global Student Voice"), rows, ("European Students' Union",), 1)
        for q, rows in ((Q1, 3), (Q2, 3), (Q3, 4))
    ]
    summary = summarise(validated, config)
    # ESU's metrics are in neither file now, so they come from the history too (the as-at one cannot) ...
    assert [p.period for p in summary.metrics[0].series] == [Q1, Q2, Q3]
    assert not validated.warnings  # ... and ESU's own rows agree with what was recorded
    esu = validated.activities[validated.activities["partner"] == "European Students' Union"]
    assert set(esu["file"]) == {"esu.xlsx"}


def test_the_as_at_period_never_comes_from_the_history(tmp_path, config):
    history = tmp_path / "history.sqlite"
    record(quarterly_sheets(tmp_path / "first", config), history, config)
    inputs = InputsFolder(tmp_path / "esu-only", config)
    inputs.xlsx("esu.xlsx", [ACTIVITY_HEADERS, *(row for row in _rows(Q4) if row[0] == ESU)])
    summary = summarise(filled(inputs.folder, history, config), config)
    assert {a.partner for a in summary.activities} == {"European Students' Union"}
    assert {m.activity for m in summary.missing_activities} == {
        "Commonwealth summit",
        "Officer exchange",
        "Climate pledge",
        "Student voice week",
    }


# --------------------------------------------------------------------------- history and spreadsheets disagree


def test_a_quarter_changed_after_being_reported_is_a_warning_in_every_draft_of_the_next_pack(tmp_path, config):
    history = tmp_path / "history.sqlite"
    assert record(quarterly_sheets(tmp_path / "q3", config, quarters=QUARTERS[:3]), history, config) == 1
    rewritten = {
        ("Student voice week", Q3): {"status": "Red", "progress": 90},
        ("Commonwealth summit", Q3): {"activity": "Commonwealth  Summit"},
    }  # same activity, respaced
    inputs = quarterly_sheets(tmp_path / "q4", config, changes=rewritten)
    for draft in (2, 3):
        validated = filled(inputs, history, config)
        warnings = [p for p in validated.warnings if "after being reported" in p.message]
        assert [(p.file, p.sheet, p.row, p.value, p.message) for p in warnings] == [
            (
                "tracker.xlsx",
                "2025-26 Q3",
                8,
                "Student voice week",
                "changed after being reported: in 2025-26 Q3 its status was Amber and is now Red and its progress was "
                "60% and is now 90%, against what run 1 (as at 2025-26 Q3) recorded. The pack uses the spreadsheets; "
                "tell the board why, or put back what was reported",
            )
        ]
        assert record(inputs, history, config) == draft  # the draft is recorded, as a run records it
    # The spreadsheets win: the pack counts the Q3 status as it is now.
    week = next(a for a in summarise(validated, config).activities if a.activity == "Student voice week")
    assert (week.previous_status, week.change) == ("Red", "improved")
    # The next quarter's pack compares with the last Q4 draft, which said so already.
    later = InputsFolder(tmp_path / "next", config)
    later.xlsx(
        "tracker.xlsx",
        [
            ACTIVITY_HEADERS,
            *_rows(Q3, rewritten),
            *_rows(Q4),
            *(activity(period="2026-27 Q1", activity=f"New {i}") for i in range(2)),
        ],
    )
    validated = filled(later.folder, history, config)
    assert validated.as_at == Period(2026, 1) and not validated.warnings
    every = ("European Students' Union", "Commonwealth Students' Association", "Global Student Voice")
    assert (
        [(u.period, u.run, u.partners, u.metric_partners) for u in validated.from_history]
        == [
            (Q1, 3, every, every[:1]),
            (Q2, 3, every, every[:1]),  # gone from the sheet: Q1 and Q2 entirely
            (Q3, 3, (), every[:1]),
            (Q4, 3, (), every[:1]),
        ]
    )  # and the metrics, whose sheet is gone too


def test_rows_added_or_removed_after_being_reported_are_named(tmp_path, config):
    history = tmp_path / "history.sqlite"
    record(quarterly_sheets(tmp_path / "q3", config, quarters=QUARTERS[:3]), history, config)
    inputs = InputsFolder(tmp_path / "q4", config)
    rows = [row for q in QUARTERS for row in _rows(q) if not (q == Q3 and row[2] == "Climate pledge")]
    rows.append(activity(partner=GSV, area="Student voice", activity="Late addition", period=Q3.label))
    inputs.xlsx("tracker.xlsx", [ACTIVITY_HEADERS, *rows])
    found = {(p.value, p.file, p.sheet, p.row): p.message for p in filled(inputs.folder, history, config).warnings}
    assert found[("Climate pledge", "tracker.xlsx", "2025-26 Q3", 7)] == (
        "was reported for 2025-26 Q3 as Green by run 1 (as at 2025-26 Q3), read from this place then, but is no "
        "longer among CSA's 2025-26 Q3 rows: removed after being reported. The pack uses the spreadsheets; tell "
        "the board why, or put the row back"
    )
    assert found[("Late addition", "tracker.xlsx", "Activities", len(rows) + 1)] == (
        "is among GSV's 2025-26 Q3 rows but not in what run 1 (as at 2025-26 Q3) recorded for 2025-26 Q3: added "
        "after being reported. The pack uses the spreadsheets; tell the board why, or remove the row"
    )
    assert len(found) == 2


def test_a_rewrite_of_many_rows_names_twenty_and_counts_the_rest(tmp_path, config):
    history = tmp_path / "history.sqlite"
    inputs = InputsFolder(tmp_path / "q3", config)
    many = [activity(activity=f"Step {i}", period=q.label) for q in (Q2, Q3) for i in range(30)]
    inputs.xlsx("tracker.xlsx", [ACTIVITY_HEADERS, *many])
    record(inputs.folder, history, config)
    inputs.xlsx(
        "tracker.xlsx",
        [
            ACTIVITY_HEADERS,
            *many[:30],
            *(activity(activity=f"Step {i}", period=Q3.label, status="Red") for i in range(30)),
            *(activity(activity=f"Step {i}", period=Q4.label) for i in range(30)),
        ],
    )
    warnings = [p for p in filled(inputs.folder, history, config, strict=True).errors if "reported" in p.message]
    assert len(warnings) == 21 and all(p.severity == "error" for p in warnings)
    assert len([p for p in warnings if p.message.startswith("changed after being reported")]) == 20
    assert [p.message for p in warnings if p.row is None] == [
        (
            "and 10 more of ESU's activities in 2025-26 Q3 changed, were added or were removed after being reported, "
            "against what run 1 (as at 2025-26 Q3) recorded; `python generate_report.py history --export FILE.csv` "
            "lists every recorded row"
        )
    ]


def test_strict_stops_on_a_rewritten_quarter_and_writes_nothing(tmp_path, config):
    output = tmp_path / "reports"
    record(quarterly_sheets(tmp_path / "q3", config, quarters=QUARTERS[:3]), output / "history.sqlite", config)
    before = (output / "history.sqlite").read_bytes()
    inputs = quarterly_sheets(tmp_path / "q4", config, changes={("Mobility charter", Q2): {"status": "Green"}})
    assert validate_inputs(inputs, config, strict=True).problems == ()  # the inputs alone are clean
    result = generate(inputs, output, "--strict")
    assert result.exit_code == 1
    assert "Mobility charter" in result.output and "changed after being reported" in result.output
    assert "1 error(s) in the inputs; nothing was written" in result.output
    assert sorted(p.name for p in output.iterdir()) == ["history.sqlite"]
    assert (output / "history.sqlite").read_bytes() == before


def test_a_partner_no_longer_in_the_template_is_a_note(tmp_path, config, template_with):
    history = tmp_path / "history.sqlite"
    record(quarterly_sheets(tmp_path / "first", config), history, config)
    renamed = template_with('name = "Global Student Voice"', 'name = "Global Voice"')
    text = renamed.read_text(encoding="utf-8").replace('short_name = "GSV"', 'short_name = "GV"', 1)
    renamed.write_text(text.replace('aliases = ["Global Student Voice Network"]', "aliases = []", 1), encoding="utf-8")
    inputs = InputsFolder(tmp_path / "living", config)
    inputs.xlsx("tracker.xlsx", [ACTIVITY_HEADERS, *(r for r in _rows(Q4) if r[0] != GSV)])
    validated = filled(inputs.folder, history, load_config(renamed))
    assert validated.notes == (
        'the history holds rows of "Global Student Voice" for 2025-26 Q1, 2025-26 Q2, 2025-26 Q3, which is '
        "not a partner in the template now; they were not used (add it back, or add its old name as an alias "
        "under [[partners]], to use them)",
    )
    assert {p for used in validated.from_history for p in used.partners} == {
        "European Students' Union",
        "Commonwealth Students' Association",
    }


# --------------------------------------------------------------------------- never half-written

KILLED_WRITER = """
import sqlite3, sys
real_connect = sqlite3.connect

def connect(*args, **kwargs):
    connection = real_connect(*args, **kwargs)
    def trace(statement):
        if statement.startswith("INSERT INTO activities"):
            print("writing the history", flush=True)  # half-way through the transaction
            sys.stdin.readline()  # wait here to be killed
    connection.set_trace_callback(trace)
    return connection

sqlite3.connect = connect
sys.path.insert(0, {root!r})
from generate_report import cli
cli(sys.argv[1:])
"""


@pytest.mark.slow
def test_kill_9_during_the_history_write_leaves_the_earlier_runs(tmp_path, config):
    output = tmp_path / "reports"
    history = output / "history.sqlite"
    assert record(quarterly_sheets(tmp_path / "first", config, quarters=QUARTERS[:3]), history, config) == 1
    with open_history(history, write=False) as stored:
        runs_before = stored.runs()
    assert [(run.id, run.as_at, run.activity_rows) for run in runs_before] == [(1, Q3, 19)]

    inputs = quarterly_sheets(tmp_path / "second", config)  # Q4 is new: its rows must be inserted
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILLED_WRITER.format(root=str(ROOT)),
            "charts",
            "--inputs",
            str(inputs),
            "--output",
            str(output),
        ],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline() == "writing the history\n", process.stderr.read()
        assert (output / "2025-26-Q4").is_dir()  # the run folder was written first
    finally:
        process.kill()  # SIGKILL: no handler runs, the transaction is never finished
        process.communicate(timeout=60)
    assert process.returncode == -9

    with sqlite3.connect(history) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with open_history(history, write=False) as stored:
        assert stored.runs() == runs_before  # the earlier run whole, nothing of the killed one
    assert record(inputs, history, config) == 2  # the next run records as usual
    with open_history(history, write=False) as stored:
        assert [(run.id, run.as_at) for run in stored.runs()] == [(1, Q3), (2, Q4)]


def test_a_failed_run_records_nothing(tmp_path, config):
    output = tmp_path / "reports"
    record(quarterly_sheets(tmp_path / "first", config), output / "history.sqlite", config)
    before = (output / "history.sqlite").read_bytes()
    inputs = InputsFolder(tmp_path / "broken", config)
    inputs.activities_xlsx(activity(status="Purple"))
    result = CliRunner().invoke(cli, ["charts", "--inputs", str(inputs.folder), "--output", str(output)])
    assert result.exit_code == 1 and "Purple" in result.output
    assert (output / "history.sqlite").read_bytes() == before


@pytest.mark.slow
def test_a_history_spoilt_after_the_pack_was_written_is_a_warning_not_a_failure(tmp_path, config, monkeypatch):
    import boardpack.write

    output = tmp_path / "reports"
    history = output / "history.sqlite"
    record(quarterly_sheets(tmp_path / "q3", config, quarters=QUARTERS[:3]), history, config)
    real_write_run = boardpack.write.write_run

    def write_run_then_spoil(target, files):  # someone saves another file over the history meanwhile
        written = real_write_run(target, files)
        history.write_text("not a history\n")
        return written

    monkeypatch.setattr(boardpack.write, "write_run", write_run_then_spoil)
    result = CliRunner().invoke(
        cli, ["charts", "--inputs", str(quarterly_sheets(tmp_path / "q4", config)), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert (output / "2025-26-Q4" / "summary.json").exists()
    assert (
        f"Warning: {output / '2025-26-Q4'} was written, but this run could not be recorded in the history: "
        f"{history} is not a boardpack history: it is not an SQLite database" in result.output
    )
    assert "Until it is, a later run cannot take this run's periods from the history." in result.output
    assert "Recorded as run" not in result.output
    assert history.read_text() == "not a history\n"  # left as it is


@pytest.mark.slow
def test_two_runs_recording_at_once_both_land(tmp_path, config):
    validated = InputsFolder(quarterly_sheets(tmp_path / "inputs", config), config).validate()
    history = tmp_path / "history.sqlite"
    script = (
        "import sys; sys.path.insert(0, {root!r}); from boardpack.history import record_run; "
        "from boardpack import load_config, validate_inputs; v = validate_inputs({inputs!r}, load_config()); "
        "print(record_run({history!r}, v, command='charts', folder=sys.argv[1]))"
    )
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                script.format(root=str(ROOT), inputs=str(tmp_path / "inputs"), history=str(history)),
                name,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second", "third")
    ]
    numbers = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        numbers.append(int(out))
    assert sorted(numbers) == [1, 2, 3]
    with open_history(history, write=False) as stored:
        assert sorted(run.folder for run in stored.runs()) == ["first", "second", "third"]
        assert all(run.activity_rows == len(validated.activities) for run in stored.runs())
    with sqlite3.connect(history) as raw:  # the rows are stored once, however many runs read them
        assert raw.execute("SELECT count(*) FROM activities").fetchone() == (len(validated.activities),)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


# --------------------------------------------------------------------------- files it must not use


def _history_of_one_run(tmp_path: Path, config) -> Path:
    path = tmp_path / "reports" / "history.sqlite"
    record(quarterly_sheets(tmp_path / "first", config), path, config)
    return path


def _stopped(result, path: Path, *words: str) -> None:
    assert_clean(result)
    assert f"{path}" in result.output and "--no-history" in result.output, result.output
    for word in words:
        assert word in result.output, result.output


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = bytes((i * 7 + 3) % 256 for i in range(len(data) - page))  # every page but the first
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE people (name TEXT)")
        other.execute("CREATE TABLE visits (day TEXT)")
    other.close()


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    raw.close()


@pytest.mark.parametrize(
    "spoil, words",
    [
        (_corrupt, ["is damaged (SQLite: database disk image is malformed); it was left as it is"]),
        (
            lambda p: p.write_text("partner,activity\nESU,Bologna\n"),
            ["is not a boardpack history: it is not an SQLite database", "it was left as it is"],
        ),
        (
            _foreign,
            [
                "is not a boardpack history: it is another program's SQLite database (it holds the tables "
                "people, visits); it was left as it is"
            ],
        ),
        (_newer, [f"was written by a newer boardpack (schema version 99; this one knows up to {SCHEMA_VERSION})"]),
    ],
    ids=["corrupt", "not sqlite", "another program's database", "newer boardpack"],
)
def test_a_file_that_is_not_a_usable_history_stops_the_run_and_is_left_alone(tmp_path, config, spoil, words):
    path = _history_of_one_run(tmp_path, config)
    spoil(path)
    before = path.read_bytes()
    output = tmp_path / "new-output"
    result = generate(quarterly_sheets(tmp_path / "second", config), output, "--history", str(path))
    _stopped(result, path, *words)
    assert path.read_bytes() == before
    assert not output.exists()  # nothing written
    listing = CliRunner().invoke(cli, ["history", "--history", str(path)])
    assert_clean(listing)
    assert f"{path}" in listing.output, listing.output
    assert "--no-history" not in listing.output  # not an option of the history command
    for word in words:
        assert word in listing.output


def test_a_folder_at_the_history_path_is_an_error(tmp_path, config):
    (tmp_path / "reports" / "history.sqlite").mkdir(parents=True)
    result = generate(quarterly_sheets(tmp_path / "inputs", config), tmp_path / "reports")
    _stopped(result, tmp_path / "reports" / "history.sqlite", "is a folder")


def test_a_locked_history_is_named_with_the_way_out(tmp_path, config):
    path = _history_of_one_run(tmp_path, config)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, and not letting go
    try:
        with pytest.raises(HistoryLocked) as opening:
            open_history(path, timeout=0.05)
        validated = InputsFolder(tmp_path / "first", config).validate()
        with pytest.raises(HistoryLocked) as recording:
            record_run(path, validated, command="charts", folder="x", timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for raised in (opening, recording):
        assert str(raised.value) == (
            f"the history {path} is locked by another run or program, and stayed locked for 0.05 seconds; let it "
            "finish (or close the program that has the file open) and run again, or run with --no-history to "
            "build the pack without it"
        )
    with open_history(path) as stored:  # free again
        assert len(stored.runs()) == 1


@pytest.fixture
def read_only(tmp_path):
    """A read-only view of a folder (a read-only bind mount), or skip where mounting is not allowed."""
    mounted = []

    def make(folder: Path) -> Path:
        view = tmp_path / f"read-only-{len(mounted)}"
        view.mkdir()
        if subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode:
            pytest.skip("needs permission to mount a read-only folder")
        mounted.append(view)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True, capture_output=True)
        return view

    yield make
    for view in mounted:
        subprocess.run(["umount", str(view)], check=True)


def test_a_read_only_history_stops_the_run_but_can_still_be_listed(tmp_path, config, read_only):
    path = _history_of_one_run(tmp_path, config)
    view = read_only(path.parent) / "history.sqlite"
    output = tmp_path / "new-output"
    result = generate(quarterly_sheets(tmp_path / "second", config), output, "--history", str(view))
    _stopped(
        result,
        view,
        f"cannot write the history {view}: it is read-only (permission denied); "
        "choose another file with --history PATH, or run with --no-history",
    )
    assert not output.exists()
    listing = CliRunner().invoke(cli, ["history", "--history", str(view)])
    assert listing.exit_code == 0, listing.output
    assert listing.output.startswith(f"1 run recorded in {view}:")
    both = generate(tmp_path / "second", output, "--history", str(view), "--no-history")
    assert both.exit_code == 2 and "--history and --no-history cannot be used together" in both.output


def test_journal_mode_follows_the_file_system():
    mounts = (
        "sysfs /sys sysfs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
        "server:/srv/share /mnt/share nfs4 rw 0 0\n//union/board /mnt/board\\040packs cifs rw 0 0\n"
    )
    assert not _network_file_system(Path("/home/staff/reports"), mounts)
    assert _network_file_system(Path("/mnt/share/reports"), mounts)
    assert _network_file_system(Path("/mnt/board packs/reports"), mounts)
    assert not _network_file_system(Path("/mnt/shared"), mounts)  # a name that only begins like the mount


# --------------------------------------------------------------------------- the history command


def test_history_lists_forgets_and_exports(tmp_path, config):
    output = tmp_path / "reports"
    history = output / "history.sqlite"
    first = quarterly_sheets(tmp_path / "q3", config, quarters=QUARTERS[:3])
    assert record(first, history, config, folder="2025-26-Q3") == 1
    assert record(living_sheet(tmp_path / "living", config), history, config, folder="2025-26-Q4") == 2
    source = validate_inputs(first, config).sources[0]

    listed = CliRunner().invoke(cli, ["history", "--output", str(output)])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0] == f"2 runs recorded in {output / 'history.sqlite'}:"
    assert lines[2].split() == [
        "Run",
        "Recorded",
        "(UTC)",
        "Command",
        "As",
        "at",
        "Folder",
        "Periods",
        "Activity",
        "rows",
        "Metric",
        "rows",
    ]
    assert re.fullmatch(
        r"  1  \d{4}-\d\d-\d\d \d\d:\d\d  charts   2025-26 Q3  2025-26-Q3  "
        r"2025-26 Q1 to 2025-26 Q3 +19 +3",
        lines[4],
    ), lines[4]
    assert lines[5] == f"     tracker.xlsx: 22 rows, {source.size:,} bytes, SHA-256 {source.sha256}"
    assert re.fullmatch(r"  2  .*  charts   2025-26 Q4  2025-26-Q4  2025-26 Q4 +7 +1", lines[6]), lines[6]

    as_json = json.loads(CliRunner().invoke(cli, ["history", "--output", str(output), "--format", "json"]).output)
    assert [(r["run"], r["as_at"], r["periods"], r["activity_rows"], r["metric_rows"]) for r in as_json] == [
        (1, "2025-26 Q3", ["2025-26 Q1", "2025-26 Q2", "2025-26 Q3"], 19, 3),
        (2, "2025-26 Q4", ["2025-26 Q4"], 7, 1),
    ]
    assert as_json[0]["files"] == [{"name": "tracker.xlsx", "sha256": source.sha256, "bytes": source.size, "rows": 22}]
    assert dt.datetime.fromisoformat(as_json[0]["recorded_at"]).tzinfo == dt.UTC

    exported = CliRunner().invoke(cli, ["history", "--output", str(output), "--export", str(tmp_path / "all.csv")])
    assert exported.exit_code == 0, exported.output
    assert exported.output == f"Wrote 30 rows from {output / 'history.sqlite'} to {tmp_path / 'all.csv'}\n"
    with open(tmp_path / "all.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 30
    assert list(rows[0])[:4] == ["run", "run_recorded_at", "run_as_at", "table"]
    week = next(r for r in rows if r["activity"] == "Student voice week" and r["period"] == "2025-26 Q2")
    assert (week["run"], week["table"], week["status"], week["sheet"], week["row"]) == (
        "1",
        "activities",
        "Amber",
        "2025-26 Q2",
        "7",
    )
    assert {(r["run"], r["table"]) for r in rows if r["metric"]} == {("1", "metrics"), ("2", "metrics")}

    forgotten = CliRunner().invoke(cli, ["history", "--output", str(output), "--forget", "1"])
    assert forgotten.exit_code == 0, forgotten.output
    assert re.fullmatch(
        r"Forgot run 1 \(as at 2025-26 Q3, recorded \S+ UTC\); 22 rows no other run read were "
        r"removed from \S+history\.sqlite\.\n",
        forgotten.output,
    ), forgotten.output
    again = CliRunner().invoke(cli, ["history", "--output", str(output), "--forget", "1"])
    assert again.exit_code == 2 and "holds no run 1; `history` lists the runs it holds" in again.output
    with open_history(output / "history.sqlite", write=False) as stored:
        assert [run.id for run in stored.runs()] == [2]
    assert filled(tmp_path / "living", history, config).from_history == ()  # run 1's quarters are gone
    assert record(tmp_path / "living", history, config) == 3  # numbers are never reused


def test_history_with_no_file_yet_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["history", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output == (
        f"No runs recorded in {tmp_path / 'history.sqlite'} yet: each successful generate or charts run records one.\n"
    )
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- the contract


def test_the_history_stores_every_column_of_the_validated_frames():
    assert set(ACTIVITY_COLUMNS) == set(ACTIVITY_FRAME_COLUMNS) - {"activity_key"}
    assert set(METRIC_COLUMNS) == set(METRIC_FRAME_COLUMNS)


@pytest.mark.parametrize("inputs", ["sample", "quarterly"])
def test_rows_read_back_are_the_rows_recorded(tmp_path, config, inputs):
    folder = ROOT / "inputs" if inputs == "sample" else quarterly_sheets(tmp_path / "inputs", config)
    validated = validate_inputs(folder, config)  # the sample has blanks, revised dates, decisions, directions
    record_run(tmp_path / "history.sqlite", validated, command="charts", folder="x")
    with open_history(tmp_path / "history.sqlite", write=False) as stored:
        index = stored.index()
        rows = {
            kind: stored.rows(kind, [r.block for r in index if r.kind == kind]) for kind in ("activities", "metrics")
        }
    for kind, frame in (("activities", validated.activities), ("metrics", validated.metrics)):
        blocks = [r for r in index if r.kind == kind]
        back = _frame_of(
            [record for r in blocks for record in rows[kind][r.block]],
            kind,
            [r.partner for r in blocks for _ in rows[kind][r.block]],
        )
        key = ["partner", "period", "row"]
        expected = frame.sort_values(key, key=lambda c: c.map(str)).reset_index(drop=True)
        back = back.sort_values(key, key=lambda c: c.map(str)).reset_index(drop=True)
        pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_summary_json_documents_from_history():
    docs = (ROOT / "docs" / "summary.md").read_text(encoding="utf-8")
    section = docs.split("## Each entry of `from_history`", 1)[1]
    for key in ("period", "run", "run_as_at", "run_folder", "partners", "activities", "metric_partners", "metrics"):
        assert f"| `{key}` |" in section
    assert "| `from_history` |" in docs
