"""The input contract (docs/inputs.md, design.md "The input contract"), one rule at a time.

Every test writes real spreadsheets into tmp_path and runs the loader and the
validator on them, then checks each Problem field by field: file, sheet, row,
column (the header as written), value, severity, and the key words of the message.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from helpers import (
    ACTIVITY_HEADERS,
    METRIC_HEADERS,
    InputsFolder,
    activity,
    assert_problem,
    metric,
    only_problem,
    patch_sheet_xml,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boardpack import PeriodError, load_config
from boardpack.model import STATUSES, Period
from boardpack.schema import ACTIVITIES, ACTIVITY_FRAME_COLUMNS, EXCEL_ERRORS, METRIC_FRAME_COLUMNS, METRICS
from boardpack.text import clean_text, header_key, match_key

FILE, SHEET = "tracker.xlsx", "Activities"


def test_valid_workbook_has_no_problems_and_clean_values(inputs):
    inputs.activities_xlsx(
        activity(),
        activity(
            activity="Mobility charter", partner="CSA", area="SUS", status="Amber", commentary="Waiting for the partner"
        ),
    )
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.as_at == Period(2025, 1)
    first = validated.activities.iloc[0].to_dict()
    assert {
        k: first[k]
        for k in (
            "partner",
            "area",
            "activity",
            "status",
            "progress",
            "due_date",
            "lead",
            "commentary",
            "budget",
            "spend",
            "file",
            "sheet",
            "row",
        )
    } == {
        "partner": "European Students' Union",
        "area": "Education policy",
        "activity": "Bologna follow-up",
        "status": "Green",
        "progress": 50.0,
        "due_date": dt.date(2026, 3, 31),
        "lead": "VP Education",
        "commentary": "On course",
        "budget": 1000.0,
        "spend": 250.0,
        "file": FILE,
        "sheet": SHEET,
        "row": 2,
    }
    assert validated.activities.loc[1, "partner"] == "Commonwealth Students' Association"
    assert validated.activities.loc[1, "area"] == "Sustainability"


# --- which files are read -----------------------------------------------------------


def test_lock_hidden_and_other_files_and_folders_are_skipped_with_a_note(inputs):
    inputs.activities_xlsx(activity())
    inputs.bytes("~$tracker.xlsx", b"lock")
    inputs.bytes(".hidden.csv", b"not,read\n")
    inputs.bytes("notes.txt", b"hello")
    inputs.bytes("minutes.docx", b"PK")
    archive = inputs.folder / "archive"
    archive.mkdir()
    (archive / "old.csv").write_text("Partner,Area,Activity,Period,Status\nNobody,x,y,z,Purple\n")

    validated = inputs.validate()
    assert validated.problems == ()  # the sub-folder's bad rows are not read: not recursive
    assert dict(validated.skipped) == {
        "~$tracker.xlsx": "an Office lock file (the workbook is open in Excel)",
        ".hidden.csv": "a hidden file",
        "notes.txt": "not a spreadsheet (.xlsx, .xlsm or .csv)",
        "minutes.docx": "not a spreadsheet (.xlsx, .xlsm or .csv)",
        "archive": "a folder (sub-folders are not read)",
    }
    assert [s.name for s in validated.sources] == [FILE]


def test_xlsm_and_upper_case_suffixes_are_read(inputs):
    inputs.activities_xlsx(activity(), name="macro.xlsm")
    inputs.activities_xlsx(activity(activity="Other"), name="SHOUTING.XLSX")
    inputs.csv("export.CSV", [ACTIVITY_HEADERS, activity(activity="Third")])
    validated = inputs.validate()
    assert validated.problems == ()
    assert sorted(validated.activities["file"]) == ["SHOUTING.XLSX", "export.CSV", "macro.xlsm"]


@pytest.mark.parametrize(
    "name, words",
    [
        ("old.xls", ["old Excel 97-2003 workbook", "save it as an Excel Workbook (.xlsx)"]),
        ("tracker.ods", ["OpenDocument spreadsheet", "save it as an Excel Workbook (.xlsx)"]),
    ],
)
def test_legacy_formats_are_errors_asking_for_xlsx(inputs, name, words):
    inputs.activities_xlsx(activity())
    inputs.bytes(name, b"\xd0\xcf\x11\xe0 legacy")
    assert_problem(
        only_problem(inputs.validate()), file=name, sheet=None, row=None, column=None, value=None, words=words
    )


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv"])
def test_zero_byte_file_is_an_error_naming_it(inputs, name):
    inputs.activities_xlsx(activity())
    inputs.bytes(name, b"")
    assert_problem(
        only_problem(inputs.validate()),
        file=name,
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["is empty (0 bytes)"],
    )


def test_text_file_named_xlsx_is_an_error_naming_it(inputs):
    inputs.activities_xlsx(activity())
    inputs.bytes("fake.xlsx", b"Partner,Area\nESU,EDU\n")
    assert_problem(
        only_problem(inputs.validate()),
        file="fake.xlsx",
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["is not a valid Excel workbook", "save it again as .xlsx"],
    )


def test_encrypted_workbook_is_an_error_naming_it(inputs):
    inputs.activities_xlsx(activity())
    inputs.bytes("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert_problem(
        only_problem(inputs.validate()),
        file="secret.xlsx",
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["password-protected"],
    )


def test_binary_file_named_csv_is_an_error(inputs):
    inputs.activities_xlsx(activity())
    inputs.bytes("binary.csv", b"P\x00a\x00r\x00t\x00")
    assert_problem(
        only_problem(inputs.validate()),
        file="binary.csv",
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["not a text CSV file"],
    )


def test_damaged_workbook_is_an_error_naming_it(inputs):
    good = inputs.activities_xlsx(activity())
    inputs.bytes("damaged.xlsx", good.read_bytes()[:400])
    assert_problem(
        only_problem(inputs.validate()),
        file="damaged.xlsx",
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["is not a valid Excel workbook"],
    )


def test_folder_named_like_a_spreadsheet_is_an_error(inputs):
    inputs.activities_xlsx(activity())
    (inputs.folder / "tracker-copy.xlsx").mkdir()
    assert_problem(
        only_problem(inputs.validate()),
        file="tracker-copy.xlsx",
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["is a folder, not a spreadsheet"],
    )


def test_no_activities_sheet_anywhere_is_an_error(inputs):
    inputs.xlsx("notes.xlsx", {"Notes": [["Just some notes"], ["and more"]]})
    assert_problem(
        only_problem(inputs.validate()),
        file=str(inputs.folder),
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["no activities found", "Partner, Area, Activity, Period and Status"],
    )


# --- which sheets are tables ----------------------------------------------------------


def test_sheets_are_recognised_by_headers_not_names(inputs):
    inputs.xlsx(
        FILE,
        {
            "Read me": [["This workbook tracks the international strategy"]],
            "Q1 update": [ACTIVITY_HEADERS, activity(status="Purple")],
            "Activities": [["Nothing here yet"]],
        },
    )
    problem = only_problem(inputs.validate())
    assert_problem(
        problem, file=FILE, sheet="Q1 update", row=2, column="Status", value="Purple", words=["is not a status"]
    )
    reports = {s.name: s for s in inputs.load().sources[0].sheets}
    assert reports["Q1 update"].table == "activities"
    assert reports["Read me"].table is None and reports["Activities"].table is None
    assert "skipped: no header row" in reports["Activities"].note


def test_header_row_below_title_rows_keeps_excel_row_numbers(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [
                ["International strategy tracker"],
                ["Updated monthly by the team"],
                [],
                ACTIVITY_HEADERS,
                activity(),
                activity(activity="Second", status="Purple"),
            ]
        },
    )
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=6,
        column="Status",
        value="Purple",
        words=["is not a status"],
    )
    assert inputs.load().tables[0].header_row == 4


def test_table_away_from_the_top_left_corner_keeps_row_and_column(inputs):
    """Empty rows above and empty columns to the left: cells are still named as Excel shows them."""

    def move(book):
        sheet = book["Activities"]
        sheet.insert_rows(1, 3)
        sheet.insert_cols(1, 2)
        sheet["D6"] = "#N/A"  # Area (now column D) of the second data row (now row 6; the header is row 4)

    inputs.activities_xlsx(activity(), activity(activity="Second"), edit=move)
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=6,
        column="Area",
        value="#N/A",
        words=["Excel error #N/A"],
    )
    assert inputs.load().tables[0].header_row == 4


def test_header_found_on_row_15_but_not_on_row_16(inputs):
    titles = [[f"title line {n}"] for n in range(1, 15)]
    inputs.xlsx("at15.xlsx", {SHEET: [*titles, ACTIVITY_HEADERS, activity(status="Purple")]})
    assert_problem(
        only_problem(inputs.validate()),
        file="at15.xlsx",
        sheet=SHEET,
        row=16,
        column="Status",
        value="Purple",
        words=["is not a status"],
    )

    (inputs.folder / "at15.xlsx").unlink()
    inputs.xlsx("at16.xlsx", {SHEET: [*titles, ["one more title"], ACTIVITY_HEADERS, activity()]})
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=str(inputs.folder),
        sheet=None,
        row=None,
        column=None,
        value=None,
        words=["no activities found"],
    )
    assert "first 15 rows" in inputs.load().sources[0].sheets[0].note


# The optional columns the shared rows of conftest.py leave out, with a valid value each,
# so that a table with every column of the contract can be written.
EXTRA_ACTIVITY_VALUES = {"Decision needed": "Approve the revised plan", "Revised due date": "30/06/2026"}
EXTRA_METRIC_VALUES = {"Better when": "lower"}


def full_headers(table, headers: list[str], extra: dict[str, object]) -> list[str]:
    """Every column of ``table``, by its canonical heading; fails naming a column no test has a value for."""
    full = headers + list(extra)
    assert [h.lower() for h in full] == [c.name for c in table.columns], (
        "a column was added to schema.py: give it a value in EXTRA_ACTIVITY_VALUES or EXTRA_METRIC_VALUES"
    )
    return full


ALL_ACTIVITY_HEADERS = full_headers(ACTIVITIES, ACTIVITY_HEADERS, EXTRA_ACTIVITY_VALUES)
ALL_METRIC_HEADERS = full_headers(METRICS, METRIC_HEADERS, EXTRA_METRIC_VALUES)


def full_activity(**changes) -> list:
    """A valid row under ALL_ACTIVITY_HEADERS; keyword names are the headings in snake case."""
    extra = {k: changes.pop(k.lower().replace(" ", "_"), v) for k, v in EXTRA_ACTIVITY_VALUES.items()}
    return activity(**changes) + list(extra.values())


def full_metric(**changes) -> list:
    """A valid row under ALL_METRIC_HEADERS."""
    extra = {k: changes.pop(k.lower().replace(" ", "_"), v) for k, v in EXTRA_METRIC_VALUES.items()}
    return metric(**changes) + list(extra.values())


ACTIVITY_SPELLINGS = [(c.name, s) for c in ACTIVITIES.columns for s in (c.name, *c.aliases)]


@pytest.mark.parametrize("column, spelling", ACTIVITY_SPELLINGS)
def test_every_activities_heading_spelling_is_recognised(inputs, column, spelling):
    headers = [spelling if h.lower() == column else h for h in ALL_ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, full_activity()]})
    validated = inputs.validate()
    assert validated.problems == ()
    row = validated.activities.iloc[0]
    assert (row["decision"], row["revised_due_date"]) == ("Approve the revised plan", dt.date(2026, 6, 30))
    table = inputs.load().tables[0]
    assert table.headers[column] == spelling
    assert sorted(table.headers) == sorted(c.name for c in ACTIVITIES.columns)  # every column read, none twice


METRIC_SPELLINGS = [(c.name, s) for c in METRICS.columns for s in (c.name, *c.aliases)]


@pytest.mark.parametrize("column, spelling", METRIC_SPELLINGS)
def test_every_metrics_heading_spelling_is_recognised(inputs, column, spelling):
    headers = [spelling if h.lower() == column else h for h in ALL_METRIC_HEADERS]
    inputs.xlsx(FILE, {SHEET: [ACTIVITY_HEADERS, activity()], "KPIs": [headers, full_metric()]})
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.metrics["better_when"].tolist() == ["lower"]
    metrics_table = next(t for t in inputs.load().tables if t.table == "metrics")
    assert metrics_table.headers[column] == spelling
    assert sorted(metrics_table.headers) == sorted(c.name for c in METRICS.columns)


@pytest.mark.parametrize(
    "written, column",
    [
        ("  PARTNER  ", "partner"),
        ("Partner\u00a0Organisation", "partner"),
        ("Partner:", "partner"),
        ("RAG_Status", "status"),
        ("rag-status", "status"),
        ("Reporting  Period", "period"),
        ("Progress (%)", "progress"),
        ("% Complete", "progress"),
        ("Percent_Complete", "progress"),
        ("Due-Date", "due date"),
        ("Budget (£)", "budget"),
        ("Budget (GBP)", "budget"),
        ("Spend £", "spend"),
        ("Spend_to_date", "spend"),
        ("Lead Officer", "lead"),
        ("(Comments)", "commentary"),
        ("\u201cComments\u201d", "commentary"),
        ("Decision needed?", "decision needed"),
        ("Revised due-date", "revised due date"),
        ("REVISED  DEADLINE:", "revised due date"),
    ],
)
def test_header_matching_ignores_case_spaces_and_punctuation(inputs, written, column):
    headers = [written if h.lower() == column else h for h in ALL_ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, full_activity()]})
    assert inputs.validate().problems == ()
    assert inputs.load().tables[0].headers[column] == written.strip()


def test_template_header_aliases_are_accepted(inputs, template_with):
    headers = ["Traffic light" if h == "Status" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, activity()]})
    # The default template does not know the heading: the sheet lacks a status column, and
    # the column under the heading it does not know is named as not read.
    validated = inputs.validate()
    (error,) = validated.errors
    assert_problem(
        error, file=FILE, sheet=SHEET, row=1, column="status", value=None, words=["no status column", '"Status"']
    )
    (warning,) = validated.warnings
    assert_problem(
        warning,
        file=FILE,
        sheet=SHEET,
        row=1,
        column="Traffic light",
        value=None,
        letter="E",
        severity="warning",
        words=["is not read", "row 2"],
    )

    custom = template_with(
        'commentary = ["rag commentary"]', 'commentary = ["rag commentary"]\nstatus = ["traffic light"]'
    )
    custom_inputs = InputsFolder(inputs.folder, load_config(custom))
    assert custom_inputs.validate().problems == ()
    assert custom_inputs.load().tables[0].headers["status"] == "Traffic light"


def test_shipped_template_aliases_are_accepted(inputs):
    headers = ["Task" if h == "Activity" else "Partner body" if h == "Partner" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, activity()]})
    assert inputs.validate().problems == ()


@pytest.mark.parametrize("missing", ["Partner", "Area", "Activity", "Period", "Status"])
def test_sheet_missing_one_required_column_is_an_error_naming_it(inputs, missing):
    headers = ["Something else" if h == missing else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [["Tracker"], headers, activity()]})
    validated = inputs.validate()
    (error,) = validated.errors
    assert_problem(
        error,
        file=FILE,
        sheet=SHEET,
        row=2,
        column=missing.lower(),
        value=None,
        words=[f"has no {missing.lower()} column", f'"{missing}"'],
    )
    (warning,) = validated.warnings  # the values under "Something else" are not read either
    assert_problem(
        warning,
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Something else",
        value=None,
        severity="warning",
        letter="ABCDE"[ACTIVITY_HEADERS.index(missing)],
        words=["is not read", "row 3"],
    )


def test_sheet_with_too_few_activity_headers_is_skipped_with_a_note(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [ACTIVITY_HEADERS, activity()],
            "Contacts": [["Partner", "Period", "Email"], ["ESU", "2025-26 Q1", "a@b.eu"]],
        },
    )
    assert inputs.validate().problems == ()
    reports = {s.name: s for s in inputs.load().sources[0].sheets}
    assert reports["Contacts"].table is None
    assert reports["Contacts"].note.startswith("skipped: no header row")


# --- metrics ------------------------------------------------------------------------


def test_metrics_table_values_and_problems(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [ACTIVITY_HEADERS, activity()],
            "KPIs": [
                ["Key performance indicators"],
                ["Partner", "KPI", "Reporting period", "Target", "Value", "Unit"],
                ["ESU", "Students reached", "2025-26 Q1", 100, 80, None],
                ["esu", "Satisfaction", "Q1 25/26", "90%", "85%", "%"],
                ["CSA", "Funds raised", "2025/26 Q1", "£1,000", "£900", "£"],
                ["CSA", "Events", "2025-26 Q1", 4, "lots", "number"],
                ["CSA", "Weight", "2025-26 Q1", None, 3, "kg"],
                ["CSA", "Visits", "2025-26 Q1", None, None, None],
            ],
        },
    )
    validated = inputs.validate()
    assert len(validated.problems) == 3
    events, weight, visits = validated.problems
    assert_problem(events, file=FILE, sheet="KPIs", row=6, column="Value", value="lots", words=["is not a number"])
    assert_problem(weight, file=FILE, sheet="KPIs", row=7, column="Unit", value="kg", words=["is not a unit"])
    assert_problem(visits, file=FILE, sheet="KPIs", row=8, column="Value", value="", words=["is blank"])
    rows = validated.metrics[["partner", "metric", "period", "target", "actual", "unit", "row"]]
    assert rows.to_dict("records") == [
        {
            "partner": "European Students' Union",
            "metric": "Students reached",
            "period": Period(2025, 1),
            "target": 100.0,
            "actual": 80.0,
            "unit": "number",
            "row": 3,
        },
        {
            "partner": "European Students' Union",
            "metric": "Satisfaction",
            "period": Period(2025, 1),
            "target": 90.0,
            "actual": 85.0,
            "unit": "%",
            "row": 4,
        },
        {
            "partner": "Commonwealth Students' Association",
            "metric": "Funds raised",
            "period": Period(2025, 1),
            "target": 1000.0,
            "actual": 900.0,
            "unit": "£",
            "row": 5,
        },
    ]


def test_metric_repeated_in_one_period_is_merged_with_a_warning(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [ACTIVITY_HEADERS, activity()],
            "Metrics": [METRIC_HEADERS, metric(), metric(metric="students  REACHED")],
        },
    )
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet="Metrics",
        row=3,
        column=None,
        value="students REACHED",
        severity="warning",
        words=["repeats the same metric", "tracker.xlsx › Metrics › row 2", "merged"],
    )
    assert len(validated.metrics) == 1


# --- values: periods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2025-26 Q1", Period(2025, 1)),
        ("2025/26 Q1", Period(2025, 1)),
        ("Q1 2025-26", Period(2025, 1)),
        ("Q1 25/26", Period(2025, 1)),
        ("q3 2025/2026", Period(2025, 3)),
        ("2025-2026 Q4", Period(2025, 4)),
        ("  2025-26\u00a0 q2 ", Period(2025, 2)),
        ("15/11/2025", Period(2025, 2)),
        ("31/07/2026", Period(2025, 4)),
        ("01/08/2026", Period(2026, 1)),
        ("2025-10-31", Period(2025, 1)),
        (dt.datetime(2026, 2, 1), Period(2025, 3)),
        (dt.datetime(2026, 1, 31), Period(2025, 2)),
    ],
)
def test_period_spellings_and_dates(inputs, written, expected):
    inputs.activities_xlsx(activity(period=written))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "period"] == expected
    assert validated.as_at == expected


@pytest.mark.parametrize(
    "written, words",
    [
        ("Q5 2025-26", ["is not a reporting period", "2025-26 Q1"]),
        ("Spring", ["is not a reporting period"]),
        ("2025-27 Q1", ["do not follow each other", "2025-26"]),
    ],
)
def test_bad_period_is_an_error_in_its_cell(inputs, written, words):
    inputs.activities_xlsx(activity(period=written))
    assert_problem(
        only_problem(inputs.validate()), file=FILE, sheet=SHEET, row=2, column="Period", value=written, words=words
    )


# --- values: status -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Red", "Red"),
        ("R", "Red"),
        ("r", "Red"),
        ("Off track", "Red"),
        ("OFF TRACK", "Red"),
        ("Behind", "Red"),
        ("Amber", "Amber"),
        ("A", "Amber"),
        ("At risk", "Amber"),
        ("at Risk", "Amber"),
        ("Green", "Green"),
        ("G", "Green"),
        ("On track", "Green"),
        ("on track", "Green"),
        ("Complete", "Complete"),
        ("B", "Complete"),
        ("Blue", "Complete"),
        ("Done", "Complete"),
        ("Completed", "Complete"),
        ("COMPLETED", "Complete"),
        ("Not started", "Not started"),
        ("Grey", "Not started"),
        ("Gray", "Not started"),
        ("not STARTED", "Not started"),
    ],
)
def test_status_synonyms(inputs, written, expected):
    inputs.activities_xlsx(activity(status=written, commentary="Update"))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "status"] == expected


def test_unknown_status_is_an_error_listing_every_accepted_spelling_from_the_schema(inputs):
    inputs.activities_xlsx(activity(status="Purple"))
    problem = only_problem(inputs.validate())
    assert_problem(
        problem, file=FILE, sheet=SHEET, row=2, column="Status", value="Purple", letter="E", words=["is not a status"]
    )
    assert problem.message == (
        "is not a status; expected Red (or R, Off track, Behind), Amber (or A, At risk), Green (or G, On track), "
        "Complete (or C, Completed, Done, B, Blue) or Not started (or Grey, Gray), in any case"
    )
    # Each spelling the schema accepts is in the message, and nothing the schema does not know.
    from boardpack.schema import STATUS_SPELLINGS

    assert list(STATUS_SPELLINGS) == list(STATUSES)
    for status, spellings in STATUS_SPELLINGS.items():
        assert status in problem.message and all(s in problem.message for s in spellings)


def test_blank_required_cell_is_an_error(inputs):
    inputs.activities_xlsx(activity(status=None), activity(activity="Second", area="   "))
    validated = inputs.validate()
    assert len(validated.problems) == 2
    assert_problem(
        validated.problems[0],
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Status",
        value="",
        words=["is blank", "Red, Amber, Green, Complete or Not started"],
    )
    assert_problem(
        validated.problems[1],
        file=FILE,
        sheet=SHEET,
        row=3,
        column="Area",
        value="   ",
        words=["is blank", "strategic area"],
    )


# --- values: progress ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        (45, 45.0),
        (0, 0.0),
        (100, 100.0),
        (12.5, 12.5),
        ("45", 45.0),
        ("45%", 45.0),
        ("45 %", 45.0),
        (" 12.5% ", 12.5),
        (None, None),
    ],
)
def test_progress_from_numbers_and_text(inputs, written, expected):
    inputs.activities_xlsx(activity(progress=written))
    validated = inputs.validate()
    assert validated.problems == ()
    value = validated.activities.loc[0, "progress"]
    assert (value != value) if expected is None else value == expected


@pytest.mark.parametrize("stored, expected", [(0.45, 45.0), (0.07, 7.0), (1, 100.0), (0.125, 12.5), (0, 0.0)])
def test_progress_from_a_percent_formatted_cell(inputs, stored, expected):
    def percent(book):
        book["Activities"]["F2"].number_format = "0%"

    inputs.activities_xlsx(activity(progress=stored), edit=percent)
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "progress"] == expected  # exactly: no 7.000000000000001


@pytest.mark.parametrize(
    "written, shown, words",
    [
        (150, "150", ["outside 0-100"]),
        (-5, "-5", ["outside 0-100"]),
        ("150%", "150%", ["outside 0-100"]),
        ("lots", "lots", ["is not a percentage", "45%"]),
    ],
)
def test_progress_out_of_range_or_not_a_number_is_an_error(inputs, written, shown, words):
    inputs.activities_xlsx(activity(progress=written))
    assert_problem(
        only_problem(inputs.validate()), file=FILE, sheet=SHEET, row=2, column="Progress", value=shown, words=words
    )


def test_percent_formatted_cell_out_of_range_shows_the_value_as_excel_does(inputs):
    def percent(book):
        book["Activities"]["F2"].number_format = "0.0%"

    inputs.activities_xlsx(activity(progress=1.2), edit=percent)
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Progress",
        value="120%",
        words=["outside 0-100"],
    )


# --- values: dates and money ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("03/04/2026", dt.date(2026, 4, 3)),
        ("31/03/2026", dt.date(2026, 3, 31)),
        ("3/4/26", dt.date(2026, 4, 3)),
        ("03.04.2026", dt.date(2026, 4, 3)),
        ("2026-03-31", dt.date(2026, 3, 31)),
        (dt.datetime(2026, 3, 31), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 3), dt.date(2026, 4, 3)),
        (None, None),
    ],
)
def test_due_dates_uk_day_first_iso_and_real_excel_dates(inputs, written, expected):
    inputs.activities_xlsx(activity(due_date=written))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "due_date"] == expected


def test_due_date_number_in_the_excel_date_range_is_a_date_that_lost_its_format(inputs):
    inputs.activities_xlsx(activity(due_date=46112), activity(activity="Second", due_date=5))
    validated = inputs.validate()
    assert validated.activities.loc[0, "due_date"] == dt.date(2026, 3, 31)
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=3,
        column="Due date",
        value="5",
        words=["is a number, not a date"],
    )


@pytest.mark.parametrize(
    "written, words",
    [
        ("TBC", ["is not a date", "31/03/2026", "2026-03-31"]),
        ("31/02/2026", ["is not a real date"]),
        ("03/31/2026", ["is not a real date", "day first"]),
    ],
)
def test_bad_due_date_is_an_error(inputs, written, words):
    inputs.activities_xlsx(activity(due_date=written))
    assert_problem(
        only_problem(inputs.validate()), file=FILE, sheet=SHEET, row=2, column="Due date", value=written, words=words
    )


@pytest.mark.parametrize(
    "written, expected",
    [
        ("£1,200", 1200.0),
        ("1200.50", 1200.5),
        (1200, 1200.0),
        ("£ 1,200.50", 1200.5),
        ("1,234,567", 1234567.0),
        ("GBP 300", 300.0),
        (0, 0.0),
    ],
)
def test_money(inputs, written, expected):
    inputs.activities_xlsx(activity(budget=written, spend=written))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "budget"] == expected
    assert validated.activities.loc[0, "spend"] == expected


@pytest.mark.parametrize(
    "column, written, words",
    [
        ("Budget", "about a grand", ["is not an amount", "£1,200"]),
        ("Budget", "1,20", ["is not an amount"]),
        ("Spend", "-£5", ["is negative"]),
    ],
)
def test_bad_money_in_an_optional_column_is_an_error(inputs, column, written, words):
    inputs.activities_xlsx(activity(**{column.lower(): written}))
    assert_problem(
        only_problem(inputs.validate()), file=FILE, sheet=SHEET, row=2, column=column, value=written, words=words
    )


# --- values: decision needed, revised due date, better when ---------------------------------------


def test_new_columns_left_out_give_blank_decision_no_revised_date_and_higher_is_better(inputs):
    inputs.xlsx(FILE, {SHEET: [ACTIVITY_HEADERS, activity()], "Metrics": [METRIC_HEADERS, metric()]})
    validated = inputs.validate()
    assert validated.problems == ()
    assert list(validated.activities.columns) == list(ACTIVITY_FRAME_COLUMNS)
    assert list(validated.metrics.columns) == list(METRIC_FRAME_COLUMNS)
    row = validated.activities.iloc[0]
    assert (row["decision"], row["revised_due_date"]) == ("", None)
    assert validated.metrics.loc[0, "better_when"] == "higher"


def test_decision_needed_is_read_as_written(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [
                ALL_ACTIVITY_HEADERS,
                full_activity(decision_needed="  Approve closing the survey and returning its\u00a0 unspent budget "),
                full_activity(
                    activity="Second",
                    decision_needed="Agree the partner\u2019s \u201cfinal\u201d offer.\r\nOr close the activity",
                ),
                full_activity(activity="Third", decision_needed=None),
                full_activity(activity="Fourth", decision_needed=" \u00a0 "),
            ]
        },
    )
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities["decision"].tolist() == [
        "Approve closing the survey and returning its unspent budget",
        "Agree the partner\u2019s \u201cfinal\u201d offer.\nOr close the activity",  # quotes and line break kept
        "",
        "",
    ]


@pytest.mark.parametrize(
    "written, expected",
    [
        ("30/06/2026", dt.date(2026, 6, 30)),  # UK, day first
        ("3/4/26", dt.date(2026, 4, 3)),
        ("30.06.2026", dt.date(2026, 6, 30)),
        ("2026-06-30", dt.date(2026, 6, 30)),  # ISO
        (dt.datetime(2026, 6, 30), dt.date(2026, 6, 30)),  # a real Excel date
        (46203, dt.date(2026, 6, 30)),  # an Excel date that lost its format
        (None, None),
    ],
)
def test_revised_due_date_uk_iso_and_excel_dates(inputs, written, expected):
    inputs.xlsx(FILE, {SHEET: [ALL_ACTIVITY_HEADERS, full_activity(revised_due_date=written)]})
    validated = inputs.validate()
    assert validated.problems == ()
    row = validated.activities.iloc[0]
    assert row["revised_due_date"] == expected
    assert row["due_date"] == dt.date(2026, 3, 31)  # the original due date is kept beside it


@pytest.mark.parametrize(
    "heading, written, shown, message",
    [
        (
            "Revised due date",
            "TBC",
            "TBC",
            "is not a date; expected a date such as 31/03/2026 (day first), 31 Mar 2026 or 2026-03-31",
        ),
        (
            "New due date",
            "31/02/2026",
            "31/02/2026",
            "is not a real date; expected a date such as 31/03/2026 (day first), 31 Mar 2026 or 2026-03-31",
        ),
        (
            "Revised deadline",
            5,
            "5",
            "is a number, not a date; expected a date such as 31/03/2026 (day first), 31 Mar 2026 or 2026-03-31",
        ),
    ],
)
def test_bad_revised_due_date_is_an_error_in_its_cell(inputs, heading, written, shown, message):
    headers = [heading if h == "Revised due date" else h for h in ALL_ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, full_activity(), full_activity(activity="Second", revised_due_date=written)]})
    validated = inputs.validate()
    problem = only_problem(validated)
    assert_problem(problem, file=FILE, sheet=SHEET, row=3, column=heading, value=shown)
    assert problem.message == message
    assert validated.activities["activity"].tolist() == ["Bologna follow-up"]  # the bad row is left out


@pytest.mark.parametrize(
    "written, expected",
    [
        ("higher", "higher"),
        ("Lower", "lower"),
        ("LOWER", "lower"),
        (" low ", "lower"),
        ("down", "lower"),
        ("less", "lower"),
        ("High", "higher"),
        ("up", "higher"),
        ("more", "higher"),
        (None, "higher"),
        (" \u00a0", "higher"),
    ],
)
def test_better_when_spellings_and_higher_by_default(inputs, written, expected):
    inputs.xlsx(
        FILE, {SHEET: [ACTIVITY_HEADERS, activity()], "Metrics": [ALL_METRIC_HEADERS, full_metric(better_when=written)]}
    )
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.metrics.loc[0, "better_when"] == expected


@pytest.mark.parametrize(
    "heading, written, shown",
    [
        ("Better when", "sideways", "sideways"),
        ("Direction", "Higher is worse", "Higher is worse"),
        ("Direction", 1, "1"),
    ],
)
def test_bad_better_when_is_an_error_in_its_cell(inputs, heading, written, shown):
    headers = [heading if h == "Better when" else h for h in ALL_METRIC_HEADERS]
    inputs.xlsx(
        FILE,
        {
            SHEET: [ACTIVITY_HEADERS, activity()],
            "KPIs": [
                ["Key performance indicators"],
                headers,
                full_metric(metric="Event spend", unit="£", target=2000, actual=2400),
                full_metric(metric="Students reached", better_when=written),
            ],
        },
    )
    validated = inputs.validate()
    problem = only_problem(validated)
    assert_problem(problem, file=FILE, sheet="KPIs", row=4, column=heading, value=shown)
    assert problem.message == "is not a direction; expected higher or lower (which side of the target is good)"
    assert validated.metrics[["metric", "better_when"]].values.tolist() == [["Event spend", "lower"]]


# --- rows ----------------------------------------------------------------------------


def test_blank_rows_are_ignored_and_row_numbers_stay_as_excel_shows(inputs):
    whitespace_only = [None, "  ", None, "\u00a0", None, None, None, None, None, None, None]
    inputs.activities_xlsx(
        activity(activity="First"),
        [],
        whitespace_only,
        activity(activity="Bad", status="Purple"),
        [None] * 11,
        activity(activity="Last"),
    )
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=5,
        column="Status",
        value="Purple",
        words=["is not a status"],
    )
    assert validated.activities["row"].tolist() == [2, 7]  # the bad row is left out of the clean table


def test_text_only_in_an_unrecognised_column_is_not_an_activity_but_is_named(inputs):
    inputs.xlsx(
        FILE, {SHEET: [ACTIVITY_HEADERS + ["Private note"], activity(), [None] * 11 + ["remember to chase ESU"]]}
    )
    validated = inputs.validate()
    assert len(validated.activities) == 1
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=1,
        column="Private note",
        value=None,
        letter="L",
        severity="warning",
        words=["is not read", "1 value below it (row 3) is left out"],
    )


def test_excel_error_cell_is_a_problem_in_its_cell(inputs):
    def errors(book):
        sheet = book["Activities"]
        sheet["B2"] = "#N/A"
        sheet["J3"] = "#DIV/0!"
        assert sheet["B2"].data_type == "e" and sheet["J3"].data_type == "e"  # real error cells

    inputs.activities_xlsx(activity(), activity(activity="Second"), edit=errors)
    validated = inputs.validate()
    assert len(validated.problems) == 2
    assert_problem(
        validated.problems[0],
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Area",
        value="#N/A",
        words=["Excel error #N/A", "fix the formula"],
    )
    assert_problem(
        validated.problems[1],
        file=FILE,
        sheet=SHEET,
        row=3,
        column="Budget",
        value="#DIV/0!",
        words=["Excel error #DIV/0!"],
    )
    assert validated.activities.empty


def test_row_whose_only_content_is_an_excel_error_is_still_reported(inputs):
    def error_only_row(book):
        book["Activities"]["B3"] = "#N/A"

    inputs.activities_xlsx(activity(), edit=error_only_row)
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=3,
        column="Area",
        value="#N/A",
        words=["Excel error #N/A"],
    )


def test_formula_with_no_saved_value_is_a_problem_in_its_cell(inputs):
    def formula(book):
        book["Activities"]["F2"] = "=SUM(1,2)"  # openpyxl saves no calculated value

    inputs.activities_xlsx(activity(), edit=formula)
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Progress",
        value="=SUM(1,2)",
        words=["formula with no saved value", "open it in Excel"],
    )


def test_formula_whose_saved_value_is_empty_text_is_a_blank_cell(inputs):
    """Excel saves =IF(…,"",…) that gives "" as <c t="str"><f>…</f><v/></c>: a value, not a missing one."""

    def formulas(book):
        book["Activities"]["I2"] = '=IF(1,"","")'
        book["Activities"]["I3"] = '=IF(1,"","")'

    path = inputs.activities_xlsx(activity(), activity(activity="Second", status="Amber"), edit=formulas)
    for cell in ("I2", "I3"):
        patch_sheet_xml(
            path, 1, f'<c r="{cell}"><f>IF(1,"","")</f><v></v></c>', f'<c r="{cell}" t="str"><f>IF(1,"","")</f><v/></c>'
        )
    validated = inputs.validate()
    # Only the Amber row's missing commentary is reported, as for any blank commentary.
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=3,
        column="Commentary",
        value="",
        severity="warning",
        words=["Amber activity has no commentary"],
    )


# --- duplicates -------------------------------------------------------------------------


def test_identical_rows_for_one_period_are_merged_with_one_warning(inputs):
    inputs.activities_xlsx(activity(), activity())
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=3,
        column=None,
        value="Bologna follow-up",
        severity="warning",
        words=["repeats the same activity for 2025-26 Q1", "tracker.xlsx › Activities › row 2", "merged"],
    )
    assert validated.activities["row"].tolist() == [2]


def test_rows_differing_only_in_text_normalisation_are_identical(inputs):
    inputs.activities_xlsx(activity(), activity(activity=" BOLOGNA\u00a0 follow-up", partner="esu ", status="on track"))
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=3,
        column=None,
        value="BOLOGNA follow-up",
        severity="warning",
        words=["repeats the same activity", "row 2", "merged"],
    )
    assert len(validated.activities) == 1


def test_different_rows_for_one_period_are_one_error_naming_both_places(inputs):
    inputs.activities_xlsx(activity(), activity(activity="Other"), activity(status="Amber", commentary="Slipping"))
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=4,
        column=None,
        value="Bologna follow-up",
        words=[
            "the same activity for 2025-26 Q1",
            "tracker.xlsx › Activities › row 2",
            "different values",
            "keep one row per period",
        ],
    )


def test_duplicate_across_files_names_both_files(inputs):
    inputs.activities_xlsx(activity(), name="a.xlsx")
    inputs.csv("b.csv", [ACTIVITY_HEADERS, activity(progress=60)])
    assert_problem(
        only_problem(inputs.validate()),
        file="b.csv",
        sheet="b",
        row=2,
        column=None,
        value="Bologna follow-up",
        words=["a.xlsx › Activities › row 2", "different values"],
    )


def test_same_activity_in_two_periods_is_not_a_duplicate(inputs):
    inputs.activities_xlsx(activity(), activity(period="2025-26 Q2"))
    validated = inputs.validate()
    assert validated.problems == ()
    assert len(validated.activities) == 2


# --- text normalisation and the registry ---------------------------------------------------


def test_partner_area_and_status_match_after_normalising(inputs):
    inputs.activities_xlsx(
        activity(
            partner="European\u00a0Students\u2019  Union ", area="  EDUCATION   policy", status="\u00a0on\u00a0TRACK "
        ),
        activity(activity="Second", partner="esu brussels", area="sj", status="b"),
        activity(activity="Third", partner="ACUI (usa)", area="Global  citizenship", status="GREY"),
    )
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities[["partner", "area", "status"]].values.tolist() == [
        ["European Students' Union", "Education policy", "Green"],
        ["European Students' Union", "Social justice", "Complete"],
        ["Association of College Unions International", "International literacy", "Not started"],
    ]


def test_activity_identity_ignores_case_spaces_and_curly_quotes(inputs):
    inputs.activities_xlsx(
        activity(activity="Students' voice  at ESU"),
        activity(activity="students\u2019\u00a0VOICE at esu ", period="2025-26 Q2"),
    )
    validated = inputs.validate()
    assert validated.problems == ()
    first, second = validated.activities.to_dict("records")
    assert first["activity_key"] == second["activity_key"] == "students' voice at esu"
    assert first["activity"] == "Students' voice at ESU"  # shown tidied, case and quotes kept
    assert second["activity"] == "students\u2019 VOICE at esu"


def test_text_is_kept_as_written_but_matched_ignoring_quotes_and_case():
    assert (
        clean_text("  Mapping of international\u00a0 partners\u2019 priorities ")
        == "Mapping of international partners\u2019 priorities"
    )
    assert (
        match_key("Mapping of International Partners\u2019 \u201cPriorities\u201d")
        == match_key('mapping of international partners\' "priorities"')
        == 'mapping of international partners\' "priorities"'
    )
    assert header_key("\u201cLead\u2019s  name\u201d") == header_key("Lead's name") == "lead s name"


def test_an_activity_with_a_curly_quote_in_one_period_and_a_straight_one_in_another_is_one_activity(inputs):
    inputs.activities_xlsx(
        activity(activity="Mapping of international partners' priorities", period="2025-26 Q3"),
        activity(
            activity="Mapping of International Partners\u2019 priorities",
            period="2025-26 Q4",
            lead="Si\u00e2n O\u2019Brien",
            commentary="Draft shared with the partners\u2019 \u201cleads\u201d",
        ),
    )
    validated = inputs.validate()
    assert validated.problems == ()
    q3, q4 = validated.activities.to_dict("records")
    assert q3["activity_key"] == q4["activity_key"]
    assert validated.as_at == Period(2025, 4)
    # The as-at row prints as staff wrote it: the curly apostrophe and the capitals stay.
    assert (q4["activity"], q4["lead"], q4["commentary"]) == (
        "Mapping of International Partners\u2019 priorities",
        "Si\u00e2n O\u2019Brien",
        "Draft shared with the partners\u2019 \u201cleads\u201d",
    )
    assert q3["activity"] == "Mapping of international partners' priorities"


def test_rows_differing_only_in_quote_style_or_case_of_their_text_are_merged(inputs):
    inputs.activities_xlsx(
        activity(activity="Partners\u2019 priorities", lead="O\u2019Brien", commentary="Met the \u201cleads\u201d"),
        activity(activity="partners' PRIORITIES", lead="O'Brien", commentary='met the "leads"'),
    )
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=3,
        column=None,
        value="partners' PRIORITIES",
        severity="warning",
        words=["repeats the same activity", "merged"],
    )
    assert validated.activities.loc[0, "lead"] == "O\u2019Brien"  # the first copy, as written


def test_metric_names_are_kept_as_written_and_matched_ignoring_quotes(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [ACTIVITY_HEADERS, activity()],
            "Metrics": [
                METRIC_HEADERS,
                metric(metric="Members\u2019 satisfaction"),
                metric(metric="members' Satisfaction"),
            ],
        },
    )
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet="Metrics",
        row=3,
        column=None,
        value="members' Satisfaction",
        severity="warning",
        words=["repeats the same metric"],
    )
    assert validated.metrics["metric"].tolist() == ["Members\u2019 satisfaction"]


def test_registry_names_print_as_the_template_writes_them(inputs, template_with):
    custom = template_with('name = "European Students\' Union"', 'name = "European Students\u2019 Union"')
    curly = InputsFolder(inputs.folder, load_config(custom))
    assert curly.config.partners.names[0] == "European Students\u2019 Union"
    curly.activities_xlsx(
        activity(partner="european students' union"),
        activity(activity="Second", partner="ESU"),
        activity(activity="Third", partner="European Students\u2019 Union"),
    )
    validated = curly.validate()
    assert validated.problems == ()
    assert set(validated.activities["partner"]) == {"European Students\u2019 Union"}


def test_unknown_partner_suggests_the_closest_name(inputs):
    inputs.activities_xlsx(activity(partner="Europen Students Union"))
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Partner",
        value="Europen Students Union",
        words=[
            "is not a partner in the template",
            'did you mean "European Students\' Union"?',
            "[[partners]]",
            "board_report.toml",
        ],
    )


def test_unknown_partner_with_nothing_close_lists_the_partners(inputs):
    inputs.activities_xlsx(activity(partner="Zebra Trust"))
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Partner",
        value="Zebra Trust",
        words=["is not a partner", "use one of European Students' Union, Commonwealth Students'"],
    )


def test_unknown_area_suggests_the_closest_name(inputs):
    inputs.activities_xlsx(activity(area="Sustainabilty"))
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Area",
        value="Sustainabilty",
        words=["is not an area in the template", 'did you mean "Sustainability"?', "[[areas]]"],
    )


# --- commentary ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["Red", "Amber", "At risk", "R"])
def test_red_or_amber_without_commentary_is_a_warning(inputs, status):
    inputs.activities_xlsx(activity(status=status, commentary=None))
    validated = inputs.validate()
    canonical = "Red" if status in ("Red", "R") else "Amber"
    assert_problem(
        only_problem(validated),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Commentary",
        value="",
        severity="warning",
        words=[f"{canonical} activity has no commentary"],
    )
    assert validated.errors == ()
    assert len(validated.activities) == 1  # a warning keeps the row


def test_whitespace_commentary_counts_as_none_under_its_own_heading(inputs):
    headers = ["Progress update" if h == "Commentary" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, activity(status="Red", commentary=" \u00a0 ")]})
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Progress update",
        value="",
        severity="warning",
        words=["Red activity has no commentary"],
    )


def test_green_complete_and_not_started_need_no_commentary(inputs):
    inputs.activities_xlsx(
        *(activity(activity=s, status=s, commentary=None) for s in ("Green", "Complete", "Not started"))
    )
    assert inputs.validate().problems == ()


def test_commentary_keeps_line_breaks(inputs):
    inputs.activities_xlsx(activity(commentary="  Met the partner.\r\n\u00a0Next:  sign \u201cMoU\u201d  "))
    assert inputs.validate().activities.loc[0, "commentary"] == "Met the partner.\nNext: sign \u201cMoU\u201d"


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(inputs, encoding):
    inputs.csv(
        "tracker.csv",
        [
            ACTIVITY_HEADERS,
            activity(partner="European Students\u2019 Union", budget="£1,200", lead="Zoë Müller"),
            activity(activity="Bad", status="Purple"),
        ],
        encoding=encoding,
    )
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file="tracker.csv",
        sheet="tracker",
        row=3,
        column="Status",
        value="Purple",
        words=["is not a status"],
    )
    row = validated.activities.iloc[0]
    assert (row["partner"], row["budget"], row["lead"]) == ("European Students' Union", 1200.0, "Zoë Müller")


def test_csv_welsh_text_in_utf8(inputs):
    inputs.csv("cymru.csv", [ACTIVITY_HEADERS, activity(lead="Swyddog Rhyngwladol ŵ ŷ")], encoding="utf-8-sig")
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "lead"] == "Swyddog Rhyngwladol ŵ ŷ"


def test_csv_semicolon_delimited(inputs):
    inputs.csv(
        "tracker.csv",
        [
            ["International tracker"],
            ACTIVITY_HEADERS,
            activity(budget="£1,200", spend="1,000.50"),
            activity(activity="Second", progress="lots"),
        ],
        delimiter=";",
    )
    validated = inputs.validate()
    assert_problem(
        only_problem(validated),
        file="tracker.csv",
        sheet="tracker",
        row=4,
        column="Progress",
        value="lots",
        words=["is not a percentage"],
    )
    assert validated.activities.loc[0, "budget"] == 1200.0
    assert validated.activities.loc[0, "spend"] == 1000.5


def test_csv_quoted_line_break_is_one_row(inputs):
    path = inputs.csv(
        "tracker.csv",
        [
            ACTIVITY_HEADERS,
            activity(activity="First", commentary="Line one\nLine two"),
            [],
            activity(activity="Second", status="Purple"),
        ],
    )
    assert path.read_bytes().count(b"\n") == 5  # four records, one of them on two lines
    validated = inputs.validate()
    # Header is row 1, the two-line record row 2, the empty record row 3, so the bad row is row 4.
    assert_problem(
        only_problem(validated),
        file="tracker.csv",
        sheet="tracker",
        row=4,
        column="Status",
        value="Purple",
        words=["is not a status"],
    )
    assert validated.activities.loc[0, "commentary"] == "Line one\nLine two"


def test_csv_error_text_is_an_excel_error(inputs):
    inputs.csv("tracker.csv", [ACTIVITY_HEADERS, activity(area="#N/A")])
    assert_problem(
        only_problem(inputs.validate()),
        file="tracker.csv",
        sheet="tracker",
        row=2,
        column="Area",
        value="#N/A",
        words=["Excel error #N/A"],
    )


# --- the as-at period and --strict ------------------------------------------------------------


def _three_quarters(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [
                ACTIVITY_HEADERS,
                activity(),
                activity(period="2025-26 Q2"),
                activity(period="2025-26 Q3", activity="Later only"),
            ],
            "Metrics": [METRIC_HEADERS, metric(), metric(period="Q3 25/26")],
        },
    )


def test_as_at_is_the_latest_period_by_default(inputs):
    _three_quarters(inputs)
    validated = inputs.validate()
    assert validated.as_at == Period(2025, 3)
    assert validated.periods == (Period(2025, 1), Period(2025, 2), Period(2025, 3))
    assert validated.notes == ()


@pytest.mark.parametrize("asked", ["2025-26 Q2", "Q2 25/26", Period(2025, 2)])
def test_period_option_picks_the_as_at_period_and_leaves_later_rows_out(inputs, asked):
    _three_quarters(inputs)
    validated = inputs.validate(period=asked)
    assert validated.problems == ()
    assert validated.as_at == Period(2025, 2)
    assert validated.periods == (Period(2025, 1), Period(2025, 2))
    assert validated.activities["row"].tolist() == [2, 3]
    assert validated.metrics["row"].tolist() == [2]
    assert validated.notes == (
        "1 activity rows and 1 metric rows after 2025-26 Q2 were left out (the report is as at 2025-26 Q2)",
    )


@pytest.mark.parametrize(
    "asked, words",
    [
        ("2030-31 Q1", ["no activities in 2030-31 Q1", "2025-26 Q1, 2025-26 Q2, 2025-26 Q3"]),
        ("next quarter", ["is not a reporting period"]),
    ],
)
def test_period_option_not_in_the_data_is_a_period_error(inputs, asked, words):
    _three_quarters(inputs)
    with pytest.raises(PeriodError) as caught:
        inputs.validate(period=asked)
    for word in words:
        assert word in str(caught.value)


def test_strict_turns_warnings_into_errors(inputs):
    inputs.activities_xlsx(activity(status="Red", commentary=None))
    relaxed = inputs.validate()
    assert [p.severity for p in relaxed.problems] == ["warning"] and relaxed.errors == ()
    strict = inputs.validate(strict=True)
    assert_problem(
        only_problem(strict),
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Commentary",
        value="",
        severity="error",
        words=["Red activity has no commentary"],
    )
    assert strict.warnings == ()


# --- all mistakes at once -----------------------------------------------------------------------


def test_five_different_mistakes_give_exactly_five_problems_each_in_its_cell(inputs):
    def error_cell(book):
        book["Activities"]["K6"] = "#REF!"

    inputs.activities_xlsx(
        activity(activity="One", partner="Zebra Trust"),
        activity(activity="Two", status="Purple"),
        activity(activity="Three", progress=150),
        activity(activity="Four", due_date="TBC"),
        activity(activity="Five"),
        activity(activity="Six", status="Red", commentary="Chasing the partner"),
        edit=error_cell,
    )
    validated = inputs.validate()
    assert [(p.file, p.sheet, p.row, p.column, p.value, p.severity) for p in validated.problems] == [
        (FILE, SHEET, 2, "Partner", "Zebra Trust", "error"),
        (FILE, SHEET, 3, "Status", "Purple", "error"),
        (FILE, SHEET, 4, "Progress", "150", "error"),
        (FILE, SHEET, 5, "Due date", "TBC", "error"),
        (FILE, SHEET, 6, "Spend", "#REF!", "error"),
    ]
    assert validated.activities["activity"].tolist() == ["Six"]


def test_validation_does_not_change_the_loaded_tables(inputs, config):
    from boardpack.validate import validate_tables

    inputs.activities_xlsx(activity(), activity(activity="Two", status="Purple"), activity())
    loaded = inputs.load()
    before = loaded.tables[0].frame.copy()
    validate_tables(loaded, config)
    assert loaded.tables[0].frame.equals(before)


# --- property: text survives loading ---------------------------------------------------------

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cc", "Cs", "Cn")), st.sampled_from(" \u00a0\u2019\u201c\u201d'\"£%")
    ),
    max_size=60,
)


def _writable(text: str) -> bool:
    """Text openpyxl stores as a plain string cell, as Excel would.

    openpyxl turns "=…" into a formula and "#N/A" into an error (as typing them in
    Excel does), and does not escape a literal "_x0041_" the way Excel does.
    """
    return not text.startswith("=") and text.strip() not in EXCEL_ERRORS and not re.search(r"_x[0-9A-Fa-f]{4}_", text)


@pytest.mark.slow
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lead=_TEXT.filter(_writable), commentary=st.lists(_TEXT, min_size=1, max_size=3).map("\n".join).filter(_writable)
)
def test_any_text_in_lead_and_commentary_survives_loading(inputs, lead, commentary):
    inputs.activities_xlsx(activity(lead=lead, commentary=commentary))
    validated = inputs.validate()
    assert validated.errors == ()
    row = validated.activities.iloc[0]
    assert row["lead"] == clean_text(lead)
    # Commentary keeps its line breaks; each line is cleaned like any other text.
    assert row["commentary"] == "\n".join(clean_text(line) for line in commentary.split("\n")).strip()


# --- docs/inputs.md stays in step with the contract ---------------------------------------------


def test_staff_docs_list_every_heading_status_and_registry_spelling(config):
    from pathlib import Path

    from boardpack.schema import DIRECTIONS, STATUS_SYNONYMS

    docs = (Path(__file__).resolve().parent.parent / "docs" / "inputs.md").read_text(encoding="utf-8").casefold()
    spellings = [s for table in (ACTIVITIES, METRICS) for c in table.columns for s in (c.name, *c.aliases)]
    spellings += [s for spellings_ in config.header_aliases.values() for s in spellings_]
    spellings += list(STATUS_SYNONYMS)
    spellings += [f"`{s}`" for s in DIRECTIONS]  # each "better when" spelling, as typed
    for registry in (config.partners, config.areas):
        spellings += [s for e in registry.entries for s in (e.name, e.short_name, *e.aliases)]
    missing = sorted({s for s in spellings if s.casefold() not in docs})
    assert missing == []
