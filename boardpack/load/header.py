"""Find a sheet's header row (one row, or a group heading over sub-headings) and keep the table under it.

Columns holding values that are not read, and totals rows, are recorded for
validation to report.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

import pandas as pd

from ..config import Config
from ..formats import printable
from ..model import CellNote, RawTable, SheetReport, TotalsRow, UnreadColumn
from ..schema import ACTIVITIES, ACTIVITIES_NEAR_MISS, HEADER_SEARCH_ROWS, TABLES, TOTAL_KEYS, header_lookup
from ..text import header_key
from .common import column_letter

EMPTY_SHEET = "skipped: the sheet is empty"

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first column), (last row, last column)), 0-based


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


def find_table(
    file: str,
    sheet: str,
    rows: list[list],
    config: Config,
    scan: Callable[[int, dict[str, int]], dict[tuple[int, str], CellNote]] | None = None,
    merges: tuple[Merge, ...] = (),
) -> tuple[RawTable | None, SheetReport]:
    """Recognise the sheet by its heading row, then keep its non-blank rows.

    The heading is one row, or two when a group heading (merged or not) stands
    over sub-headings: each sub-heading names its column, and where one is
    blank the group heading above it does. Two rows are taken only when
    together they name more columns than either alone.

    ``scan(header_row, positions)`` notes the cells the reader saw as blank but
    that hold an error or an uncalculated formula (their rows are kept), and
    numbers in a percentage format.
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
            return None, SheetReport(sheet, None, note=EMPTY_SHEET)
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
    for (row_number, _), cell_note in notes.items():
        if cell_note.unseen:
            unseen_per_row[row_number] = unseen_per_row.get(row_number, 0) + 1
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
                    column_letter(position),
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
        UnreadColumn(column_letter(p), _heading_text(cells, p), tuple(found), repeats.get(p))
        for p, found in unread_rows.items()
        if found
    )
    letters = {c: column_letter(p) for c, p in positions.items()}
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
