"""The pack's own flowables: headings that bookmark themselves, charts, contents, paragraphs.

Tables are in :mod:`.data_table`.

Every helper that takes text escapes it (see :mod:`.markup`); callers pass plain
text, never markup, unless the parameter says ``markup``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether, Spacer
from reportlab.platypus.tableofcontents import IndexingFlowable

from .chart_form import ChartForm
from .markup import esc, plain
from .styles import FRAME_WIDTH, Styles

# Room a heading needs below it on the page; less than this and it starts a new page.
HEADING_ROOM = {0: 150.0, 1: 120.0, 2: 90.0}


# Each style's parsed texts, for as long as the style lives (one render).
_PARSED: WeakKeyDictionary = WeakKeyDictionary()


def layout_only(canvas) -> bool:
    """True while a layout pass whose drawing is thrown away is running (see PackDocument)."""
    return getattr(canvas, "layout_only", False)


class MeasuredParagraph(Paragraph):
    """A Paragraph that parses its markup once per style and breaks its lines once per width.

    A pack repeats a great many cell texts (statuses, dates, names; each activity
    prints in its partner's, its area's and the appendix table), reportlab
    measures a paragraph again on every layout pass, and a long table measures
    each of its remaining cells again at every page it splits at. Parsing
    depends on the text and style alone and the lines on the width alone, so
    both are worked out once and kept. Nothing is drawn on a layout-only pass.
    """

    _measured: tuple | None = None

    def __init__(self, text: str, style, bulletText: str | None = None, **given) -> None:
        if given:  # reportlab splitting a paragraph, with its parts already parsed
            super().__init__(text, style, bulletText, **given)
            return
        parsed = _PARSED.setdefault(style, {})
        known = parsed.get((text, bulletText))
        if known is None:
            super().__init__(text, style, bulletText)
            parsed[(text, bulletText)] = (self.text, self.style, self.frags, self.bulletText)
        else:
            cleaned, parsed_style, frags, bullet = known
            super().__init__(cleaned, parsed_style, bullet, frags=[frag.clone() for frag in frags])

    def draw(self) -> None:
        if not layout_only(self.canv):
            super().draw()

    def wrap(self, availWidth, availHeight):
        measured = self._measured
        if measured is not None and measured[0] == availWidth:
            _, self.blPara, self.height, self._wrapWidths = measured
            self.width = availWidth
            return availWidth, self.height
        size = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None and size[0] == availWidth:  # not the "cannot fit" answer
            self._measured = (availWidth, self.blPara, self.height, self._wrapWidths)
        return size


class Heading(MeasuredParagraph):
    """A heading that adds its PDF bookmark (outline entry) and, optionally, a contents line.

    ``outline_level`` is its depth in the bookmarks; ``toc_level`` its depth in
    the contents, None to leave it out of the contents.
    """

    def __init__(
        self, text: str, style, *, key: str, outline_level: int, toc_level: int | None, outline_text: str | None = None
    ) -> None:
        super().__init__(esc(text, line_breaks=False), style)
        self.plain_text = plain(outline_text or text).replace("\n", " ")
        self.key = key
        self.outline_level = outline_level
        self.toc_level = toc_level

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.key, 0, self.height + 6)
        canvas.addOutlineEntry(self.plain_text, self.key, level=self.outline_level, closed=False)
        super().draw()


class Anchor(Flowable):
    """A zero-size bookmark (outline entry) with no visible heading, e.g. for the cover."""

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.key, self.level = plain(title), key, level
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)


class ChartFlowable(Flowable):
    """A chart's vector drawing (its PDF page), scaled to fit ``width`` x at most ``max_height``,
    under its heading (the chart's title, which the drawing leaves to the pack) and over its caption.

    The page is read once, before layout; each layout pass only places it. When
    the page has less room left than the chart's full size, it shrinks to as
    little as ``MIN_SCALE`` of it rather than leave the rest of the page empty.
    """

    MIN_SCALE = 0.75

    def __init__(
        self,
        form: ChartForm,
        width: float,
        max_height: float,
        caption: Paragraph | None = None,
        heading: Paragraph | None = None,
    ) -> None:
        super().__init__()
        self.form = form
        x0, y0 = form.box[:2]
        scale = width / form.width
        if form.height * scale > max_height:
            scale = max_height / form.height
        self.full_scale = self.scale = scale
        self.origin = (-x0, -y0)
        self.caption = caption
        self.caption_height = 0.0
        self.heading = heading
        self.heading_height = 0.0
        self.hAlign = "CENTER"
        self._size(scale)

    def _size(self, scale: float) -> None:
        self.scale = scale
        self.chart_width = self.form.width * scale
        self.chart_height = self.form.height * scale

    def least_height(self, width: float) -> float:
        """The height it takes at ``width`` when shrunk as far as it will go."""
        self.wrap(width, 1e9)
        return self.heading_height + self.chart_height * self.MIN_SCALE + self.caption_height

    def wrap(self, availWidth, availHeight):
        if self.caption is not None:
            _, height = self.caption.wrap(availWidth, availHeight)
            self.caption_height = height + self.caption.getSpaceBefore() + self.caption.getSpaceAfter()
        if self.heading is not None:
            _, height = self.heading.wrap(availWidth, availHeight)
            self.heading_height = height + self.heading.getSpaceBefore() + self.heading.getSpaceAfter()
        self._size(self.full_scale)
        room = availHeight - self.caption_height - self.heading_height
        if self.chart_height > room >= self.chart_height * self.MIN_SCALE:
            self._size(self.full_scale * room / self.chart_height)
        self.width = availWidth if (self.caption or self.heading) is not None else self.chart_width
        self.height = self.heading_height + self.chart_height + self.caption_height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.caption is not None:
            self.caption.drawOn(canvas, 0, self.caption.getSpaceAfter())
        if self.heading is not None:
            self.heading.drawOn(
                canvas,
                (self.width - self.chart_width) / 2,
                self.height - self.heading_height + self.heading.getSpaceAfter(),
            )
        if layout_only(canvas):
            return
        canvas.saveState()
        canvas.translate((self.width - self.chart_width) / 2, self.caption_height)
        canvas.scale(self.scale, self.scale)
        canvas.translate(*self.origin)
        canvas.doForm(self.form.place(canvas))
        canvas.restoreState()


@dataclass(frozen=True)
class ContentsLine:
    level: int
    text: str
    key: str


class Contents(IndexingFlowable):
    """The table of contents: titles linked to their pages, numbers from the previous pass.

    Every line is known before layout (``lines``), so the first pass already
    takes the final space; the page numbers come from the headings' TOCEntry
    notifications and are shown from the second pass on.
    """

    def __init__(self, lines: Sequence[ContentsLine], styles: Styles) -> None:
        super().__init__()
        self.lines = tuple(lines)
        self.styles = styles
        self._pages: dict[str, int] = {}
        self._last: dict[str, int] = {}
        self._table: Table | None = None

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self._last, self._pages = self._pages, {}

    def isSatisfied(self) -> bool:
        return self._pages == self._last and all(line.key in self._pages for line in self.lines)

    def notify(self, kind, stuff) -> None:
        if kind == "TOCEntry":
            level, text, page, key = stuff
            self._pages.setdefault(key, page)

    def _build_table(self) -> Table:
        s = self.styles
        rows: list[list[MeasuredParagraph]] = []
        style: list[tuple] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        for i, line in enumerate(self.lines):
            page = self._last.get(line.key)
            number = str(page) if page else "…"
            title_style, page_style = (s.toc0, s.toc_page0) if line.level == 0 else (s.toc1, s.toc_page1)
            link = f'<a href="#{line.key}">'
            rows.append(
                [
                    MeasuredParagraph(f"{link}{esc(line.text, line_breaks=False)}</a>", title_style),
                    MeasuredParagraph(f"{link}{number}</a>", page_style),
                ]
            )
            if line.level == 0:
                style += [
                    ("TOPPADDING", (0, i), (-1, i), 9 if i else 0),
                    ("BOTTOMPADDING", (0, i), (-1, i), 3),
                    ("LINEBELOW", (0, i), (-1, i), 0.6, colors.HexColor(s.palette.light)),
                ]
            else:
                style += [("TOPPADDING", (0, i), (-1, i), 2), ("BOTTOMPADDING", (0, i), (-1, i), 2)]
        return Table(rows, colWidths=(FRAME_WIDTH - 40, 40), style=TableStyle(base_style(s) + style), hAlign="LEFT")

    def wrap(self, availWidth, availHeight):
        self._table = self._build_table()
        return self._table.wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        if self._table is None:
            self._table = self._build_table()
        return self._table.split(availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        self._table.drawOn(canvas, x, y, _sW)


def base_style(styles: Styles) -> list[tuple]:
    """Table commands every table starts with: the pack's font, so nothing falls back to Helvetica."""
    return [("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular)]


def least_height(flowables: Sequence[Flowable], width: float) -> float:
    """The height ``flowables`` take one after another at ``width``, charts shrunk as far as
    they go. Only paragraphs and charts are measured: anything else (a chart placed from its
    PNG, when its PDF cannot be read) counts as nothing."""
    total = 0.0
    for flowable in flowables:
        if isinstance(flowable, ChartFlowable):
            total += flowable.least_height(width)
        elif isinstance(flowable, Paragraph):
            total += flowable.wrap(width, 1e9)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def heading_block(heading: Heading, *following: Flowable, room: float | None = None) -> list[Flowable]:
    """A heading that never ends a page: a conditional page break, then the heading kept with
    the small flowables that follow it."""
    need = room if room is not None else HEADING_ROOM.get(heading.outline_level, 90.0)
    if following:
        return [CondPageBreak(need), KeepTogether([heading, *following])]
    return [CondPageBreak(need), heading]


def para(text: object, style, *, line_breaks: bool = True) -> Paragraph:
    """A paragraph of plain text (escaped). It remembers its text, so a table can shorten it."""
    paragraph = MeasuredParagraph(esc(text, line_breaks=line_breaks), style)
    paragraph.plain_text = plain(text)
    paragraph.line_breaks = line_breaks
    return paragraph


def paragraphs(text: str, style) -> list[Paragraph]:
    """Plain text with blank-line paragraph breaks -> paragraphs (escaped)."""
    return [para(p, style) for p in text.split("\n\n") if p.strip()]


def status_chip(status: str | None, styles: Styles, *, font_size: float | None = None) -> str:
    """Markup for a status: its name on its colour, so it never relies on colour alone."""
    if not status:
        return "–"
    fill, text = styles.status_colours(status)
    size = f' size="{font_size}"' if font_size else ""
    return (
        f'<font backColor="{fill}" color="{text}" name="{styles.fonts.bold}"{size}>'
        f"\u00a0{esc(status, line_breaks=False)}\u00a0</font>"
    )


def spacer(height: float) -> Spacer:
    return Spacer(1, height)
