"""Tables as wide as the frame: fixed column widths, wrapping cells, the header on every page,
rows never split and never taller than a page (:func:`data_table`); numbers never broken
across lines (:func:`column_widths`).

A long table is a :class:`PagedTable`, laid out a page at a time: it reads
reportlab's private ``Table._rowHeights`` (pinned, and checked by
tests/test_private_names.py).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .flowables import base_style, para
from .styles import FRAME_HEIGHT, FRAME_WIDTH, Styles


def data_table(
    header: Sequence[str | Flowable],
    rows: Iterable[Sequence[Flowable | str]],
    fractions: Sequence[float],
    styles: Styles,
    *,
    header_styles: Sequence | None = None,
    zebra: bool = True,
    repeat_header: bool = True,
    extra_style: Iterable = (),
) -> Flowable:
    """A table exactly as wide as the frame: fixed column widths, wrapping cells,
    header repeated on every page and rows never split across pages.

    A table longer than ``PAGED_ROWS`` rows is a :class:`PagedTable`, which lays
    out the same table a page at a time.
    """
    head_styles = header_styles or [styles.head] * len(header)
    head = [h if isinstance(h, Flowable) else para(h, st) for h, st in zip(header, head_styles, strict=True)]
    cells = [list(r) for r in rows]
    widths = column_widths(fractions, [head, *cells])
    body = [fit_row(r, widths) for r in cells]
    pal = styles.palette
    commands = base_style(styles) + [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(pal.primary)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.6),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor(pal.rule)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(pal.primary)),
    ]
    stripes = (colors.white, colors.HexColor(pal.tint)) if zebra and len(body) > 1 else None
    extra = list(extra_style)
    if len(body) > PAGED_ROWS and repeat_header and not extra:
        return PagedTable(head, body, widths, commands, stripes)
    if stripes:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), list(stripes)))
    return Table(
        [head, *body],
        colWidths=widths,
        repeatRows=1 if repeat_header else 0,
        splitByRow=1,
        splitInRow=0,
        style=TableStyle(commands + extra),
        hAlign="LEFT",
    )


# A column gives at most this share of its width to the columns of numbers beside it.
MOST_A_COLUMN_GIVES = 0.4


def column_widths(fractions: Sequence[float], rows: Sequence[Sequence]) -> list[float]:
    """Widths across the frame in proportion to ``fractions``, except that a column of numbers
    (right-aligned cells) too narrow for its widest number is widened to fit it.

    reportlab breaks a word too wide for its cell between any two letters, so a
    budget of £126,200 in a narrow column would read "£126,20" over "0". The
    room comes from the other columns, in proportion to what each can spare
    without breaking a word of its own; their words wrap onto a line more instead.
    """
    total = sum(fractions)
    widths = [FRAME_WIDTH * f / total for f in fractions]
    numbers = [_widest_word(rows, column, TA_RIGHT) for column in range(len(widths))]
    short = [max(0.0, need - width) for need, width in zip(numbers, widths, strict=True)]
    if not any(short):
        return widths  # the usual case: every number fits as it is
    spare = [
        max(0.0, min(width * MOST_A_COLUMN_GIVES, width - _widest_word(rows, column)))
        for column, width in enumerate(widths)
    ]
    if not any(spare):
        return widths
    # Shared out in proportion, should the other columns not have room for every number.
    taken = min(sum(short), sum(spare))
    return [
        width + lack * taken / sum(short) - room * taken / sum(spare)
        for width, lack, room in zip(widths, short, spare, strict=True)
    ]


def _widest_word(rows: Sequence[Sequence], column: int, alignment: int | None = None) -> float:
    """The width a column needs so that none of its words is broken (of its cells aligned
    ``alignment`` only, when given), padding included; 0 when it has no such cell."""
    widest = 0.0
    for row in rows:
        cell = row[column]
        for item in cell if isinstance(cell, (list, tuple)) else [cell]:
            if isinstance(item, Paragraph) and (alignment is None or item.style.alignment == alignment):
                widest = max(widest, item.minWidth() + CELL_PADDING[0] + 0.5)  # 0.5: rounding
    return widest


# Tables with more rows than this are laid out a page at a time (PagedTable).
PAGED_ROWS = 40


@dataclass
class _PagedRows:
    """What the pages of one PagedTable share: its rows, and their heights once measured."""

    header: list
    rows: list
    widths: list[float]
    commands: list
    stripes: tuple | None
    width: float | None = None  # the width the heights below were measured at
    tops: list[float] = field(default_factory=list)  # header height, then where each row ends

    def measure(self, width: float) -> list[float]:
        """Row heights as reportlab's Table works them out, measured once for all rows."""
        if self.width != width:
            whole = Table(
                [self.header, *self.rows],
                colWidths=self.widths,
                splitByRow=1,
                splitInRow=0,
                style=TableStyle(self.commands),
            )
            whole.wrap(width, 1e9)
            self.tops = list(itertools.accumulate(whole._rowHeights))
            self.width = width
        return self.tops


class PagedTable(Flowable):
    """A long table laid out one page at a time: header on every page, rows never split.

    reportlab's Table splits at a page by building a new table of all the rows
    still to come and measuring them again, so a table of n rows over p pages
    costs n x p: minutes for the appendix of a 200-partner pack (12,500 rows).
    Here each row is measured once, the rows that fit a page are found from the
    running total of heights, and each page is a small Table of the header and
    those rows.
    """

    def __init__(
        self,
        header: list,
        rows: list,
        widths: Sequence[float],
        commands: list,
        stripes: tuple | None,
        *,
        _shared: _PagedRows | None = None,
        _start: int = 0,
    ) -> None:
        super().__init__()
        self._shared = _shared or _PagedRows(header, rows, list(widths), commands, stripes)
        self._start = _start  # index of this piece's first row in the shared rows
        self.hAlign = "LEFT"

    def _height(self, tops: list[float], stop: int) -> float:
        """Header plus rows[start:stop]."""
        return tops[0] + tops[stop] - tops[self._start]

    def wrap(self, availWidth, availHeight):
        tops = self._shared.measure(sum(self._shared.widths))
        self.width = sum(self._shared.widths)
        self.height = self._height(tops, len(self._shared.rows))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        shared = self._shared
        tops = shared.measure(sum(shared.widths))
        # tops[k] is where row k-1 ends (tops[0] the header); rows up to `stop` fit.
        stop = bisect.bisect_right(tops, availHeight - tops[0] + tops[self._start], lo=self._start + 1) - 1
        if stop <= self._start:
            return []  # not even one row fits here: the frame moves on to the next page
        if stop >= len(shared.rows):
            return [self._page(len(shared.rows))]
        return [
            self._page(stop),
            PagedTable(
                shared.header, shared.rows, shared.widths, shared.commands, shared.stripes, _shared=shared, _start=stop
            ),
        ]

    def _page(self, stop: int) -> Table:
        shared, start = self._shared, self._start
        tops = shared.measure(sum(shared.widths))
        heights = [tops[0]] + [tops[i + 1] - tops[i] for i in range(start, stop)]
        commands = list(shared.commands)
        if shared.stripes:  # restarting on each page, as reportlab's own split tables do
            commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), list(shared.stripes)))
        return Table(
            [shared.header, *shared.rows[start:stop]],
            colWidths=shared.widths,
            rowHeights=heights,
            splitByRow=1,
            splitInRow=0,
            style=TableStyle(commands),
            hAlign="LEFT",
        )

    def draw(self) -> None:
        page = self._page(len(self._shared.rows))
        page.wrapOn(self.canv, self.width, self.height)
        page.drawOn(self.canv, 0, 0)


# A table row may be at most this tall: rows are never split across pages, so a taller
# one could not be placed at all.
MAX_ROW_HEIGHT = FRAME_HEIGHT * 0.7
CELL_PADDING = (8.0, 6.8)  # left + right, top + bottom (see data_table)


def _cell_height(cell, width: float) -> float:
    items = cell if isinstance(cell, (list, tuple)) else [cell]
    inner = width - CELL_PADDING[0]
    height = CELL_PADDING[1]
    for item in items:
        if isinstance(item, Flowable):
            height += item.wrap(inner, 1e7)[1] + item.getSpaceBefore() + item.getSpaceAfter()
    return height


def _texts_in(cell) -> list[tuple[int | None, Paragraph]]:
    items = cell if isinstance(cell, list) else [cell]
    return [
        (i if isinstance(cell, list) else None, item)
        for i, item in enumerate(items)
        if isinstance(item, Paragraph) and getattr(item, "plain_text", None)
    ]


def fit_row(row: list, widths: Sequence[float], max_height: float = MAX_ROW_HEIGHT) -> list:
    """Shorten the longest texts of a row until the row fits on a page.

    Texts are already cut to sensible lengths by the sections; this catches what
    those limits cannot foresee, such as a very long word of wide letters in a
    narrow column. A shortened text ends with the usual "(shortened …)" note.
    """
    from .markup import shorten

    for _ in range(12):
        heights = [_cell_height(cell, width) for cell, width in zip(row, widths, strict=True)]
        tallest = max(range(len(row)), key=lambda i: heights[i])
        if heights[tallest] <= max_height:
            return row
        cell = row[tallest]
        candidates = _texts_in(cell)
        if not candidates:
            return row
        index, paragraph = max(candidates, key=lambda c: len(c[1].plain_text))
        text = paragraph.plain_text
        keep = max(20, int(len(text) * max_height / heights[tallest] * 0.85))
        if keep >= len(text):
            return row
        shorter = para(shorten(text, keep), paragraph.style, line_breaks=paragraph.line_breaks)
        if index is None:
            row[tallest] = shorter
        else:
            row[tallest] = [*cell[:index], shorter, *cell[index + 1 :]]
    return row
