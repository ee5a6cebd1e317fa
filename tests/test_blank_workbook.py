"""The blank input workbook written by `generate_report.py init-inputs`."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from helpers import InputsFolder
from openpyxl import load_workbook

from boardpack.blank_workbook import write_blank_workbook
from boardpack.errors import OutputError
from boardpack.model import STATUSES, Period
from boardpack.schema import ACTIVITIES, METRICS
from generate_report import cli

NAME = "international-tracker.xlsx"


def init(*args: str):
    return CliRunner().invoke(cli, ["init-inputs", *args], catch_exceptions=False)


@pytest.fixture
def blank(tmp_path):
    """A freshly written blank workbook, opened with openpyxl."""
    path = tmp_path / "inputs" / NAME
    assert init(str(path.parent)).exit_code == 0
    return path


def test_init_inputs_writes_the_workbook(tmp_path):
    folder = tmp_path / "new" / "inputs"  # created when missing
    result = init(str(folder))
    assert result.exit_code == 0, result.output
    assert (folder / NAME).is_file()
    assert f"Wrote {folder / NAME}" in result.output


def test_init_inputs_name_option(tmp_path):
    result = init(str(tmp_path), "--name", "esu.xlsx")
    assert result.exit_code == 0
    assert (tmp_path / "esu.xlsx").is_file()


def test_init_inputs_refuses_to_overwrite(tmp_path):
    path = tmp_path / NAME
    path.write_bytes(b"staff's work")
    result = init(str(tmp_path))
    assert result.exit_code == 1
    assert "already exists" in result.output and "choose another name" in result.output
    assert path.read_bytes() == b"staff's work"


def test_write_blank_workbook_refuses_to_overwrite(tmp_path, config):
    path = write_blank_workbook(tmp_path / "a.xlsx", config)
    with pytest.raises(OutputError, match="already exists"):
        write_blank_workbook(path, config)


def test_sheets_headers_and_frozen_header_row(blank):
    book = load_workbook(blank)
    assert {"Instructions", "Activities", "Metrics"} <= set(book.sheetnames)
    assert book.sheetnames[0] == "Instructions"
    assert book.active.title == "Activities"
    for table in (ACTIVITIES, METRICS):
        sheet = book[table.title]
        assert [c.value for c in sheet[1]] == [c.name.capitalize() for c in table.columns]
        assert sheet.freeze_panes == "A2"
    instructions = "\n".join(str(c.value) for c in book["Instructions"]["A"] if c.value)
    assert "python generate_report.py validate" in instructions


def _drop_downs(sheet) -> dict[str, list[str]]:
    """Heading -> the values its list validation offers (resolving ranges on the Lists sheet)."""
    book = sheet.parent
    headings = {c.column_letter: c.value for c in sheet[1]}
    lists = {}
    for check in sheet.data_validations.dataValidation:
        if check.type != "list":
            continue
        letter = str(check.sqref).split(":")[0].rstrip("0123456789")
        assert str(check.sqref).startswith(f"{letter}2:")
        formula = check.formula1.lstrip("=")
        if formula.startswith('"'):
            values = formula.strip('"').split(",")
        else:
            sheet_name, cells = formula.split("!")
            values = [c[0].value for c in book[sheet_name][cells.replace("$", "")]]
        lists[headings[letter]] = values
    return lists


def test_drop_downs_offer_exactly_what_validation_accepts(blank, config):
    book = load_workbook(blank)
    periods = [Period(y, q).label for y in config.input_years for q in (1, 2, 3, 4)]
    activities = _drop_downs(book["Activities"])
    assert activities == {
        "Partner": list(config.partners.names),
        "Area": list(config.areas.names),
        "Period": periods,
        "Status": list(STATUSES),
    }
    metrics = _drop_downs(book["Metrics"])
    assert metrics == {
        "Partner": list(config.partners.names),
        "Area": list(config.areas.names),
        "Period": periods,
        "Unit": ["number", "%", "£"],
        "Better when": ["higher", "lower"],
    }
    assert book["Lists"].sheet_state == "hidden"


def _letters(sheet) -> dict[str, str]:
    """Heading -> column letter."""
    return {c.value: c.column_letter for c in sheet[1]}


def test_progress_due_date_and_money_columns_have_checks_and_formats(blank):
    sheet = load_workbook(blank)["Activities"]
    kinds = {str(c.sqref).split(":")[0]: c.type for c in sheet.data_validations.dataValidation}
    assert kinds["F2"] == "decimal" and kinds["G2"] == "date" and kinds["J2"] == "decimal"
    assert sheet.column_dimensions["F"].number_format == "0%"
    assert sheet.column_dimensions["G"].number_format == "dd/mm/yyyy"


def test_revised_due_date_is_a_date_column_like_due_date_and_decision_needed_is_free_text(blank):
    sheet = load_workbook(blank)["Activities"]
    letters = _letters(sheet)
    due, revised, decision = letters["Due date"], letters["Revised due date"], letters["Decision needed"]
    checks = {str(c.sqref).split(":")[0]: c for c in sheet.data_validations.dataValidation}
    assert checks[f"{revised}2"].type == "date"
    assert (checks[f"{revised}2"].operator, checks[f"{revised}2"].formula1) == (
        checks[f"{due}2"].operator,
        checks[f"{due}2"].formula1,
    )
    assert sheet.column_dimensions[revised].number_format == sheet.column_dimensions[due].number_format == "dd/mm/yyyy"
    assert f"{decision}2" not in checks  # any sentence may be typed
    assert sheet.column_dimensions[decision].width >= 40


def test_better_when_drop_down_warns_and_explains(blank):
    sheet = load_workbook(blank)["Metrics"]
    letter = _letters(sheet)["Better when"]
    check = next(c for c in sheet.data_validations.dataValidation if str(c.sqref).startswith(f"{letter}2:"))
    assert (check.type, check.formula1, check.errorStyle) == ("list", '"higher,lower"', "warning")
    assert check.showErrorMessage and "higher or lower" in check.error
    assert str(check.sqref) == f"{letter}2:{letter}2001"


def test_instructions_explain_the_new_columns(blank):
    text = " ".join(str(c.value) for c in load_workbook(blank)["Instructions"]["A"] if c.value)
    assert "Revised due date" in text and "Decision needed" in text and "Better when" in text


def test_blank_workbook_alone_only_says_there_are_no_activities(blank, config):
    validated = InputsFolder(blank.parent, config).validate()
    assert [(p.sheet, p.row, p.severity) for p in validated.problems] == [(None, None, "error")]
    assert validated.problems[0].message.startswith("no activities found: the activities sheets have no rows")


def test_filled_in_copy_passes_validation(blank, config):
    book = load_workbook(blank)
    activities, metrics = book["Activities"], book["Metrics"]
    rows = [
        [
            "European Students' Union",
            "Education policy",
            "Bologna follow-up",
            "2025-26 Q1",
            "Green",
            0.45,
            dt.datetime(2026, 3, 31),
            "VP Education",
            "Met the working group",
            1200,
            300.5,
            None,
            None,
        ],
        [
            "Commonwealth Students' Association",
            "Capacity building",
            "Officer exchange",
            "2025-26 Q1",
            "Amber",
            0.1,
            dt.datetime(2026, 6, 30),
            "International coordinator",
            "Visas delayed",
            None,
            None,
            "Approve moving the exchange to the spring",
            dt.datetime(2026, 9, 30),
        ],
        [
            "European Students' Union",
            "Education policy",
            "Bologna follow-up",
            "2025-26 Q2",
            "Complete",
            1,
            dt.datetime(2026, 3, 31),
            "VP Education",
            "Done",
            1200,
            1150,
            None,
            None,
        ],
    ]
    assert [c.value for c in activities[1]][-2:] == ["Decision needed", "Revised due date"]
    for row in rows:
        activities.append(row)
        activities.cell(row=activities.max_row, column=6).number_format = "0%"  # as Excel styles a typed 45%
        for column in (7, 13):
            activities.cell(row=activities.max_row, column=column).number_format = "dd/mm/yyyy"
    metrics.append(
        ["Global Student Voice", "Student voice", "Unions in the network", "2025-26 Q2", 40, 37, "number", None]
    )
    metrics.append(["Global Student Voice", "Student voice", "Event spend", "2025-26 Q2", 2000, 2400, "£", "lower"])
    book.save(blank)

    validated = InputsFolder(blank.parent, config).validate()
    assert validated.problems == ()
    assert validated.as_at == Period(2025, 2)
    assert validated.activities["progress"].tolist() == [45.0, 10.0, 100.0]
    assert validated.activities["status"].tolist() == ["Green", "Amber", "Complete"]
    assert validated.activities["decision"].tolist() == ["", "Approve moving the exchange to the spring", ""]
    assert validated.activities["revised_due_date"].tolist() == [None, dt.date(2026, 9, 30), None]
    assert validated.metrics["actual"].tolist() == [37.0, 2400.0]
    assert validated.metrics["better_when"].tolist() == ["higher", "lower"]
