"""The executive summary: headline figures, key messages written from the data, what changed, one trend view."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, NextPageTemplate, Table, TableStyle

from ... import pack_text as text
from ..flowables import MeasuredParagraph, base_style, heading_block, least_height, para, spacer
from ..markup import esc
from ..styles import FRAME_WIDTH
from .common import PackParts, charts_in, h1, history_sentences


def _tiles(parts: PackParts) -> Table:
    s = parts.styles
    tiles = text.headline_figures(parts.summary, parts.places)
    cells = [
        [para(tile.label, s.tile_label), para(tile.value, s.tile_value), para(tile.note, s.tile_note)] for tile in tiles
    ]
    pal = s.palette
    return Table(
        [cells],
        colWidths=[FRAME_WIDTH / len(tiles)] * len(tiles),
        hAlign="LEFT",
        style=TableStyle(
            base_style(s)
            + [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.tint)),
                ("LINEABOVE", (0, 0), (-1, 0), 2.5, colors.HexColor(pal.primary)),
                ("LINEAFTER", (0, 0), (-2, 0), 4, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )


def change_counts(changes) -> str:
    return " · ".join(esc(count) for count in text.change_counts(changes))


def executive_section(parts: PackParts) -> list[Flowable]:
    s, summary, n = parts.styles, parts.summary, parts.narrative
    story: list[Flowable] = [
        NextPageTemplate("body"),
        h1("Executive summary", "executive", s),
        para(text.executive_lead(summary), s.lead),
        _tiles(parts),
        spacer(10),
    ]
    if n.key_messages:
        messages = [MeasuredParagraph(esc(m), s.bullet, bulletText="•") for m in text.key_messages(n)]
        story += heading_block(para("Key messages", s.h2), *messages[:1], room=60)
        story += messages[1:]
    heading = para(text.changes_heading(summary), s.h2)
    counts = MeasuredParagraph(change_counts(summary.totals.changes), s.body)
    notes = []
    note = text.no_previous_note(summary)
    if note:
        notes.append(para(note, s.note))
    history = history_sentences(parts)
    if history:  # the comparisons here (changes, runs of a status, the trend) use those rows
        notes.append(para(" ".join(history) + " The changes and the trend use them (see Data sources).", s.note))
    charts = charts_in(parts, "executive")
    # The heading starts a page unless the first chart, which shows the changes it names,
    # fits under it (shrunk as far as it goes): never a heading with its chart overleaf.
    room = max(160.0, least_height([heading, counts, *notes, *charts[:1]], FRAME_WIDTH))
    return story + heading_block(heading, counts, room=room) + notes + charts
