"""Partners: one compact section each: who they are, their figures, activities and metrics."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...summary_model import GroupSummary
from ..flowables import heading_block, para, paragraphs, spacer
from ..markup import shorten
from .common import PackParts, group_title, h1, h2, h3, partner_key, section_start
from .tables import metrics_table, partner_activity_table


def _partner_head(parts: PackParts, group: GroupSummary, key: str) -> list[Flowable]:
    """The partner's heading, who they are and their figures in a sentence."""
    s = parts.styles
    head: list[Flowable] = [h2(group_title(group), key, s)]
    if group.description:
        head.append(para(shorten(group.description, 2000, " …"), s.description))
    sentence = parts.narrative.group_summaries.get(f"partner:{group.name}", "")
    if sentence:
        head += paragraphs(sentence, s.body)
    return head


def _partner_body(parts: PackParts, group: GroupSummary) -> list[Flowable]:
    """The partner's activities (all, or only its exceptions when there are many) and metrics."""
    s, summary = parts.styles, parts.summary
    story: list[Flowable] = []

    rows = [a for a in summary.activities if a.partner == group.name]
    limit = parts.config.pack.partner_activities
    if len(rows) > limit:
        # Only the most pressing, in the pack's own order: decisions, then Needs attention's ranking.
        where = parts.places
        pressing = [a for a in rows if a.needs_attention or a.decision]
        pressing.sort(key=lambda a: (where.decision_ref(a) is None, where.attention_number(a) or 0))
        listed = pressing[:limit]
        kept = "in the appendix and in summary.xlsx" if parts.full_appendix_table else "in summary.xlsx"
        shown = (f"the {len(listed):,}" if len(listed) == len(pressing)
                 else f"the {len(listed):,} most pressing of the {len(pressing):,}")
        story.append(para(f"{group.name} has {len(rows):,} activities, more than the {limit} this pack lists "
                          f"in full; below are {shown} that are Red, Amber, overdue, worsened or ask for a "
                          f"decision. Every activity is {kept}.", s.note))
        rows = listed
    if rows:
        story.append(partner_activity_table(rows, parts))
    elif not group.activities:
        story.append(para(f"No activities reported for {group.name} in {summary.as_at.label}.", s.note))
    metrics = [m for m in summary.metrics if m.partner == group.name]
    if metrics:
        story += heading_block(h3("Metrics against target", s), metrics_table(metrics, parts), room=90)
    story.append(spacer(12))
    return story


def partners_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    intro = para(f"Each partner's activities as at {parts.summary.as_at.label}, with the change since "
                 f"{parts.summary.previous.label}. Money is in whole pounds; the appendix has pence.", s.lead)
    story: list[Flowable] = []
    for i, group in enumerate(parts.summary.partners):
        head = _partner_head(parts, group, partner_key(i))
        if i == 0:  # the section's heading stays with the first partner's
            story += section_start(h1("Partners", "partners", s), intro, *head)
        else:
            story += heading_block(head[0], *head[1:], room=220)
        story += _partner_body(parts, group)
    return story
