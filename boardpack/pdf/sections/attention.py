"""Needs attention, ranked: Red, overdue (most days first), worsened, Amber; then metrics off target."""

from __future__ import annotations

from typing import Sequence

from reportlab.platypus import Flowable

from ...summary_model import ActivityRow
from ..flowables import MeasuredParagraph, data_table, heading_block, para
from ..markup import clip, esc, shorten
from ..wording import REASON_WORDS
from .common import ACTIVITY_LIMIT, NAME_LIMIT, PackParts, due_markup, h1, h3, held_since, section_start, \
    status_markup
from .tables import commentary_cell, metrics_table


def attention_table(rows: Sequence[ActivityRow], first_number: int, parts: PackParts) -> Flowable:
    """The ranked items, numbered from ``first_number``, with how long, due, lead and commentary."""
    s = parts.styles
    body = []
    for number, a in enumerate(rows, start=first_number):
        who = [f"{esc(parts.shorts.get(a.partner, a.partner))} · {esc(clip(a.area, NAME_LIMIT))}"]
        if a.lead:
            who.append(f"Lead: {esc(clip(a.lead, NAME_LIMIT))}")
        reasons = ", ".join(REASON_WORDS[r] for r in a.reasons)
        body.append([
            para(f"{number}", s.cell_bold),
            [para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell_bold),
             MeasuredParagraph("<br/>".join(who), s.cell_small)],
            [MeasuredParagraph(status_markup(a, s), s.cell),
             MeasuredParagraph(f"{esc(held_since(a))}<br/>Listed as: {esc(reasons)}", s.cell_small)],
            MeasuredParagraph(due_markup(a, s), s.cell),
            commentary_cell(a, parts),
        ])
    return data_table(["#", "Activity", "Status, and for how long", "Due", "Commentary"], body,
                      (0.04, 0.27, 0.2, 0.13, 0.36), s)


def attention_section(parts: PackParts) -> list[Flowable]:
    s, summary, where = parts.styles, parts.summary, parts.places
    heading = h1("Needs attention", "attention", s)
    items, shown = where.attention, where.attention[:where.attention_in_body]
    decided = len(summary.exceptions) - len(items)
    if not items and not summary.attention_metrics:
        text = ("Nothing else needs the Board's attention this period." if decided else
                "Nothing needs the Board's attention this period: no activity is Red, Amber, overdue or worse "
                "than in the previous period, and every metric is on the right side of its target.")
        return section_start(heading, para(text, s.body))
    intro = (f"{len(items)} {'activity is' if len(items) == 1 else 'activities are'} Red, overdue, worse than in "
             f"{summary.previous.label} or Amber, ranked in that order: the longest-running Red first, then the "
             "most days overdue.")
    if decided:
        intro += (f" {decided} more {'has' if decided == 1 else 'have'} a decision for the Board and "
                  f"{'is' if decided == 1 else 'are'} set out under Decisions, not repeated here.")
    story: list[Flowable] = []
    story += section_start(heading, para(intro, s.lead))
    if shown:
        story.append(attention_table(shown, 1, parts))
    overflow = where.attention_overflow
    if overflow:
        story.append(MeasuredParagraph(
            f"Items {len(shown) + 1} to {len(items)} ({len(overflow)} more) are listed in the appendix, "
            f'<a href="#appendix-attention" color="{s.palette.primary}"><u>Further items needing attention</u></a>.',
            s.note))
    metrics = summary.attention_metrics
    if metrics:
        limit = parts.config.pack.attention_items
        intro = (f"{len(metrics):,} {'metric is' if len(metrics) == 1 else 'metrics are'} below a target where "
                 "higher is better, or above one where lower is better.")
        if len(metrics) > limit:
            intro += f" The first {limit} follow; the Metrics sheet of summary.xlsx marks every one."
        story += heading_block(h3("Metrics on the wrong side of target", s), para(intro, s.small),
                               metrics_table(metrics[:limit], parts, partner_column=True), room=120)
    return story
