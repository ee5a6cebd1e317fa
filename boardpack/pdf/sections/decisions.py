"""Decisions for the Board: each ask with its activity, partner, status history, money and commentary."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from ...formats import money, percent
from ...summary_model import ActivityRow
from ..flowables import MeasuredParagraph, base_style, para, spacer
from ..markup import clip, esc, shorten
from ..styles import FRAME_WIDTH
from .common import ACTIVITY_LIMIT, COMMENTARY_LIMIT, NAME_LIMIT, PackParts, due_markup, h1, held_since, \
    section_start, status_markup


def _history(row: ActivityRow) -> str:
    """"2024-25 Q4 Amber → Q1 Red → Q2 Red": quarters of the latest year without the year."""
    if not row.history:
        return row.status
    year = row.history[-1][0].start_year
    return " → ".join(f"{f'Q{p.quarter}' if p.start_year == year else p.label} {status}"
                      for p, status in row.history)


def _money_line(row: ActivityRow) -> str:
    if row.budget is None and row.spend is None:
        return "No budget or spend recorded"
    if not row.budget:
        return f"{money(row.spend or 0)} spent; no budget recorded"
    pct = 100.0 * (row.spend or 0) / row.budget
    return f"{money(row.spend or 0)} spent of a {money(row.budget)} budget ({percent(pct)})"


def _decision(parts: PackParts, ref: str, row: ActivityRow) -> Flowable:
    s, pal = parts.styles, parts.styles.palette
    partner = parts.shorts.get(row.partner, row.partner)

    def label(text: str) -> MeasuredParagraph:
        return MeasuredParagraph(esc(text), s.cell_bold)

    commentary = row.commentary.strip()
    rows = [
        [label("The ask"), MeasuredParagraph(f'<font name="{s.fonts.bold}">{esc(shorten(row.decision, COMMENTARY_LIMIT))}'
                                             f"</font>", s.cell)],
        [label("Partner · area"), para(f"{row.partner} ({partner}) · {clip(row.area, NAME_LIMIT)}", s.cell)],
        [label("Status"), MeasuredParagraph(f"{status_markup(row, s)} {esc(held_since(row))}<br/>"
                                            f'<font size="7.2" color="{pal.muted}">By period: '
                                            f"{esc(_history(row))}</font>", s.cell)],
        [label("Due"), MeasuredParagraph(due_markup(row, s), s.cell)],
        [label("Money"), para(_money_line(row), s.cell)],
        [label("Lead"), para(clip(row.lead, NAME_LIMIT) or "–", s.cell)],
        [label("Commentary"), para(shorten(commentary, COMMENTARY_LIMIT) if commentary else "None given.", s.cell)],
    ]
    table = Table(rows, colWidths=(FRAME_WIDTH * 0.18, FRAME_WIDTH * 0.82), hAlign="LEFT",
                  style=TableStyle(base_style(s) + [
                      ("VALIGN", (0, 0), (-1, -1), "TOP"),
                      ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(pal.tint)),
                      ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(pal.accent)),
                      ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(pal.rule)),
                      ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                      ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                  ]))
    title = para(f"{ref} · {shorten(row.activity, ACTIVITY_LIMIT, ' …')}", s.h3)
    return KeepTogether([title, table, spacer(10)])


def decisions_section(parts: PackParts) -> list[Flowable]:
    decisions = parts.places.decisions
    if not decisions:
        return []
    s = parts.styles
    count = len(decisions)
    intro = para(f"{count} {'activity asks' if count == 1 else 'activities ask'} the Board for a decision. "
                 "Each is set out with what the Board needs to weigh it; the recommendations on the cover "
                 "follow these asks.", s.lead)
    blocks = [_decision(parts, f"D{i}", row) for i, row in enumerate(decisions, start=1)]
    return [*section_start(h1("Decisions for the Board", "decisions", s), intro), *blocks]
