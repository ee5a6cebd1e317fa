"""Key messages written from the data, cover recommendations for decisions, and references by place.

Each test builds a small summary by hand (2025-26, as-at Q4 ending 31 July 2026)
and checks the exact sentence a trustee reads, against figures counted in the
comments beside the rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from helpers import CSA, ESU, GSV, act, summary_of

from boardpack.config import load_config
from boardpack.key_messages import key_messages
from boardpack.model import Period
from boardpack.narrative import decision_recommendation, render_narrative
from boardpack.paper import places

CONFIG = load_config()
Q1, Q2, Q3, Q4 = (Period(2025, q) for q in (1, 2, 3, 4))


def messages(rows: list[dict], config=CONFIG) -> tuple[str, ...]:
    summary = summary_of(rows, config)
    return key_messages(summary, config, places(summary, config))


def one(found: tuple[str, ...], start: str) -> str:
    matching = [m for m in found if m.startswith(start)]
    assert len(matching) == 1, (start, found)
    return matching[0]


def five_activities(statuses_by_period: dict[Period, str]) -> list[dict]:
    """Five activities; each period's string gives their statuses, G/R/C/A/N for Green, Red, …"""
    names = {"G": "Green", "R": "Red", "C": "Complete", "A": "Amber", "N": "Not started"}
    return [
        act(f"Activity {i + 1}", period, names[code], partner=(ESU, CSA, GSV)[i % 3])
        for period, codes in statuses_by_period.items()
        for i, code in enumerate(codes)
    ]


# --------------------------------------------------------------------------- the on-track share


def test_share_down_on_the_previous_period_and_the_lowest_this_year():
    # Q2: 4 of 5 on track (80%), Q3: 3 of 5 (60%), Q4: 2 of 5 (40%).
    rows = five_activities({Q2: "GGGGA", Q3: "GGGAA", Q4: "GCAAA"})
    assert one(messages(rows), "40%") == (
        "40% of activities are on track or complete, down from 60% in 2025-26 Q3: "
        "the lowest of the 3 quarters this year."
    )


def test_share_up_but_below_the_years_best():
    # Q1: 5 of 5 (100%), Q3: 2 of 5 (40%), Q4: 3 of 5 (60%).
    rows = five_activities({Q1: "GGGGG", Q3: "GGAAA", Q4: "GGCAA"})
    assert one(messages(rows), "60%") == (
        "60% of activities are on track or complete, up from 40% in 2025-26 Q3; this year's best was 100% in Q1."
    )


def test_share_level_with_the_previous_period_and_the_highest_is_not_repeated():
    rows = five_activities({Q3: "GGGAA", Q4: "GGCAA"})  # 60% both times
    assert one(messages(rows), "60%") == "60% of activities are on track or complete, level with 2025-26 Q3."


def test_no_share_message_for_a_single_period():
    assert not [m for m in messages(five_activities({Q4: "GGCAA"})) if m.startswith("60%")]


# --------------------------------------------------------------------------- stuck, completed, money


def test_red_for_three_periods_is_named_by_its_place_under_needs_attention():
    rows = [act("Benchmarking survey", q, "Red") for q in (Q2, Q3, Q4)]  # Red Q2-Q4: three periods
    rows += [act("Visit", Q3, "Not started", partner=CSA), act("Visit", Q4, "Not started", partner=CSA)]
    found = one(messages(rows), "Stuck")
    # The survey is item 1 of Needs attention, so it is referred to there, not named a third time.
    assert found == (
        "Stuck for two periods or more: one activity Red and one activity not started. "
        "ESU’s education policy activity (Needs attention 1), Red since 2025-26 Q2 (three periods) "
        "and Visit (CSA), Not started since 2025-26 Q3 (two periods)."
    )


def test_completions_named_up_to_the_limit_then_counted():
    rows = [r for i in range(7) for r in (act(f"Task {i + 1}", Q3, "Green"), act(f"Task {i + 1}", Q4, "Complete"))]
    assert one(messages(rows), "Seven") == (
        "Seven activities completed since 2025-26 Q3: Task 1 (ESU), Task 2 (ESU), Task 3 (ESU), Task 4 (ESU), "
        "Task 5 (ESU) and 2 more."
    )


def test_money_flags_overspend_nearly_spent_at_exactly_90_percent_and_partner_far_from_budget():
    rows = [
        act("Exchange", Q4, "Complete", budget=6000, spend=6150),  # overspent, 103% (102.5 half up)
        act("Survey", Q4, "Green", budget=500, spend=450),  # exactly 90%, not complete
        act("Fund", Q4, "Green", partner=GSV, budget=4300, spend=2320),  # GSV at 54%: > 20% under
    ]
    found = messages(rows)
    assert one(found, "Over budget") == "Over budget: Exchange (ESU), £6,150 of £6,000 (103%)."
    assert one(found, "90% or more") == (
        "90% or more of the budget spent before the work is complete: Survey (ESU), £450 of £500 (90%)."
    )
    # ESU: 6,600 of 6,500 is within 20%; GSV is not.
    assert one(found, "More than 20%") == "More than 20% away from budget: GSV underspent, £2,320 of £4,300 (54%)."


def test_an_activity_is_named_once_across_the_key_messages():
    rows = [act("Exchange", Q3, "Green"), act("Exchange", Q4, "Complete", budget=100, spend=120)]
    found = " ".join(messages(rows))
    assert found.count("Exchange (ESU)") == 1  # over budget names it; the completion points back
    assert "ESU’s education policy activity named above" in found


def test_missing_activities_not_complete_are_named_completed_ones_counted():
    rows = [
        act("Kept", Q3, "Green"),
        act("Kept", Q4, "Green"),
        act("Dropped", Q3, "Amber", partner=CSA),
        act("Finished", Q3, "Complete"),
    ]
    assert one(messages(rows), "One activity not complete") == (
        "One activity not complete in 2025-26 Q3 has no row in 2025-26 Q4: Dropped (CSA, Amber in 2025-26 Q3). "
        "Ask whether it ended or fell out of the tracker; one more complete in 2025-26 Q3 is no longer "
        "reported, as expected."
    )


def test_missing_or_repeated_commentary_is_counted():
    rows = [
        act("A", Q3, "Amber", commentary="Waiting for the partner"),
        act("A", Q4, "Amber", commentary="Waiting  for the partner"),  # same words: stale
        act("B", Q4, "Red", commentary=""),
    ]  # none
    assert one(messages(rows), "One Red") == (
        "One Red or Amber activity has no commentary and one activity repeats the commentary of 2025-26 Q3 word "
        "for word; each is flagged under Needs attention."
    )


def test_messages_from_data_can_be_switched_off():
    narrative = dataclasses.replace(CONFIG.narrative, messages_from_data=False, key_messages=("Only this.",))
    config = dataclasses.replace(CONFIG, narrative=narrative)
    summary = summary_of(five_activities({Q3: "GGGAA", Q4: "GGCAA"}), config)
    narrative = render_narrative(
        summary, config, meeting_date=dt.date(2026, 9, 24), paper_title="x", purpose="information"
    )
    assert narrative.key_messages == ("Only this.",)


# --------------------------------------------------------------------------- decisions


@pytest.mark.parametrize(
    "ask, expected",
    [
        ("Approve closing the survey.", "The Board is asked to approve closing the survey (D1, ESU)."),
        ("The Board is asked to note the delay", "The Board is asked to note the delay (D1, ESU)."),
        ("ESU membership fee to rise to £400", "The Board is asked to ESU membership fee to rise to £400 (D1, ESU)."),
    ],
)
def test_an_ask_becomes_a_recommendation(ask, expected):
    assert decision_recommendation(ask, "D1", "ESU") == expected


def test_decisions_make_the_paper_for_decision_and_add_a_recommendation_each():
    from boardpack.model import CoverOptions
    from boardpack.pdf.pack import resolve_cover

    rows = [
        act("Survey", Q4, "Red", decision="Approve closing the survey"),
        act("Fund", Q4, "Amber", partner=GSV, decision="Agree the second grant"),
    ]
    summary = summary_of(rows)
    where = places(summary, CONFIG)
    assert [where.decision_ref(r) for r in summary.decisions] == ["D1", "D2"]
    assert where.attention == ()  # both are discussed under Decisions, not again under Needs attention
    assert resolve_cover(CONFIG, CoverOptions(meeting_date=dt.date(2026, 9, 24)), True).purpose == "decision"
    assert (
        resolve_cover(CONFIG, CoverOptions(meeting_date=dt.date(2026, 9, 24), purpose="discussion"), True).purpose
        == "discussion"
    )
    narrative = render_narrative(
        summary, CONFIG, meeting_date=dt.date(2026, 9, 24), paper_title="x", purpose="decision"
    )
    assert narrative.recommendations[-2:] == (
        "The Board is asked to approve closing the survey (D1, ESU).",
        "The Board is asked to agree the second grant (D2, GSV).",
    )
