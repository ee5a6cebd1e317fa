"""The cover sheet, in UK charity board-paper form, and the contents."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from ...formats import uk_date
from ...narrative import IMPLICATIONS, NOT_STATED
from ..flowables import Anchor, Contents, ContentsLine, Heading, MeasuredParagraph, base_style, para, paragraphs, spacer
from ..markup import clip, esc, shorten
from ..styles import FRAME_WIDTH
from ..wording import PURPOSES
from .common import COVER_TEXT_LIMIT, PackParts, group_title, partner_key


def _ruled(rows: list, widths: tuple[float, ...], parts: PackParts, padding: float) -> Table:
    s, pal = parts.styles, parts.styles.palette
    return Table(rows, colWidths=[FRAME_WIDTH * w for w in widths], hAlign="LEFT",
                 style=TableStyle(base_style(s) + [
                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(pal.primary)),
                     ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.HexColor(pal.primary)),
                     ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(pal.rule)),
                     ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
                     ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                 ]))


def cover_section(parts: PackParts, logo: Flowable | None) -> list[Flowable]:
    s, c, n = parts.styles, parts.cover, parts.narrative
    summary = parts.summary
    story: list[Flowable] = [Anchor("Cover sheet", "cover")]
    heading = [para(clip(c.organisation, 200), s.cover_org), para(clip(c.board, 200), s.cover_board)]
    if logo is not None:
        story.append(Table([[heading, logo]], colWidths=(FRAME_WIDTH - 4.2 * 28.35, 4.2 * 28.35),
                           style=TableStyle(base_style(s) + [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                             ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
                           hAlign="LEFT"))
    else:
        story += heading
    story.append(para(shorten(c.title, 300, " …"), s.cover_title))

    def label(text: str) -> Paragraph:
        return MeasuredParagraph(esc(text), s.cover_label)

    def value(text: str) -> Paragraph:
        return para(shorten(text, 300, " …") or "–", s.cover_value)

    period = f"{summary.as_at.label} (to {uk_date(summary.as_at_last_day)})"
    grid = [
        [label("Meeting"), value(c.board), label("Meeting date"), value(uk_date(c.meeting_date))],
        [label("Paper reference"), value(c.paper_reference), label("Agenda item"), value(c.agenda_item)],
        [label("Purpose"), value(PURPOSES.get(c.purpose, c.purpose)), label("Classification"),
         value(c.classification)],
        [label("Presented by"), value(c.presented_by), label("Author"), value(c.author)],
        [label("Reporting period"), value(period), "", ""],
    ]
    table = _ruled(grid, (0.18, 0.34, 0.18, 0.30), parts, 4.5)
    table.setStyle(TableStyle([("SPAN", (1, -1), (-1, -1))]))
    story.append(table)

    story.append(para("Summary", s.cover_h))
    story += paragraphs(shorten(n.summary, 3000, " …"), s.cover_text)

    story.append(para("Recommendation" + ("s" if len(n.recommendations) > 1 else ""), s.cover_h))
    if n.recommendations:
        for number_, text in enumerate(n.recommendations, start=1):
            bullet = f"{number_}." if len(n.recommendations) > 1 else "•"
            story.append(MeasuredParagraph(esc(shorten(text, COVER_TEXT_LIMIT, " …")), s.cover_bullet,
                                           bulletText=bullet))
    else:
        story.append(para("None.", s.cover_text))

    story.append(para("Implications", s.cover_h))
    rows = []
    for key, title in IMPLICATIONS:
        text = n.implications[key]
        style = s.cover_value if text != NOT_STATED else s.note
        rows.append([label(title), para(shorten(text, COVER_TEXT_LIMIT, " …"), style)])
    story.append(_ruled(rows, (0.26, 0.74), parts, 4))
    story.append(PageBreak())
    return story


def contents_lines(parts: PackParts) -> list[ContentsLine]:
    summary = parts.summary
    lines = [ContentsLine(0, "Executive summary", "executive")]
    if parts.places.decisions:
        lines.append(ContentsLine(0, "Decisions for the Board", "decisions"))
    lines += [ContentsLine(0, "Needs attention", "attention"),
              ContentsLine(0, "Partners", "partners")]
    lines += [ContentsLine(1, group_title(p), partner_key(i)) for i, p in enumerate(summary.partners)]
    lines += [ContentsLine(0, "Strategic areas", "areas"),
              ContentsLine(0, "Appendix", "appendix")]
    lines += [ContentsLine(1, title, key) for title, key in appendix_titles(parts)]
    return lines


def appendix_titles(parts: PackParts) -> list[tuple[str, str]]:
    """(title, key) of each appendix part, numbered A1, A2, … in the order they print."""
    names = [("Full activity table" if parts.full_appendix_table else "Activities by partner",
              "appendix-activities")]
    if parts.places.attention_overflow:
        names.append(("Further items needing attention", "appendix-attention"))
    names += [("Data sources", "appendix-sources"), ("Data quality notes", "appendix-quality"),
              ("Glossary", "appendix-glossary")]
    return [(f"A{i} {title}", key) for i, (title, key) in enumerate(names, start=1)]


def contents_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    return [
        Heading("Contents", s.h1, key="contents", outline_level=0, toc_level=None),
        spacer(4),
        Contents(contents_lines(parts), s),
        PageBreak(),
    ]
