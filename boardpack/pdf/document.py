"""The page templates: a cover with no running header, then body pages with header and footer.

"Page N of M" needs M before the last page is laid out, so the document is laid
out at least twice (reportlab's ``multiBuild``): the first pass counts pages and
collects the contents' page numbers, the next draws them; layout stops when the
page count and the contents no longer change. The first pass can therefore never
be the last, and what it draws is thrown away: its canvas says ``layout_only``,
and the flowables that cost most to draw (paragraphs, charts) skip drawing then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .flowables import Heading
from .markup import clip
from .styles import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Styles,
)


@dataclass(frozen=True)
class RunningText:
    """What the header and footer of body pages say (plain text)."""

    header_left: str
    header_right: str
    footer_left: str


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    created: dt.date


class PackDocument(BaseDocTemplate):
    """A4 portrait, 2 cm margins; the 'cover' template, then 'body' pages."""

    def __init__(self, buffer, styles: Styles, running: RunningText, meta: Metadata) -> None:
        self.styles = styles
        self.running = running
        self.meta = meta
        self._pages_now: int | None = None
        self.heading_pages: dict[str, int] = {}
        self._pages_before: int | None = None
        super().__init__(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=meta.keywords,
            creator=meta.creator,
            producer="boardpack (ReportLab)",
            invariant=1,
            lang="en-GB",
            displayDocTitle=1,
            initialFontName=styles.fonts.regular,
            pageCompression=1,
        )
        cover_frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            FRAME_WIDTH,
            PAGE_HEIGHT - MARGIN_BOTTOM - 1.8 * 28.35,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        body_frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            FRAME_WIDTH,
            FRAME_HEIGHT,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [cover_frame], onPage=self._draw_cover_page, autoNextPageTemplate="body"),
                PageTemplate("body", [body_frame], onPage=self._draw_body_page),
            ]
        )

    # --- passes and page count --------------------------------------------------

    def beforeDocument(self) -> None:
        self._pages_before, self._pages_now = self._pages_now, None
        self.canv.layout_only = self._pages_before is None  # the first pass: see the module's docstring
        self.heading_pages = {}
        # Dates in the PDF's information dictionary come from the meeting date, not the clock.
        created = self.meta.created
        self.canv._doc.setDateFormatter(
            lambda *_: f"D:{created.year:04d}{created.month:02d}{created.day:02d}000000+00'00'"
        )

    def afterPage(self) -> None:
        self._pages_now = self.page

    def _allSatisfied(self) -> bool:
        return super()._allSatisfied() and self._pages_now == self._pages_before

    @property
    def page_count(self) -> int:
        return self._pages_now or 0

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading):
            self.heading_pages.setdefault(flowable.key, self.page)
        if isinstance(flowable, Heading) and flowable.toc_level is not None:
            self.notify("TOCEntry", (flowable.toc_level, flowable.plain_text, self.page, flowable.key))

    # --- page decoration ---------------------------------------------------------

    def _draw_cover_page(self, canvas, doc) -> None:
        pal = self.styles.palette
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(pal.primary))
        canvas.rect(0, PAGE_HEIGHT - 0.9 * 28.35, PAGE_WIDTH, 0.9 * 28.35, stroke=0, fill=1)
        canvas.restoreState()

    def _draw_body_page(self, canvas, doc) -> None:
        fonts, pal = self.styles.fonts, self.styles.palette
        running = self.running
        top = PAGE_HEIGHT - 1.25 * 28.35
        bottom = 1.05 * 28.35
        left, right = MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.8)
        canvas.setFillColor(colors.HexColor(pal.muted))
        canvas.drawString(left, top, clip(running.header_left, 95))
        canvas.setFont(fonts.bold, 7.8)
        canvas.setFillColor(colors.HexColor(pal.primary))
        canvas.drawRightString(right, top, clip(running.header_right, 40))
        canvas.setStrokeColor(colors.HexColor(pal.primary))
        canvas.setLineWidth(0.8)
        canvas.line(left, top - 5, right, top - 5)

        canvas.setStrokeColor(colors.HexColor(pal.rule))
        canvas.setLineWidth(0.5)
        canvas.line(left, bottom + 10, right, bottom + 10)
        canvas.setFont(fonts.regular, 7.8)
        canvas.setFillColor(colors.HexColor(pal.muted))
        canvas.drawString(left, bottom, clip(running.footer_left, 95))
        total = self._pages_before if self._pages_before else "…"
        canvas.setFont(fonts.bold, 7.8)
        canvas.setFillColor(colors.HexColor(pal.text))
        canvas.drawRightString(right, bottom, f"Page {doc.page} of {total}")
        canvas.restoreState()
