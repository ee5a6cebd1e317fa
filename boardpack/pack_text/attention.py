"""Needs attention: the ranked activities, where the rest are listed, and the metrics off target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..paper import Places
from ..summary_model import ActivityRow, MetricSummary, Summary
from .printed import NAME_LIMIT, clip, lead_line


def attention_intro(summary: Summary, places: Places) -> tuple[str, bool]:
    """The section's opening sentence, and whether anything follows it (False: nothing needs attention)."""
    items = places.attention
    decided = len(summary.exceptions) - len(items)
    if not items and not summary.attention_metrics:
        text = (
            "Nothing else needs the Board's attention this period."
            if decided
            else "Nothing needs the Board's attention this period: no activity is Red, Amber, overdue or worse "
            "than in the previous period, and every metric is on the right side of its target."
        )
        return text, False
    intro = (
        f"{len(items)} {'activity is' if len(items) == 1 else 'activities are'} Red, overdue, worse than in "
        f"{summary.previous.label} or Amber, ranked in that order: the longest-running Red first, then the "
        "most days overdue."
    )
    if decided:
        intro += (
            f" {decided} more {'has' if decided == 1 else 'have'} a decision for the Board and "
            f"{'is' if decided == 1 else 'are'} set out under Decisions, not repeated here."
        )
    return intro, True


ATTENTION_COLUMNS = ("#", "Activity", "Status, and for how long", "Due", "Commentary")


def attention_who(row: ActivityRow, shorts: Mapping[str, str]) -> tuple[str, ...]:
    """ "ESU · Capacity building" and "Lead: …" under the activity's name."""
    who = [f"{shorts.get(row.partner, row.partner)} · {clip(row.area, NAME_LIMIT)}"]
    lead = lead_line(row)
    if lead:
        who.append(lead)
    return tuple(who)


@dataclass(frozen=True)
class LinkedSentence:
    """A sentence whose ``link`` text points to another part of the pack (``key``)."""

    before: str
    link: str
    key: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.link + self.after


def attention_overflow_note(places: Places) -> LinkedSentence | None:
    overflow = places.attention_overflow
    if not overflow:
        return None
    shown = places.attention_in_body
    return LinkedSentence(
        f"Items {shown + 1} to {len(places.attention)} ({len(overflow)} more) are listed in the appendix, ",
        "Further items needing attention",
        "appendix-attention",
        ".",
    )


METRICS_OFF_TARGET = "Metrics on the wrong side of target"


def attention_metrics_intro(metrics: Sequence[MetricSummary], limit: int) -> str:
    intro = (
        f"{len(metrics):,} {'metric is' if len(metrics) == 1 else 'metrics are'} below a target where "
        "higher is better, or above one where lower is better."
    )
    if len(metrics) > limit:
        intro += f" The first {limit} follow; the Metrics sheet of summary.xlsx marks every one."
    return intro
