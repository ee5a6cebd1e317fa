"""The checks an .xlsx file passes before any part of it is parsed.

python-calamine unzips and parses the workbook in Rust, out of our hands, so
everything that could make it (or us) use unbounded memory or time is checked
here first, on bytes we inflate ourselves with a cap: the number of parts, the
sizes they declare, the sizes they really inflate to, document type
declarations (entity expansion, external entities) in any part, a shared
string count that would reserve gigabytes, cells far beyond the limits, and
date cells holding numbers no date can be.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from functools import lru_cache
from itertools import pairwise, zip_longest

from ..config import Limits
from ..formats import printable
from .common import CHUNK, Unreadable, column_letter

_MAX_PARTS = 10_000  # an Excel workbook has tens of parts; hundreds with many sheets and pictures


def _bad_package() -> Unreadable:
    return Unreadable(
        "is not a valid Excel workbook (it may be damaged, or another kind of file "
        "renamed to .xlsx); open it in Excel and save it again as .xlsx"
    )


def _unsafe(what: str) -> Unreadable:
    return Unreadable(
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


def open_package(data: bytes, limit_mb: float) -> zipfile.ZipFile:
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
        raise Unreadable("is password-protected (encrypted); remove the password or save an unprotected copy")
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in infos):
        raise _unsafe("its parts are compressed in a way Excel never uses")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit_mb * 1024 * 1024:
        raise Unreadable(
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
            for start in range(0, len(raw), CHUNK):
                pending: memoryview | bytes = raw[start : start + CHUNK]
                while pending and not inflater.eof:
                    piece = inflater.decompress(pending, CHUNK)
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


def check_parts(
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
    size = unpacked + sum(_shared_text_size(xml, shared) for xml in sheets.values())
    if size > limits.max_uncompressed_mb * 1024 * 1024:
        raise Unreadable(
            f"would unpack to {size / 1024 / 1024:,.0f} MB once each shared text is counted in "
            f"every cell that uses it, over the limit of {limits.max_uncompressed_mb:g} MB; this is "
            "unsafe or not a normal tracker (the limit is [limits] max_uncompressed_mb in the template)"
        )
    return far, sheets, size


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
    if cells * longest <= CHUNK:
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
    text = str(limit) if digits else column_letter(limit - 1)
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
        m = (_ROW_OR_CELL if far is None else _IN_FAR_CELL).match(xml, at)  # None never: it can match ""
        if m is None or m[2] is None or not m[4]:
            return far  # the end of the part, or a tag cut off by it
        closing, tag, attributes = m[1], m[2], m[3]
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


# --- date cells calamine cannot convert -----------------------------------------------

# A number of at least ten digits before the point, or written with an exponent of 9 or more.
_FAR_NUMBER = re.compile(rb"<v>\s*([-+]?(?:\d{10,}(?:\.\d*)?|\d*\.?\d+[eE]\+?(?:9|\d{2,})|inf|INF|Infinity))\s*</v>")
_STYLED_CELL = re.compile(rb"""<c\s[^<>]*?\br\s*=\s*["']([A-Za-z]+)(\d+)["'][^<>]*>""")
_STYLE = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")


def no_such_time(xml: bytes, dates: frozenset[int], durations: frozenset[int]) -> tuple[str, int, str] | None:
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
        if cell is None or style is None:
            continue
        index = int(style[1])
        if (index in dates and value < -1e11) or (index in durations and abs(value) >= 1e9):
            return cell[1].decode().upper(), int(cell[2]), m[1].decode()
    return None
