"""Needs attention, ranked: Red, overdue (most days first), worsened, Amber; then metrics off target."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from ... import pack_text as text
from ...summary_model import ActivityRow
from ..data_table import data_table
from ..flowables import MeasuredParagraph, heading_block, para
from ..markup import esc
from .common import PackParts, due_markup, h1, h3, section_start, status_markup
from .tables import commentary_cell, metrics_table


def attention_table(rows: Sequence[ActivityRow], first_number: int, parts: PackParts) -> Flowable:
    """The ranked items, numbered from ``first_number``, with how long, due, lead and commentary."""
    s = parts.styles
    body = []
    for number, a in enumerate(rows, start=first_number):
        body.append(
            [
                para(f"{number}", s.cell_bold),
                [
                    para(text.activity_text(a), s.cell_bold),
                    MeasuredParagraph("<br/>".join(esc(w) for w in text.attention_who(a, parts.shorts)), s.cell_small),
                ],
                [
                    MeasuredParagraph(status_markup(a, s), s.cell),
                    MeasuredParagraph(f"{esc(text.held_since(a))}<br/>{esc(text.listed_as(a))}", s.cell_small),
                ],
                MeasuredParagraph(due_markup(a, s), s.cell),
                commentary_cell(a, parts),
            ]
        )
    return data_table(list(text.ATTENTION_COLUMNS), body, (0.04, 0.27, 0.2, 0.13, 0.36), s)


def attention_section(parts: PackParts) -> list[Flowable]:
    s, summary, where = parts.styles, parts.summary, parts.places
    heading = h1("Needs attention", "attention", s)
    intro, more = text.attention_intro(summary, where)
    if not more:
        return section_start(heading, para(intro, s.body))
    story: list[Flowable] = []
    story += section_start(heading, para(intro, s.lead))
    shown = where.attention[: where.attention_in_body]
    if shown:
        story.append(attention_table(shown, 1, parts))
    overflow = text.attention_overflow_note(where)
    if overflow:
        story.append(
            MeasuredParagraph(
                f'{esc(overflow.before)}<a href="#{overflow.key}" color="{s.palette.primary}"><u>{esc(overflow.link)}'
                f"</u></a>{esc(overflow.after)}",
                s.note,
            )
        )
    metrics = summary.attention_metrics
    if metrics:
        limit = parts.config.pack.attention_items
        story += heading_block(
            h3(text.METRICS_OFF_TARGET, s),
            para(text.attention_metrics_intro(metrics, limit), s.small),
            metrics_table(metrics[:limit], parts, partner_column=True),
            room=120,
        )
    return story
