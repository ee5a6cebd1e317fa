"""Hostile and broken inputs, and faults while writing (issue #5).

Whatever is in the inputs folder, a run ends in one of two ways: a pack, or a
clear message naming the file (and, where it has one, the sheet, row and
column) -- exit 1, nothing written, the previous pack untouched, no traceback.

Every file is built here, in the test (the zip bombs included: a few MB on
disk). Each refusal is measured in this process against a generous bound on
time and memory: a guard against runaway, not a benchmark. Files that would
make python-calamine abort the whole process (it asks for half a terabyte when
one stray value sits in XFD1048576) are checked with calamine replaced by a
stub that fails the test if it is ever reached, so a regression fails one test
instead of killing the run; one end-to-end case runs the real thing in a
subprocess with its address space capped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import json
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import time
import types
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from defusedxml import ElementTree as SafeET
from helpers import (
    ACTIVITY_HEADERS,
    MB,
    METRIC_HEADERS,
    TEMPLATE,
    activity,
    assert_clean,
    bounded,
    metric,
    only_problem,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

import boardpack.write
from boardpack import CoverOptions, InputProblems, OutputError, build_charts, build_pack, load_config, validate_inputs
from boardpack.config import Limits
from boardpack.messages import format_problems, problems_json
from boardpack.model import Chart
from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def no_calamine(monkeypatch):
    """python-calamine replaced by a stub: the file must be refused before calamine sees it."""

    def refuse(*args, **kwargs):
        raise AssertionError("calamine was asked to read a file that should have been refused first")

    stub = types.ModuleType("python_calamine")
    stub.CalamineWorkbook = types.SimpleNamespace(from_filelike=refuse, from_path=refuse, from_object=refuse)
    monkeypatch.setitem(sys.modules, "python_calamine", stub)


# --- building files --------------------------------------------------------------------


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def deflated_run(prefix: bytes, byte: bytes, total: int) -> bytes:
    """A raw deflate stream of ``prefix`` then ``byte`` repeated to ``total`` bytes, built in milliseconds.

    After a full flush the compressor starts afresh, so one compressed megabyte
    of ``byte`` can simply be repeated: 4 GB of spaces are 4 MB of deflate.
    """
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeat = block.compress(byte * MB) + block.flush(zlib.Z_FULL_FLUSH)
    return start + repeat * ((total - len(prefix)) // MB) + b"\x03\x00"  # an empty final block


def zip_by_hand(
    members: list[tuple[str, bytes, int, int]], *, flags: int = 0, method: int = 8, count: int | None = None
) -> bytes:
    """A zip of (name, raw deflate data, declared size, crc) members, declaring whatever it is told."""
    out, central = io.BytesIO(), []
    for name, raw, size, crc in members:
        offset, encoded = out.tell(), name.encode()
        out.write(
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, len(raw), size, len(encoded), 0)
            + encoded
            + raw
        )
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                flags,
                method,
                0,
                0x21,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(b"".join(central))
    entries = len(central) if count is None else count
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, entries, entries, out.tell() - start, start, 0))
    return out.getvalue()


def members_of(path: Path, replace: dict[str, tuple[bytes, int, int]] | None = None):
    """A workbook's parts as zip_by_hand members, some replaced by (raw deflate, declared size, crc)."""
    members = []
    for name, data in parts_of(path).items():
        raw_size_crc = (replace or {}).get(name) or (deflate(data), len(data), zlib.crc32(data))
        members.append((name, *raw_size_crc))
    return members


def rewrite(path: Path, member: str, change) -> Path:
    parts = parts_of(path)
    parts[member] = change(parts[member])
    path.write_bytes(zipped(parts))
    return path


def with_shared_strings(path: Path, sst: bytes) -> Path:
    """Add xl/sharedStrings.xml (which openpyxl does not write) and point cell A3 of the sheet at it."""
    parts = parts_of(path)
    parts["xl/sharedStrings.xml"] = sst
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b'<row r="3"><c r="L3" t="s"><v>0</v></c></row></sheetData>')
    path.write_bytes(zipped(parts))
    return path


def add_row(xml: bytes, row: bytes) -> bytes:
    return xml.replace(b"</sheetData>", row + b"</sheetData>")


SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>\n"
)
EXTERNAL_ENTITY = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def assert_where(problem, *, file, sheet=None, row=None, column=None, words=(), severity="error"):
    """The problem's location fields are exactly these (``column`` is the column letter), and the message
    holds each of ``words``."""
    assert (problem.file, problem.sheet, problem.row, problem.letter, problem.severity) == (
        file,
        sheet,
        row,
        column,
        severity,
    ), problem
    for word in words:
        assert word in problem.message, (word, problem.message)


# --- 1. broken files -----------------------------------------------------------------------


def _encrypted(inputs):
    msoffcrypto = pytest.importorskip("msoffcrypto")  # test extra: msoffcrypto-tool
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = inputs.xlsx("plain.xlsx", [ACTIVITY_HEADERS, activity(activity="Secret")])
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain.read_bytes())).encrypt("Pa55word", encrypted)
    plain.unlink()
    assert msoffcrypto.OfficeFile(io.BytesIO(encrypted.getvalue())).is_encrypted()
    inputs.bytes("secret.xlsx", encrypted.getvalue())


def _truncated(keep):
    def build(inputs):
        good = inputs.xlsx("whole.xlsx", [ACTIVITY_HEADERS, activity()])
        inputs.bytes("cut.xlsx", keep(good.read_bytes()))
        good.unlink()

    return build


def _damaged_part(inputs):
    path = inputs.xlsx("cut.xlsx", [ACTIVITY_HEADERS, activity()])
    members = []
    for name, raw, size, crc in members_of(path):
        if name == SHEET:
            raw = raw[:10] + bytes(b ^ 0x5A for b in raw[10:40]) + raw[40:]  # bytes flipped on the way
        members.append((name, raw, size, crc))
    path.write_bytes(zip_by_hand(members))


def _fifo(inputs):
    os.mkfifo(inputs.folder / "pipe.csv")


def _dangling_link(inputs):
    (inputs.folder / "gone.xlsx").symlink_to(inputs.folder / "nowhere.xlsx")


def _odt_as_xlsx(inputs):
    inputs.bytes(
        "sheet.xlsx",
        zipped(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            }
        ),
    )


BROKEN_FILES = {
    # id: (build(inputs), file named, words of the message)
    "zero-byte xlsx": (lambda i: i.bytes("empty.xlsx", b""), "empty.xlsx", ["is empty (0 bytes)"]),
    "zero-byte csv": (lambda i: i.bytes("empty.csv", b""), "empty.csv", ["is empty (0 bytes)"]),
    "random bytes named xlsx": (
        lambda i: i.bytes("noise.xlsx", bytes(range(256)) * 40),
        "noise.xlsx",
        ["is not a valid Excel workbook", "save it again as .xlsx"],
    ),
    "text named xlsx": (
        lambda i: i.bytes("text.xlsx", b"Partner,Area\r\nESU,EDU\r\n"),
        "text.xlsx",
        ["is not a valid Excel workbook"],
    ),
    "truncated to half": (_truncated(lambda b: b[: len(b) // 2]), "cut.xlsx", ["is not a valid Excel workbook"]),
    "truncated end record": (_truncated(lambda b: b[:-10]), "cut.xlsx", ["is not a valid Excel workbook"]),
    "damaged sheet part": (_damaged_part, "cut.xlsx", ["is not a valid Excel workbook"]),
    "binary named csv": (
        lambda i: i.bytes("logo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300)),
        "logo.csv",
        ["is not a text CSV file"],
    ),
    "utf-16 csv": (
        lambda i: i.bytes("unicode.csv", "Partner\tArea\r\n".encode("utf-16")),
        "unicode.csv",
        ["Unicode Text", "CSV UTF-8"],
    ),
    "folder named xlsx": (
        lambda i: (i.folder / "tracker-copy.xlsx").mkdir(),
        "tracker-copy.xlsx",
        ["is a folder, not a spreadsheet"],
    ),
    "encrypted workbook": (_encrypted, "secret.xlsx", ["password-protected (encrypted)", "remove the password"]),
    "legacy xls": (
        lambda i: i.bytes("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "old.xls",
        ["Excel 97-2003", "save it as an Excel Workbook (.xlsx)"],
    ),
    "ods": (lambda i: i.bytes("calc.ods", b"PK\x03\x04"), "calc.ods", ["OpenDocument", "(.xlsx)"]),
    "xls renamed xlsx": (
        lambda i: i.bytes("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "old.xlsx",
        ["old Excel 97-2003 workbook", "with an .xlsx name"],
    ),
    "ods renamed xlsx": (_odt_as_xlsx, "sheet.xlsx", ["is not a valid Excel workbook"]),
    "pipe named csv": (_fifo, "pipe.csv", ["is not an ordinary file"]),
    "link to nothing": (_dangling_link, "gone.xlsx", ["is not an ordinary file"]),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES), ids=list(BROKEN_FILES))
def test_a_broken_file_is_one_error_naming_it(inputs, case):
    build, name, words = BROKEN_FILES[case]
    inputs.activities_xlsx(activity())  # a good file beside it is still read
    build(inputs)
    with bounded(seconds=5, megabytes=64):
        validated = inputs.validate()
    assert_where(only_problem(validated), file=name, words=words)
    assert [s.name for s in validated.sources] == ["tracker.xlsx"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(inputs, config):
    inputs.activities_xlsx(activity())
    inputs.bytes("big.csv", b"Partner,Area\r\n" + b"x" * 300_000)
    small = dataclasses.replace(config, limits=Limits(max_uncompressed_mb=0.25))
    validated = validate_inputs(inputs.folder, small)
    assert_where(only_problem(validated), file="big.csv", words=["over the limit of 0.25 MB", "max_uncompressed_mb"])


def test_a_workbook_whose_sheets_are_all_empty_is_named(inputs):
    inputs.activities_xlsx(activity())
    inputs.xlsx("blank.xlsx", {"Sheet1": [], "Sheet2": []})
    validated = inputs.validate()
    assert not validated.errors
    assert_where(
        only_problem(validated),
        file="blank.xlsx",
        severity="warning",
        words=["has no data", "every sheet in it is empty"],
    )


def test_only_empty_workbooks_is_no_activities(inputs):
    inputs.xlsx("blank.xlsx", {"Sheet1": []})
    inputs.bytes("blank.csv", b"\r\n\r\n")
    problems = {p.file: p for p in inputs.validate().problems}
    assert {file: p.severity for file, p in problems.items()} == {
        "blank.csv": "warning",
        "blank.xlsx": "warning",
        str(inputs.folder): "error",
    }
    assert "no activities found" in problems[str(inputs.folder)].message


def test_an_empty_inputs_folder_is_no_activities(inputs):
    assert_where(only_problem(inputs.validate()), file=str(inputs.folder), words=["no activities found"])


# --- 2. attacks inside workbooks -----------------------------------------------------------


def _doctype_in(member: str, declaration: bytes = BILLION_LAUGHS):
    def change(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return declaration + body

    return member, change


DOCTYPE_PARTS = {
    "content types": _doctype_in("[Content_Types].xml"),
    "package relationships": _doctype_in("_rels/.rels"),
    "workbook": _doctype_in("xl/workbook.xml"),
    "workbook relationships": _doctype_in("xl/_rels/workbook.xml.rels"),
    "styles": _doctype_in("xl/styles.xml"),
    "sheet": _doctype_in(SHEET),
    "document properties": _doctype_in("docProps/core.xml"),
    "external entity in the sheet": _doctype_in(SHEET, EXTERNAL_ENTITY),
    "lower-case doctype": _doctype_in(SHEET, b'<!doctype x [<!entity a "aaaa">]>'),
    "utf-16 sheet": (
        SHEET,
        lambda xml: (
            (BILLION_LAUGHS.replace(b'1.0"?>', b'1.0" encoding="UTF-16"?>') + xml).decode("utf-8").encode("utf-16")
        ),
    ),
}


@pytest.mark.parametrize("case", list(DOCTYPE_PARTS), ids=list(DOCTYPE_PARTS))
def test_a_document_type_declaration_in_any_part_is_refused_as_unsafe(inputs, no_calamine, case):
    member, change = DOCTYPE_PARTS[case]
    rewrite(inputs.activities_xlsx(activity()), member, change)
    with bounded(seconds=2, megabytes=16):
        validated = inputs.validate()
    assert_where(
        only_problem(validated),
        file="tracker.xlsx",
        words=["not a normal Excel workbook", "declares a document type", member],
    )


@pytest.mark.parametrize("declaration", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity expansion", "external"])
def test_entities_in_the_shared_strings_are_refused(inputs, no_calamine, declaration):
    path = inputs.activities_xlsx(activity())
    with_shared_strings(path, declaration + SST_HEAD + b' count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    with bounded(seconds=2, megabytes=16):
        assert_where(
            only_problem(inputs.validate()),
            file="tracker.xlsx",
            words=["declares a document type", "xl/sharedStrings.xml"],
        )


def test_shared_strings_are_read_when_honest(inputs):
    path = inputs.activities_xlsx(activity())
    with_shared_strings(path, SST_HEAD + b' count="1" uniqueCount="1"><si><t>hello</t></si></sst>')
    validated = inputs.validate()
    assert len(validated.activities) == 1
    # The shared string was read: "hello" in L3, beside the table under no heading, is named.
    [problem] = validated.problems
    assert (problem.severity, problem.letter, problem.message[:19]) == ("warning", "L", "has 1 value (row 3)")


def test_a_shared_string_count_that_would_reserve_gigabytes_is_refused(inputs, no_calamine):
    # calamine reserves room for uniqueCount strings up front: 4 billion asks for 96 GB and aborts.
    path = inputs.activities_xlsx(activity())
    with_shared_strings(path, SST_HEAD + b' count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>')
    assert_where(only_problem(inputs.validate()), file="tracker.xlsx", words=["claims 4,000,000,000 different texts"])


def zip_bomb(inputs, *, declared: int | None, total: int = 4_000_000_000) -> Path:
    """tracker.xlsx whose sheet inflates to ``total`` bytes (4 GB from 4 MB) and declares ``declared``."""
    path = inputs.activities_xlsx(activity())
    sheet = parts_of(path)[SHEET]
    raw = deflated_run(sheet[: sheet.index(b"<sheetData>") + 11], b" ", total)
    path.write_bytes(zip_by_hand(members_of(path, {SHEET: (raw, declared or total, 0)})))
    return path


def test_zip_bomb_declaring_its_size_is_refused_before_inflating(inputs):
    path = zip_bomb(inputs, declared=None)
    assert path.stat().st_size < 5 * MB
    with bounded(seconds=2, megabytes=16) as cost:
        validated = inputs.validate()
    assert_where(
        only_problem(validated),
        file="tracker.xlsx",
        words=["would unpack to 3,815 MB", "over the limit of 100 MB", "max_uncompressed_mb"],
    )
    print(f"zip bomb (declared 4 GB): {cost.seconds * 1000:.1f} ms, peak {cost.peak_mb:.2f} MB")


def test_zip_bomb_lying_about_its_size_is_refused_after_at_most_a_megabyte(inputs):
    path = zip_bomb(inputs, declared=10_000)
    assert path.stat().st_size < 5 * MB
    with bounded(seconds=2, megabytes=16) as cost:
        validated = inputs.validate()
    assert_where(
        only_problem(validated),
        file="tracker.xlsx",
        words=["inflates to more than the 10,000 bytes it declares", "zip bomb"],
    )
    print(f"zip bomb (declares 10 KB, inflates to 4 GB): {cost.seconds * 1000:.1f} ms, peak {cost.peak_mb:.2f} MB")


def test_a_zip_declaring_a_huge_number_of_parts_is_refused_before_listing_them(inputs, no_calamine):
    path = inputs.activities_xlsx(activity())
    path.write_bytes(zip_by_hand(members_of(path), count=60_000))
    with bounded(seconds=1, megabytes=8):
        assert_where(only_problem(inputs.validate()), file="tracker.xlsx", words=["it holds 60,000 parts"])


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda m: m + [m[-1]], ["two of its parts have the same name"]),
        (lambda m: {"flags": 1}, ["password-protected"]),
        (lambda m: {"method": 12}, ["compressed in a way Excel never uses"]),
    ],
    ids=["duplicate part", "zip encryption", "bzip2"],
)
def test_unusual_zip_packaging_is_refused(inputs, no_calamine, change, words):
    path = inputs.activities_xlsx(activity())
    members = members_of(path)
    changed = change(members)
    path.write_bytes(zip_by_hand(changed) if isinstance(changed, list) else zip_by_hand(members, **changed))
    assert_where(only_problem(inputs.validate()), file="tracker.xlsx", words=words)


# A value far away makes calamine allocate every cell from A1 to it: one space in
# XFD1048576 asks for 512 GB and aborts the process. Each spelling calamine reads.
FAR_VALUES = {
    "space in XFD1048576": (
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row>',
        1048576,
        "XFD",
    ),
    "number in XFD3": (b'<row r="3"><c r="XFD3"><v>1</v></c></row>', 3, "XFD"),
    "number in A1048576": (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', 1048576, "A"),
    "single quotes": (b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>", 1048576, "XFD"),
    "lower case": (b'<row r="9"><c r="xfd9"><v>1</v></c></row>', 9, "XFD"),
    "namespace prefix": (
        (
            b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="7">'
            b'<x:c r="XFD7"><x:v>1</x:v></x:c></x:row>'
        ),
        7,
        "XFD",
    ),
    "past Excel's last column": (b'<row r="4"><c r="ZZZZ4"><v>1</v></c></row>', 4, "ZZZZ"),
    "no reference, in the last row": (b'<row r="1048576"><c><v>1</v></c></row>', 1048576, "A"),
    "formula with a value": (b'<row r="5"><c r="XFD5"><f>1+1</f><v>2</v></c></row>', 5, "XFD"),
    "'/>' inside an attribute": (b'<row r="6"><c r="XFD6" x="/>"><v>1</v></c></row>', 6, "XFD"),
}


@pytest.mark.parametrize("case", list(FAR_VALUES), ids=list(FAR_VALUES))
def test_a_value_far_beyond_the_limits_is_one_error_naming_its_cell(inputs, no_calamine, case):
    row_xml, row, column = FAR_VALUES[case]
    rewrite(inputs.activities_xlsx(activity()), SHEET, lambda xml: add_row(xml, row_xml))
    with bounded(seconds=2, megabytes=16):
        validated = inputs.validate()
    assert_where(
        only_problem(validated),
        file="tracker.xlsx",
        sheet="Activities",
        row=row,
        column=column,
        words=[f"has a value in cell {column}{row}", "beyond the limit of 100,000 rows and 50 columns", "Ctrl+End"],
    )


FORMATTING_ONLY = {
    "used range to XFD1048576": lambda xml: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml
    ),
    "formatted far cell": lambda xml: add_row(xml, b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'),
    "formatted far rows": lambda xml: add_row(
        xml,
        b"".join(
            b'<row r="%d" s="0" customFormat="1"><c r="K%d" s="0"/></row>' % (r, r) for r in range(300_000, 300_500)
        ),
    ),
    "empty far cell": lambda xml: add_row(xml, b'<row r="1048576"><c r="XFD1048576" s="0"></c></row>'),
    "formula with no value far away": lambda xml: add_row(
        xml, b'<row r="1048576"><c r="XFD1048576"><f>1</f></c></row>'
    ),
}


@pytest.mark.parametrize("case", list(FORMATTING_ONLY), ids=list(FORMATTING_ONLY))
def test_a_range_inflated_by_formatting_alone_is_read_at_the_speed_of_its_data(inputs, case):
    rewrite(inputs.activities_xlsx(activity(), activity(activity="Second")), SHEET, FORMATTING_ONLY[case])
    with bounded(seconds=2, megabytes=32):
        validated = inputs.validate()
    assert not validated.problems and len(validated.activities) == 2


@pytest.mark.slow
def test_a_far_value_in_the_real_reader_exits_1_in_a_capped_process(tmp_path):
    # End to end with the real calamine, in a subprocess whose address space is
    # capped at 4 GB: without the check it aborts ("memory allocation of
    # 549755813888 bytes failed"), with it the CLI names the cell.
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    book = Workbook()
    book.active.title = "Activities"
    for row in [ACTIVITY_HEADERS, activity()]:
        book.active.append(row)
    book.save(inputs / "tracker.xlsx")
    rewrite(
        inputs / "tracker.xlsx",
        SHEET,
        lambda xml: add_row(xml, b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row>'),
    )
    result = run_cli("validate", "--inputs", str(inputs), "--format", "json", memory_gb=4)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "memory allocation" not in result.stderr
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["file"], problem["sheet"], problem["row"], problem["column_letter"]) == (
        "tracker.xlsx",
        "Activities",
        1048576,
        "XFD",
    )


def test_rows_and_columns_beyond_lowered_limits_name_the_first_cell_past_them(inputs, config):
    inputs.activities_xlsx(*[activity(activity=f"Activity {n}") for n in range(12)])
    inputs.csv("wide.csv", [[*ACTIVITY_HEADERS, "", "", "note"], activity(activity="Wide")])
    inputs.csv("trailing.csv", [[*ACTIVITY_HEADERS, *[""] * 30], [*activity(activity="Trail"), *[""] * 30]])
    small = dataclasses.replace(config, limits=Limits(max_rows=10, max_columns=13))
    problems = validate_inputs(inputs.folder, small).problems
    assert len(problems) == 2, problems
    assert_where(
        problems[0],
        file="tracker.xlsx",
        sheet="Activities",
        row=11,
        column="A",
        words=["has a value in cell A11", "beyond the limit of 10 rows and 13 columns"],
    )
    assert_where(
        problems[1],
        file="wide.csv",
        sheet="wide",
        row=1,
        column="N",
        words=["has a value in column N of row 1", "beyond the limit of 13 columns"],
    )


def test_a_csv_line_of_a_million_commas_is_refused_as_a_line(inputs):
    inputs.activities_xlsx(activity())
    inputs.bytes("commas.csv", b"Partner,Area\r\n" + b"," * 1_000_000 + b"\r\n")
    with bounded(seconds=2, megabytes=40):
        validated = inputs.validate()
    assert_where(only_problem(validated), file="commas.csv", sheet="commas", row=2, words=["more than 16,384 columns"])


def test_excel_errors_and_formulas_with_no_saved_value_are_problems_in_their_cells(inputs):
    def edit(book):
        sheet = book["Activities"]
        sheet["F2"] = "=1/0"  # openpyxl saves formulas without a value
        sheet["J3"] = "#N/A"
        sheet["J3"].data_type = "e"

    inputs.activities_xlsx(activity(), activity(activity="Second"), edit=edit)
    problems = inputs.validate().problems
    assert [(p.file, p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("tracker.xlsx", "Activities", 2, "Progress", "=1/0"),
        ("tracker.xlsx", "Activities", 3, "Budget", "#N/A"),
    ]
    assert "formula with no saved value" in problems[0].message and "Excel error #N/A" in problems[1].message


# --- control characters, long text ---------------------------------------------------------


def test_control_characters_are_removed_from_workbook_text(inputs):
    path = inputs.activities_xlsx(activity(activity="Plan", lead="Officer", commentary="Line one and two"))
    rewrite(
        path,
        SHEET,
        lambda xml: (
            xml.replace(b"<t>Plan</t>", b"<t>Pl_x0000_an_x0007_</t>")
            .replace(b"<t>Officer</t>", b"<t>_x001B_[31mOfficer_x001B_[0m</t>")
            .replace(b"<t>Line one and two</t>", b"<t>Line one_x000B_and two_x0085_</t>")
        ),
    )
    validated = inputs.validate()
    assert not validated.problems
    row = validated.activities.iloc[0]
    assert (row["activity"], row["lead"], row["commentary"]) == ("Plan", "[31mOfficer[0m", "Line one\nand two")


def test_control_characters_are_removed_from_a_decision_and_its_line_breaks_kept(inputs):
    path = inputs.xlsx("tracker.xlsx", [ACTIVITY_HEADERS + ["Decision needed"], activity() + ["Approve the plan"]])
    rewrite(
        path,
        SHEET,
        lambda xml: xml.replace(
            b"<t>Approve the plan</t>", b"<t>Approve_x0007_ the \xe2\x80\x9cplan\xe2\x80\x9d_x000B_now_x001B_[0m</t>"
        ),
    )
    validated = inputs.validate()
    assert not validated.problems
    assert validated.activities.loc[0, "decision"] == "Approve the \u201cplan\u201d\nnow[0m"


def test_control_characters_in_a_csv_never_reach_a_terminal_or_a_file(inputs, tmp_path):
    inputs.bytes(
        "odd.csv",
        ",".join(ACTIVITY_HEADERS).encode()
        + b"\r\n"
        + "ESU,Education policy,Bell\x07 and\x1b[2J clear,2025-26 Q1,Purple\x1b[31m,50,,\x9bLead,"
        "one\x0btwo\x85three,,\r\n".encode(),
    )
    validated = inputs.validate()
    [problem] = validated.problems
    assert (problem.row, problem.column, problem.value) == (2, "Status", "Purple[31m")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs.folder)])
    assert_clean(result)
    assert "\x1b" not in result.output and "\x07" not in result.output


@pytest.mark.slow
def test_file_names_that_are_not_printable_are_shown_safely(inputs):
    inputs.activities_xlsx(activity())
    (inputs.folder / "bad\x1b[2Jname.xlsx").write_bytes(b"junk")
    (inputs.folder / os.fsdecode(b"caf\xe9.csv")).write_bytes(b"\x00binary")  # not UTF-8: a lone surrogate
    problems = inputs.validate().problems
    assert sorted(p.file for p in problems) == ["bad?[2Jname.xlsx", "caf?.csv"]
    result = run_cli("validate", "--inputs", str(inputs.folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bad?[2Jname.xlsx" in result.stdout and "caf?.csv" in result.stdout and "\x1b" not in result.stdout


HUGE = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 900)[:50_000]
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 111  # 4,995 letters, no space


def test_fifty_thousand_characters_and_words_of_thousands_of_letters_are_accepted(inputs):
    inputs.csv("long.csv", [ACTIVITY_HEADERS, activity(activity=HUGE, lead=LONG_WORD, commentary=HUGE + LONG_WORD)])
    with bounded(seconds=2, megabytes=32):
        validated = inputs.validate()
    assert not validated.problems
    row = validated.activities.iloc[0]
    assert (len(row["activity"]), row["lead"], len(row["commentary"])) == (
        len(HUGE.strip()),
        LONG_WORD,
        len(HUGE) + len(LONG_WORD),
    )


# --- 3. text another program would interpret: the whole pipeline -------------------------------

MARKUP = '<b>bold</b> & <font color="red">red</font> <para>x</para> ]]> &amp; <br/>'
FORMULAS = ['=HYPERLINK("http://example.com","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]
SCRIPTS = ["Students 🎓🌍 👩🏽‍🎓 ✅", "اتحاد الطلاب الأوروبي", "学生会国际战略"]
HOSTILE_TEXTS = [MARKUP, *FORMULAS, *SCRIPTS, "Bell\x07 and\x1b[31m escape", HUGE]


def hostile_workbook(folder: Path) -> Path:
    """Every hostile text as an activity name, a lead, a commentary and a metric, in two periods."""
    rows = [ACTIVITY_HEADERS]
    for n, text in enumerate(HOSTILE_TEXTS):
        for period, status in (
            ("2025-26 Q1", ("Red", "Amber", "Green")[n % 3]),
            ("2025-26 Q2", ("Amber", "Red", "Complete")[n % 3]),
        ):
            rows.append(
                activity(activity=text, lead=text, commentary=text + " " + LONG_WORD, period=period, status=status)
            )
    metrics = [METRIC_HEADERS, *[metric(metric=text) for text in HOSTILE_TEXTS]]
    book = Workbook()
    book.remove(book.active)
    for title, table in (("Activities", rows), ("Metrics", metrics)):
        sheet = book.create_sheet(title)
        for row in table:
            sheet.append([re.sub("[\x00-\x1f]", "", v) if isinstance(v, str) else v for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as staff type it ('=...)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / "hostile.xlsx")
    path = folder / "hostile.xlsx"
    # An Excel cell holds at most 32,767 characters (openpyxl cuts there); a CSV holds any number.
    with open(folder / "long.csv", "w", encoding="utf-8", newline="") as stream:
        import csv

        csv.writer(stream).writerows([ACTIVITY_HEADERS, activity(partner="CSA", activity=HUGE, commentary=HUGE)])
    # Control characters as Excel stores them (openpyxl refuses to write them).
    return rewrite(path, SHEET, lambda xml: xml.replace(b"Bell and[31m escape", b"Bell_x0007_ and_x001B_[31m escape"))


HOSTILE_INPUTS: list[Path] = []  # set by hostile_run


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """charts, then generate (reusing the drawn charts), on the hostile workbook."""
    base = tmp_path_factory.mktemp("hostile")
    inputs = base / "inputs"
    hostile_workbook(inputs)
    HOSTILE_INPUTS[:] = [inputs]
    output = base / "reports"
    charts = build_charts(inputs, output)
    pack = build_pack(inputs, output, cover=CoverOptions(meeting_date=dt.date(2026, 2, 1)))
    return charts, pack


CLEAN_TEXTS = [re.sub("[\x00-\x1f]", "", t)[:32_767].strip() for t in HOSTILE_TEXTS] + [HUGE.strip()]


@pytest.mark.slow
def test_hostile_text_goes_through_the_whole_pipeline(hostile_run):
    charts, pack = hostile_run
    assert charts.folder.name == "2025-26-Q2" and pack.folder.name == "2026-02-01"
    assert pack.pdf_pages > 10
    assert set(charts.files) <= set(pack.files)
    activities = set(pack.validated.activities["activity"])
    assert activities == {t for t in CLEAN_TEXTS}


@pytest.mark.slow
def test_summary_workbook_holds_every_text_as_text_never_a_formula(hostile_run):
    _, pack = hostile_run
    with zipfile.ZipFile(pack.folder / "summary.xlsx") as archive:
        for name in archive.namelist():
            assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), name
    book = load_workbook(pack.folder / "summary.xlsx")
    sheet = book["Activities"]
    headers = [c.value for c in sheet[1]]
    values = {}
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(headers, row, strict=True))
        values[cells["Activity"].value] = cells
    assert set(values) == {t[:32_767] for t in CLEAN_TEXTS}  # an Excel cell holds at most 32,767 characters
    for text in FORMULAS:
        cell = values[text]["Lead"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert values[MARKUP]["Commentary"].value.startswith(MARKUP)


@pytest.mark.slow
def test_slides_show_markup_as_text(hostile_run):
    _, pack = hostile_run
    with zipfile.ZipFile(pack.folder / "slides.pptx") as archive:
        slides = [
            SafeET.fromstring(archive.read(n))
            for n in archive.namelist()
            if n.startswith("ppt/slides/slide") and n.endswith(".xml")
        ]
    texts = " ".join(
        " ".join(node.text or "" for node in slide.iter())
        + " "
        + " ".join(node.get("descr", "") for node in slide.iter())
        for slide in slides
    )
    assert MARKUP in texts  # as text: no <b> or <font> element was made from it
    assert not any(node.tag in ("b", "font", "para") for slide in slides for node in slide.iter())


@pytest.mark.slow
def test_csv_files_never_start_a_cell_with_a_formula(hostile_run):
    import csv

    _, pack = hostile_run
    cells = []
    for path in (pack.folder / "charts").glob("*.csv"):
        cells += [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for cell in row]
    assert "'" + FORMULAS[0] in cells and "'-2+3" in cells
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@"):
            float(cell)  # only a number may start with a sign


@pytest.mark.slow
def test_the_pdf_prints_markup_and_formulas_literally(hostile_run):
    from pypdf import PdfReader

    _, pack = hostile_run
    # Lines wrap anywhere, so runs of whitespace compare as one space.
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pack.pdf).pages))
    assert "<b>bold</b>" in text and '<font color="red">' in text and "]]>" in text
    assert "=HYPERLINK(" in text and "+cmd|' /C calc'!A0" in text
    assert "shortened; full text in summary.xlsx" in text  # the 50,000 characters


# --- 4. faults while writing ---------------------------------------------------------------


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".cache" not in p.parts)


def leftovers(output: Path) -> list[str]:
    """Whatever is in the output folder besides run folders, the chart cache and the history (lock files included)."""
    return sorted(
        p.name
        for p in output.iterdir()
        if p.name not in (".cache", "history.sqlite") and (p.name.startswith(".") or p.is_file())
    )


@pytest.fixture
def output(hostile_run, tmp_path):
    """A copy of the hostile run's output folder (its chart cache makes the next run quick),
    the name of the `charts` run folder in it, and that folder's files."""
    charts, _ = hostile_run
    copy = tmp_path / "reports"
    shutil.copytree(charts.folder.parent, copy)
    return copy, charts.folder.name, listing(charts.folder)


def charts_cli(output_folder: Path, *extra: str):
    return CliRunner().invoke(
        cli, ["charts", "--inputs", str(HOSTILE_INPUTS[0]), "--output", str(output_folder), *extra]
    )


def _fail_on_third_write(monkeypatch, exception):
    original, calls = Path.write_bytes, []

    def write_bytes(self, data):
        calls.append(self)
        if len(calls) == 3:
            raise exception
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


@pytest.mark.slow
@pytest.mark.parametrize(
    "exception, words",
    [
        (OSError(errno.ENOSPC, "No space left on device"), "is full; free some space"),
        (OSError(errno.EROFS, "Read-only file system"), "permission denied; choose another --output folder"),
    ],
    ids=["disk full", "read-only"],
)
def test_a_write_that_fails_leaves_the_previous_run_whole_and_no_temporary_folder(
    output, monkeypatch, exception, words
):
    folder, name, files = output
    _fail_on_third_write(monkeypatch, exception)
    result = charts_cli(folder)
    assert_clean(result)
    assert words in result.output
    assert listing(folder / name) == files and leftovers(folder) == []


@pytest.mark.slow
def test_a_failed_swap_puts_the_previous_run_back(output, monkeypatch):
    folder, name, files = output
    original, calls = os.replace, []

    def replace(src, dst):
        calls.append(src)
        if len(calls) == 2:  # the new folder moving into place, after the old one moved aside
            raise OSError(errno.EIO, "Input/output error")
        return original(src, dst)

    monkeypatch.setattr(boardpack.write.os, "replace", replace)
    result = charts_cli(folder)
    assert_clean(result)
    assert "Input/output error" in result.output
    assert listing(folder / name) == files and leftovers(folder) == []


@pytest.mark.slow
def test_a_read_only_output_folder_is_a_clear_error(output, tmp_path):
    folder, name, files = output
    mounted = tmp_path / "read-only"
    mounted.mkdir()
    if subprocess.run(
        ["mount", "--bind", "-o", "ro", str(folder), str(mounted)], capture_output=True, check=False
    ).returncode:
        pytest.skip("needs permission to mount a read-only folder")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], check=True, capture_output=True)
        result = charts_cli(mounted)
        assert_clean(result)
        assert "permission denied; choose another --output folder" in result.output
        assert listing(mounted / name) == files
    finally:
        subprocess.run(["umount", str(mounted)], check=True)


def test_output_under_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "reports").write_text("not a folder")
    with pytest.raises(OutputError, match="part of that path is a file, not a folder"):
        boardpack.write.write_run(tmp_path / "reports" / "sub" / "run", {"a.txt": b"a"})
    assert (tmp_path / "reports").read_text() == "not a folder"


@pytest.mark.slow
def test_ctrl_c_while_writing_leaves_the_previous_run(output, monkeypatch):
    folder, name, files = output
    _fail_on_third_write(monkeypatch, KeyboardInterrupt())
    result = charts_cli(folder)
    assert_clean(result, exit_code=130)
    assert "Stopped before the end: nothing was written" in result.output
    assert listing(folder / name) == files and leftovers(folder) == []


@pytest.mark.slow
def test_an_unexpected_fault_is_one_line_and_nothing_written(output, monkeypatch):
    folder, name, files = output
    import boardpack.summarise

    def broken(*args, **kwargs):
        raise ValueError("something nobody expected")

    monkeypatch.setattr(boardpack.summarise, "summarise", broken)
    result = charts_cli(folder)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # reported, not raised
    assert "unexpected fault (ValueError: something nobody expected); nothing was written" in result.output
    assert listing(folder / name) == files and leftovers(folder) == []


SLOW_WRITER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
marker, original = Path({marker!r}), Path.write_bytes

def write_bytes(self, data):
    written = original(self, data)
    if ".new-" in str(self) and not marker.exists():
        marker.write_text("writing")  # the run is half-way through writing its files
        time.sleep(60)
    return written

Path.write_bytes = write_bytes
from generate_report import cli
cli(sys.argv[1:])
"""


def start_slow_run(output_folder: Path, marker: Path) -> subprocess.Popen:
    script = SLOW_WRITER.format(root=str(ROOT), marker=str(marker))
    process = subprocess.Popen(
        [sys.executable, "-c", script, "charts", "--inputs", str(HOSTILE_INPUTS[0]), "--output", str(output_folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.05)
    return process


@pytest.mark.slow
def test_kill_9_mid_write_leaves_the_previous_run_and_the_next_run_cleans_up(output, tmp_path):
    folder, name, files = output
    process = start_slow_run(folder, tmp_path / "marker")
    process.kill()  # SIGKILL: no handler runs, nothing is cleaned
    process.communicate(timeout=30)
    assert listing(folder / name) == files
    # nothing ran to clean up: the half-written folder and the lock file are still there
    assert sorted(n.split(".new-")[0] for n in leftovers(folder)) == [f".{name}", f".{name}.lock"]
    result = charts_cli(folder)
    assert_clean(result, exit_code=0)
    assert listing(folder / name) == files and leftovers(folder) == []


@pytest.mark.slow
def test_a_kill_mid_write_removes_the_temporary_folder_and_says_so(output, tmp_path):
    folder, name, files = output
    process = start_slow_run(folder, tmp_path / "marker")
    process.terminate()  # SIGTERM, as `kill` or a closing terminal sends
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Stopped before the end: nothing was written" in stderr and "Traceback" not in stderr
    assert listing(folder / name) == files and leftovers(folder) == []


@pytest.mark.slow
def test_two_runs_at_once_each_leave_a_complete_run_folder(output, tmp_path):
    folder, name, files = output
    shutil.rmtree(folder / name)  # so that a mixture could not hide among old files
    other = tmp_path / "other.toml"  # the second run writes other bytes: a mixture would show
    other.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace('name = "Students\' Union"', 'name = "Other Union"', 1),
        encoding="utf-8",
    )
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "generate_report.py",
                "charts",
                "--inputs",
                str(HOSTILE_INPUTS[0]),
                "--output",
                str(folder),
                *template,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for template in ([], ["--template", str(other)])
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0 and "Traceback" not in stderr, stderr
    assert listing(folder / name) == files and leftovers(folder) == []
    creators = {
        re.search(rb"<dc:creator[^>]*>([^<]*)<", zipfile.ZipFile(folder / name / f).read("docProps/core.xml"))[1]
        for f in ("summary.xlsx", "slides.pptx")
    }
    assert creators in ({b"Students&apos; Union"}, {b"Students' Union"}, {b"Other Union"}), creators


# --- 5. the command line: no traceback, nothing written --------------------------------------


@pytest.mark.parametrize("case", list(BROKEN_FILES), ids=list(BROKEN_FILES))
@pytest.mark.parametrize("command", ["validate", "generate"])
def test_no_broken_file_gives_a_traceback_or_writes_anything(inputs, tmp_path, case, command):
    build, name, _ = BROKEN_FILES[case]
    inputs.activities_xlsx(activity())
    build(inputs)
    output = tmp_path / "reports"
    args = [command, "--inputs", str(inputs.folder)] + (["--output", str(output)] if command == "generate" else [])
    result = CliRunner().invoke(cli, args)
    assert_clean(result)
    assert name in result.output
    assert not output.exists()


def run_cli(*args: str, memory_gb: float | None = None) -> subprocess.CompletedProcess:
    """The real command in its own process, so that stderr is the real stderr."""

    def cap() -> None:
        if memory_gb:
            limit = int(memory_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "generate_report.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "charts", "generate"])
def test_hostile_files_through_the_real_command_line(tmp_path, command):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "empty.xlsx").write_bytes(b"")
    (inputs / "noise.xlsx").write_bytes(bytes(range(256)) * 8)
    bomb = Workbook()
    bomb.active.append(ACTIVITY_HEADERS)
    bomb.save(inputs / "bomb.xlsx")
    raw = deflated_run(b"<worksheet><sheetData>", b" ", 1_000_000_000)
    (inputs / "bomb.xlsx").write_bytes(zip_by_hand(members_of(inputs / "bomb.xlsx", {SHEET: (raw, 5_000, 0)})))
    for name, change in (
        ("laughs.xlsx", lambda x: BILLION_LAUGHS + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", x)),
        ("stray.xlsx", lambda x: add_row(x, FAR_VALUES["space in XFD1048576"][0])),
    ):
        book = Workbook()
        book.active.title = "Activities"
        book.active.append(ACTIVITY_HEADERS)
        book.active.append(activity())
        book.save(inputs / name)
        rewrite(inputs / name, SHEET, change)
    output = tmp_path / "reports"
    args = [command, "--inputs", str(inputs)] + (["--output", str(output)] if command != "validate" else [])
    result = run_cli(*args, memory_gb=4)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    shown = result.stdout + result.stderr
    for name in ("empty.xlsx", "noise.xlsx", "bomb.xlsx", "laughs.xlsx", "stray.xlsx"):
        assert name in shown
    assert not output.exists()


@pytest.mark.slow
def test_a_closed_pipe_is_not_a_traceback():
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from generate_report import cli; "
        "cli(['validate', '--inputs', 'inputs', '--format', 'json'])"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # as `| head -0` does
    _, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr


@pytest.mark.slow
def test_a_console_that_cannot_show_a_character_gets_an_escape(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "tracker.csv").write_text(
        ",".join(ACTIVITY_HEADERS) + "\n" + ",".join(str(v) for v in activity(status="Grün 🎓")) + "\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "generate_report.py", "validate", "--inputs", str(inputs)],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        check=False,
    )
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert "Grün \\U0001f393".encode("cp1252") in result.stdout  # Windows' encoding: the emoji is escaped


# --- a long word in a chart label ----------------------------------------------------------


def test_a_word_of_thousands_of_letters_is_wrapped_with_a_bounded_number_of_measurements(monkeypatch):
    """Work counted, not timed: breaking a 5,000-letter word measures text a few dozen times, not thousands."""
    from boardpack.charts.draw import text

    measured = []
    original = text.text_width

    def counting(text, size, bold=False):
        measured.append(len(text))
        return original(text, size, bold)

    monkeypatch.setattr(text, "text_width", counting)
    label = text.wrap_label(LONG_WORD, 200, 9, max_lines=2)
    assert label.count("\n") <= 1 and label.endswith("…")
    assert 0 < len(measured) < 100


# --- property: any workbook ends in a pack or in located problems --------------------------------

CONFIG = load_config(TEMPLATE)
PARTNERS = [name for e in CONFIG.partners.entries for name in (e.name, e.short_name, *e.aliases)]
AREAS = [name for e in CONFIG.areas.entries for name in (e.name, e.short_name, *e.aliases)]
EXAMPLES = 300 if os.environ.get("CI") else 25

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
noise = st.one_of(
    st.none(),
    any_text,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
    st.booleans(),
)
likely = {
    "Partner": st.sampled_from(PARTNERS),
    "Area": st.sampled_from(AREAS),
    "Activity": any_text,
    "Period": st.sampled_from(["2025-26 Q1", "2025/26 Q2", "Q3 2025-26", "Q4 25/26", dt.date(2025, 9, 1)]),
    "Status": st.sampled_from(["Red", "Amber", "Green", "Complete", "Not started", "R", "on track", "Done"]),
    "Progress": st.one_of(st.integers(0, 100), st.just("45%")),
    "Due date": st.one_of(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), st.just("31/03/2026")),
    "Lead": any_text,
    "Commentary": any_text,
    "Budget": st.one_of(st.integers(0, 10**6), st.just("£1,200")),
    "Spend": st.integers(0, 10**6),
}


likely_metric = {
    "Partner": likely["Partner"],
    "Area": st.one_of(st.none(), likely["Area"]),
    "Metric": any_text,
    "Period": likely["Period"],
    "Target": st.one_of(st.none(), st.integers(0, 10**6)),
    "Actual": st.one_of(st.integers(0, 10**6), st.floats(0, 100)),
    "Unit": st.sampled_from([None, "number", "%", "£"]),
}


def cell(column: str, valid_only: bool):
    if valid_only:
        return likely[column]
    return st.one_of(likely[column], likely[column], likely[column], noise)  # mostly plausible, often not


def _named(table: list[list], at: int = 2) -> list[list]:
    """Each row its own activity or metric (a repeated one with other values is an error, tested elsewhere)."""
    return [[*row[:at], f"{row[at]} #{n}", *row[at + 1 :]] for n, row in enumerate(table)]


def rows(valid_only: bool, max_size: int = 6):
    table = st.lists(
        st.tuples(*[cell(c, valid_only) for c in ACTIVITY_HEADERS]).map(list), min_size=1, max_size=max_size
    )
    return table.map(_named) if valid_only else table


def metric_rows(valid_only: bool):
    strategies = [
        likely_metric[c] if valid_only else st.one_of(likely_metric[c], likely_metric[c], noise) for c in METRIC_HEADERS
    ]
    table = st.lists(st.tuples(*strategies).map(list), max_size=3)
    return table.map(lambda t: _named(t, at=2)) if valid_only else table


def inputs_strategy(valid_only: bool, max_size: int = 6):
    return st.tuples(rows(valid_only, max_size), metric_rows(valid_only))


def write_inputs(folder: Path, kind: str, tables: tuple[list[list], list[list]]) -> str:
    """The activities (and metrics, if any) as one workbook or as CSV files; returns the activities file."""
    activities, metrics = tables
    named = {"Activities": [ACTIVITY_HEADERS, *activities]}
    if metrics:
        named["Metrics"] = [METRIC_HEADERS, *metrics]
    if kind == "csv":
        import csv

        for title, table in named.items():
            buffer = io.StringIO(newline="")
            csv.writer(buffer, lineterminator="\r\n").writerows(
                [["" if v is None else v for v in row] for row in table]
            )
            (folder / f"{title.lower()}.csv").write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
        return "activities.csv"
    book = Workbook()
    book.remove(book.active)
    for title, table in named.items():
        sheet = book.create_sheet(title)
        for row in table:  # openpyxl refuses control characters; the CSV case has them
            sheet.append([re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v) if isinstance(v, str) else v for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for c in cells:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"
    book.save(folder / "random.xlsx")
    return "random.xlsx"


def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()


TINY_PNG = _tiny_png()  # for slides built without drawing charts


def check_outcome(folder: Path, tables: tuple[list[list], list[list]]) -> None:
    """Validate, then either every problem is located, or every cheap stage produces its file."""
    from boardpack.charts import chart_specs
    from boardpack.exports import frame_csv, slide_deck, summary_json, summary_workbook
    from boardpack.pdf import render_pack
    from boardpack.summarise import summarise

    validated = validate_inputs(folder, CONFIG)
    for problem in validated.problems:
        assert problem.file and problem.message
        if problem.column is not None:
            assert problem.row is not None
        if problem.row is not None:
            assert problem.sheet is not None and problem.file in ("random.xlsx", "activities.csv", "metrics.csv")
            assert 1 <= problem.row <= max(len(t) for t in tables) + 1, problem
    format_problems(validated.problems)
    json.loads(problems_json(validated.problems))
    event("problems" if validated.errors else "pack")
    if validated.errors:
        with pytest.raises(InputProblems):
            build_charts(folder, folder / "never")
        assert not (folder / "never").exists()
        return
    summary = summarise(validated, CONFIG)
    specs = chart_specs(summary, CONFIG)
    charts = [Chart(s.name, s.section, s.title, s.caption, s.alt_text, s.frame(), TINY_PNG, b"") for s in specs]
    for chart in charts:
        frame_csv(chart.data)
    load_workbook(io.BytesIO(summary_workbook(summary, CONFIG)))
    json.loads(summary_json(summary))
    slide_deck(charts, summary, CONFIG)
    pack = render_pack(
        summary, (), CONFIG, CoverOptions(meeting_date=dt.date(2026, 9, 24)), validated.sources, validated.notes
    )
    assert pack.pdf.startswith(b"%PDF") and pack.page_count > 1


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("CI"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    kind=st.sampled_from(["xlsx", "csv"]),
    tables=st.one_of(inputs_strategy(valid_only=True), inputs_strategy(valid_only=False)),
)
def test_any_workbook_ends_in_a_pack_or_located_problems(tmp_path_factory, kind, tables):
    folder = tmp_path_factory.mktemp("random")
    write_inputs(folder, kind, tables)
    check_outcome(folder, tables)


@pytest.mark.slow
@settings(
    max_examples=5 if os.environ.get("CI") else 2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tables=inputs_strategy(valid_only=True, max_size=4))
def test_random_valid_workbooks_build_the_whole_pack(tmp_path_factory, tables):
    folder = tmp_path_factory.mktemp("random-pack")
    write_inputs(folder, "xlsx", tables)
    result = build_pack(folder, folder / "reports", CONFIG)
    assert result.pdf.read_bytes().startswith(b"%PDF")
