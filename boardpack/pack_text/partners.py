"""Partners: each partner's description, summary, activities (the most pressing when many) and metrics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..config import Config
from ..formats import value_with_unit
from ..narrative import Narrative
from ..paper import Places
from ..summary_model import ActivityRow, GroupSummary, MetricSummary, Summary
from .cover import full_appendix_table
from .printed import NONE, shorten


def partners_intro(summary: Summary) -> str:
    return (
        f"Each partner's activities as at {summary.as_at.label}, with the change since "
        f"{summary.previous.label}. Money is in whole pounds; the appendix has pence."
    )


def partner_description(group: GroupSummary) -> str:
    return shorten(group.description, 2000, " …") if group.description else ""


def partner_summary(group: GroupSummary, narrative: Narrative) -> tuple[str, ...]:
    """The sentence under a partner's heading (the template's group_summary), as paragraphs."""
    text = narrative.group_summaries.get(f"partner:{group.name}", "")
    return tuple(p for p in text.split("\n\n") if p.strip())


def partner_rows(
    group: GroupSummary, summary: Summary, places: Places, config: Config
) -> tuple[tuple[ActivityRow, ...], str | None]:
    """The partner's activities its section lists, and a note when it lists only some (or none).

    A partner with more activities than the template's [pack] partner_activities
    lists only its most pressing ones, in the pack's own order: decisions, then
    Needs attention's ranking.
    """
    rows = [a for a in summary.activities if a.partner == group.name]
    limit = config.pack.partner_activities
    if len(rows) > limit:
        pressing = [a for a in rows if a.needs_attention or a.decision]
        pressing.sort(key=lambda a: (places.decision_ref(a) is None, places.attention_number(a) or 0))
        listed = pressing[:limit]
        kept = "in the appendix and in summary.xlsx" if full_appendix_table(summary, config) else "in summary.xlsx"
        shown = (
            f"the {len(listed):,}"
            if len(listed) == len(pressing)
            else f"the {len(listed):,} most pressing of the {len(pressing):,}"
        )
        return tuple(listed), (
            f"{group.name} has {len(rows):,} activities, more than the {limit} this pack lists "
            f"in full; below are {shown} that are Red, Amber, overdue, worsened or ask for a "
            f"decision. Every activity is {kept}."
        )
    if not rows and not group.activities:
        return (), f"No activities reported for {group.name} in {summary.as_at.label}."
    return tuple(rows), None


PARTNER_ACTIVITY_COLUMNS = ("Activity", "Area", "Status", "Progress", "Due", "Budget", "Spend")
METRICS_AGAINST_TARGET = "Metrics against target"
METRIC_COLUMNS = ("Metric", "Latest", "Actual", "Target", "Better", "Against target", "Recent periods")

WRONG_SIDE = "⚠ wrong side"
ON_TARGET = "✔ on target"


@dataclass(frozen=True)
class MetricText:
    metric: str
    partner: str  # short name
    latest: str
    actual: str
    target: str
    better: str
    against: str  # WRONG_SIDE, ON_TARGET or "–"
    recent: str


def metric_text(m: MetricSummary, shorts: Mapping[str, str]) -> MetricText:
    """A metric's latest value against its target, which side is good, and its recent values."""
    series = " → ".join(value_with_unit(p.actual, m.unit) or NONE for p in m.series[-4:])
    against = NONE
    if m.target is not None and m.actual is not None:
        against = WRONG_SIDE if m.on_wrong_side else ON_TARGET
    return MetricText(
        metric=shorten(m.metric, 200, " …"),
        partner=shorts.get(m.partner, m.partner),
        latest=m.period.label,
        actual=value_with_unit(m.actual, m.unit) or NONE,
        target=value_with_unit(m.target, m.unit) or NONE,
        better=f"{m.better_when}",
        against=against,
        recent=series or NONE,
    )
