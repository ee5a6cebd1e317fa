"""Read a CSV file: its encoding, its delimiter and its rows, within the limits."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import PurePosixPath

from ..config import Config
from ..formats import printable
from ..model import RawTable, SheetReport
from ..schema import HEADER_SEARCH_ROWS
from .common import CHUNK, Unreadable, column_letter
from .header import find_table

_EXCEL_MAX_COLUMNS = 16_384


def _is_utf8(data: bytes) -> bool:
    decoder, view = codecs.getincrementaldecoder("utf-8")(), memoryview(data)
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(view[start : start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_csv(name: str, data: bytes, config: Config) -> tuple[list[RawTable], list[SheetReport], int]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable(
            'is saved as "Unicode Text" (UTF-16), which is not read; in Excel use '
            'File › Save As › "CSV UTF-8 (Comma delimited)"'
        )
    if b"\x00" in data[:8192]:
        raise Unreadable("is not a text CSV file (it contains binary data); export it again from Excel as CSV")
    # What Excel's plain "CSV" writes on a UK PC is cp1252. The text is decoded as it
    # is read, never held whole beside the file's bytes.
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8" if _is_utf8(data) else "cp1252"
    head = data[:20000].decode(encoding, errors="replace").splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = ";" if sum(line.count(";") for line in head) > sum(line.count(",") for line in head) else ","
    sheet = printable(PurePosixPath(name).stem)  # a CSV has one sheet, named after the file as Excel does
    max_rows, max_columns = config.limits.max_rows, config.limits.max_columns
    rows: list[list[str]] = []

    def lines() -> Iterator[str]:
        # A line of millions of commas would become a list of millions of fields
        # before it could be looked at: refuse it as a line first.
        for line in io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline=""):
            if line.count(delimiter) >= _EXCEL_MAX_COLUMNS:
                raise Unreadable(
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
                    letter = column_letter(len(record) - 1)
                    raise Unreadable(
                        f"has a value in column {letter} of row {len(rows) + 1:,}, beyond the "
                        f"limit of {max_columns:,} columns ([limits] max_columns in the template); "
                        "delete the columns after your table",
                        sheet,
                        len(rows) + 1,
                        letter,
                    )
            rows.append(record)
            if len(rows) > max_rows:
                raise Unreadable(f"has more than {max_rows:,} rows, over the limit ([limits] max_rows in the template)")
    except csv.Error as exc:
        raise Unreadable(f"is not a well-formed CSV file ({exc}); export it again from Excel") from None
    table, report = find_table(name, sheet, rows, config)
    return ([table] if table is not None else []), [report], len(data)
