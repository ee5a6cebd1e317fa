"""Find the input files, read their sheets and find each table's header row.

This stage only reads: it turns files into RawTables (text and numbers as typed,
with the Excel row number of every row) and reports files it could not read.
Checking the values is validation's job.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import operator
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable

import pandas as pd
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .config import Config
from .model import LoadedInputs, Problem, RawTable, SheetReport, SourceFile
from .schema import ACTIVITIES, ACTIVITIES_NEAR_MISS, HEADER_SEARCH_ROWS, TABLES, header_lookup
from .text import header_key

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv"}
LEGACY_SUFFIXES = {".xls": "an old Excel 97-2003 workbook", ".ods": "an OpenDocument spreadsheet",
                   ".xlsb": "an Excel binary workbook", ".numbers": "an Apple Numbers file"}

# An encrypted (password-protected) workbook is an OLE compound file, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


class _Unreadable(Exception):
    """A file that cannot be read at all; the message says why and what to do."""


def load_inputs(folder: str | Path, config: Config) -> LoadedInputs:
    """Read every spreadsheet in ``folder`` (not recursive) into raw tables."""
    folder = Path(folder)
    tables: list[RawTable] = []
    sources: list[SourceFile] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []

    for path in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        name = path.name
        suffix = path.suffix.lower()
        if name.startswith("~$"):
            skipped.append((name, "an Office lock file (the workbook is open in Excel)"))
        elif name.startswith("."):
            skipped.append((name, "a hidden file"))
        elif path.is_dir():
            if suffix in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
                problems.append(Problem(name, None, None, None, None,
                                        "is a folder, not a spreadsheet; move the file itself into the inputs folder"))
            else:
                skipped.append((name, "a folder (sub-folders are not read)"))
        elif suffix in LEGACY_SUFFIXES:
            problems.append(Problem(name, None, None, None, None,
                                    f"is {LEGACY_SUFFIXES[suffix]}, which cannot be read; "
                                    "open it in Excel and save it as an Excel Workbook (.xlsx)"))
        elif suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
            skipped.append((name, "not a spreadsheet (.xlsx, .xlsm or .csv)"))
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                problems.append(Problem(name, None, None, None, None, f"cannot be read: {exc.strerror}"))
                continue
            try:
                if not data:
                    raise _Unreadable("is empty (0 bytes); save the spreadsheet again or remove the file")
                reader = _read_workbook if suffix in WORKBOOK_SUFFIXES else _read_csv
                file_tables, reports = reader(name, data, config)
            except _Unreadable as exc:
                problems.append(Problem(name, None, None, None, None, str(exc)))
                continue
            tables.extend(file_tables)
            sources.append(SourceFile(name, hashlib.sha256(data).hexdigest(), len(data), tuple(reports)))

    return LoadedInputs(str(folder), tuple(tables), tuple(sources), tuple(skipped), tuple(problems))


# --- workbooks ---------------------------------------------------------------

def _read_workbook(name: str, data: bytes, config: Config) -> tuple[list[RawTable], list[SheetReport]]:
    if data.startswith(_OLE_MAGIC):
        raise _Unreadable("is password-protected (encrypted) or an old-format workbook; "
                          "remove the password or save an unprotected copy as .xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _Unreadable("is not a valid Excel workbook (it may be damaged, or another kind of file "
                          "renamed to .xlsx); open it in Excel and save it again as .xlsx") from None
    unpacked = sum(i.file_size for i in infos)
    limit = config.limits.max_uncompressed_mb * 1024 * 1024
    if unpacked > limit:
        raise _Unreadable(f"would unpack to {unpacked / 1024 / 1024:,.0f} MB, over the limit of "
                          f"{config.limits.max_uncompressed_mb:g} MB; this is unsafe or not a normal "
                          "tracker (the limit is [limits] max_uncompressed_mb in the template)")

    try:
        sheet_parts = _sheet_parts(archive)
        percent_styles = _percent_styles(archive)
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise _Unreadable(f"contains unsafe or malformed XML ({type(exc).__name__}) and was not read") from None
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        raise _Unreadable("is not a valid Excel workbook (parts of it are missing or damaged); "
                          "open it in Excel and save it again as .xlsx") from None

    import python_calamine as calamine  # imported here: only workbooks need it

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    except calamine.PasswordError:
        raise _Unreadable("is password-protected; remove the password or save an unprotected copy") from None
    except Exception:  # calamine raises several unrelated types for damaged files
        raise _Unreadable("could not be read as an Excel workbook (it may be damaged); "
                          "open it in Excel and save it again as .xlsx") from None

    tables, reports = [], []
    for sheet_name in sheet_names:
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            if sheet.width > config.limits.max_columns:
                rows = None
            else:
                rows = sheet.to_python(skip_empty_area=False, nrows=config.limits.max_rows + 1)
        except Exception:
            raise _Unreadable(f'sheet "{sheet_name}" could not be read (the file may be damaged); '
                              "open it in Excel and save it again") from None
        if rows is None:
            reports.append(SheetReport(sheet_name, None, note=f"skipped: more than {config.limits.max_columns} "
                                       "columns in use ([limits] max_columns in the template)"))
            continue
        part = sheet_parts.get(sheet_name)

        def scan(header_row: int, positions: dict[str, int], part=part) -> dict[tuple[int, str], str]:
            return {} if part is None else _cell_notes(archive.read(part), header_row, positions, percent_styles)

        table, report = _find_table(name, sheet_name, rows[: config.limits.max_rows], config, scan)
        if table is not None:
            if len(rows) > config.limits.max_rows:
                raise _Unreadable(f'sheet "{sheet_name}" has more than {config.limits.max_rows:,} rows, '
                                  "over the limit ([limits] max_rows in the template)")
            tables.append(table)
        reports.append(report)
    return tables, reports


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook's relationships."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name")] = path
    return parts


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a percentage."""
    try:
        styles = SafeET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    percent_formats = {9, 10}  # Excel's built-in 0% and 0.00%
    for fmt in styles.iterfind("m:numFmts/m:numFmt", _NS):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
        if "%" in code:
            percent_formats.add(int(fmt.get("numFmtId", -1)))
    return frozenset(index for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS))
                     if int(xf.get("numFmtId", 0)) in percent_formats)


# calamine hands back a blank for error values and for formulas that were never
# calculated, and a plain number for a percentage cell, so a light scan of the
# sheet's XML finds those cells. It runs only when the sheet has such cells.
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]*)</v>')
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>/]*)>(?:<f[^>]*/>|<f[^>]*>([^<]*)</f>)(<v\s*/>|<v></v>|</c>)')


def _cell_notes(xml: bytes, header_row: int, positions: dict[str, int],
                percent_styles: frozenset[int]) -> dict[tuple[int, str], str]:
    letters = {_letter(position): column for column, position in positions.items()}
    notes: dict[tuple[int, str], str] = {}

    def note(letter: bytes, row: bytes, text: str) -> None:
        column = letters.get(letter.decode())
        if column is not None and int(row) > header_row:
            notes.setdefault((int(row), column), text)  # an error outranks a percentage format

    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            note(m[1], m[2], "error:" + m[3].decode("utf-8", "replace"))
    if b"<f" in xml:
        for m in _FORMULA_NO_VALUE.finditer(xml):
            if b't="str"' in m[3] and m[5] != b"</c>":
                continue  # a text formula whose saved value is "" (Excel writes <v/>), e.g. =IF(A2="","",…)
            formula = html.unescape((m[4] or b"").decode("utf-8", "replace"))
            note(m[1], m[2], "formula:=" + formula if formula else "formula:")
    progress_letter = next((k for k, v in letters.items() if v == "progress"), None)
    if percent_styles and progress_letter:
        pattern = re.compile(rb'<c r="' + progress_letter.encode() + rb'(\d+)"([^>]*)>')
        for m in pattern.finditer(xml):
            style = re.search(rb'\bs="(\d+)"', m[2])
            if style and int(style[1]) in percent_styles:
                note(progress_letter.encode(), m[1], "percent")
    return notes


def _letter(index: int) -> str:
    """Excel's column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- CSV -----------------------------------------------------------------------

def _read_csv(name: str, data: bytes, config: Config) -> tuple[list[RawTable], list[SheetReport]]:
    if b"\x00" in data[:8192]:
        raise _Unreadable("is not a text CSV file (it contains binary data); "
                          "export it again from Excel as CSV")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # What Excel's plain "CSV" writes on a UK PC.
            text = data.decode("cp1252", errors="replace")
    head = text[:20000].splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = ";" if sum(line.count(";") for line in head) > sum(line.count(",") for line in head) else ","
    try:
        csv.field_size_limit(10_000_000)
        rows = []
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(record)
            if len(rows) > config.limits.max_rows:
                raise _Unreadable(f"has more than {config.limits.max_rows:,} rows, over the limit "
                                  "([limits] max_rows in the template)")
    except csv.Error as exc:
        raise _Unreadable(f"is not a well-formed CSV file ({exc}); export it again from Excel") from None
    sheet = PurePosixPath(name).stem  # a CSV has one sheet, named after the file as Excel does
    table, report = _find_table(name, sheet, rows, config)
    return ([table] if table is not None else []), [report]


# --- header row and table ------------------------------------------------------

def _find_table(file: str, sheet: str, rows: list[list], config: Config,
                scan: Callable[[int, dict[str, int]], dict[tuple[int, str], str]] | None = None,
                ) -> tuple[RawTable | None, SheetReport]:
    """Recognise the sheet by its header row, then keep its non-blank rows.

    ``scan(header_row, positions)`` finds the cells the reader saw as blank but
    that hold an error or an uncalculated formula; their rows are kept.
    """
    lookups = {t.name: header_lookup(t, config.header_aliases) for t in TABLES}
    best = None  # (score, table, header index, positions)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for table in TABLES:
            positions: dict[str, int] = {}
            headers: dict[str, str] = {}
            for position, cell in enumerate(row):
                if isinstance(cell, str) and cell.strip():
                    column = lookups[table.name].get(header_key(cell))
                    if column is not None and column not in positions:
                        positions[column] = position
                        headers[column] = cell.strip()
            found = sum(1 for c in table.required if c in positions)
            complete = found == len(table.required)
            near = table is ACTIVITIES and found >= ACTIVITIES_NEAR_MISS
            if complete or near:
                score = (complete, found, len(positions))
                if best is None or score > best[0]:
                    best = (score, table, index, positions, headers)
    if best is None:
        return None, SheetReport(sheet, None, note="skipped: no header row with the activities or "
                                                  "metrics columns in the first 15 rows")

    _, table, index, positions, headers = best
    header_row = index + 1
    notes = scan(header_row, positions) if scan else {}
    flagged_rows = {row for (row, _), note in notes.items() if note != "percent"}
    records, excel_rows = [], []
    width = max(positions.values()) + 1
    pick = operator.itemgetter(*positions.values())
    for offset, row in enumerate(rows[index + 1:], start=header_row + 1):
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        values = pick(row)
        values = list(values) if isinstance(values, tuple) else [values]
        if any(not _blank(v) for v in values) or offset in flagged_rows:
            records.append(values)
            excel_rows.append(offset)
    frame = pd.DataFrame(records, columns=list(positions), dtype=object)
    frame["_row"] = excel_rows
    missing = tuple(c for c in table.required if c not in positions)
    raw = RawTable(file, sheet, table.name, header_row, headers, frame, missing=missing, cell_notes=notes)
    note = f"{table.title.lower()}: {len(records)} rows, header on row {header_row}"
    return raw, SheetReport(sheet, table.name, len(records), header_row, note)


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())

