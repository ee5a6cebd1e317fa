"""The cover sheet, in UK charity board-paper form, and the contents."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from ... import pack_text as text
from ..flowables import Anchor, Contents, ContentsLine, Heading, MeasuredParagraph, base_style, para, spacer
from ..markup import esc
from ..styles import FRAME_WIDTH
from .common import PackParts


def _ruled(rows: list, widths: tuple[float, ...], parts: PackParts, padding: float) -> Table:
    s, pal = parts.styles, parts.styles.palette
    return Table(
        rows,
        colWidths=[FRAME_WIDTH * w for w in widths],
        hAlign="LEFT",
        style=TableStyle(
            base_style(s)
            + [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(pal.primary)),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.HexColor(pal.primary)),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(pal.rule)),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )


def cover_section(parts: PackParts, logo: Flowable | None) -> list[Flowable]:
    s, c, n = parts.styles, parts.cover, parts.narrative
    organisation, board, title = text.cover_heading(c)
    story: list[Flowable] = [Anchor("Cover sheet", "cover")]
    heading = [para(organisation, s.cover_org), para(board, s.cover_board)]
    if logo is not None:
        story.append(
            Table(
                [[heading, logo]],
                colWidths=(FRAME_WIDTH - 4.2 * 28.35, 4.2 * 28.35),
                style=TableStyle(
                    base_style(s)
                    + [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ]
                ),
                hAlign="LEFT",
            )
        )
    else:
        story += heading
    story.append(para(title, s.cover_title))

    def label(text_: str) -> Paragraph:
        return MeasuredParagraph(esc(text_), s.cover_label)

    # Two fields a row; a field alone on the last row spans it.
    cells = [[label(name), para(value, s.cover_value)] for name, value in text.cover_fields(c, parts.summary)]
    grid = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]) for i in range(0, len(cells), 2)]
    table = _ruled(grid, (0.18, 0.34, 0.18, 0.30), parts, 4.5)
    if len(cells) % 2:
        table.setStyle(TableStyle([("SPAN", (1, -1), (-1, -1))]))
    story.append(table)

    story.append(para("Summary", s.cover_h))
    story += [para(p, s.cover_text) for p in text.cover_summary(n)]

    story.append(para(text.recommendations_heading(n), s.cover_h))
    recommendations = text.recommendations(n)
    if recommendations:
        for number_, item in enumerate(recommendations, start=1):
            bullet = f"{number_}." if len(recommendations) > 1 else "•"
            story.append(MeasuredParagraph(esc(item), s.cover_bullet, bulletText=bullet))
    else:
        story.append(para(text.NO_RECOMMENDATIONS, s.cover_text))

    story.append(para("Implications", s.cover_h))
    rows = [
        [label(item.label), para(item.text, s.cover_value if item.stated else s.note)] for item in text.implications(n)
    ]
    story.append(_ruled(rows, (0.26, 0.74), parts, 4))
    story.append(PageBreak())
    return story


def contents_lines(parts: PackParts) -> list[ContentsLine]:
    return [ContentsLine(e.level, e.text, e.key) for e in text.contents(parts.summary, parts.places, parts.config)]


def appendix_titles(parts: PackParts) -> tuple[tuple[str, str], ...]:
    """(title, key) of each appendix part, numbered A1, A2, … in the order they print."""
    return text.appendix_titles(parts.summary, parts.places, parts.config)


def contents_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    return [
        Heading("Contents", s.h1, key="contents", outline_level=0, toc_level=None),
        spacer(4),
        Contents(contents_lines(parts), s),
        PageBreak(),
    ]
