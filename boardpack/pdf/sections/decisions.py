"""Decisions for the Board: each ask with its activity, partner, status history, money and commentary."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from ... import pack_text as text
from ...summary_model import ActivityRow
from ..flowables import MeasuredParagraph, base_style, para, spacer
from ..markup import esc
from ..styles import FRAME_WIDTH
from .common import PackParts, due_markup, h1, section_start, status_markup


def _decision(parts: PackParts, ref: str, row: ActivityRow) -> Flowable:
    s, pal = parts.styles, parts.styles.palette
    words = text.decision_text(ref, row, parts.shorts)
    label = dict(zip(("ask", "who", "status", "due", "money", "lead", "commentary"), text.DECISION_LABELS, strict=True))

    def head(key: str) -> MeasuredParagraph:
        return MeasuredParagraph(esc(label[key]), s.cell_bold)

    rows = [
        [head("ask"), MeasuredParagraph(f'<font name="{s.fonts.bold}">{esc(words.ask)}</font>', s.cell)],
        [head("who"), para(words.partner_area, s.cell)],
        [
            head("status"),
            MeasuredParagraph(
                f"{status_markup(row, s)} {esc(words.held_since)}<br/>"
                f'<font size="7.2" color="{pal.muted}">{esc(words.by_period)}</font>',
                s.cell,
            ),
        ],
        [head("due"), MeasuredParagraph(due_markup(row, s), s.cell)],
        [head("money"), para(words.money, s.cell)],
        [head("lead"), para(words.lead, s.cell)],
        [head("commentary"), para(words.commentary, s.cell)],
    ]
    table = Table(
        rows,
        colWidths=(FRAME_WIDTH * 0.18, FRAME_WIDTH * 0.82),
        hAlign="LEFT",
        style=TableStyle(
            base_style(s)
            + [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(pal.tint)),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(pal.accent)),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(pal.rule)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
    title = para(words.title, s.h3)
    return KeepTogether([title, table, spacer(10)])


def decisions_section(parts: PackParts) -> list[Flowable]:
    decisions = parts.places.decisions
    if not decisions:
        return []
    s = parts.styles
    intro = para(text.decisions_intro(len(decisions)), s.lead)
    blocks = [_decision(parts, f"D{i}", row) for i, row in enumerate(decisions, start=1)]
    # The heading and its intro go with the first decision: never alone at a page's foot.
    return [*section_start(h1("Decisions for the Board", "decisions", s), intro, blocks[0]), *blocks[1:]]
