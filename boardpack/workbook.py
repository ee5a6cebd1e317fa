"""summary.xlsx: the summary's tables, ready for a pivot table and for print.

Each data sheet is one Excel table (a header row with filter buttons, one row
per record, no totals or blank rows), so a pivot table or a filter works on it
as it is. Values keep their type: money in pounds with a £ format, shares as
fractions with a % format, dates as dates, yes/no as "Yes"/"No", counts as
whole numbers. Headers follow one rule: sentence case, the unit in brackets
("Budget (£)", "On track or complete (%)"). The first sheet, README, says what
each sheet holds. What each data sheet holds is :mod:`boardpack.workbook_sheets`;
this module writes and formats them.

For print every sheet is A4 landscape, fitted to the page width (so a row's
name is always on the page with its numbers), its header row repeated on
every page, long text wrapped within its column, with the sheet's name and
"Page N of M" in the margins.

Written with XlsxWriter, whose typed writes never turn text into a formula,
with fixed document dates so that the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

from .config import Config
from .formats import uk_date
from .model import Period
from .summary_model import Summary
from .workbook_sheets import Column, Sheet, summary_sheets, yes_no

__all__ = ["summary_sheets", "summary_workbook", "Column", "Sheet"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel holds at most this many characters in a cell.
_EXCEL_CELL_LIMIT = 32_767
_CUT_NOTE = " … (cut: an Excel cell holds at most 32,767 characters)"
_FIXED_DATE = dt.datetime(2000, 1, 1)  # also fixes the zip entries' dates

# Number formats by kind of column.
_FORMATS = {
    "text": None,
    "wrap": None,
    "count": "#,##0",
    "number": "#,##0.##",
    "pounds": '"£"#,##0',  # totals: whole pounds, as in the pack's body
    "pence": '"£"#,##0.00',  # one activity's record: pounds and pence, as in the pack's appendix
    "percent": "0%",
    "date": "d mmm yyyy",
    "yesno": None,
}


def summary_workbook(summary: Summary, config: Config) -> bytes:
    """summary.xlsx as bytes: README, then one Excel table per sheet, each ready to print."""
    import xlsxwriter

    sheets = summary_sheets(summary)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    book.set_properties(
        {"title": f"{config.report_title}: summary tables", "author": config.organisation, "created": _FIXED_DATE}
    )
    formats = _Formats(book)
    title = f"{config.report_title}, as at {summary.as_at.label}"
    _readme(book, formats, sheets, summary, config, title)
    for number, sheet in enumerate(sheets, start=1):
        _data_sheet(book, formats, sheet, f"Table{number}", title)
    book.close()
    return buffer.getvalue()


class _Formats:
    """The workbook's cell formats, made once: every cell top-aligned, long text wrapped."""

    def __init__(self, book) -> None:
        self.book = book
        self._made: dict[tuple[str, bool], Any] = {}

    def __call__(self, kind: str, *, quoted: bool = False):
        key = (kind, quoted)
        if key not in self._made:
            spec: dict[str, Any] = {"valign": "top"}
            if _FORMATS.get(kind):
                spec["num_format"] = _FORMATS[kind]
            if kind == "wrap":
                spec["text_wrap"] = True
            if quoted:
                spec["quote_prefix"] = True  # shows =, +, - and @ as typed
            self._made[key] = self.book.add_format(spec)
        return self._made[key]


def _write(sheet, row: int, column: int, value: Any, kind: str, formats: _Formats) -> None:
    if isinstance(value, Period):
        value = value.label
    if value is None or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, column, None, formats(kind))
    elif isinstance(value, str):
        if len(value) > _EXCEL_CELL_LIMIT:
            value = value[: _EXCEL_CELL_LIMIT - len(_CUT_NOTE)] + _CUT_NOTE
        sheet.write_string(row, column, value, formats(kind, quoted=value.startswith(_FORMULA_START)))
    elif isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(row, column, value, formats("date"))
    elif isinstance(value, bool):
        sheet.write_string(row, column, yes_no(value), formats("text"))
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value, formats(kind if kind not in ("text", "wrap", "yesno") else "number"))
    else:
        sheet.write_string(row, column, str(value), formats(kind))


# Characters of the default font that a landscape A4 page holds at about 90%.
_PAGE_WIDTH = 170


def _print_setup(sheet, title: str, *, header_rows: int = 1, width: float = 0, names: int = 1) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    if width > _PAGE_WIDTH:  # two pages wide, the names repeated on the second, read across then down
        sheet.fit_to_pages(2, 0)
        sheet.repeat_columns(0, names - 1)
        sheet.print_across()
    else:
        sheet.fit_to_pages(1, 0)  # the page's width, as many pages down as it takes
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L&8{_escape(title)}&R&8&A", {"margin": 0.25})
    sheet.set_footer("&R&8Page &P of &N", {"margin": 0.25})


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def _data_sheet(book, formats: _Formats, sheet: Sheet, table_name: str, title: str) -> None:
    page = book.add_worksheet(sheet.name)
    kinds = [column.kind for column in sheet.columns]
    varying = [sheet.headers.index(name) for name in sheet.varying]
    for index, values in enumerate(sheet.rows, start=1):
        for column, value in enumerate(values):
            kind = sheet.row_kinds[index - 1] if column in varying and sheet.row_kinds else kinds[column]
            _write(page, index, column, value, kind, formats)
    last_row = max(len(sheet.rows), 1)  # a table needs a row, even an empty one
    page.add_table(
        0,
        0,
        last_row,
        len(sheet.columns) - 1,
        {
            "name": table_name,
            "style": "Table Style Light 9",
            "autofilter": True,
            "columns": [{"header": column.header, "header_format": formats("wrap")} for column in sheet.columns],
        },
    )
    for column, spec in enumerate(sheet.columns):
        page.set_column(column, column, spec.width)
    # Rows as tall as their longest wrapped text (spreadsheets do not grow a row for text they did not type).
    page.set_row(
        0, _height([c.header for c in sheet.columns], [c.width for c in sheet.columns], [True] * len(sheet.columns))
    )
    wraps = [kind == "wrap" for kind in kinds]
    widths = [c.width for c in sheet.columns]
    for index, values in enumerate(sheet.rows, start=1):
        if any(wraps[column] and isinstance(value, str) for column, value in enumerate(values)):
            page.set_row(index, _height(values, widths, wraps))
    page.freeze_panes(1, sheet.names)
    _print_setup(page, title, width=sum(widths), names=sheet.names)


_LINE_POINTS = 15.0  # the height of one line of the default font (Calibri 11)


def _height(values: Sequence[Any], widths: Sequence[float], wraps: Sequence[bool]) -> float:
    """Points of row height for the most lines any wrapped cell of the row takes (at least one)."""
    lines = 1
    for value, width, wrap in zip(values, widths, wraps, strict=True):
        if wrap and isinstance(value, str) and value:
            # Characters a line holds: the width less the cell's margins, a little less for wide letters.
            room = max(int((width - 1) * 1.1), 4)
            lines = max(lines, sum(_lines(part, room) for part in value.split("\n")))
    return lines * _LINE_POINTS + 3


def _lines(text: str, room: int) -> int:
    """Lines ``text`` wraps to at ``room`` characters a line (at least one)."""
    if len(text) <= room and "\t" not in text:  # most cells: one line, without wrapping them (a tab widens)
        return 1
    import textwrap

    return len(textwrap.wrap(text, room, break_long_words=True)) or 1


def _readme(book, formats: _Formats, sheets: Sequence[Sheet], summary: Summary, config: Config, title: str) -> None:
    page = book.add_worksheet("README")
    bold = book.add_format({"bold": True, "font_size": 13})
    page.write_string(0, 0, title, bold)
    lines = [
        f"{config.organisation}: the summary tables of the board pack, as at {summary.as_at.label} "
        f"(the period ending {uk_date(summary.as_at_last_day)}), compared with {summary.previous.label}.",
        "Each sheet after this one is an Excel table: filter with the buttons in its header row, or make a "
        "pivot table from it (Insert > PivotTable).",
        "Money is in pounds (£), shares are percentages, dates are dates; Yes and No answer yes-or-no columns.",
    ]
    for row, line in enumerate(lines, start=1):
        page.merge_range(row, 0, row, 2, line, formats("wrap"))
        page.set_row(row, 30)
    start = len(lines) + 2
    page.write_row(start, 0, ["Sheet", "What it holds", "One row per"], book.add_format({"bold": True}))
    for row, sheet in enumerate(sheets, start=start + 1):
        page.write_string(row, 0, sheet.name, formats("text"))
        page.write_string(row, 1, sheet.about, formats("wrap"))
        page.write_string(row, 2, sheet.one_row_per, formats("wrap"))
        page.set_row(row, _height([sheet.name, sheet.about, sheet.one_row_per], [18, 90, 24], [False, True, True]))
    page.set_column(0, 0, 18)
    page.set_column(1, 1, 90)
    page.set_column(2, 2, 24)
    _print_setup(page, title, header_rows=0)
