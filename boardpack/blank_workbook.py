"""The blank input workbook staff fill in: canonical headers, drop-downs, formats.

Built from the contract in schema.py and the registry in the template, so the
drop-down lists always offer exactly what validation accepts.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .config import Config
from .errors import OutputError
from .model import STATUSES, Period
from .schema import ACTIVITIES, DIRECTIONS, METRICS, Table

_FORMATS = {"percent": "0%", "date": "dd/mm/yyyy", "money": "£#,##0.00", "number": "#,##0.##"}
_WIDTHS = {"partner": 34, "area": 22, "activity": 48, "metric": 30, "commentary": 60, "lead": 22, "decision needed": 48}
_ROWS_WITH_CHECKS = 2000  # drop-downs and checks cover this many rows
_INSTRUCTIONS = """\
How to fill in this workbook

1. Put one row per activity per reporting period on the Activities sheet. \
Keep last quarter's rows and add new ones for this quarter: the report compares them.
2. Partner, Area, Status and Period have drop-down lists. Pick from them, or type a value the \
template knows (short names such as ESU and spellings such as "On track" are accepted).
3. Activity: describe it the same way every quarter, so this quarter's row is matched to last quarter's.
4. Progress is a percentage from 0% to 100%. Type 45 and Excel shows 45%.
5. Due date: type it day first, such as 31/03/2026. If the deadline moves, keep the original \
date and type the new one in Revised due date: the revised date is the one that counts for overdue.
6. Commentary: say what happened and what is next. A Red or Amber activity with no commentary \
is flagged in the report.
7. Budget and Spend are in pounds. Leave them blank when there is no budget.
8. Decision needed: leave it blank unless the board must decide something this quarter. Then write \
the ask in a sentence, such as "Approve closing the survey and returning its budget to reserves". \
It makes the paper "for decision" and becomes one of its recommendations.
9. The Metrics sheet is optional: one row per measure per partner per period, with a target \
where there is one. Unit is number, % or £. Better when is higher (the default) or lower: \
lower for a measure such as event spend, where less is better.
10. Save the file into the inputs folder and run: python generate_report.py validate
    It lists every cell that needs fixing, with its row and column.
"""


def _periods(config: Config) -> list[str]:
    return [Period(year, q).label for year in config.input_years for q in (1, 2, 3, 4)]


def blank_workbook_bytes(config: Config) -> bytes:
    """The blank input workbook as .xlsx bytes."""
    book = Workbook()
    lists = book.active
    lists.title = "Lists"
    choices = {
        "partner": list(config.partners.names),
        "area": list(config.areas.names),
        "status": list(STATUSES),
        "period": _periods(config),
    }
    ranges = {}
    for index, (name, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index, value=value)
        ranges[name] = f"Lists!${letter}$1:${letter}${len(values)}"

    header_fill = PatternFill("solid", fgColor=config.branding.primary_colour.lstrip("#"))
    for table in (ACTIVITIES, METRICS):
        sheet = book.create_sheet(table.title)
        _table_sheet(sheet, table, ranges, header_fill)

    instructions = book.create_sheet("Instructions", 0)
    instructions.column_dimensions["A"].width = 110
    for row, line in enumerate(_INSTRUCTIONS.splitlines(), start=1):
        cell = instructions.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    instructions["A1"].font = Font(bold=True, size=14)
    lists.sheet_state = "hidden"
    book.active = 1  # open on the Activities sheet

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table_sheet(sheet, table: Table, ranges: dict[str, str], fill: PatternFill) -> None:
    font = Font(bold=True, color="FFFFFF")
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.name.capitalize())
        cell.fill, cell.font = fill, font
        sheet.column_dimensions[letter].width = _WIDTHS.get(column.name, 16)
        cells = f"{letter}2:{letter}{_ROWS_WITH_CHECKS + 1}"
        if column.kind in _FORMATS:
            sheet.column_dimensions[letter].number_format = _FORMATS[column.kind]
        check = None
        if column.kind in ("partner", "area", "status", "period"):
            # A warning, not a stop: staff may type a known alias or a date.
            check = DataValidation(
                type="list",
                formula1=f"={ranges[column.kind]}",
                errorStyle="warning",
                error=f"Expected {column.help}.",
                errorTitle=column.name.capitalize(),
            )
        elif column.kind == "percent":
            check = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2="1",
                error="Expected a percentage from 0% to 100%.",
                errorTitle="Progress",
            )
        elif column.kind == "date":
            check = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",
                error="Expected a date such as 31/03/2026.",
                errorTitle="Date",
            )
        elif column.kind == "money":
            check = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                error="Expected an amount in pounds, 0 or more.",
                errorTitle="Amount",
            )
        elif column.kind == "unit":
            check = DataValidation(type="list", formula1='"number,%,£"', errorStyle="warning")
        elif column.kind == "direction":
            # A warning, not a stop: spellings such as "low" or "down" are accepted too.
            choices = ",".join(dict.fromkeys(DIRECTIONS.values()))
            check = DataValidation(
                type="list",
                formula1=f'"{choices}"',
                errorStyle="warning",
                error=f"Expected {column.help}.",
                errorTitle=column.name.capitalize(),
            )
        if check is not None:
            check.showErrorMessage = True
            check.add(cells)
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"


def write_blank_workbook(path: str | Path, config: Config) -> Path:
    """Write the blank workbook to ``path``; never overwrite an existing file."""
    path = Path(path)
    data = blank_workbook_bytes(config)
    try:
        with open(path, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise OutputError(f"{path} already exists; choose another name or move the old file") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    return path
