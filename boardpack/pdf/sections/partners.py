"""Partners: one compact section each: who they are, their figures, activities and metrics."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ... import pack_text as text
from ...summary_model import GroupSummary
from ..flowables import heading_block, para, spacer
from .common import PackParts, group_title, h1, h2, h3, partner_key, section_start
from .tables import metrics_table, partner_activity_table


def _partner_head(parts: PackParts, group: GroupSummary, key: str) -> list[Flowable]:
    """The partner's heading, who they are and their figures in a sentence."""
    s = parts.styles
    head: list[Flowable] = [h2(group_title(group), key, s)]
    description = text.partner_description(group)
    if description:
        head.append(para(description, s.description))
    head += [para(p, s.body) for p in text.partner_summary(group, parts.narrative)]
    return head


def _partner_body(parts: PackParts, group: GroupSummary) -> list[Flowable]:
    """The partner's activities (all, or only its exceptions when there are many) and metrics."""
    s, summary = parts.styles, parts.summary
    story: list[Flowable] = []
    rows, note = text.partner_rows(group, summary, parts.places, parts.config)
    if note:
        story.append(para(note, s.note))
    if rows:
        story.append(partner_activity_table(rows, parts))
    metrics = [m for m in summary.metrics if m.partner == group.name]
    if metrics:
        story += heading_block(h3(text.METRICS_AGAINST_TARGET, s), metrics_table(metrics, parts), room=90)
    story.append(spacer(12))
    return story


def partners_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    intro = para(text.partners_intro(parts.summary), s.lead)
    story: list[Flowable] = []
    for i, group in enumerate(parts.summary.partners):
        head = _partner_head(parts, group, partner_key(i))
        if i == 0:  # the section's heading stays with the first partner's
            story += section_start(h1("Partners", "partners", s), intro, *head)
        else:
            story += heading_block(head[0], *head[1:], room=220)
        story += _partner_body(parts, group)
    return story
