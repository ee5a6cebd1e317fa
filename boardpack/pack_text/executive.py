"""The executive summary: the lead sentence, headline figures, key messages and what changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..formats import money, number, percent, short_date, uk_date
from ..model import CHANGES
from ..narrative import Narrative
from ..paper import Places
from ..summary_model import Summary
from ..wording import CHANGE_WORDS
from .printed import MESSAGE_LIMIT, NONE, shorten


def executive_lead(summary: Summary) -> str:
    return (
        f"As at {summary.as_at.label} (the period ending {uk_date(summary.as_at_last_day)}), "
        f"compared with {summary.previous.label}."
    )


@dataclass(frozen=True)
class Figure:
    """One headline figure: what it is, the figure, and a note under it."""

    label: str
    value: str
    note: str


def headline_figures(summary: Summary, places: Places) -> tuple[Figure, ...]:
    t = summary.totals
    red, amber = t.by_status.get("Red", 0), t.by_status.get("Amber", 0)
    on_track = t.by_status.get("Green", 0) + t.by_status.get("Complete", 0)
    decisions = len(places.decisions)
    return (
        Figure("Activities", number(t.activities), f"as at {summary.as_at.label}"),
        Figure("On track or complete", percent(t.on_track_or_complete_pct), f"{on_track} of {t.activities}"),
        Figure("Rated Red", number(red), f"and {amber} Amber"),
        Figure("Overdue", number(t.overdue), f"due by {short_date(summary.as_at_last_day)}"),
        Figure(
            "Spend against budget",
            percent(t.spend_pct_of_budget) if t.budget else NONE,
            f"{money(t.spend)} of {money(t.budget)}" if t.budget else f"{money(t.spend)} spent; no budget",
        ),
        Figure("Decisions sought", number(decisions), "see Decisions" if decisions else "none this period"),
    )


def key_messages(narrative: Narrative) -> tuple[str, ...]:
    return tuple(shorten(m, MESSAGE_LIMIT, " …") for m in narrative.key_messages)


def changes_heading(summary: Summary) -> str:
    return f"What changed since {summary.previous.label}"


def change_counts(changes: Mapping[str, int]) -> tuple[str, ...]:
    """ "✚ new 1", "✔ completed 8", …: each change since the previous period with its count."""
    return tuple(f"{CHANGE_WORDS[c]} {changes.get(c, 0)}" for c in CHANGES)


def no_previous_note(summary: Summary) -> str | None:
    if summary.previous_has_data:
        return None
    return f"There are no rows for {summary.previous.label}, so every activity counts as new."
