"""Find the input files, read their sheets and find each table's header row.

This stage only reads: it turns files into RawTables (text and numbers as typed,
with the Excel row number of every row) and reports files it could not read.
Checking the values is validation's job.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import operator
import re
import zipfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise, zip_longest
from pathlib import Path, PurePosixPath

import pandas as pd
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .config import Config, Limits
from .model import LoadedInputs, Problem, RawTable, SheetReport, SourceFile, TotalsRow, UnreadColumn
from .schema import ACTIVITIES, ACTIVITIES_NEAR_MISS, HEADER_SEARCH_ROWS, TABLES, TOTAL_KEYS, header_lookup
from .text import header_key

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv"}
LEGACY_SUFFIXES = {
    ".xls": "an old Excel 97-2003 workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".xlsb": "an Excel binary workbook",
    ".numbers": "an Apple Numbers file",
}

# An encrypted (password-protected) workbook is an OLE compound file, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


class _Unreadable(Exception):
    """A file that cannot be read at all; the message says why and what to do.

    ``sheet``, ``row`` and ``column`` place it when the fault sits in one cell
    (``column`` is then the column letter, as Excel shows it).
    """

    def __init__(
        self, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column

    def problem(self, file: str) -> Problem:
        return Problem(file, self.sheet, self.row, None, None, str(self), letter=self.column)


# Characters that would garble a terminal, a PDF or an XML file when a file or
# sheet name is shown: control characters, and the lone surrogates Python uses
# for file-name bytes that are not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """A file, sheet or header name safe to show anywhere: unprintable characters become "?"."""
    return text if text.isprintable() else _UNPRINTABLE.sub("?", text)


def load_inputs(folder: str | Path, config: Config) -> LoadedInputs:
    """Read every spreadsheet in ``folder`` (not recursive) into raw tables."""
    folder = Path(folder)
    tables: list[RawTable] = []
    sources: list[SourceFile] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []

    limit_mb = config.limits.max_uncompressed_mb
    read_bytes = read_rows = 0  # of the files kept so far: all of them together stay within the limits
    for path in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        name = printable(path.name)
        suffix = path.suffix.lower()
        if name.startswith("~$"):
            skipped.append((name, "an Office lock file (the workbook is open in Excel)"))
        elif name.startswith("."):
            skipped.append((name, "a hidden file"))
        elif path.is_dir():
            if suffix in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        None,
                        "is a folder, not a spreadsheet; move the file itself into the inputs folder",
                    )
                )
            else:
                skipped.append((name, "a folder (sub-folders are not read)"))
        elif suffix in LEGACY_SUFFIXES:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    None,
                    f"is {LEGACY_SUFFIXES[suffix]}, which cannot be read; "
                    "open it in Excel and save it as an Excel Workbook (.xlsx)",
                )
            )
        elif suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
            skipped.append((name, "not a spreadsheet (.xlsx, .xlsm or .csv)"))
        else:
            try:
                if not path.is_file():  # a pipe would block the read; a device could be endless
                    raise _Unreadable(
                        "is not an ordinary file (it is a link to nothing, a device or a pipe); "
                        "put the spreadsheet itself in the inputs folder"
                    )
                size = path.stat().st_size
                if size > limit_mb * 1024 * 1024:
                    raise _Unreadable(
                        f"is {size / 1024 / 1024:,.0f} MB, over the limit of {limit_mb:g} MB "
                        "([limits] max_uncompressed_mb in the template); this is not a normal tracker"
                    )
                data = path.read_bytes()
            except OSError as exc:
                problems.append(Problem(name, None, None, None, None, f"cannot be read: {exc.strerror}"))
                continue
            except _Unreadable as exc:
                problems.append(exc.problem(name))
                continue
            try:
                if not data:
                    raise _Unreadable("is empty (0 bytes); save the spreadsheet again or remove the file")
                reader = _read_workbook if suffix in WORKBOOK_SUFFIXES else _read_csv
                file_tables, reports, content = reader(name, data, config)
            except _Unreadable as exc:
                problems.append(exc.problem(name))
                continue
            except Exception as exc:  # a fault of ours: name the file, and go on to check the others
                problems.append(Problem.fault(name, exc))
                continue
            rows = sum(len(table.frame) for table in file_tables)
            if read_bytes + content > limit_mb * 1024 * 1024 or read_rows + rows > config.limits.max_rows:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        None,
                        (
                            f"was not read: with the files before it, the inputs would come to more than "
                            f"{limit_mb:g} MB or {config.limits.max_rows:,} rows, the limits for all files together "
                            "([limits] max_uncompressed_mb and max_rows in the template); move the files of earlier "
                            "years out of the inputs folder"
                        ),
                    )
                )
                continue
            read_bytes, read_rows = read_bytes + content, read_rows + rows
            tables.extend(file_tables)
            sources.append(SourceFile(name, hashlib.sha256(data).hexdigest(), len(data), tuple(reports)))
            if not any(report.rows or report.note != _EMPTY_SHEET for report in reports):
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        None,
                        "has no data: every sheet in it is empty, so nothing was read from it",
                        "warning",
                    )
                )

    return LoadedInputs(str(folder), tuple(tables), tuple(sources), tuple(skipped), tuple(problems))


# --- workbooks ---------------------------------------------------------------


def _read_workbook(name: str, data: bytes, config: Config) -> tuple[list[RawTable], list[SheetReport], int]:
    """The workbook's tables, a report on each sheet, and its size once unpacked (shared texts counted in every cell)."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _Unreadable(
                "is password-protected (encrypted); remove the password "
                "(File › Info › Protect Workbook) or save an unprotected copy as .xlsx"
            )
        raise _Unreadable(
            "is an old Excel 97-2003 workbook (or password-protected) with an .xlsx name; "
            "open it in Excel and save it as an Excel Workbook (.xlsx)"
        )
    limits = config.limits
    archive = _open_package(data, limits.max_uncompressed_mb)
    far_cells, sheet_xml, content = _check_parts(data, archive, limits)

    try:
        sheet_parts = _sheet_parts(archive)
        percent_styles = _percent_styles(archive)
        time_styles = _time_styles(archive)
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise _Unreadable(f"contains unsafe or malformed XML ({type(exc).__name__}) and was not read") from None
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError):
        raise _Unreadable(
            "is not a valid Excel workbook (parts of it are missing or damaged); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    if far_cells:
        # Checked before calamine sees the sheet: it would set aside memory for
        # every cell between A1 and the far one (a stray value in XFD1048576 asks
        # for half a terabyte, and the process is killed rather than told).
        part, (row, column) = min(far_cells.items())
        sheet = next((printable(s) for s, p in sheet_parts.items() if p == part), printable(part))
        cell = f"{_letter(column - 1)}{row}"
        raise _Unreadable(
            f'has a value in cell {cell} of sheet "{sheet}", beyond the limit of '
            f"{limits.max_rows:,} rows and {limits.max_columns:,} columns ([limits] max_rows and "
            "max_columns in the template); if that cell is not part of your table, clear it "
            "(in Excel, Ctrl+End jumps to the last cell in use), save and run again",
            sheet,
            row,
            _letter(column - 1),
        )
    for part, xml in sheet_xml.items():
        # calamine turns a date or duration cell into a date or a time span as it hands
        # it over, and cannot for a number as far out as this: it stops with a panic
        # (or an OverflowError) and the whole sheet would look damaged.
        found = _no_such_time(xml, *time_styles)
        if found:
            sheet = next((printable(s) for s, p in sheet_parts.items() if p == part), printable(part))
            letters, row, value = found
            raise _Unreadable(
                f'cell {letters}{row} of sheet "{sheet}" holds {value} in a date, time or duration '
                "format, and no date or time is that far from 1900; type the value again, or set "
                "the cell's format to General (Home › Number), save and run again",
                sheet,
                row,
                letters,
            )

    import python_calamine as calamine  # imported here: only workbooks need it

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    except calamine.PasswordError:
        raise _Unreadable("is password-protected; remove the password or save an unprotected copy") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # calamine raises several unrelated types, and a Rust panic is a BaseException
        raise _Unreadable(
            "could not be read as an Excel workbook (it may be damaged); open it in Excel and save it again as .xlsx"
        ) from None

    tables, reports = [], []
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
            raise _Unreadable(
                f'sheet "{shown}" could not be read (the file may be damaged); open it in Excel and save it again',
                shown,
            ) from None
        if rows is None:  # the check of the sheet's XML above should have caught it; never read it whole
            raise _Unreadable(
                f'sheet "{shown}" uses {sheet.height:,} rows and {sheet.width:,} columns, over the '
                f"limit of {limits.max_rows:,} rows and {limits.max_columns:,} columns ([limits] in "
                "the template); delete the unused rows and columns",
                shown,
            )
        part = sheet_parts.get(sheet_name)

        def scan(header_row: int, positions: dict[str, int], part=part) -> dict[tuple[int, str], str]:
            return _cell_notes(sheet_xml.get(part, b""), header_row, positions, percent_styles)

        table, report = _find_table(name, shown, rows[: limits.max_rows], config, scan, _merges(sheet))
        if table is not None:
            if len(rows) > limits.max_rows:
                raise _Unreadable(
                    f'sheet "{shown}" has more than {limits.max_rows:,} rows, '
                    "over the limit ([limits] max_rows in the template)",
                    shown,
                )
            tables.append(table)
        reports.append(report)
    return tables, reports, content


# --- the zip package: checked before any part of it is parsed ---------------------
#
# python-calamine unzips and parses the workbook in Rust, out of our hands, so
# everything that could make it (or us) use unbounded memory or time is checked
# here first, on bytes we inflate ourselves with a cap: the number of parts, the
# sizes they declare, the sizes they really inflate to, document type
# declarations (entity expansion, external entities) in any part, a shared
# string count that would reserve gigabytes, and cells far beyond the limits.

_MAX_PARTS = 10_000  # an Excel workbook has tens of parts; hundreds with many sheets and pictures
_CHUNK = 1 << 20  # 1 MB


def _bad_package() -> _Unreadable:
    return _Unreadable(
        "is not a valid Excel workbook (it may be damaged, or another kind of file "
        "renamed to .xlsx); open it in Excel and save it again as .xlsx"
    )


def _unsafe(what: str) -> _Unreadable:
    return _Unreadable(
        f"is not a normal Excel workbook and was not read: {what}. This is how files are built "
        "to attack the program reading them; if you trust the file, open it in Excel and save "
        "a fresh copy as .xlsx"
    )


def _zip_entry_count(data: bytes) -> int | None:
    """The number of parts the zip's end record declares, read before zipfile lists them all."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == b"PK\x06\x06":
            count = int.from_bytes(data[record + 32 : record + 40], "little")
    return count


def _open_package(data: bytes, limit_mb: float) -> zipfile.ZipFile:
    """The zip, once its directory is known to be of a sane size and its declared sizes fit the limit."""
    count = _zip_entry_count(data)
    if count is None:
        raise _bad_package()
    if count > _MAX_PARTS:
        raise _unsafe(f"it holds {count:,} parts")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _bad_package() from None
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _unsafe("two of its parts have the same name")
    if any(info.flag_bits & 0x1 for info in infos):
        raise _Unreadable("is password-protected (encrypted); remove the password or save an unprotected copy")
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in infos):
        raise _unsafe("its parts are compressed in a way Excel never uses")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit_mb * 1024 * 1024:
        raise _Unreadable(
            f"would unpack to {unpacked / 1024 / 1024:,.0f} MB, over the limit of "
            f"{limit_mb:g} MB; this is unsafe or not a normal tracker (the limit is "
            "[limits] max_uncompressed_mb in the template)"
        )
    return archive


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, inflated here with a cap: never more than the size it declares.

    Rust's zip reader (inside calamine) inflates a part to its end whatever size
    the part declares, so a part that declares 1 KB but inflates to gigabytes
    is refused here, after at most one chunk more than it declared.
    """
    header = info.header_offset
    if data[header : header + 4] != b"PK\x03\x04":
        raise _bad_package()
    start = (
        header
        + 30
        + int.from_bytes(data[header + 26 : header + 28], "little")
        + int.from_bytes(data[header + 28 : header + 30], "little")
    )
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise _bad_package()
    if info.compress_type == zipfile.ZIP_STORED:
        content = bytes(raw)
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pieces, size = [], 0
        try:
            # Compressed bytes go in by the chunk (so the unconsumed rest that
            # zlib hands back stays small); inflated bytes come out by the chunk.
            for start in range(0, len(raw), _CHUNK):
                pending = raw[start : start + _CHUNK]
                while pending and not inflater.eof:
                    piece = inflater.decompress(pending, _CHUNK)
                    size += len(piece)
                    if size > info.file_size:
                        raise _unsafe(
                            f"its part {printable(info.filename)} inflates to more than the "
                            f"{info.file_size:,} bytes it declares (a zip bomb)"
                        )
                    pieces.append(piece)
                    pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
        except zlib.error:
            raise _bad_package() from None
        if not inflater.eof:
            raise _bad_package()
        content = b"".join(pieces)
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise _bad_package()
    return content


def _check_parts(
    data: bytes, archive: zipfile.ZipFile, limits: Limits
) -> tuple[dict[str, tuple[int, int]], dict[str, bytes], int]:
    """Inflate and check every part; return the sheets with a value beyond the limits.

    Returns {part name: (row, column)} (1-based) of the first such value found,
    the inflated XML of every sheet, so the cell scan need not inflate it again,
    and the workbook's size unpacked, each shared text counted in every cell that uses it.
    """
    max_rows, max_columns = limits.max_rows, limits.max_columns
    far: dict[str, tuple[int, int]] = {}
    sheets: dict[str, bytes] = {}
    shared: list[int] = []  # the most bytes each shared text can hold
    unpacked = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        content = _inflate(data, info)
        unpacked += len(content)
        if _declares_doctype(content):
            raise _unsafe(
                f"its part {printable(info.filename)} declares a document type (used for entity-expansion "
                "and external-entity attacks)"
            )
        unique = _UNIQUE_COUNT.search(content)
        if unique and int(unique[1]) > len(content):
            raise _unsafe(
                f"its part {printable(info.filename)} claims {int(unique[1]):,} different texts in "
                f"{len(content):,} bytes"
            )
        if b"sheetData" in content:
            sheets[info.filename] = content
            cell = _far_cell(content, max_rows, max_columns)
            if cell is not None:
                far[info.filename] = cell
        if _SHARED_STRINGS.search(content, 0, 4096):
            starts = [m.start() for m in _SHARED_ITEM.finditer(content)] + [len(content)]
            sizes = [end - start for start, end in pairwise(starts)]
            shared = [max(pair) for pair in zip_longest(shared, sizes, fillvalue=0)]
    # calamine copies a shared text into every cell that uses it, and the reader
    # makes one Python text of each: a short part can hold a huge workbook.
    content = unpacked + sum(_shared_text_size(xml, shared) for xml in sheets.values())
    if content > limits.max_uncompressed_mb * 1024 * 1024:
        raise _Unreadable(
            f"would unpack to {content / 1024 / 1024:,.0f} MB once each shared text is counted in "
            f"every cell that uses it, over the limit of {limits.max_uncompressed_mb:g} MB; this is "
            "unsafe or not a normal tracker (the limit is [limits] max_uncompressed_mb in the template)"
        )
    return far, sheets, content


_SHARED_STRINGS = re.compile(rb"<(?:[\w.-]+:)?sst[\s>]")
_SHARED_ITEM = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
_SHARED_CELL = re.compile(rb"""\st\s*=\s*["']s["']""")
_SHARED_INDEX = re.compile(rb"""<c\s[^<>]*?\bt="s"[^<>]*>\s*<v>\s*(\d{1,9})\s*</v>""")  # stops at the next "<"


def _shared_text_size(xml: bytes, shared: list[int]) -> int:
    """At most how many bytes of shared text the cells of this sheet use (each text counted per cell)."""
    if not shared:
        return 0
    longest = max(shared)
    cells = sum(1 for _ in _SHARED_CELL.finditer(xml))
    if cells * longest <= _CHUNK:
        return cells * longest
    counted, size = 0, 0
    for m in _SHARED_INDEX.finditer(xml):
        index = int(m[1])
        counted += 1
        size += shared[index] if index < len(shared) else 0
    return size + max(cells - counted, 0) * longest  # cells written some other way: the longest text each


_UNIQUE_COUNT = re.compile(rb"""uniqueCount\s*=\s*["']\s*\+?(\d{6,})""")


def _declares_doctype(content: bytes) -> bool:
    """True when the XML holds <!DOCTYPE or <!ENTITY (in any case, UTF-8 or UTF-16)."""
    head = content[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        for codec in ("utf-16-le", "utf-16-be"):
            text = content.decode(codec, errors="ignore").upper()
            if "<!DOCTYPE" in text or "<!ENTITY" in text:
                return True
    at = content.find(b"<!")
    while at >= 0:
        if content[at + 2 : at + 9].upper().startswith((b"DOCTYPE", b"ENTITY")):
            return True
        at = content.find(b"<!", at + 2)
    return False


# --- cells beyond the limits ---------------------------------------------------------
#
# calamine builds a sheet as one block from its first to its last cell holding a
# value, so one stray value far away makes the block enormous; formatting alone
# (<c r="XFD1048576" s="3"/>, or a <dimension> that says A1:XFD1048576) does not.
# Cells without an r="A1" reference sit after the previous cell, so a sheet
# that has any is walked tag by tag the way calamine reads it. Every scan here
# looks at each byte of a part a bounded number of times: a crafted part must
# not turn the check into the hang it guards against.

_ANY_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
_CELL_WITH_REF = re.compile(rb"<(?:[\w.-]+:)?c\s(?:[^<>]*?\s)?r\s*=\s*[\"']")  # never reads past the next "<"
_TAG_REST = re.compile(rb"""(?:[^>"']+|"[^"]*"|'[^']*')*>""")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?(?:v|is)[\s>/]")


def _above(limit: int, digits: bool) -> bytes:
    """A regex for row numbers (or column letters) greater than ``limit``: longer, or as long and larger."""
    text = str(limit) if digits else _letter(limit - 1)
    alphabet = "0123456789" if digits else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    any_char = r"\d" if digits else "[A-Za-z]"

    def above(char: str) -> str:
        higher = alphabet[alphabet.index(char) + 1 :]
        return "[" + higher + ("" if digits else higher.lower()) + "]" if higher else "(?!)"

    options = [f"{any_char}{{{len(text) + 1},}}"]
    for index, char in enumerate(text):
        prefix = "".join(c if digits else f"[{c}{c.lower()}]" for c in text[:index])
        options.append(
            prefix + above(char) + (f"{any_char}{{{len(text) - index - 1}}}" if index < len(text) - 1 else "")
        )
    return "|".join(f"(?:{o})" for o in options).encode()


@lru_cache(maxsize=8)
def _far_ref(max_rows: int, max_columns: int, usual: bool) -> re.Pattern[bytes]:
    """r="..." attributes naming a cell beyond row max_rows or column max_columns.

    ``usual``: every cell tag starts <c r="..." (Excel, openpyxl, XlsxWriter), so
    the search can run on that literal text, several times faster.
    """
    far = rb"(?:(" + _above(max_columns, False) + rb")(\d+)|([A-Za-z]+)(" + _above(max_rows, True) + rb"))"
    # Formatting alone (<c r="XFD9" s="1"/>, <c r="XFD9" s="1"></c>) is passed over by the regex
    # itself; the look-ahead stops at the next "<", so it never reads a byte twice.
    formatting_only = rb"""(?!(?:\s+[\w.:-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*\s*(?:/>|></(?:[\w.-]+:)?c>))"""
    if usual:
        return re.compile(rb'<c r="' + far + rb'"' + formatting_only)
    return re.compile(rb"""\sr\s*=\s*(["'])""" + far + rb"\1" + formatting_only)


# A cell tag that is not <c r="...": one without a reference, or written differently.
_UNUSUAL_CELL = re.compile(rb'<(?:[\w.-]+:c|c(?! r="))[\s>/]')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def _far_cell(xml: bytes, max_rows: int, max_columns: int) -> tuple[int, int] | None:
    """(row, column) of a cell holding something beyond the limits, or None."""
    usual = _UNUSUAL_CELL.search(xml) is None
    if not usual and len(_ANY_CELL.findall(xml)) != len(_CELL_WITH_REF.findall(xml)):
        return _far_cell_walk(xml, max_rows, max_columns)
    pattern, at = _far_ref(max_rows, max_columns, usual), 0
    first = 1 if usual else 2  # group of the column letters
    while (m := pattern.search(xml, at)) is not None:
        at = m.end()
        letters, digits = (m[first], m[first + 1]) if m[first] else (m[first + 2], m[first + 3])
        row, column = int(digits), _column_number(letters)
        if row <= max_rows and column <= max_columns:
            continue  # leading zeros: "A0000001" is row 1
        # The search goes on after the cell: a match inside its tag or content is no cell to
        # calamine, and no byte is looked at twice.
        holds, at = _holds_value(xml, at)
        if holds:
            return row, column
    return None


def _holds_value(xml: bytes, at: int) -> tuple[bool, int]:
    """Whether the cell whose start tag continues at ``at`` holds a value calamine keeps, and where it ends.

    Formatting alone (<c r="XFD1048576" s="3"/>), an empty cell and a formula
    with no value are left out by calamine; anything we cannot follow counts.
    """
    rest = _TAG_REST.match(xml, at)
    if rest is None:
        return True, len(xml)
    if rest[0].endswith(b"/>"):
        return False, rest.end()
    end = _CELL_END.search(xml, rest.end())
    if end is None:
        return True, len(xml)
    return _VALUE.search(xml, rest.end(), end.start()) is not None, end.end()


# The part read as an XML reader reads it, one tag after another, each from its
# "<" to its ">" (or to the end of the part, when it has none), so that no byte is
# read twice. Text, comments, CDATA, processing instructions and the tags not
# asked for are passed over inside the regex; a match ends at the next tag asked
# for -- (closing "/", name, attributes, ">" or b"" when cut off) -- or at the end.
_ATTRIBUTES = rb"""(?:[^>"']+|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*"""


def _next_tag(starts: bytes, ends: bytes) -> re.Pattern[bytes]:
    """Matches from where the last tag ended through the next start tag named in ``starts``
    or end tag named in ``ends`` (names as regex alternatives, any namespace prefix)."""
    wanted = rb"(?:/(?:[\w.-]+:)?(?:" + ends + rb")|(?:[\w.-]+:)?(?:" + starts + rb"))(?=[\s/>])"
    passed_over = (
        rb"[^<]+|<(?:!--.*?(?:-->|\Z)|!\[CDATA\[.*?(?:\]\]>|\Z)|\?.*?(?:\?>|\Z)|(?!"
        + wanted
        + rb")"
        + _ATTRIBUTES
        + rb"(?:>|\Z))"
    )
    return re.compile(
        rb"(?:" + passed_over + rb")*(?:<(?=" + wanted + rb")(/?)(?:[\w.-]+:)?([\w.-]+)(" + _ATTRIBUTES + rb")(>|\Z))?",
        re.DOTALL,
    )


_ROW_OR_CELL = _next_tag(rb"row|c", rb"row")
_IN_FAR_CELL = _next_tag(rb"row|c|v|is", rb"row|c")  # after a far cell's start: does a value come before </c>?
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)["']""")


def _far_cell_walk(xml: bytes, max_rows: int, max_columns: int) -> tuple[int, int] | None:
    """As calamine reads: a row's r sets the row, each </row> moves one down, a cell
    without r sits one column right of the previous cell; a cell beyond the limits
    counts when a value (<v>, <is>) starts before its </c>, or when anything
    else happens first (the cautious side)."""
    row = column = at = 0  # row and column 0-based, as calamine counts
    far = None  # (row, column), 1-based, of a cell beyond the limits whose </c> has not come yet
    while True:
        m = (_ROW_OR_CELL if far is None else _IN_FAR_CELL).match(xml, at)
        closing, tag, attributes, end = m[1], m[2], m[3], m[4]
        if tag is None or not end:
            return far  # the end of the part, or a tag cut off by it
        at = m.end()
        if far is not None:
            if closing and tag == b"c":
                far = None  # an empty far cell, or formatting alone: calamine leaves it out
                continue
            return far  # a value, or anything we cannot follow
        if closing:
            row, column = row + 1, 0  # </row>
            continue
        if attributes.endswith(b"/"):
            continue  # self-closing: calamine skips it without moving on
        ref = _REF.search(b" " + attributes)
        if tag == b"row":
            if ref and ref[2]:
                row = int(ref[2]) - 1
            continue
        if ref and ref[1] and ref[2]:
            row_here, column = int(ref[2]) - 1, _column_number(ref[1]) - 1
        else:
            row_here = row
        if row_here >= max_rows or column >= max_columns:
            far = row_here + 1, column + 1
        column += 1


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
            raise _Unreadable(
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
        raise _Unreadable(
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


# A number of at least ten digits before the point, or written with an exponent of 9 or more.
_FAR_NUMBER = re.compile(rb"<v>\s*([-+]?(?:\d{10,}(?:\.\d*)?|\d*\.?\d+[eE]\+?(?:9|\d{2,})|inf|INF|Infinity))\s*</v>")
_STYLED_CELL = re.compile(rb"""<c\s[^<>]*?\br\s*=\s*["']([A-Za-z]+)(\d+)["'][^<>]*>""")
_STYLE = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")


def _no_such_time(xml: bytes, dates: frozenset[int], durations: frozenset[int]) -> tuple[str, int, str] | None:
    """(column letters, row, value) of a date, time or duration cell holding a number calamine cannot convert."""
    if not (dates or durations):
        return None
    for m in _FAR_NUMBER.finditer(xml):
        value = float(m[1])
        if abs(value) < 1e9:
            continue
        start = xml.rfind(b"<c", max(0, m.start() - 2000), m.start())  # the cell's start tag, not far back
        cell = _STYLED_CELL.match(xml, start) if start >= 0 else None
        style = _STYLE.search(cell[0]) if cell else None
        if style is None:
            continue
        index = int(style[1])
        if (index in dates and value < -1e11) or (index in durations and abs(value) >= 1e9):
            return cell[1].decode().upper(), int(cell[2]), m[1].decode()
    return None


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
) -> dict[tuple[int, str], str]:
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
        pattern = re.compile(rb'<c r="' + progress_letter.encode() + rb'(\d+)"([^<>]*)>')
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

_EXCEL_MAX_COLUMNS = 16_384


def _is_utf8(data: bytes) -> bool:
    decoder, view = codecs.getincrementaldecoder("utf-8")(), memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(name: str, data: bytes, config: Config) -> tuple[list[RawTable], list[SheetReport], int]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unreadable(
            'is saved as "Unicode Text" (UTF-16), which is not read; in Excel use '
            'File › Save As › "CSV UTF-8 (Comma delimited)"'
        )
    if b"\x00" in data[:8192]:
        raise _Unreadable("is not a text CSV file (it contains binary data); export it again from Excel as CSV")
    # What Excel's plain "CSV" writes on a UK PC is cp1252. The text is decoded as it
    # is read, never held whole beside the file's bytes.
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8" if _is_utf8(data) else "cp1252"
    head = data[:20000].decode(encoding, errors="replace").splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = ";" if sum(line.count(";") for line in head) > sum(line.count(",") for line in head) else ","
    sheet = printable(PurePosixPath(name).stem)  # a CSV has one sheet, named after the file as Excel does
    max_rows, max_columns = config.limits.max_rows, config.limits.max_columns
    rows: list[list[str]] = []

    def lines():
        # A line of millions of commas would become a list of millions of fields
        # before it could be looked at: refuse it as a line first.
        for line in io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline=""):
            if line.count(delimiter) >= _EXCEL_MAX_COLUMNS:
                raise _Unreadable(
                    f"has a row with more than {_EXCEL_MAX_COLUMNS:,} columns, more than Excel "
                    "allows; this is not a normal CSV file",
                    sheet,
                    len(rows) + 1,
                )
            yield line

    try:
        csv.field_size_limit(10_000_000)
        for record in csv.reader(lines(), delimiter=delimiter):
            if len(record) > max_columns:
                while record and not record[-1].strip():
                    record.pop()  # the empty columns Excel writes out to its last used column
                if len(record) > max_columns:
                    letter = _letter(len(record) - 1)
                    raise _Unreadable(
                        f"has a value in column {letter} of row {len(rows) + 1:,}, beyond the "
                        f"limit of {max_columns:,} columns ([limits] max_columns in the template); "
                        "delete the columns after your table",
                        sheet,
                        len(rows) + 1,
                        letter,
                    )
            rows.append(record)
            if len(rows) > max_rows:
                raise _Unreadable(
                    f"has more than {max_rows:,} rows, over the limit ([limits] max_rows in the template)"
                )
    except csv.Error as exc:
        raise _Unreadable(f"is not a well-formed CSV file ({exc}); export it again from Excel") from None
    table, report = _find_table(name, sheet, rows, config)
    return ([table] if table is not None else []), [report], len(data)


# --- header row and table ------------------------------------------------------

_EMPTY_SHEET = "skipped: the sheet is empty"

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first column), (last row, last column)), 0-based


def _merges(sheet) -> tuple[Merge, ...]:
    """The sheet's merged cells that reach into the rows searched for the heading."""
    try:
        ranges = sheet.merged_cell_ranges or ()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a merge list calamine cannot read only loses the two-row heading
        return ()
    return tuple(r for r in ranges if r[0][0] < HEADER_SEARCH_ROWS)


def _heading_views(rows: list[list], merges: tuple[Merge, ...]) -> tuple[list[list], tuple[Merge, ...]]:
    """The first rows of a sheet as headings: a merged cell's text fills every cell it covers.

    Excel shows a merged "Finance (£)" over two columns once, and stores it in
    the first cell only; as a heading it stands over both. Returns the views
    and the merges used.
    """
    views = [list(row) for row in rows[:HEADER_SEARCH_ROWS]]
    width = max((len(row) for row in views), default=0)
    # Merged cells never overlap in a file Excel wrote, so together they cover at
    # most every cell of these rows; a file whose merges claim more is not
    # trusted with them (and cannot make this loop long).
    room = len(views) * width
    for (top, left), (bottom, right) in merges:
        if top < 0 or left < 0 or top >= len(views) or left >= len(views[top]):
            continue
        bottom, right = min(bottom, len(views) - 1), min(right, width - 1)
        room -= max(0, bottom - top + 1) * max(0, right - left + 1)
        if room < 0:
            return [list(row) for row in rows[:HEADER_SEARCH_ROWS]], ()
        text = views[top][left]
        if _blank(text):
            continue
        for r in range(top, bottom + 1):
            if right >= len(views[r]):
                views[r].extend([""] * (right + 1 - len(views[r])))
            for c in range(left, right + 1):
                if _blank(views[r][c]):
                    views[r][c] = text
    return views, merges


def _recognise(cells: list, lookup: dict[str, str]) -> tuple[dict[str, int], dict[str, str], dict[int, str]]:
    """The columns a heading row names: (column -> position, column -> heading as written,
    position -> column it repeats, for a later heading naming a column already found)."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    repeats: dict[int, str] = {}
    for position, cell in enumerate(cells):
        if isinstance(cell, str) and cell.strip():
            column = lookup.get(header_key(cell))
            if column is None:
                continue
            if column in positions:
                repeats[position] = column
            else:
                positions[column] = position
                headers[column] = printable(cell.strip())
    return positions, headers, repeats


def _sub_headings(row: list) -> bool:
    """Whether a row could be sub-headings under a group heading: some text, and nothing but text."""
    cells = [cell for cell in row if not _blank(cell)]
    return bool(cells) and all(isinstance(cell, str) for cell in cells)


def _find_table(
    file: str,
    sheet: str,
    rows: list[list],
    config: Config,
    scan: Callable[[int, dict[str, int]], dict[tuple[int, str], str]] | None = None,
    merges: tuple[Merge, ...] = (),
) -> tuple[RawTable | None, SheetReport]:
    """Recognise the sheet by its heading row, then keep its non-blank rows.

    The heading is one row, or two when a group heading (merged or not) stands
    over sub-headings: each sub-heading names its column, and where one is
    blank the group heading above it does. Two rows are taken only when
    together they name more columns than either alone.

    ``scan(header_row, positions)`` finds the cells the reader saw as blank but
    that hold an error or an uncalculated formula; their rows are kept.
    Columns holding values that are not read, and totals rows, are recorded
    for validation to report.
    """
    lookups = {t.name: header_lookup(t, config.header_aliases) for t in TABLES}
    views, merges = _heading_views(rows, merges)
    best = None  # (score, table, first heading index, last heading index, heading cells, recognised)
    for index, view in enumerate(views):
        below = views[index + 1] if index + 1 < len(views) and _sub_headings(rows[index + 1]) else None
        for table in TABLES:
            lookup = lookups[table.name]
            single = _recognise(view, lookup)
            candidates = [(index, view, single)]
            if below is not None:
                width = max(len(view), len(below))
                combined = [
                    below[p] if p < len(below) and not _blank(below[p]) else (view[p] if p < len(view) else "")
                    for p in range(width)
                ]
                pair = _recognise(combined, lookup)
                grown = set(pair[0].items())
                if grown > set(single[0].items()) and grown > set(_recognise(below, lookup)[0].items()):
                    candidates.append((index + 1, combined, pair))
            for last, cells, recognised in candidates:
                positions = recognised[0]
                found = sum(1 for c in table.required if c in positions)
                complete = found == len(table.required)
                near = table is ACTIVITIES and found >= ACTIVITIES_NEAR_MISS
                if complete or near:
                    score = (complete, found, len(positions))
                    if best is None or score > best[0]:
                        best = (score, table, index, last, cells, recognised)
    if best is None:
        if not any(not _blank(cell) for row in rows for cell in row):
            return None, SheetReport(sheet, None, note=_EMPTY_SHEET)
        return None, SheetReport(
            sheet, None, note="skipped: no header row with the activities or metrics columns in the first 15 rows"
        )

    _, table, first, last, cells, (positions, headers, repeats) = best
    # A heading merged down from the row above starts the heading there.
    first = min(
        [first]
        + [
            top
            for (top, left), (bottom, right) in merges
            for p in positions.values()
            if top < first <= bottom and left <= p <= right
        ]
    )
    if first < last and first < len(views):  # a blank sub-heading is named by the group heading above it
        cells = [
            cell if not _blank(cell) else (views[first][p] if p < len(views[first]) else "")
            for p, cell in enumerate(cells)
        ]
    header_row = last + 1
    notes = scan(header_row, positions) if scan else {}
    unseen_per_row: dict[int, int] = {}  # cells holding an error or a formula with no saved value
    for (row, _), note in notes.items():
        if note != "percent":
            unseen_per_row[row] = unseen_per_row.get(row, 0) + 1
    flagged_rows = set(unseen_per_row)
    data = rows[last + 1 :]
    known = set(positions.values())
    full_width = max((len(row) for row in data), default=0)
    extra = [p for p in range(full_width) if p not in known]
    unread_rows: dict[int, list[int]] = {p: [] for p in extra}
    records, excel_rows, totals = [], [], []
    width = max(positions.values()) + 1
    pick = operator.itemgetter(*positions.values())
    for offset, row in enumerate(data, start=header_row + 1):
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        total = _totals_row(row, unseen_per_row.get(offset, 0))
        if total is not None:
            position, label = total
            totals.append(
                TotalsRow(
                    offset,
                    label,
                    _letter(position),
                    _heading_text(cells, position),
                    {c: row[p] for c, p in positions.items() if p < len(row) and not _blank(row[p])},
                    unseen_per_row.get(offset, 0),
                )
            )
            continue
        values = pick(row)
        values = list(values) if isinstance(values, tuple) else [values]
        if any(not _blank(v) for v in values) or offset in flagged_rows:
            records.append(values)
            excel_rows.append(offset)
        for p in extra:
            if p < len(row) and not _blank(row[p]):
                unread_rows[p].append(offset)
    frame = pd.DataFrame(records, columns=list(positions), dtype=object)
    frame["_row"] = excel_rows
    missing = tuple(c for c in table.required if c not in positions)
    unread = tuple(
        UnreadColumn(_letter(p), _heading_text(cells, p), tuple(found), repeats.get(p))
        for p, found in unread_rows.items()
        if found
    )
    letters = {c: _letter(p) for c, p in positions.items()}
    raw = RawTable(
        file,
        sheet,
        table.name,
        header_row,
        headers,
        frame,
        missing=missing,
        cell_notes=notes,
        letters=letters,
        unread=unread,
        totals=tuple(totals),
    )
    heading = f"header on row {header_row}" if first == last else f"header on rows {first + 1} and {header_row}"
    note = f"{table.title.lower()}: {len(records)} rows, {heading}"
    return raw, SheetReport(sheet, table.name, len(records), header_row, note)


# Text that is a number as staff type one: 4000, 4,000.50, £4,000, GBP 300, 45%.
_NUMBER_LIKE = re.compile(r"^[-+]?\s*(?:£|gbp)?\s*[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)\s*%?$", re.IGNORECASE)


_NUMBER_START = frozenset("0123456789£+-.gG")
_TOTAL_START = frozenset("tTsSgG")


def _totals_row(row: list, unseen: int) -> tuple[int, str] | None:
    """(position, label) when the row's only text is "Total" or a spelling of it, beside numbers.

    Numbers are number cells, number-like text (a CSV holds only text) and
    formulas whose figures could not be seen (``unseen``). Called for every
    row, so an ordinary row is turned away at its first ordinary text.
    """
    label = None
    numbers = unseen
    for position, cell in enumerate(row):
        if cell is None or cell == "":
            continue
        if isinstance(cell, str):
            text = cell.strip()
            if not text:
                continue
            if text[0] in _NUMBER_START and _NUMBER_LIKE.match(text):
                numbers += 1
            elif label is None and text[0] in _TOTAL_START and len(text) <= 12 and header_key(text) in TOTAL_KEYS:
                label = (position, text)
            else:
                return None  # other text, or a second label: an ordinary row
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            numbers += 1
        else:
            return None  # a date, a yes/no: an ordinary row
    return label if label is not None and numbers else None


def _heading_text(cells: list, position: int) -> str:
    """The heading above a column as written, or "" when there is none."""
    if position >= len(cells) or _blank(cells[position]):
        return ""
    cell = cells[position]
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return printable(str(cell).strip())


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())
