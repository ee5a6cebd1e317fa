"""Read a workbook with python-calamine, once ``xlsx_guard`` has passed it, and scan its XML
for what calamine does not hand over: error values, formulas with no saved value, percentage formats.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..config import Config
from ..formats import printable
from ..model import CellNote, RawTable, SheetReport
from ..schema import HEADER_SEARCH_ROWS
from .common import Unreadable, column_letter
from .header import Merge, find_table
from .xlsx_guard import check_parts, no_such_time, open_package

# An encrypted (password-protected) workbook is an OLE compound file, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def read_workbook(name: str, data: bytes, config: Config) -> tuple[list[RawTable], list[SheetReport], int]:
    """The workbook's tables, a report on each sheet, and its size once unpacked (shared texts counted in every cell)."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise Unreadable(
                "is password-protected (encrypted); remove the password "
                "(File › Info › Protect Workbook) or save an unprotected copy as .xlsx"
            )
        raise Unreadable(
            "is an old Excel 97-2003 workbook (or password-protected) with an .xlsx name; "
            "open it in Excel and save it as an Excel Workbook (.xlsx)"
        )
    limits = config.limits
    archive = open_package(data, limits.max_uncompressed_mb)
    far_cells, sheet_xml, content = check_parts(data, archive, limits)

    try:
        sheet_parts = _sheet_parts(archive)
        percent_styles = _percent_styles(archive)
        time_styles = _time_styles(archive)
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise Unreadable(f"contains unsafe or malformed XML ({type(exc).__name__}) and was not read") from None
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError):
        raise Unreadable(
            "is not a valid Excel workbook (parts of it are missing or damaged); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    if far_cells:
        # Checked before calamine sees the sheet: it would set aside memory for
        # every cell between A1 and the far one (a stray value in XFD1048576 asks
        # for half a terabyte, and the process is killed rather than told).
        part, (row, column) = min(far_cells.items())
        shown = next((printable(s) for s, p in sheet_parts.items() if p == part), printable(part))
        cell = f"{column_letter(column - 1)}{row}"
        raise Unreadable(
            f'has a value in cell {cell} of sheet "{shown}", beyond the limit of '
            f"{limits.max_rows:,} rows and {limits.max_columns:,} columns ([limits] max_rows and "
            "max_columns in the template); if that cell is not part of your table, clear it "
            "(in Excel, Ctrl+End jumps to the last cell in use), save and run again",
            shown,
            row,
            column_letter(column - 1),
        )
    for part, xml in sheet_xml.items():
        # calamine turns a date or duration cell into a date or a time span as it hands
        # it over, and cannot for a number as far out as this: it stops with a panic
        # (or an OverflowError) and the whole sheet would look damaged.
        found = no_such_time(xml, *time_styles)
        if found:
            shown = next((printable(s) for s, p in sheet_parts.items() if p == part), printable(part))
            letters, row, value = found
            raise Unreadable(
                f'cell {letters}{row} of sheet "{shown}" holds {value} in a date, time or duration '
                "format, and no date or time is that far from 1900; type the value again, or set "
                "the cell's format to General (Home › Number), save and run again",
                shown,
                row,
                letters,
            )

    import python_calamine as calamine  # imported here: only workbooks need it

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    except calamine.PasswordError:
        raise Unreadable("is password-protected; remove the password or save an unprotected copy") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # calamine raises several unrelated types, and a Rust panic is a BaseException
        raise Unreadable(
            "could not be read as an Excel workbook (it may be damaged); open it in Excel and save it again as .xlsx"
        ) from None

    tables: list[RawTable] = []
    reports: list[SheetReport] = []
    for sheet_name in sheet_names:
        sheet = rows = None  # the last sheet's cells are let go before the next sheet is read
        shown = printable(sheet_name)
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            too_big = sheet.height > limits.max_rows or sheet.width > limits.max_columns
            rows = None if too_big else sheet.to_python(skip_empty_area=False, nrows=limits.max_rows + 1)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            raise Unreadable(
                f'sheet "{shown}" could not be read (the file may be damaged); open it in Excel and save it again',
                shown,
            ) from None
        if rows is None:  # the check of the sheet's XML above should have caught it; never read it whole
            raise Unreadable(
                f'sheet "{shown}" uses {sheet.height:,} rows and {sheet.width:,} columns, over the '
                f"limit of {limits.max_rows:,} rows and {limits.max_columns:,} columns ([limits] in "
                "the template); delete the unused rows and columns",
                shown,
            )
        sheet_part = sheet_parts.get(sheet_name)
        sheet_data = sheet_xml.get(sheet_part, b"") if sheet_part is not None else b""

        def scan(
            header_row: int, positions: dict[str, int], xml: bytes = sheet_data
        ) -> dict[tuple[int, str], CellNote]:
            return _cell_notes(xml, header_row, positions, percent_styles)

        table, report = find_table(name, shown, rows[: limits.max_rows], config, scan, _merges(sheet))
        if table is not None:
            if len(rows) > limits.max_rows:
                raise Unreadable(
                    f'sheet "{shown}" has more than {limits.max_rows:,} rows, '
                    "over the limit ([limits] max_rows in the template)",
                    shown,
                )
            tables.append(table)
        reports.append(report)
    return tables, reports, content


def _merges(sheet) -> tuple[Merge, ...]:
    """The sheet's merged cells that reach into the rows searched for the heading."""
    try:
        ranges = sheet.merged_cell_ranges or ()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a merge list calamine cannot read only loses the two-row heading
        return ()
    return tuple(r for r in ranges if r[0][0] < HEADER_SEARCH_ROWS)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook's relationships.

    Targets are resolved as calamine resolves them, so both read the same part.
    """
    workbook = _part_xml(archive, "xl/workbook.xml")
    rels = _part_xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        if target.startswith("/xl/"):
            path = target[1:]
        elif target.startswith("xl/"):
            path = target
        else:
            path = "xl/" + target
        name = sheet.get("name")
        if name is None:
            raise Unreadable(
                "is not a valid Excel workbook (one of its sheets has no name); "
                "open it in Excel and save it again as .xlsx"
            )
        parts[name] = path
    return parts


def _part_xml(archive: zipfile.ZipFile, part: str):
    """A part parsed by the hardened parser; a text encoding Python does not know makes the file unreadable."""
    try:
        return SafeET.fromstring(archive.read(part))
    except LookupError:  # <?xml ... encoding="bogus"?>, or a codec that is not a text encoding
        raise Unreadable(
            f"is not a valid Excel workbook (its part {printable(part)} names a text encoding "
            "that does not exist); open it in Excel and save it again as .xlsx"
        ) from None


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a percentage."""
    try:
        styles = _part_xml(archive, "xl/styles.xml")
    except KeyError:
        return frozenset()
    percent_formats = {9, 10}  # Excel's built-in 0% and 0.00%
    for fmt in styles.iterfind("m:numFmts/m:numFmt", _NS):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
        if "%" in code:
            percent_formats.add(int(fmt.get("numFmtId", -1)))
    return frozenset(
        index
        for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS))
        if int(xf.get("numFmtId", 0)) in percent_formats
    )


_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47, *range(27, 37), *range(50, 59)})
_DURATION_FORMATS = frozenset({46})


def _time_styles(archive: zipfile.ZipFile) -> tuple[frozenset[int], frozenset[int]]:
    """Indexes of the cell styles that show a date or time, and of those that show a duration ([h]:mm)."""
    try:
        styles = _part_xml(archive, "xl/styles.xml")
    except KeyError:
        return frozenset(), frozenset()
    dates, durations = set(_DATE_FORMATS), set(_DURATION_FORMATS)
    for fmt in styles.iterfind("m:numFmts/m:numFmt", _NS):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
        if re.search(r"\[(?:h+|m+|s+)\]", code, re.IGNORECASE):
            durations.add(int(fmt.get("numFmtId", -1)))
        elif re.search("[dmyhs]", re.sub(r"\[[^]]*\]", "", code), re.IGNORECASE):
            dates.add(int(fmt.get("numFmtId", -1)))
    xfs = [int(xf.get("numFmtId", 0)) for xf in styles.iterfind("m:cellXfs/m:xf", _NS)]
    return (
        frozenset(i for i, f in enumerate(xfs) if f in dates),
        frozenset(i for i, f in enumerate(xfs) if f in durations),
    )


# calamine hands back a blank for error values and for formulas that were never
# calculated, and a plain number for a percentage cell, so a light scan of the
# sheet's XML finds those cells. It runs only when the sheet has such cells.
# No part of these patterns reads past the next "<", so no byte is read more than a few times.
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^<>]*?\bt="e"[^<>]*>(?:<f[^<>]*/>|<f[^<>]*>[^<]*</f>)?<v>([^<]*)</v>'
)
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^<>/]*)>(?:<f[^<>]*/>|<f[^<>]*>([^<]*)</f>)(<v\s*/>|<v></v>|</c>)'
)


def _cell_notes(
    xml: bytes, header_row: int, positions: dict[str, int], percent_styles: frozenset[int]
) -> dict[tuple[int, str], CellNote]:
    """{(row, column): note} for the cells below the heading that calamine hands back blank or as a plain number."""
    letters = {column_letter(position): column for column, position in positions.items()}
    notes: dict[tuple[int, str], CellNote] = {}

    def note(letter: bytes, row: bytes, found: CellNote) -> None:
        column = letters.get(letter.decode())
        if column is not None and int(row) > header_row:
            notes.setdefault((int(row), column), found)  # an error outranks a percentage format

    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            note(m[1], m[2], CellNote("error", m[3].decode("utf-8", "replace")))
    if b"<f" in xml:
        for m in _FORMULA_NO_VALUE.finditer(xml):
            if b't="str"' in m[3] and m[5] != b"</c>":
                continue  # a text formula whose saved value is "" (Excel writes <v/>), e.g. =IF(A2="","",…)
            formula = html.unescape((m[4] or b"").decode("utf-8", "replace"))
            note(m[1], m[2], CellNote("formula", "=" + formula if formula else ""))
    progress_letter = next((k for k, v in letters.items() if v == "progress"), None)
    if percent_styles and progress_letter:
        pattern = re.compile(rb'<c r="' + progress_letter.encode() + rb'(\d+)"([^<>]*)>')
        for m in pattern.finditer(xml):
            style = re.search(rb'\bs="(\d+)"', m[2])
            if style and int(style[1]) in percent_styles:
                note(progress_letter.encode(), m[1], CellNote("percent"))
    return notes
