"""`generate_report.py validate` through click's CliRunner: exit codes and output formats.

Exit codes: 0 no errors (warnings allowed), 1 errors (or warnings with --strict),
2 usage mistakes (missing folder, unknown option, a --period not in the data).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import ACTIVITY_HEADERS, activity

from generate_report import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def validate(inputs, *args: str):
    return invoke("validate", "--inputs", str(inputs.folder), *args)


def test_clean_inputs_exit_0_with_a_summary_of_what_was_read(inputs):
    inputs.activities_xlsx(activity(), activity(activity="Second"))
    inputs.bytes("notes.txt", b"hello")
    result = validate(inputs)
    assert result.exit_code == 0, result.output
    assert "2 activities from 1 file, as at 2025-26 Q1" in result.output
    assert "tracker.xlsx: 2 rows read from Activities (2 rows, activities)" in result.output
    assert "notes.txt: skipped, not a spreadsheet" in result.output


def test_warnings_alone_exit_0_and_are_listed(inputs):
    inputs.activities_xlsx(activity(status="Red", commentary=None))
    result = validate(inputs)
    assert result.exit_code == 0, result.output
    assert "1 warning (shown in the pack's data quality notes)" in result.output
    assert "warning: Red activity has no commentary" in result.output


def test_strict_makes_warnings_exit_1(inputs):
    inputs.activities_xlsx(activity(status="Red", commentary=None))
    result = validate(inputs, "--strict")
    assert result.exit_code == 1
    assert "Red activity has no commentary" in result.output
    assert "1 error(s) and 0 warning(s)" in result.output


def test_errors_exit_1_with_what_was_read_then_a_table_naming_each_cell(inputs):
    inputs.activities_xlsx(
        activity(), activity(activity="Second", status="Purple"), activity(activity="Third", due_date="TBC")
    )
    inputs.bytes("notes.txt", b"hello")
    result = validate(inputs)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # What was read and skipped comes first, errors or not.
    assert lines[:3] == [
        "Files read: 1; skipped: 1",
        "  tracker.xlsx: 3 rows read from Activities (3 rows, activities)",
        "  notes.txt: skipped, not a spreadsheet (.xlsx, .xlsm or .csv)",
    ]
    header = next(line for line in lines if line.startswith("File "))
    assert header.split()[:5] == ["File", "Sheet", "Row", "Column", "Value"]
    status_line = next(line for line in lines if "Purple" in line)
    assert status_line.split()[:6] == ["tracker.xlsx", "Activities", "3", "E", '"Status"', "Purple"]
    assert "is not a status" in status_line
    date_line = next(line for line in lines if "TBC" in line)
    assert date_line.split()[:7] == ["tracker.xlsx", "Activities", "4", "G", '"Due', 'date"', "TBC"]
    assert "2 error(s) and 0 warning(s)" in result.output
    assert "docs/inputs.md" in result.output


PROBLEM_KEYS = {"file", "sheet", "row", "column", "column_letter", "value", "message", "severity", "period"}


def test_json_format_is_one_versioned_object_with_what_was_read_and_every_problem(inputs):
    inputs.activities_xlsx(activity(status="Purple"), activity(activity="Second", status="Amber", commentary=""))
    inputs.bytes("notes.txt", b"hello")
    result = validate(inputs, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) == {
        "version",
        "as_at",
        "files",
        "skipped",
        "notes",
        "errors",
        "warnings",
        "warnings_not_listed",
        "problems",
    }
    assert report["version"] == 1
    assert report["as_at"] == "2025-26 Q1"
    assert report["files"] == [
        {
            "name": "tracker.xlsx",
            "rows": 2,
            "sheets": [
                {
                    "name": "Activities",
                    "table": "activities",
                    "rows": 2,
                    "header_row": 1,
                    "note": "activities: 2 rows, header on row 1",
                }
            ],
        }
    ]
    assert report["skipped"] == [{"name": "notes.txt", "why": "not a spreadsheet (.xlsx, .xlsm or .csv)"}]
    assert (report["errors"], report["warnings"], report["warnings_not_listed"]) == (1, 1, 0)
    problems = report["problems"]
    assert len(problems) == 2
    for problem in problems:
        assert set(problem) == PROBLEM_KEYS
    assert problems[0] == {
        "file": "tracker.xlsx",
        "sheet": "Activities",
        "row": 2,
        "column": "Status",
        "column_letter": "E",
        "value": "Purple",
        "message": problems[0]["message"],
        "severity": "error",
        "period": "2025-26 Q1",
    }
    assert problems[0]["message"].startswith("is not a status")
    assert problems[1]["row"] == 3 and problems[1]["severity"] == "warning"
    assert problems[1]["column_letter"] == "I"


def test_bad_values_in_the_new_columns_are_named_by_the_headings_as_written(inputs):
    inputs.csv(
        "tracker.csv",
        [ACTIVITY_HEADERS + ["Board decision", "New due date"], activity() + ["Approve the exchange", "TBC"]],
    )
    inputs.csv(
        "kpis.csv",
        [
            ["Partner", "KPI", "Period", "Target", "Actual", "Unit", "Direction"],
            ["ESU", "Event spend", "2025-26 Q1", 2000, 2400, "£", "smaller"],
        ],
    )
    result = validate(inputs, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["problems"] == [
        {
            "file": "kpis.csv",
            "sheet": "kpis",
            "row": 2,
            "column": "Direction",
            "column_letter": "G",
            "value": "smaller",
            "message": "is not a direction; expected higher or lower (which side of the target is good)",
            "severity": "error",
            "period": "2025-26 Q1",
        },
        {
            "file": "tracker.csv",
            "sheet": "tracker",
            "row": 2,
            "column": "New due date",
            "column_letter": "M",
            "value": "TBC",
            "message": "is not a date; expected a date such as 31/03/2026 (day first), 31 Mar 2026 or 2026-03-31",
            "severity": "error",
            "period": "2025-26 Q1",
        },
    ]


def test_json_format_for_clean_inputs_has_no_problems(inputs):
    inputs.activities_xlsx(activity())
    result = validate(inputs, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["problems"] == [] and report["errors"] == 0 and report["as_at"] == "2025-26 Q1"


def test_json_format_keeps_file_level_problems(inputs):
    inputs.activities_xlsx(activity())
    inputs.bytes("empty.csv", b"")
    result = validate(inputs, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["problems"] == [
        {
            "file": "empty.csv",
            "sheet": None,
            "row": None,
            "column": None,
            "column_letter": None,
            "value": None,
            "message": "is empty (0 bytes); save the spreadsheet again or remove the file",
            "severity": "error",
            "period": None,
        }
    ]


def test_period_option_reports_as_at_that_period(inputs):
    inputs.activities_xlsx(activity(), activity(period="2025-26 Q2"))
    result = validate(inputs, "--period", "Q1 25/26")
    assert result.exit_code == 0, result.output
    assert "as at 2025-26 Q1" in result.output
    assert "1 activity rows and 0 metric rows after 2025-26 Q1 were left out" in result.output


def test_period_not_in_the_data_exits_2(inputs):
    inputs.activities_xlsx(activity())
    result = validate(inputs, "--period", "2030-31 Q1")
    assert result.exit_code == 2
    assert "--period" in result.output and "no activities in 2030-31 Q1" in result.output


def test_missing_inputs_folder_exits_2(tmp_path):
    result = invoke("validate", "--inputs", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_option_exits_2(inputs):
    result = validate(inputs, "--colour")
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_unknown_format_exits_2(inputs):
    result = validate(inputs, "--format", "xml")
    assert result.exit_code == 2


def test_other_template_is_used(inputs, template_with):
    headers = ["Traffic light" if h == "Status" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx("tracker.xlsx", {"Activities": [headers, activity()]})
    assert validate(inputs).exit_code == 1
    custom = template_with(
        'commentary = ["rag commentary"]', 'commentary = ["rag commentary"]\nstatus = ["traffic light"]'
    )
    result = validate(inputs, "--template", str(custom))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["validate", "init-inputs"])
def test_each_command_has_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert f"Example: generate-report {command}" in result.output
