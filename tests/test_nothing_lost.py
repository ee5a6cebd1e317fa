"""No number lost without a word (issue 11): every value staff typed is read, or its cell is named.

Each test writes the spreadsheet the way staff really write one (a colleague's
headings, real merged cells through openpyxl, a totals row, fractions typed into
a progress column) and checks either the values read or every field of the
warning. The property test at the end builds random workbooks from the contract.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import (
    ACTIVITY_HEADERS,
    InputsFolder,
    activity,
    assert_clean,
    assert_problem,
    only_problem,
    patch_sheet_xml,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boardpack.messages import format_problems
from boardpack.model import Problem
from boardpack.schema import ACTIVITIES, STATUS_SPELLINGS, TABLES, TOTAL_LABELS, header_lookup
from boardpack.text import header_key
from generate_report import cli

FILE, SHEET = "tracker.xlsx", "Activities"
NOT_READ = "rename the heading to one listed in docs/inputs.md, or add it under [header_aliases] in the template"


def rows_of(*activities: str, **values) -> list[list]:
    return [activity(activity=name, **values) for name in activities]


# --- 1. columns not read are reported ------------------------------------------------------


def test_a_colleagues_percent_done_heading_is_read_as_progress(inputs):
    """The issue's first file: progress headed "% done" was ignored and four activities showed no progress."""
    headers = ["% done" if h == "Progress" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(
        FILE,
        {
            SHEET: [
                headers,
                activity(activity="A", progress=35),
                activity(activity="B", progress=60),
                activity(activity="C", progress=80),
                activity(activity="D", progress=100),
            ]
        },
    )
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities["progress"].tolist() == [35.0, 60.0, 80.0, 100.0]


@pytest.mark.parametrize(
    "column, heading",
    [
        ("progress", "% done"),
        ("progress", "Percent done"),
        ("status", "RAG rating"),
        ("lead", "Owner"),
        ("due date", "Due by"),
        ("due date", "Date due"),
        ("commentary", "Notes"),
        ("commentary", "Latest update"),
        ("spend", "Spent"),
        ("spend", "Expenditure"),
        ("budget", "Allocated budget"),
        ("lead", "Lead person"),
        ("activity", "Activity name"),
    ],
)
def test_common_spellings_staff_use_are_default_aliases(inputs, column, heading):
    assert heading.lower() in ACTIVITIES.column(column).aliases
    headers = [heading if h.lower() == column else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, activity()]})
    assert inputs.validate().problems == ()
    assert inputs.load().tables[0].headers[column] == heading


def test_no_heading_spelling_names_two_columns_of_one_table():
    for table in TABLES:
        seen: dict[str, str] = {}
        for column in table.columns:
            for spelling in (column.name, *column.aliases):
                assert seen.setdefault(header_key(spelling), column.name) == column.name, (table.name, spelling)


def test_a_heading_close_to_an_alias_with_values_below_is_a_warning_asking_did_you_mean(inputs):
    headers = ["Progres" if h == "Progress" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, *rows_of("A", "B", "C", "D", progress=50)]})
    validated = inputs.validate()
    problem = only_problem(validated)
    assert_problem(problem, file=FILE, sheet=SHEET, row=1, column="Progres", value=None, letter="F", severity="warning")
    assert problem.message == (
        "is not read: the heading matches no column, so 4 values below it (rows 2-5) are "
        f'left out; did you mean "Progress"? {NOT_READ}'
    )
    assert problem.location == 'tracker.xlsx › Activities › row 1 › column F, "Progres"'
    assert validated.activities["progress"].isna().all()  # not guessed: named instead


def test_an_unknown_heading_holding_a_known_word_suggests_that_column(inputs):
    headers = ["Progress to date" if h == "Progress" else h for h in ACTIVITY_HEADERS]
    inputs.xlsx(FILE, {SHEET: [headers, activity(progress=50)]})
    assert 'did you mean "Progress"?' in only_problem(inputs.validate()).message


def test_an_unknown_heading_with_nothing_close_names_its_column_without_a_guess(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [
                ACTIVITY_HEADERS + ["Risk"],
                activity() + ["High"],
                [],
                activity(activity="B") + ["Low"],
                activity(activity="C") + ["Low"],
            ]
        },
    )
    problem = only_problem(inputs.validate())
    assert_problem(problem, file=FILE, sheet=SHEET, row=1, column="Risk", value=None, letter="L", severity="warning")
    assert problem.message == (
        f"is not read: the heading matches no column, so 3 values below it (rows 2 and 4-5) are left out; {NOT_READ}"
    )


def test_an_unknown_heading_with_nothing_below_it_says_nothing(inputs):
    inputs.xlsx(FILE, {SHEET: [ACTIVITY_HEADERS + ["Risk"], activity()]})
    assert inputs.validate().problems == ()


def test_a_second_column_for_the_same_thing_is_named_beside_the_first(inputs):
    inputs.xlsx(FILE, {SHEET: [ACTIVITY_HEADERS + ["Comments"], activity() + ["Said twice"]]})
    validated = inputs.validate()
    problem = only_problem(validated)
    assert_problem(
        problem, file=FILE, sheet=SHEET, row=1, column="Comments", value=None, letter="L", severity="warning"
    )
    assert problem.message == (
        'is not read: column I, "Commentary" is already the commentary column, so 1 value '
        "below this heading (row 2) is left out; keep one of the two columns, or rename "
        "this one"
    )
    assert validated.activities["commentary"].tolist() == ["On course"]


def test_values_under_no_heading_are_named_by_their_column_letter(inputs):
    inputs.xlsx(FILE, {SHEET: [ACTIVITY_HEADERS, activity() + [None, 1200], activity(activity="B")]})
    problem = only_problem(inputs.validate())
    assert_problem(problem, file=FILE, sheet=SHEET, row=1, column=None, value=None, letter="M", severity="warning")
    assert problem.message == (
        "has 1 value (row 2) but no heading, so it is not read; give the column a heading "
        "from docs/inputs.md, or move the values out of the table"
    )
    assert problem.location == "tracker.xlsx › Activities › row 1 › column M"


def test_unread_columns_of_a_metrics_sheet_are_named_too(inputs):
    inputs.xlsx(
        FILE,
        {
            SHEET: [ACTIVITY_HEADERS, activity()],
            "KPIs": [
                ["Partner", "Metric", "Period", "Actual", "Baseline"],
                ["ESU", "Students reached", "2025-26 Q1", 80, 60],
            ],
        },
    )
    assert_problem(
        only_problem(inputs.validate()),
        file=FILE,
        sheet="KPIs",
        row=1,
        column="Baseline",
        value=None,
        letter="E",
        severity="warning",
        words=["1 value below it (row 2) is left out"],
    )


# --- 2. two-row headings ------------------------------------------------------------------------

FINANCE_ROWS = [
    activity(activity=name, budget=1000, spend=spend) for name, spend in (("A", 250), ("B", 0), ("C", 1000), ("D", 400))
]


def _merged_finance(book, vertical: bool = True):
    sheet = book[SHEET]
    sheet.merge_cells("J1:K1")
    if vertical:  # each single heading spans both heading rows, as staff lay it out
        for letter in "ABCDEFGHI":
            sheet.merge_cells(f"{letter}1:{letter}2")


@pytest.mark.parametrize("vertical", [True, False], ids=["headings-merged-down", "headings-on-top-row"])
def test_a_group_heading_merged_over_budget_and_spend_is_one_heading_row(inputs, vertical):
    """The issue's second file: "Finance (£)" merged over Budget and Spend; £4,000 of budget went missing."""
    top = ACTIVITY_HEADERS[:9] + ["Finance (£)", None]
    sub = [None] * 9 + ["Budget", "Spend"]
    path = inputs.xlsx(FILE, {SHEET: [top, sub, *FINANCE_ROWS]}, edit=lambda b: _merged_finance(b, vertical))

    from openpyxl import load_workbook

    assert [str(r) for r in load_workbook(path)[SHEET].merged_cells.ranges][0] == "J1:K1"  # a real merge
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities["budget"].sum() == 4000
    assert validated.activities["spend"].tolist() == [250.0, 0.0, 1000.0, 400.0]
    assert validated.activities["row"].tolist() == [3, 4, 5, 6]
    table = inputs.load().tables[0]
    assert (table.header_row, table.headers["budget"], table.letters["spend"]) == (2, "Budget", "K")
    assert inputs.load().sources[0].sheets[0].note == "activities: 4 rows, header on rows 1 and 2"


def test_a_blank_sub_heading_is_named_by_the_group_heading_above_it(inputs):
    top = ACTIVITY_HEADERS[:9] + ["Finance (£)", None]
    sub = [None] * 9 + ["Budget", None]
    inputs.xlsx(FILE, {SHEET: [top, sub, *FINANCE_ROWS]}, edit=_merged_finance)
    validated = inputs.validate()
    assert validated.activities["budget"].sum() == 4000
    problem = only_problem(validated)  # the spend under no sub-heading is not guessed
    assert_problem(
        problem,
        file=FILE,
        sheet=SHEET,
        row=2,
        column="Finance (£)",
        value=None,
        letter="K",
        severity="warning",
        words=["4 values below it (rows 3-6) are left out"],
    )


def test_a_two_row_heading_without_merges_is_read_too(inputs):
    """As a CSV saved from such a sheet has it: the group heading in one cell, sub-headings below."""
    top = ACTIVITY_HEADERS[:9] + ["Finance (£)", None]
    sub = [None] * 9 + ["Budget", "Spend"]
    inputs.csv("tracker.csv", [top, sub, *FINANCE_ROWS])
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities["budget"].sum() == 4000
    assert validated.activities["row"].tolist() == [3, 4, 5, 6]


def test_a_title_merged_across_the_top_is_not_a_group_heading(inputs):
    def title(book):
        book[SHEET].merge_cells("A1:K1")

    inputs.xlsx(FILE, {SHEET: [["International strategy tracker"], ACTIVITY_HEADERS, activity()]}, edit=title)
    validated = inputs.validate()
    assert validated.problems == ()
    assert inputs.load().tables[0].header_row == 2


def test_merges_that_overlap_as_excel_never_writes_them_are_not_trusted(inputs):
    path = inputs.xlsx(FILE, {SHEET: [ACTIVITY_HEADERS, activity(), [None] * 10 + ["Spend"]]})
    # A1:K1, A1:K2, … A1:K15, each covering the ones before (openpyxl would clear the cells, so in the XML).
    merges = "".join(f'<mergeCell ref="A1:K{bottom}"/>' for bottom in range(1, 16))
    patch_sheet_xml(path, 1, "</sheetData>", f'</sheetData><mergeCells count="15">{merges}</mergeCells>')
    from python_calamine import CalamineWorkbook

    assert len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).merged_cell_ranges) == 15
    validated = inputs.validate()
    assert len(validated.activities) == 1  # read with its one-row heading, as if there were no merges
    assert inputs.load().tables[0].header_row == 1

    from boardpack.load.header import _heading_views

    rows = [["Partner", "", ""], ["", "", ""]]
    overlapping = tuple(((0, 0), (bottom, 2)) for bottom in (0, 1, 1))  # 3 + 6 + 6 cells claimed of 6
    assert _heading_views(rows, overlapping) == (rows, ())  # not used: the fill stops at once
    honest = (((0, 0), (1, 0)),)
    assert _heading_views(rows, honest) == ([["Partner", "", ""], ["Partner", "", ""]], honest)


# --- 3. progress as fractions -------------------------------------------------------------------


def test_a_progress_column_of_fractions_is_read_as_percentages_with_one_note(inputs):
    inputs.activities_xlsx(
        *[
            activity(activity=name, progress=value)
            for name, value in (("A", 0.35), ("B", 0.5), ("C", 1), ("D", 0), ("E", None))
        ]
    )
    validated = inputs.validate()
    assert validated.problems == ()
    values = validated.activities["progress"].tolist()
    assert values[:4] == [35.0, 50.0, 100.0, 0.0] and math.isnan(values[4])
    assert validated.notes == (
        'tracker.xlsx › Activities › column F, "Progress": every number is between 0 and 1, '
        "so each is read as a fraction (0.35 as 35%)",
    )


def test_fractions_typed_in_a_csv_are_read_as_percentages(inputs):
    inputs.csv("tracker.csv", [ACTIVITY_HEADERS, activity(progress="0.45"), activity(activity="B", progress="0.7")])
    validated = inputs.validate()
    assert validated.activities["progress"].tolist() == [45.0, 70.0]
    assert len(validated.notes) == 1


def test_a_low_value_in_a_column_of_percentages_is_a_warning_and_kept_as_typed(inputs):
    """The issue's third file: 0.45 among 20-100 was printed as "0.5%" without a word."""
    inputs.activities_xlsx(
        *[
            activity(activity=name, progress=value)
            for name, value in (("A", 20), ("B", 0.45), ("C", 100), ("D", 0), ("E", "1%"))
        ]
    )
    validated = inputs.validate()
    problem = only_problem(validated)
    assert_problem(
        problem,
        file=FILE,
        sheet=SHEET,
        row=3,
        column="Progress",
        value="0.45",
        letter="F",
        severity="warning",
        words=[],
    )
    assert problem.message == (
        "did you mean 45%? It is read as 0.45%, because the column's other numbers are "
        "percentages; type 45 for 45%, or 0.45% if 0.45% is right"
    )
    assert validated.activities["progress"].tolist() == [20.0, 0.45, 100.0, 0.0, 1.0]
    assert validated.notes == ()


def test_a_column_of_only_zeros_and_ones_is_not_guessed(inputs):
    inputs.activities_xlsx(activity(progress=0), activity(activity="B", progress=1))
    problem = only_problem(inputs.validate())
    assert_problem(problem, file=FILE, sheet=SHEET, row=3, column="Progress", value="1", letter="F", severity="warning")
    assert problem.message.startswith(
        "did you mean 100%? It is read as 1%, because every number in the column is 0 or 1"
    )


def test_percent_formatted_cells_are_never_taken_for_fractions(inputs):
    def percent(book):
        for row in (2, 3):
            book[SHEET][f"F{row}"].number_format = "0%"

    inputs.activities_xlsx(activity(progress=0.45), activity(activity="B", progress=0.9), edit=percent)
    validated = inputs.validate()
    assert validated.problems == () and validated.notes == ()
    assert validated.activities["progress"].tolist() == [45.0, 90.0]


# --- 4. totals rows -------------------------------------------------------------------------------

TOTALS_WORDS = "looks like a totals row; boardpack adds up for you, so the row is not read"


@pytest.mark.parametrize("label", ["Total", "TOTALS", "Grand total", "sum", "Total:"])
def test_a_totals_row_is_skipped_with_one_warning_not_five_errors(inputs, label):
    total = [None, None, label, None, None, None, None, None, None, 4000, 1650]
    inputs.activities_xlsx(*FINANCE_ROWS, total)
    validated = inputs.validate()
    problem = only_problem(validated)
    assert_problem(
        problem, file=FILE, sheet=SHEET, row=6, column="Activity", value=label, letter="C", severity="warning"
    )
    assert problem.message == TOTALS_WORDS
    assert len(validated.activities) == 4 and validated.activities["budget"].sum() == 4000


def test_a_totals_row_that_does_not_add_up_says_so(inputs):
    total = ["Total", None, None, None, None, None, None, None, None, "£4,500", 1650]
    inputs.activities_xlsx(*FINANCE_ROWS, total)
    problem = only_problem(inputs.validate())
    assert_problem(
        problem, file=FILE, sheet=SHEET, row=6, column="Partner", value="Total", letter="A", severity="warning"
    )
    assert problem.message == (
        f"{TOTALS_WORDS}; its Budget (£4,500) is not the sum of the 4 rows read above it (£4,000)"
    )


def test_sub_totals_and_a_grand_total_are_each_checked(inputs):
    def total(label, budget):
        return [None, None, label, None, None, None, None, None, None, budget, None]

    inputs.activities_xlsx(
        *FINANCE_ROWS[:2],
        total("Subtotal", 2000),
        *FINANCE_ROWS[2:],
        total("Subtotal", 2000),
        total("Grand total", 4000),
    )
    validated = inputs.validate()
    assert [(p.row, p.message) for p in validated.problems] == [(4, TOTALS_WORDS), (7, TOTALS_WORDS), (8, TOTALS_WORDS)]
    assert validated.activities["budget"].sum() == 4000


def test_a_totals_row_of_formulas_excel_saved_is_checked_and_one_never_calculated_is_named(inputs):
    def sums(book):
        sheet = book[SHEET]
        sheet["C6"] = "Total"
        sheet["J6"] = "=SUM(J2:J5)"
        sheet["K6"] = "=SUM(K2:K5)"

    path = inputs.activities_xlsx(*FINANCE_ROWS, edit=sums)
    fresh = inputs.validate()
    assert_problem(
        only_problem(fresh),
        file=FILE,
        sheet=SHEET,
        row=6,
        column="Activity",
        value="Total",
        letter="C",
        severity="warning",
    )
    assert only_problem(fresh).message == (
        f"{TOTALS_WORDS}; its formulas have no saved value, so its figures could not be checked"
    )
    # As Excel saves it: each formula with its value.
    patch_sheet_xml(path, 1, '<c r="J6"><f>SUM(J2:J5)</f><v></v></c>', '<c r="J6"><f>SUM(J2:J5)</f><v>4000</v></c>')
    patch_sheet_xml(path, 1, '<c r="K6"><f>SUM(K2:K5)</f><v></v></c>', '<c r="K6"><f>SUM(K2:K5)</f><v>1600</v></c>')
    saved = inputs.validate()
    assert only_problem(saved).message == (
        f"{TOTALS_WORDS}; its Spend (£1,600) is not the sum of the 4 rows read above it (£1,650)"
    )


def test_a_totals_row_in_a_csv_with_pound_signs_is_a_totals_row(inputs):
    inputs.csv(
        "tracker.csv",
        [ACTIVITY_HEADERS, *FINANCE_ROWS, ["", "", "Total", "", "", "", "", "", "", "£4,000", "£1,650.00"]],
    )
    problem = only_problem(inputs.validate())
    assert_problem(
        problem,
        file="tracker.csv",
        sheet="tracker",
        row=6,
        column="Activity",
        value="Total",
        letter="C",
        severity="warning",
        words=[TOTALS_WORDS],
    )


def test_an_activity_called_total_is_an_activity(inputs):
    inputs.activities_xlsx(activity(activity="Total", budget=100))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities["activity"].tolist() == ["Total"]


def test_a_total_label_beside_no_numbers_is_an_ordinary_row_with_its_blanks_named(inputs):
    inputs.activities_xlsx(activity(), [None, None, "Total"] + [None] * 8)
    assert {p.column for p in inputs.validate().errors} == {"Partner", "Area", "Period", "Status"}


# --- 5. dates and statuses as staff type them -----------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("1st Oct 2026", dt.date(2026, 10, 1)),
        ("01-Oct-26", dt.date(2026, 10, 1)),
        ("1 October 2026", dt.date(2026, 10, 1)),
        ("2nd of March 2026", dt.date(2026, 3, 2)),
        ("23rd Sept 2026", dt.date(2026, 9, 23)),
        ("31 DEC 2026", dt.date(2026, 12, 31)),
        ("4th July, 2026", dt.date(2026, 7, 4)),
        ("03/04/2026", dt.date(2026, 4, 3)),
    ],
)
def test_dates_with_ordinals_and_month_names_are_day_first(inputs, written, expected):
    inputs.activities_xlsx(activity(due_date=written))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "due_date"] == expected


@pytest.mark.parametrize(
    "written, message",
    [
        ("31st Feb 2026", "is not a real date"),
        ("Oct 1 2026", "is not a date"),  # month first: not read
        ("1st Octember 2026", "is not a date"),
    ],
)
def test_dates_that_are_not_day_first_or_not_real_are_errors(inputs, written, message):
    inputs.activities_xlsx(activity(due_date=written))
    problem = only_problem(inputs.validate())
    assert_problem(problem, file=FILE, sheet=SHEET, row=2, column="Due date", value=written, letter="G")
    assert problem.message == f"{message}; expected a date such as 31/03/2026 (day first), 31 Mar 2026 or 2026-03-31"


@pytest.mark.parametrize("written", ["C", "c", "Completed", "B", "complete"])
def test_c_completed_and_b_are_complete(inputs, written):
    inputs.activities_xlsx(activity(status=written))
    validated = inputs.validate()
    assert validated.problems == ()
    assert validated.activities.loc[0, "status"] == "Complete"


def test_every_status_spelling_in_the_schema_is_accepted(inputs):
    spellings = [(s, status) for status, spellings in STATUS_SPELLINGS.items() for s in (status, *spellings)]
    inputs.activities_xlsx(*[activity(activity=f"A{i}", status=s) for i, (s, _) in enumerate(spellings)])
    validated = inputs.validate()
    assert validated.errors == ()
    assert validated.activities["status"].tolist() == [status for _, status in spellings]


# --- 6. messages people can act on -----------------------------------------------------------------


def test_every_cell_problem_gives_the_column_letter_beside_the_heading(inputs):
    inputs.activities_xlsx(activity(status="Purple", due_date="TBC", budget="lots", area="Nowhere"))
    validated = inputs.validate()
    assert [(p.letter, p.column) for p in validated.problems] == [
        ("B", "Area"),
        ("J", "Budget"),
        ("G", "Due date"),
        ("E", "Status"),
    ]
    assert validated.problems[2].location == 'tracker.xlsx › Activities › row 2 › column G, "Due date"'


def test_long_file_and_sheet_names_wrap_and_are_never_cut():
    file = "international-strategy-tracker-europe-and-commonwealth-partners-2025-26.xlsx"
    sheet = "Q4 activities (final, checked)"
    problem = Problem(
        file, sheet, 14, "Deadline", "TBC", "is not a date; expected a date such as 31/03/2026", letter="G"
    )
    text = format_problems([problem], width=100)
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines), text
    assert "…" not in text
    spans, at = [], 0  # where each column sits, from the line of dashes under the titles
    for dashes in lines[1].split("  "):
        spans.append((at, at + len(dashes)))
        at += len(dashes) + 2

    def column(n: int) -> list[str]:
        return [line[spans[n][0] : spans[n][1]].strip() for line in lines[2:]]

    assert "".join(column(0)) == file  # broken at hyphens, every character kept
    assert " ".join(part for part in column(1) if part) == sheet  # broken at spaces
    assert len(column(0)) > 1 and len(column(1)) > 1


def test_the_summary_of_files_read_and_skipped_is_printed_with_errors_too(inputs):
    inputs.activities_xlsx(activity(status="Purple"))
    inputs.bytes("~$tracker.xlsx", b"lock")
    result = CliRunner().invoke(
        cli, ["generate", "--inputs", str(inputs.folder), "--output", str(inputs.folder.parent / "reports")]
    )
    assert result.exit_code == 1
    assert "  tracker.xlsx: 1 row read from Activities (1 row, activities)" in result.stderr
    assert "  ~$tracker.xlsx: skipped, an Office lock file (the workbook is open in Excel)" in result.stderr
    assert "is not a status" in result.stderr


def _three_periods(inputs: InputsFolder, red_without_commentary_in: tuple[str, ...]) -> None:
    rows = []
    for period in ("2025-26 Q1", "2025-26 Q2", "2025-26 Q3"):
        quiet = period in red_without_commentary_in
        rows.append(activity(period=period, status="Red" if quiet else "Green", commentary=None if quiet else "Fine"))
    inputs.activities_xlsx(*rows)


def validate_cli(inputs, *args):
    return CliRunner().invoke(cli, ["validate", "--inputs", str(inputs.folder), *args])


def test_warnings_about_earlier_periods_are_counted_in_one_line_and_listed_on_request(inputs):
    _three_periods(inputs, ("2025-26 Q1", "2025-26 Q3"))
    result = validate_cli(inputs)
    assert result.exit_code == 0
    assert "1 warning (shown in the pack's data quality notes):" in result.output
    assert "row 4" not in result.output and "Red activity has no commentary" in result.output  # Q3's only
    assert result.output.rstrip().endswith("1 warning in an earlier period; `--all-warnings` lists it")
    listed = validate_cli(inputs, "--all-warnings")
    assert "2 warnings (shown in the pack's data quality notes):" in listed.output
    assert "--all-warnings` lists" not in listed.output


def test_strict_does_not_fail_on_warnings_about_earlier_periods(inputs):
    _three_periods(inputs, ("2025-26 Q1",))
    result = validate_cli(inputs, "--strict")
    assert result.exit_code == 0, result.output
    assert "1 warning in an earlier period; `--all-warnings` lists it" in result.output
    validated = inputs.validate(strict=True)
    assert validated.errors == () and [p.period for p in validated.other_period_warnings] == ["2025-26 Q1"]

    (inputs.folder / "tracker.xlsx").unlink()
    _three_periods(inputs, ("2025-26 Q2",))  # the previous period still counts
    failed = validate_cli(inputs, "--strict")
    assert_clean(failed)
    assert "Red activity has no commentary" in failed.output, failed.output


def test_json_lists_the_same_problems_and_counts_the_others(inputs):
    _three_periods(inputs, ("2025-26 Q1", "2025-26 Q3"))
    report = json.loads(validate_cli(inputs, "--format", "json").output)
    assert [p["period"] for p in report["problems"]] == ["2025-26 Q3"]
    assert (report["warnings"], report["warnings_not_listed"]) == (2, 1)
    everything = json.loads(validate_cli(inputs, "--format", "json", "--all-warnings").output)
    assert [p["period"] for p in everything["problems"]] == ["2025-26 Q1", "2025-26 Q3"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--inputs", "no-such-folder"], "Invalid value for '--inputs': Directory 'no-such-folder' does not exist."),
        (["--colour"], "No such option '--colour'."),
        (["--period", "2030-31 Q1"], "Invalid value for --period: there are no activities in 2030-31 Q1"),
    ],
)
def test_json_usage_errors_still_print_a_json_object(inputs, args, words):
    inputs.activities_xlsx(activity())
    base = [] if "--inputs" in args else ["--inputs", str(inputs.folder)]
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *base, *args])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert set(report) == {"version", "error"} and report["version"] == 1
    assert report["error"].startswith(words), report["error"]


def test_a_usage_error_without_json_is_click_usage_text(inputs):
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs.folder), "--colour"])
    assert result.exit_code == 2 and "No such option" in result.stderr and result.stdout == ""


# --- 7. init-inputs --name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, words",
    [
        ("tracker.xls", "does not end in .xlsx"),
        ("tracker", "does not end in .xlsx"),
        ("tracker.csv", "does not end in .xlsx"),
        (".xlsx", "does not end in .xlsx"),
        ("sub/esu.xlsx", "has a folder in it"),
        ("../esu.xlsx", "has a folder in it"),
        ("sub\\esu.xlsx", "has a folder in it"),
        ("~$esu.xlsx", "would be skipped when the inputs are read"),
        (".esu.xlsx", "would be skipped when the inputs are read"),
    ],
)
def test_init_inputs_refuses_a_name_it_could_not_read_back(tmp_path, name, words):
    result = CliRunner().invoke(cli, ["init-inputs", str(tmp_path / "new"), "--name", name])
    assert result.exit_code == 2
    assert words in result.stderr
    assert not (tmp_path / "new").exists() or list((tmp_path / "new").iterdir()) == []


def test_init_inputs_accepts_any_case_of_xlsx(tmp_path):
    result = CliRunner().invoke(cli, ["init-inputs", str(tmp_path), "--name", "ESU.XLSX"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ESU.XLSX").is_file()


# --- the property: every value is read, or its cell is named ----------------------------------------

_LOOKUP = header_lookup(ACTIVITIES, {})
_EXTRA_HEADINGS = [
    h
    for h in (
        "Risk",
        "Region",
        "Stakeholders",
        "Next steps",
        "RAG colour",
        "Ref",
        "Q1 notes 2",
        "Contact email",
        "Priority level",
        "Evidence",
    )
    if header_key(h) not in _LOOKUP
]
_PARTNERS = ("ESU", "CSA", "GSV", "ACUI")
_MERGED = "merged"


def _spelling(column: str):
    col = ACTIVITIES.column(column)
    return st.sampled_from((col.name, *col.aliases)).flatmap(
        lambda s: st.sampled_from((s, s.upper(), s.title(), f" {s} "))
    )


@st.composite
def _workbooks(draw):
    """A workbook built from the contract: random heading spellings and order, extra columns with or without
    values, blank rows, sometimes a merged "Finance (£)" group heading and a totals row."""
    columns = ["partner", "area", "activity", "period", "status", "budget"]
    columns += draw(st.lists(st.sampled_from(["progress", "lead", "commentary", "spend"]), unique=True))
    extras = draw(st.lists(st.sampled_from(_EXTRA_HEADINGS), unique=True, max_size=3))
    order = draw(st.permutations(columns + [f"extra:{e}" for e in extras]))
    grouped = "spend" in columns and draw(st.booleans())
    if grouped:  # budget and spend side by side under one group heading
        order = [c for c in order if c not in ("budget", "spend")] + ["budget", "spend"]
    headings = {c: draw(_spelling(c)) for c in columns}
    count = draw(st.integers(1, 12))
    rows, budgets = [], []
    for i in range(count):
        budget = draw(st.one_of(st.none(), st.integers(0, 50_000), st.sampled_from([0.5, 1200.75])))
        budgets.append(budget or 0)
        values = {
            "partner": _PARTNERS[i % 4],
            "area": "Education policy",
            "activity": f"Activity {i}",
            "period": "2025-26 Q1",
            "status": "Green",
            "budget": budget,
            "progress": 50,
            "lead": "VP",
            "commentary": "Fine",
            "spend": 10,
        }
        row = []
        for key in order:
            if key.startswith("extra:"):
                row.append(draw(st.one_of(st.none(), st.just("something"), st.integers(1, 9))))
            else:
                row.append(values[key])
        rows.append(row)
        if draw(st.integers(0, 4)) == 0:
            rows.append([])  # a blank row
    total = draw(st.booleans())
    merged_down = grouped and draw(st.booleans())
    return order, headings, (grouped, merged_down), rows, budgets, total


@pytest.mark.slow
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_workbooks())
def test_every_budget_and_activity_written_is_read_or_its_cell_is_named(inputs, workbook):
    order, headings, (grouped, merged_down), rows, budgets, total = workbook
    letters = {key: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] for i, key in enumerate(order)}
    header = [key[6:] if key.startswith("extra:") else headings[key] for key in order]
    sheet_rows = [header]
    if grouped:  # a group heading merged over Budget and Spend; single headings on the top row, or merged down
        top = [h if key not in ("budget", "spend") else None for key, h in zip(order, header, strict=True)]
        top[order.index("budget")] = "Finance (£)"
        sub = [h if key in ("budget", "spend") else None for key, h in zip(order, header, strict=True)]
        sheet_rows = [top, sub]
    sheet_rows += rows
    if total:
        label_at = order.index("activity")
        total_row = [None] * len(order)
        total_row[label_at], total_row[order.index("budget")] = "Total", sum(budgets)
        sheet_rows.append(total_row)

    def merge(book):
        if grouped:
            sheet = book[SHEET]
            b = letters["budget"]
            sheet.merge_cells(f"{b}1:{letters['spend']}1")
            for key in order:
                if merged_down and key not in ("budget", "spend"):
                    sheet.merge_cells(f"{letters[key]}1:{letters[key]}2")

    for old in inputs.folder.iterdir():
        old.unlink()
    inputs.xlsx(FILE, {SHEET: sheet_rows}, edit=merge)
    validated = inputs.validate()
    assert validated.errors == (), validated.errors
    read = validated.activities
    # Every activity and every pound written is read ...
    assert len(read) == len(budgets)
    assert math.isclose(read["budget"].sum(), sum(budgets), abs_tol=1e-6)
    # ... and every cell that was not read is named: each extra column holding a value, and the totals row.
    header_row = 2 if grouped else 1
    named = {(p.row, p.letter) for p in validated.warnings}
    unread = {
        (header_row, letters[key])
        for key in order
        if key.startswith("extra:") and any(row and row[order.index(key)] is not None for row in rows)
    }
    expected = unread | ({(len(sheet_rows), letters["activity"])} if total else set())
    assert named == expected


# --- the staff docs say what is read and what is not guessed ----------------------------------------

DOCS = (Path(__file__).resolve().parent.parent / "docs" / "inputs.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The text under a heading of docs/inputs.md, up to the next heading of its level or above."""
    level = title.split(" ", 1)[0]
    return re.split(rf"\n#{{2,{len(level)}}} ", DOCS.split(f"\n{title}\n", 1)[1], maxsplit=1)[0]


def test_the_docs_status_table_is_the_schemas_spellings():
    table = [line for line in _section("### Status").splitlines() if line.startswith("| ") and "`" in line]
    documented = {line.split("|")[1].strip(): [s.strip(" `") for s in line.split("|")[2].split(",")] for line in table}
    assert documented == {status: list(spellings) for status, spellings in STATUS_SPELLINGS.items()}


def test_the_docs_say_what_boardpack_will_not_guess():
    section = _section("## What boardpack will not guess")
    for words in (
        "heading matches no column",
        "no heading",
        "two columns for the same thing",
        "totals row",
        "did you mean 45%?",
        "only 0s and 1s",
        "month first",
        "status it does not know",
    ):
        assert words in section, words


def test_the_docs_name_every_total_label_and_the_json_keys():
    totals = _section("### Totals rows")
    assert all(f"`{label}`" in totals for label in TOTAL_LABELS)
    json_doc = DOCS.split("### For scripts: `validate --format json`", 1)[1].split("\n## ", 1)[0]
    for key in (
        "version",
        "as_at",
        "files",
        "skipped",
        "notes",
        "errors",
        "warnings",
        "warnings_not_listed",
        "problems",
        "column_letter",
        "period",
        "error",
    ):
        assert f"`{key}`" in json_doc, key


def test_a_broken_template_with_json_is_a_json_object_and_exit_1(inputs, tmp_path):
    inputs.activities_xlsx(activity())
    broken = tmp_path / "broken.toml"
    broken.write_text("[organisation\nname = 'x'\n", encoding="utf-8")
    result = validate_cli(inputs, "--format", "json", "--template", str(broken))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"version", "error"} and "is not valid TOML" in report["error"]
