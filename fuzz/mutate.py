"""Seeded mutations of the shipped sample inputs: one small inputs folder per case.

A case takes one of the sample files in ``inputs/`` (sometimes two) and changes
it one to four times. What it changes:

- inside the parts of a workbook: bytes flipped, inserted and deleted; XML
  declarations and encodings changed; shared-string indices out of range; cell
  types that contradict their values; far-away cells and inflated dimensions;
  parts duplicated, dropped, copied or left unreferenced; sheets without a name;
- in a CSV file: delimiters, quotes, line ends, NUL bytes, encodings, bytes;
- in any cell of a table: huge, tiny, negative and non-finite numbers, dates and
  periods near and far beyond the accepted years, text that is long, empty, full of
  control characters or markup, and values that are right for the column but at
  its edges (so that many cases pass validation and go on to build the pack).

The same (seed, case number) always gives the same bytes: a failure found in a
long run is rebuilt from its two numbers (``fuzz/run.py --seed S --case N``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import warnings
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "inputs"
SAMPLE_NAMES = ("acui-gsv.xlsx", "esu-csa-tracker.xlsx", "other-partners.csv")


@dataclass(frozen=True)
class Case:
    """One inputs folder to try: file name -> bytes, and what was done to make it."""

    seed: int
    number: int
    files: dict[str, bytes]
    steps: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"seed{self.seed}-case{self.number}"

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        return folder


# --- what goes into cells ---------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)
NASTY_NUMBERS = [
    0,
    -0.0,
    -1,
    -1e-9,
    5e-324,
    1e-320,
    1e-9,
    0.005,
    0.994999,
    0.5,
    1,
    99.5,
    100,
    100.0000001,
    101,
    999_999_999.99,
    1_000_000_000,
    1_000_000_000.01,
    1e12,
    -1e12,
    1e12 + 1,
    1e15,
    2**53 + 1,
    1e300,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    73415,
    73416,
    2958465,
    2958466,
    1e10,
]
NASTY_NUMBER_TEXTS = [
    "inf",
    "-inf",
    "nan",
    "NaN",
    "1e309",
    "-1e309",
    "9" * 400,
    "-" + "9" * 400,
    "1e-400",
    "0x10",
    "1_000",
    "1,000,000,000",
    "£1,000,000,000.01",
    "£999,999,999",
    "GBP 12",
    "12 GBP",
    "45%",
    "45%%",
    "100%",
    "101%",
    "-0%",
    "0.5%",
    "1.2.3",
    "1,2,3",
    "+",
    "-",
    ".",
    "",
    " ",
    "£",
    "1,0000",
    "٣",
    "１２",
    "½",
    "1e3",
    "  1200.50  ",
    "£-5",
    "(12)",
]
NASTY_DATES = [
    dt.date(2000, 1, 1),
    dt.date(1999, 12, 31),
    dt.date(2100, 12, 31),
    dt.date(2101, 1, 1),
    dt.date(1900, 1, 1),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.date(2024, 2, 29),
    dt.date(2026, 7, 31),
    dt.date(2025, 8, 1),
    dt.date(2025, 7, 31),
]
NASTY_DATE_TEXTS = [
    "31/12/9999",
    "15/11/9999",
    "01/01/0001",
    "0000-01-01",
    "9999-12-31",
    "2100-12-31",
    "2101-01-01",
    "1999-12-31",
    "2000-01-01",
    "29/02/2025",
    "29/02/2024",
    "31/04/2026",
    "00/00/00",
    "1/1/00",
    "31/12/99",
    "2026-3-1",
    "2026-03-31 00:00",
    "2026-03-31T00:00:00",
    "31.03.2026",
    "31-03-2026",
    "TBC",
    "Q3",
    "2026",
    "31/03/2026 12:00",
]
NASTY_PERIODS = [
    "2000-01 Q1",
    "2100-01 Q4",
    "2101-02 Q1",
    "1999-00 Q4",
    "9999-00 Q2",
    "0000-01 Q1",
    "Q4 99/00",
    "Q1 00/01",
    "2025-26 Q5",
    "2025/26 Q0",
    "2025-27 Q1",
    "Q1 2025/2026",
    "q2 2025-26",
    "2025 - 26   q3",
    "2024-25 Q4",
    "2026-27 Q1",
    "2019-20 Q2",
    "2035-36 Q1",
    "2025-26Q1",
    "Q 1 2025-26",
]
NASTY_TEXTS = [
    "",
    " ",
    "\u00a0",
    "\t",
    "x" * 5000,
    ("Lorem ipsum dolor sit amet " * 2000)[:50_000],
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 60,
    "<b>bold</b> & <font color='red'>x</font> ]]>",
    "=1+1",
    '=HYPERLINK("http://example.com")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "Bell\x07 and\x1b[31m escape",
    "line\nbreak\r\nand\rmore",
    "\u202eRTL override",
    "\u200bzero width",
    "Students 🎓🌍 👩🏽‍🎓",
    "اتحاد الطلاب",
    "学生会国际战略",
    "Ŵŷ Ελληνικά Кириллица",
    "#N/A",
    "#DIV/0!",
    "'quoted",
    '"',
    '""',
    "a,b;c|d",
    "%s %d {0} {{ x }} {% if %}",
    "\\x00",
    "None",
    "null",
    "NaN",
]
STATUSES = [
    "Red",
    "Amber",
    "Green",
    "Complete",
    "Not started",
    "R",
    "A",
    "G",
    "B",
    "Blue",
    "Grey",
    "Gray",
    "On track",
    "At risk",
    "Off track",
    "Behind",
    "Done",
    "Completed",
    " red ",
    "GREEN",
    "Purple",
    "Yellow",
    "Red/Amber",
    "",
    "0",
]
UNITS = ["number", "%", "£", "percent", "gbp", "", "kg", "€"]
DIRECTIONS = ["higher", "lower", "up", "down", "more", "less", "higher is better", "lower is better", "sideways", ""]


@lru_cache(maxsize=1)
def _registry_names() -> tuple[list[str], list[str]]:
    from boardpack.config import load_config

    config = load_config()
    partners = [n for e in config.partners.entries for n in (e.name, e.short_name, *e.aliases)]
    areas = [n for e in config.areas.entries for n in (e.name, e.short_name, *e.aliases)]
    return partners, areas


def value_for(kind: str, rng: random.Random):
    """A value for a column of this kind: mostly right for it but at an edge, often wrong."""
    partners, areas = _registry_names()
    right = {
        "partner": lambda: rng.choice(partners + [p.upper() for p in partners] + [f"  {p}  " for p in partners]),
        "area": lambda: rng.choice(areas),
        "text": lambda: rng.choice(NASTY_TEXTS[1:] + [f"Activity {rng.randrange(10**6)}"]),
        "period": lambda: rng.choice(
            NASTY_PERIODS[:2]
            + NASTY_PERIODS[6:8]
            + NASTY_PERIODS[11:17]
            + [d for d in NASTY_DATES if 2000 <= d.year <= 2100]
        ),
        "status": lambda: rng.choice(STATUSES[:20]),
        "percent": lambda: rng.choice([0, 0.5, 1, 45, 99.5, 100, 1e-9, "45%", "100%", "0%", 0.45]),
        "date": lambda: rng.choice(
            [d for d in NASTY_DATES if 2000 <= d.year <= 2100]
            + ["2000-01-01", "2100-12-31", "29/02/2024", "1/1/00", "31/12/99"]
        ),
        "money": lambda: rng.choice(
            [
                0,
                0.01,
                0.005,
                0.994999,
                1e-9,
                999_999_999.99,
                1_000_000_000,
                "£1,000,000,000",
                "£999,999,999",
                "GBP 12",
                "  1200.50  ",
                5e-324,
                2**53 + 1,
            ]
        ),
        "number": lambda: rng.choice(
            [0, -1, -1e12, 1e12, 0.000001, -0.000001, 1e-9, 5e-324, 999_999_999_999.5, -0.0, 2**53 + 1]
        ),
        "unit": lambda: rng.choice(UNITS[:6]),
        "direction": lambda: rng.choice(DIRECTIONS[:8]),
    }
    if rng.random() < 0.6 and kind in right:
        return right[kind]()
    pool = rng.choice(
        [
            NASTY_NUMBERS,
            NASTY_NUMBER_TEXTS,
            NASTY_DATES,
            NASTY_DATE_TEXTS,
            NASTY_PERIODS,
            NASTY_TEXTS,
            STATUSES,
            UNITS,
            DIRECTIONS,
            [True, False, None],
        ]
    )
    return rng.choice(pool)


# --- the samples, and where their tables are ---------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where a sample sheet's table is: its header row (1-based) and each column letter's kind."""

    part: str  # zip member of the sheet, or "" for a CSV
    header_row: int
    kinds: dict[str, str]
    last_row: int


@lru_cache(maxsize=1)
def samples() -> dict[str, bytes]:
    return {name: (SAMPLES / name).read_bytes() for name in SAMPLE_NAMES}


@lru_cache(maxsize=1)
def layouts() -> dict[str, list[Layout]]:
    """The table layouts of every sample sheet, found by their headers as boardpack finds them."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from boardpack.schema import TABLES, header_lookup

    lookups = [header_lookup(t, {}) for t in TABLES]
    kinds = {c.name: c.kind for t in TABLES for c in t.columns}
    from boardpack.text import header_key

    def find(rows: list[list]) -> tuple[int, dict[str, str]] | None:
        for index, row in enumerate(rows[:15]):
            for lookup in lookups:
                found = {
                    get_column_letter(i + 1): kinds[lookup[header_key(v)]]
                    for i, v in enumerate(row)
                    if isinstance(v, str) and header_key(v) in lookup
                }
                if len(found) >= 4:
                    return index + 1, found
        return None

    result: dict[str, list[Layout]] = {}
    for name, data in samples().items():
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode("cp1252"))))
            header, found = find(rows)
            result[name] = [Layout("", header, found, len(rows))]
            continue
        book = load_workbook(io.BytesIO(data))
        result[name] = []
        for number, sheet in enumerate(book.worksheets, start=1):
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            located = find(rows)
            if located:
                result[name].append(Layout(f"xl/worksheets/sheet{number}.xml", located[0], located[1], sheet.max_row))
    return result


# --- workbook mutations ------------------------------------------------------------------------


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted, sometimes
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts:
                archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


XML_TOKENS = [
    b"<",
    b">",
    b"/>",
    b'"',
    b"'",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#xFFFF;",
    b'<c r="A1">',
    b"</c>",
    b"<v>",
    b"</v>",
    b"<row>",
    b"</row>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?x?>",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x80",
    b' r="XFD1048576"',
    b' t="s"',
    b' t="e"',
    b"<f>1/0</f>",
    b"<is><t>x</t></is>",
    b"sheetData",
    b"</sheetData>",
    b"<sheetData>",
]


def _weighted_part(parts: list[tuple[str, bytes]], rng: random.Random) -> int:
    weights = []
    for name, _ in parts:
        weights.append(
            4
            if "worksheets/" in name
            else 2
            if "sharedStrings" in name
            else 1
            if name.endswith((".xml", ".rels"))
            else 0.3
        )
    return rng.choices(range(len(parts)), weights)[0]


def _cell_xml(ref: str, value, style: bytes, rng: random.Random) -> bytes:
    """A <c> element for ``value``, written the ways Excel and other programs write it."""
    s = b' s="' + style + b'"' if style else b""
    head = b'<c r="' + ref.encode() + b'"' + s
    if value is None:
        return head + b"/>"
    if isinstance(value, bool):
        return head + b' t="b"><v>' + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, dt.date):
        serial = (value - EXCEL_EPOCH).days  # a date cell keeps the column's date style
        return head + b"><v>" + str(serial).encode() + b"</v></c>"
    if isinstance(value, (int, float)):
        return head + b"><v>" + repr(value).encode() + b"</v></c>"
    text = escape(value)
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", lambda m: f"_x{ord(m[0]):04X}_", text)
    how = rng.random()
    if how < 0.15:
        return head + b' t="str"><f>"x"</f><v>' + text.encode() + b"</v></c>"  # a formula's saved text
    return head + b' t="inlineStr"><is><t xml:space="preserve">' + text.encode() + b"</t></is></c>"


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>.*?</c>)', re.DOTALL)


def _set_cells(xml: bytes, layout: Layout, rng: random.Random, steps: list[str], count: int) -> bytes:
    """Put values into random cells of the table (kind-aware)."""
    for _ in range(count):
        letter = rng.choice(sorted(layout.kinds) + ["M", "AX", "AY"] * (rng.random() < 0.1))
        row = rng.randint(layout.header_row + 1, max(layout.header_row + 1, layout.last_row + rng.choice([0, 0, 0, 2])))
        kind = layout.kinds.get(letter, "text")
        value = value_for(kind, rng)
        ref = f"{letter}{row}"
        existing = re.search(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', xml, re.DOTALL)
        style = b""
        if existing:
            found = re.search(rb'\ss="(\d+)"', existing[1])
            style = found[1] if found else b""
            xml = xml[: existing.start()] + _cell_xml(ref, value, style, rng) + xml[existing.end() :]
        else:
            row_tag = re.search(rb'<row r="' + str(row).encode() + rb'"[^>]*?(/?)>', xml)
            if row_tag is None or row_tag[1]:
                new_row = b'<row r="' + str(row).encode() + b'">' + _cell_xml(ref, value, b"", rng) + b"</row>"
                xml = xml.replace(b"</sheetData>", new_row + b"</sheetData>", 1)
            else:
                end = xml.index(b"</row>", row_tag.end())
                xml = xml[:end] + _cell_xml(ref, value, b"", rng) + xml[end:]
        steps.append(f"cell {ref} ({kind}) = {value!r:.80}")
    return xml


def _workbook_mutation(
    parts: list[tuple[str, bytes]], sheets: list[Layout], rng: random.Random, steps: list[str]
) -> list[tuple[str, bytes]]:
    kind = rng.choices(
        [
            "cells",
            "bytes",
            "declaration",
            "shared index",
            "cell type",
            "far cell",
            "dimension",
            "parts",
            "sheet name",
            "far refs",
            "rows",
        ],
        [10, 4, 1.5, 1, 1.5, 1.5, 0.5, 1.5, 0.7, 0.3, 1],
    )[0]
    names = [n for n, _ in parts]
    index_of = {n: i for i, n in enumerate(names)}
    sheet_index = [index_of[s.part] for s in sheets if s.part in index_of]

    def edit(i: int, content: bytes) -> None:
        parts[i] = (parts[i][0], content)

    if kind == "cells" and sheets:
        layout = rng.choice(sheets)
        if layout.part in index_of:
            i = index_of[layout.part]
            edit(i, _set_cells(parts[i][1], layout, rng, steps, rng.choice([1, 1, 1, 2, 3, 8])))
        return parts
    if kind == "rows" and sheets:
        layout = rng.choice(sheets)
        i = index_of.get(layout.part)
        if i is None:
            return parts
        xml = parts[i][1]
        rows = list(re.finditer(rb'<row r="(\d+)".*?</row>', xml, re.DOTALL))
        data_rows = [m for m in rows if int(m[1]) > layout.header_row]
        if not data_rows:
            return parts
        m = rng.choice(data_rows)
        if rng.random() < 0.5:  # the same row again at the end (a duplicate activity)
            last = max(int(r[1]) for r in rows) + 1
            copy = re.sub(rb'r="([A-Z]+)\d+"', lambda c: b'r="' + c[1] + str(last).encode() + b'"', m[0])
            copy = copy.replace(b'<row r="' + m[1] + b'"', b'<row r="' + str(last).encode() + b'"', 1)
            xml = xml.replace(b"</sheetData>", copy + b"</sheetData>", 1)
            steps.append(f"{layout.part}: row {int(m[1])} repeated as row {last}")
        else:
            xml = xml[: m.start()] + xml[m.end() :]
            steps.append(f"{layout.part}: row {int(m[1])} removed")
        edit(i, xml)
        return parts
    if kind == "bytes":
        i = _weighted_part(parts, rng)
        content = bytearray(parts[i][1])
        for _ in range(rng.choice([1, 1, 2, 5, 20])):
            how = rng.choice(["flip", "insert", "delete"])
            at = rng.randrange(len(content) + 1)
            if how == "flip" and content:
                at = min(at, len(content) - 1)
                content[at] ^= 1 << rng.randrange(8)
            elif how == "insert":
                token = rng.choice(XML_TOKENS) if rng.random() < 0.7 else bytes(rng.randrange(256) for _ in range(4))
                content[at:at] = token
            elif content:
                del content[at : at + rng.choice([1, 2, 8, 64, 1000])]
            steps.append(f"{parts[i][0]}: byte {how} at {at}")
        edit(i, bytes(content))
        return parts
    if kind == "declaration":
        i = rng.choice(
            [
                index_of[n]
                for n in (
                    "xl/workbook.xml",
                    "xl/_rels/workbook.xml.rels",
                    "xl/styles.xml",
                    "[Content_Types].xml",
                    "xl/sharedStrings.xml",
                )
                if n in index_of
            ]
            + sheet_index
        )
        name, content = parts[i]
        body = re.sub(rb"^\s*<\?xml[^>]*\?>\s*", b"", content)
        encoding = rng.choice(
            [
                "bogus",
                "UTF-16",
                "utf-32",
                "ISO-8859-1",
                "ascii",
                "rot13",
                "hex",
                "cp037",
                "shift_jis",
                "utf-8",
                "",
                None,
                "utf16 re-encoded",
                "bom",
            ]
        )
        if encoding is None:
            content = body
        elif encoding == "utf16 re-encoded":
            content = ('<?xml version="1.0" encoding="UTF-16"?>' + body.decode("utf-8", "replace")).encode("utf-16")
        elif encoding == "bom":
            content = b"\xef\xbb\xbf" + content
        else:
            content = f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>'.encode() + body
        steps.append(f"{name}: XML declaration, encoding {encoding!r}")
        edit(i, content)
        return parts
    if kind == "shared index":
        for i in sheet_index:
            xml = parts[i][1]
            shared = list(re.finditer(rb'(<c r="[A-Z]+\d+"[^>]*t="s"[^>]*><v>)(\d+)(</v>)', xml))
            if shared:
                m = rng.choice(shared)
                bad = rng.choice(
                    [
                        b"-1",
                        b"999999",
                        b"2147483648",
                        b"18446744073709551616",
                        b"x",
                        b"",
                        b"1.5",
                        b" 3 ",
                        str(len(shared) + 5).encode(),
                    ]
                )
                edit(i, xml[: m.start(2)] + bad + xml[m.end(2) :])
                steps.append(f"{parts[i][0]}: shared-string index {bad!r}")
                return parts
        return _workbook_mutation(parts, sheets, rng, steps)
    if kind == "cell type" and sheet_index:
        i = rng.choice(sheet_index)
        xml = parts[i][1]
        cells = list(_CELL.finditer(xml))
        if cells:
            m = rng.choice(cells)
            attributes = re.sub(rb'\st="[^"]*"', b"", m[3])
            new_type = rng.choice([b"n", b"s", b"b", b"e", b"str", b"inlineStr", b"d", b"z", b""])
            body = m[4]
            if rng.random() < 0.4 and body != b"/>":
                body = rng.choice(
                    [
                        b"><v>abc</v></c>",
                        b"><v>7</v></c>",
                        b"><v></v></c>",
                        b"><v/></c>",
                        b"><v>2025-13-45T00:00</v></c>",
                        b"><v>1e309</v></c>",
                        b"><v>NaN</v></c>",
                        b"><f>A1</f></c>",
                        b"><is><t>12</t></is></c>",
                    ]
                )
            cell = b'<c r="' + m[1] + m[2] + b'"' + attributes + (b' t="' + new_type + b'"' if new_type else b"") + body
            edit(i, xml[: m.start()] + cell + xml[m.end() :])
            steps.append(f"{parts[i][0]}: cell {m[1].decode()}{m[2].decode()} type {new_type.decode()!r}")
        return parts
    if kind in ("far cell", "far refs") and sheet_index:
        i = rng.choice(sheet_index)
        xml = parts[i][1]
        row = rng.choice([99_999, 100_000, 100_001, 200_000, 200_001, 1_048_576, 3])
        column = rng.choice(["A", "L", "AX", "AY", "GR", "GS", "XFD", "ZZZZ"])
        if kind == "far refs":
            copies = rng.choice([100, 1000, 40_000])
            junk = b'<c r="' + column.encode() + str(row).encode() + b'"'
            xml = xml.replace(b"</sheetData>", junk * copies + b"/></sheetData>", 1)
            steps.append(f'{parts[i][0]}: {copies} copies of <c r="{column}{row}"')
        else:
            body = rng.choice([b"<v>1</v>", b"<is><t> </t></is>", b"", b"<f>1</f>", None])
            cell = (
                b'<c r="'
                + f"{column}{row}".encode()
                + b'"'
                + (
                    b' s="0"/>'
                    if body is None
                    else b' t="inlineStr">' + body + b"</c>"
                    if body.startswith(b"<is")
                    else b">" + body + b"</c>"
                )
            )
            if rng.random() < 0.2:
                cell = re.sub(rb' r="[^"]*"', b"", cell)  # a cell without a reference
            xml = xml.replace(
                b"</sheetData>", b'<row r="' + str(row).encode() + b'">' + cell + b"</row></sheetData>", 1
            )
            steps.append(f"{parts[i][0]}: cell {cell[:60]!r} in row {row}")
        edit(i, xml)
        return parts
    if kind == "dimension" and sheet_index:
        i = rng.choice(sheet_index)
        ref = rng.choice([b"A1:XFD1048576", b"A1:AY100001", b"A1", b"", b"ZZZZ99999999"])
        edit(i, re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + ref + b'"/>', parts[i][1]))
        steps.append(f"{parts[i][0]}: dimension {ref.decode()!r}")
        return parts
    if kind == "parts":
        i = _weighted_part(parts, rng)
        how = rng.choice(["drop", "duplicate", "copy unreferenced", "empty", "swap"])
        name, content = parts[i]
        if how == "drop":
            del parts[i]
        elif how == "duplicate":
            parts.insert(i + 1, (name, content))
        elif how == "copy unreferenced":
            parts.append(("xl/worksheets/extra" + str(rng.randrange(9)) + ".xml", content))
        elif how == "empty":
            edit(i, b"")
        else:
            j = _weighted_part(parts, rng)
            parts[i], parts[j] = (name, parts[j][1]), (parts[j][0], content)
        steps.append(f"{name}: part {how}")
        return parts
    if kind == "sheet name" and "xl/workbook.xml" in index_of:
        i = index_of["xl/workbook.xml"]
        new = rng.choice(
            [None, "", " ", "Tracker", "ACUI and GSV", "x" * 40, "Sheet\x01", "Metrics", "&amp;", "History", "'quoted'"]
        )
        xml = parts[i][1]
        sheet_tags = list(re.finditer(rb'<sheet [^>]*?name="[^"]*"', xml))
        if sheet_tags:
            m = rng.choice(sheet_tags)
            tag = re.sub(rb'\sname="[^"]*"', b"" if new is None else b' name="' + escape(new).encode() + b'"', m[0])
            edit(i, xml[: m.start()] + tag + xml[m.end() :])
            steps.append(f"xl/workbook.xml: sheet name {new!r}")
        return parts
    return _workbook_mutation(parts, sheets, rng, steps)


# --- CSV mutations ------------------------------------------------------------------------------


def _csv_mutations(data: bytes, layout: Layout, rng: random.Random, count: int, steps: list[str]) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("cp1252"), newline="")))
    delimiter, encoding, line_end, quoting = ",", "cp1252", "\r\n", csv.QUOTE_MINIMAL
    raw_edits: list[str] = []
    for _ in range(count):
        kind = rng.choices(
            ["cells", "delimiter", "encoding", "line ends", "quoting", "rows", "bytes", "nul", "wide"],
            [10, 1, 1.5, 0.7, 0.7, 1, 1.5, 0.7, 0.5],
        )[0]
        if kind == "cells":
            letters = sorted(layout.kinds)
            for _ in range(rng.choice([1, 1, 1, 2, 3, 8])):
                letter = rng.choice(letters)
                column = sum((ord(c) - 64) * 26**k for k, c in enumerate(reversed(letter))) - 1
                row = rng.randrange(1, len(rows) + 1) if rng.random() < 0.95 else 0
                while len(rows) <= row:
                    rows.append([])
                while len(rows[row]) <= column:
                    rows[row].append("")
                value = value_for(layout.kinds[letter], rng)
                rows[row][column] = _as_csv_text(value, rng)
                steps.append(f"cell {letter}{row + 1} ({layout.kinds[letter]}) = {rows[row][column]!r:.80}")
        elif kind == "delimiter":
            delimiter = rng.choice([";", "\t", "|", ",", " "])
            steps.append(f"delimiter {delimiter!r}")
        elif kind == "encoding":
            encoding = rng.choice(
                ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "mac_roman", "utf-32"]
            )
            steps.append(f"encoding {encoding}")
        elif kind == "line ends":
            line_end = rng.choice(["\n", "\r", "\r\n", "\n\r"])
            steps.append(f"line ends {line_end!r}")
        elif kind == "quoting":
            quoting = rng.choice([csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_MINIMAL])
            if rng.random() < 0.4:
                raw_edits.append(rng.choice(['"', '""', '"\n"', "'", '\r"']))
                steps.append("unbalanced quote")
            steps.append(f"quoting {quoting}")
        elif kind == "rows":
            if len(rows) > layout.header_row and rng.random() < 0.5:
                row = rows[rng.randrange(layout.header_row, len(rows))]
                rows.append(list(row))
                steps.append("a data row repeated at the end")
            elif len(rows) > 1:
                del rows[rng.randrange(len(rows))]
                steps.append("a row removed")
        elif kind == "wide":
            row = rows[rng.randrange(len(rows))]
            row.extend([""] * rng.choice([40, 60, 300]) + [rng.choice(["x", "", " "])])
            steps.append(f"row widened to {len(row)} columns")
        else:
            raw_edits.append(kind)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end, quoting=quoting).writerows(rows)
    text = buffer.getvalue()
    for edit in raw_edits:
        if edit not in ("bytes", "nul"):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + edit + text[at:]
    out = bytearray(text.encode(encoding, errors="replace"))
    for edit in raw_edits:
        if edit == "nul":
            for _ in range(rng.choice([1, 3, 50])):
                at = rng.randrange(len(out) + 1)
                out[at:at] = b"\x00"
            steps.append("NUL bytes")
        elif edit == "bytes":
            for _ in range(rng.choice([1, 2, 10])):
                at = rng.randrange(max(len(out), 1))
                if out:
                    out[at] = rng.randrange(256)
            steps.append("bytes changed")
    return bytes(out)


def _as_csv_text(value, rng: random.Random) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return rng.choice(["TRUE", "FALSE", "True", "1"])
    if isinstance(value, dt.date):
        return rng.choice([value.strftime("%d/%m/%Y"), value.isoformat(), str((value - EXCEL_EPOCH).days)])
    if isinstance(value, float):
        return rng.choice([repr(value), f"{value:,.2f}" if abs(value) < 1e20 else repr(value)])
    return str(value)


# --- cases ---------------------------------------------------------------------------------


def make_case(seed: int, number: int) -> Case:
    """The inputs folder of case ``number`` of the run seeded ``seed``."""
    rng = random.Random(f"boardpack-fuzz:{seed}:{number}")
    originals, tables = samples(), layouts()
    chosen = [rng.choice(SAMPLE_NAMES)]
    if rng.random() < 0.2:
        chosen.append(rng.choice([n for n in SAMPLE_NAMES if n not in chosen]))
    files: dict[str, bytes] = {}
    steps: list[str] = []
    for position, name in enumerate(chosen):
        steps.append(f"-- {name}")
        data = originals[name]
        mutations = 0 if position and rng.random() < 0.5 else rng.choice([1, 1, 1, 2, 2, 3, 4])
        if name.endswith(".csv"):
            data = _csv_mutations(data, tables[name][0], rng, mutations, steps) if mutations else data
        else:
            parts = _parts(data)
            for _ in range(mutations):
                parts = _workbook_mutation(parts, tables[name], rng, steps)
            data = _zip(parts) if mutations else data
        files[name] = data
    return Case(seed, number, files, tuple(steps))
