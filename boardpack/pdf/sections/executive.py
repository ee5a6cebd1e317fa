"""The executive summary: headline figures, key messages written from the data, what changed, one trend view."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Table, TableStyle

from ...formats import money, number, percent, short_date, uk_date
from ...model import CHANGES
from ..flowables import MeasuredParagraph, base_style, heading_block, para, spacer
from ..markup import CHANGE_WORDS, esc, shorten
from ..styles import FRAME_WIDTH
from .common import MESSAGE_LIMIT, PackParts, charts_in, h1, history_sentences


def _tiles(parts: PackParts) -> Table:
    s, t = parts.styles, parts.summary.totals
    red, amber = t.by_status.get("Red", 0), t.by_status.get("Amber", 0)
    on_track = t.by_status.get("Green", 0) + t.by_status.get("Complete", 0)
    decisions = len(parts.places.decisions)
    tiles = [
        ("Activities", number(t.activities), f"as at {parts.summary.as_at.label}"),
        ("On track or complete", percent(t.on_track_or_complete_pct), f"{on_track} of {t.activities}"),
        ("Rated Red", number(red), f"and {amber} Amber"),
        ("Overdue", number(t.overdue), f"due by {short_date(parts.summary.as_at_last_day)}"),
        ("Spend against budget", percent(t.spend_pct_of_budget) if t.budget else "–",
         f"{money(t.spend)} of {money(t.budget)}" if t.budget else f"{money(t.spend)} spent; no budget"),
        ("Decisions sought", number(decisions), "see Decisions" if decisions else "none this period"),
    ]
    cells = [[para(label, s.tile_label), para(value, s.tile_value), para(note, s.tile_note)]
             for label, value, note in tiles]
    pal = s.palette
    return Table([cells], colWidths=[FRAME_WIDTH / len(tiles)] * len(tiles), hAlign="LEFT",
                 style=TableStyle(base_style(s) + [
                     ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.tint)),
                     ("LINEABOVE", (0, 0), (-1, 0), 2.5, colors.HexColor(pal.primary)),
                     ("LINEAFTER", (0, 0), (-2, 0), 4, colors.white),
                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                     ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                 ]))


def change_counts(changes) -> str:
    return " · ".join(f"{esc(CHANGE_WORDS[c])} {changes.get(c, 0)}" for c in CHANGES)


def executive_section(parts: PackParts) -> list[Flowable]:
    s, summary, n = parts.styles, parts.summary, parts.narrative
    previous = summary.previous.label
    story: list[Flowable] = [
        NextPageTemplate("body"),
        h1("Executive summary", "executive", s),
        para(f"As at {summary.as_at.label} (the period ending {uk_date(summary.as_at_last_day)}), "
             f"compared with {previous}.", s.lead),
        _tiles(parts),
        spacer(10),
    ]
    if n.key_messages:
        messages = [MeasuredParagraph(esc(shorten(m, MESSAGE_LIMIT, " …")), s.bullet, bulletText="•")
                    for m in n.key_messages]
        story += heading_block(para("Key messages", s.h2), *messages[:1], room=60)
        story += messages[1:]
    story += heading_block(para(f"What changed since {previous}", s.h2),
                           MeasuredParagraph(change_counts(summary.totals.changes), s.body), room=160)
    if not summary.previous_has_data:
        story.append(para(f"There are no rows for {previous}, so every activity counts as new.", s.note))
    history = history_sentences(parts)
    if history:  # the comparisons here (changes, runs of a status, the trend) use those rows
        story.append(para(" ".join(history) + " The changes and the trend use them (see Data sources).", s.note))
    story += charts_in(parts, "executive")
    return story
