"""Decisions for the Board: each ask with what the Board needs to weigh it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..formats import money, percent
from ..summary_model import ActivityRow
from .printed import COMMENTARY_LIMIT, NAME_LIMIT, NONE, activity_text, clip, held_since, shorten, status_history


def decisions_intro(count: int) -> str:
    return (
        f"{count} {'activity asks' if count == 1 else 'activities ask'} the Board for a decision. "
        "Each is set out with what the Board needs to weigh it; the recommendations on the cover "
        "follow these asks."
    )


def decision_title(ref: str, row: ActivityRow) -> str:
    return f"{ref} · {activity_text(row)}"


def money_line(row: ActivityRow) -> str:
    if row.budget is None and row.spend is None:
        return "No budget or spend recorded"
    if not row.budget:
        return f"{money(row.spend or 0)} spent; no budget recorded"
    pct = 100.0 * (row.spend or 0) / row.budget
    return f"{money(row.spend or 0)} spent of a {money(row.budget)} budget ({percent(pct)})"


@dataclass(frozen=True)
class DecisionText:
    """One decision's texts; the status, by period and due are printed by each renderer's own status and due."""

    title: str
    ask: str
    partner_area: str
    held_since: str
    by_period: str
    money: str
    lead: str
    commentary: str


def decision_text(ref: str, row: ActivityRow, shorts: Mapping[str, str]) -> DecisionText:
    text = row.commentary.strip()
    return DecisionText(
        title=decision_title(ref, row),
        ask=shorten(row.decision, COMMENTARY_LIMIT),
        partner_area=f"{row.partner} ({shorts.get(row.partner, row.partner)}) · {clip(row.area, NAME_LIMIT)}",
        held_since=held_since(row),
        by_period=f"By period: {status_history(row)}",
        money=money_line(row),
        lead=clip(row.lead, NAME_LIMIT) or NONE,
        commentary=shorten(text, COMMENTARY_LIMIT) if text else "None given.",
    )


DECISION_LABELS = ("The ask", "Partner · area", "Status", "Due", "Money", "Lead", "Commentary")
