"""Write the regression files of this folder, each the smallest form of a failure a fuzzer found.

    .venv/bin/python tests/data/fuzz/make_files.py

expected.toml says, for each file, who found it, what used to go wrong and what
must happen now; tests/test_fuzz.py runs one test per file. A failure found by
``make fuzz`` is added here: shrink the saved case to the few cells or bytes that
matter, write it from a function below, and add its entry to expected.toml.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SHEET = "xl/worksheets/sheet1.xml"
HEADERS = ["Partner", "Area", "Activity", "Period", "Status", "Budget"]
ROW = ["ESU", "Education policy", "Bologna follow-up", "2025-26 Q1", "Green", 1000]
METRIC_HEADERS = ["Partner", "Metric", "Period", "Actual"]
FIXED = dt.datetime(2026, 1, 1)


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = FIXED
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())


def _stable(data: bytes, change: dict[str, object] | None = None) -> bytes:
    """The same zip with fixed dates, and some parts changed (a function of the old bytes, or new bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            if name == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            new = (change or {}).get(name, content)
            archive.writestr(
                zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)),
                new(content) if callable(new) else new,
                zipfile.ZIP_DEFLATED,
            )
    return buffer.getvalue()


def bogus_encoding(part: str) -> bytes:
    def declare(xml: bytes) -> bytes:
        return b'<?xml version="1.0" encoding="bogus"?>' + re.sub(rb"^<\?xml[^>]*\?>", b"", xml)

    return _stable(workbook({"Activities": [HEADERS, ROW]}), {part: declare})


def nameless_sheet() -> bytes:
    # Without its name, and with a value far away: the message about the far cell named the sheet.
    return _stable(
        workbook({"Activities": [HEADERS, ROW]}),
        {
            "xl/workbook.xml": lambda xml: re.sub(rb' name="Activities"', b"", xml),
            SHEET: lambda xml: xml.replace(
                b"</sheetData>", b'<row r="200001"><c r="A200001"><v>1</v></c></row></sheetData>'
            ),
        },
    )


def cell(value) -> bytes:
    return workbook({"Activities": [HEADERS, ROW[:5] + [value]]})


def period(value) -> bytes:
    return workbook({"Activities": [HEADERS, ROW[:3] + [value] + ROW[4:]]})


def metric_actual(value) -> bytes:
    return workbook(
        {"Activities": [HEADERS, ROW], "Metrics": [METRIC_HEADERS, ["ESU", "Students reached", "2025-26 Q1", value]]}
    )


def metric(target, actual) -> bytes:
    headers = ["Partner", "Metric", "Period", "Target", "Actual"]
    return workbook(
        {"Activities": [HEADERS, ROW], "Metrics": [headers, ["ESU", "Students reached", "2025-26 Q1", target, actual]]}
    )


def far_references(copies: int) -> bytes:
    # <c r="A200001" 32,000 times, then "/>": each copy used to be followed to the end of the part.
    junk = b'<c r="A200001"' * copies + b"/>"
    return _stable(
        workbook({"Activities": [HEADERS, ROW]}),
        {SHEET: lambda xml: xml.replace(b"</sheetData>", junk + b"</sheetData>")},
    )


def cells_inside_a_cell_tag(copies: int) -> bytes:
    # Found by make fuzz (seed 2, case 85): 40,000 copies of <c r="GS100000" inside one
    # self-closing tag, which the reader takes for one odd cell; with a formula in the
    # sheet, the scan for formulas without a value followed each copy to the end.
    junk = b'<c r="GS100000"' * copies + b"/>"
    return _stable(
        workbook({"Activities": [HEADERS, ROW, ROW[:2] + ["Second"] + ROW[3:5] + ["=1+1"]]}),
        {SHEET: lambda xml: xml.replace(b"</row></sheetData>", b"</row>" + junk + b"</sheetData>")},
    )


def date_cell(value: float) -> bytes:
    # Found by make fuzz (seed 18, case 239): a number typed into a date column that
    # calamine cannot turn into a date; it panicked, and the whole sheet looked damaged.
    book = Workbook()
    book.properties.created = FIXED
    sheet = book.active
    sheet.title = "Activities"
    sheet.append(HEADERS + ["Due date"])
    sheet.append(ROW + [value])
    sheet["G2"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())


def sparse_sheets(count: int, ref: str) -> bytes:
    book = {f"Sheet{n}": [HEADERS, ROW[:2] + [f"Activity {n}"] + ROW[3:]] for n in range(1, count + 1)}
    data = workbook(book)
    change = {
        f"xl/worksheets/sheet{n}.xml": (
            lambda xml: xml.replace(
                b"</sheetData>",
                f'<row r="{ref[2:]}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode(),
            )
        )
        for n in range(1, count + 1)
    }
    return _stable(data, change)


FILES = {
    "unknown-encoding-workbook.xlsx": lambda: bogus_encoding("xl/workbook.xml"),
    "unknown-encoding-relationships.xlsx": lambda: bogus_encoding("xl/_rels/workbook.xml.rels"),
    "unknown-encoding-styles.xlsx": lambda: bogus_encoding("xl/styles.xml"),
    "sheet-without-a-name.xlsx": nameless_sheet,
    "budget-of-400-nines.xlsx": lambda: cell("9" * 400),
    "budget-of-1e300.xlsx": lambda: cell(1e300),
    "period-9999-00.xlsx": lambda: period("9999-00 Q2"),
    "period-date-in-9999.xlsx": lambda: period("15/11/9999"),
    "period-0000-01.xlsx": lambda: period("0000-01 Q1"),
    "metric-actual-of-400-nines.xlsx": lambda: metric_actual("9" * 400),
    "metric-actual-of-1.7e308.xlsx": lambda: metric_actual(1.7e308),
    "metric-target-of-5e-324.xlsx": lambda: metric(5e-324, 120),
    "far-references-32000.xlsx": lambda: far_references(32_000),
    "cells-inside-a-cell-tag.xlsx": lambda: cells_inside_a_cell_tag(40_000),
    "date-cell-of-minus-a-trillion.xlsx": lambda: date_cell(-1_000_000_000_000),
    "sparse-two-sheets-at-GR200000.xlsx": lambda: sparse_sheets(2, "GR200000"),
}


if __name__ == "__main__":
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
        print(f"{name}: {(HERE / name).stat().st_size:,} bytes")
