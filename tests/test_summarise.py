"""The summarise stage, on small hand-counted tables built in the test.

The main fixture (``board``) is counted by hand in the comments beside it; the
as-at period is 2025-26 Q4 (May-Jul 2026, last day 31/07/2026) and the previous
one 2025-26 Q3.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import math
import random
from itertools import pairwise

import pandas as pd
import pytest
from helpers import ACTIVITIES_FILE, validated_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boardpack.config import load_config
from boardpack.model import CHANGES, STATUSES, Period, Problem
from boardpack.summarise import classify_change, days_overdue, is_overdue, on_track_share, summarise

CONFIG = load_config()  # the default template
ESU = "European Students' Union"
CSA = "Commonwealth Students' Association"
ACUI = "Association of College Unions International"
GSV = "Global Student Voice"
OTHER = "Other international partners"
EDU, CAP, SUS, SJ, SV, IL = (
    "Education policy",
    "Capacity building",
    "Sustainability",
    "Social justice",
    "Student voice",
    "International literacy",
)
Q2, Q3, Q4 = Period(2025, 2), Period(2025, 3), Period(2025, 4)
NAN = float("nan")
LAST_DAY_Q4 = dt.date(2026, 7, 31)


# --------------------------------------------------------------------------- helpers


def act(
    activity: str, period: Period = Q4, status: str = "Green", *, partner: str = ESU, area: str = EDU, **values
) -> dict:
    """One activity row; anything not given is blank."""
    return {"partner": partner, "area": area, "activity": activity, "period": period, "status": status, **values}


def metric(
    name: str,
    period: Period,
    actual: float,
    target: float = NAN,
    *,
    partner: str = ESU,
    area: str = "",
    unit: str = "number",
    better_when: str = "higher",
) -> dict:
    return {
        "partner": partner,
        "area": area,
        "metric": name,
        "period": period,
        "target": target,
        "actual": actual,
        "unit": unit,
        "better_when": better_when,
    }


def changes(previous: str | None, status: str) -> str:
    """The change category summarise gives one activity moving previous -> status."""
    rows = [act("Only one", Q4, status)]
    if previous is not None:
        rows.insert(0, act("only ONE ", Q3, previous))  # same identity after matching
    else:
        rows.insert(0, act("Something else", Q3, "Green"))
    (row,) = summarise(validated_inputs(rows), CONFIG).activities
    return row.change


BOARD_ROWS = [
    # ESU
    act("Bologna follow-up", Q3, "Green"),
    act(
        "Bologna follow-up",
        Q4,
        "Amber",
        progress=40,
        due_date=dt.date(2026, 6, 30),
        commentary="Delayed by the ministerial meeting",
        lead="VP Education",
        budget=1000,
        spend=500,
    ),  # worsened, overdue 31 days
    act("Mobility survey", Q3, "Amber"),
    act(
        "Mobility survey", Q4, "Complete", progress=100, due_date=dt.date(2026, 5, 1), budget=2000, spend=2100.5
    ),  # completed, not overdue
    act("Training for officers", Q4, "Red", area=CAP),  # new, no commentary
    # CSA
    act("Leaders summit", Q3, "Red", partner=CSA),
    act(
        "Leaders summit", Q4, "Amber", partner=CSA, progress=20, due_date=LAST_DAY_Q4, budget=500
    ),  # improved; due on last day: overdue, 0 days
    act("Green campus pledge", Q3, "Not started", partner=CSA, area=SUS),
    act(
        "Green campus pledge",
        Q4,
        "Green",
        partner=CSA,
        area=SUS,
        progress=60,
        due_date=dt.date(2026, 7, 30),
        budget=250.25,
        spend=99.5,
        commentary="On track",
    ),  # unchanged, overdue 1 day
    act("Exchange handbook", Q3, "Complete", partner=CSA),
    act("Exchange handbook", Q4, "Complete", partner=CSA, due_date=dt.date(2026, 1, 1)),  # unchanged, not overdue
    # ACUI
    act(
        "Anti-racism toolkit", Q4, "Not started", partner=ACUI, area=SJ, due_date=dt.date(2026, 3, 1)
    ),  # new, overdue 152 days
    act("Officer exchange", Q3, "Green", partner=ACUI, area=SV),
    act(
        "Officer exchange", Q4, "Red", partner=ACUI, area=SV, lead="President", commentary="Partner withdrew"
    ),  # worsened
    # GSV: a Q3 row only, so nothing as at Q4
    act("Climate letter", Q3, "Green", partner=GSV, area=SUS),
]


@pytest.fixture(scope="module")
def board():
    return summarise(validated_inputs(BOARD_ROWS), CONFIG)


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "previous, status, expected",
    [
        (None, "Green", "new"),
        (None, "Complete", "new"),
        ("Amber", "Complete", "completed"),
        ("Red", "Complete", "completed"),
        ("Not started", "Complete", "completed"),
        ("Complete", "Complete", "unchanged"),
        ("Not started", "Green", "unchanged"),
        ("Green", "Not started", "unchanged"),
        ("Red", "Amber", "improved"),
        ("Amber", "Green", "improved"),
        ("Red", "Not started", "improved"),
        ("Green", "Red", "worsened"),
        ("Complete", "Green", "worsened"),
        ("Not started", "Amber", "worsened"),
        ("Amber", "Amber", "unchanged"),
    ],
)
def test_change_category(previous, status, expected):
    assert classify_change(previous, status) == expected
    assert changes(previous, status) == expected


def test_vectorised_changes_agree_with_the_rule_for_every_pair():
    rows, expected = [], {}
    for i, before in enumerate(STATUSES):
        for j, now in enumerate(STATUSES):
            name = f"activity {i}-{j}"
            rows += [act(name, Q3, before), act(name, Q4, now)]
            expected[name] = classify_change(before, now)
    rows.append(act("brand new", Q4, "Red"))
    expected["brand new"] = "new"
    summary = summarise(validated_inputs(rows), CONFIG)
    assert {a.activity: a.change for a in summary.activities} == expected
    assert sum(summary.totals.changes.values()) == summary.totals.activities == 26


# 2020-01-01 to 2026-07-31: six years with two leap days (2020, 2024) = 2,192 days
# to 2026-01-01, then Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30 = 181 to
# 1 July and 30 more to the 31st: 2,192 + 181 + 30 = 2,403.
@pytest.mark.parametrize(
    "due, status, overdue, days",
    [
        (LAST_DAY_Q4, "Green", True, 0),  # due on the last day: overdue (by 0 days)
        (LAST_DAY_Q4 - dt.timedelta(days=1), "Green", True, 1),
        (LAST_DAY_Q4 + dt.timedelta(days=1), "Red", False, None),
        (dt.date(2020, 1, 1), "Not started", True, 2403),  # Not started counts
        (dt.date(2020, 1, 1), "Complete", False, None),  # Complete never
        (LAST_DAY_Q4, "Complete", False, None),
        (dt.date(2020, 1, 1), "Amber", True, 2403),
        (None, "Red", False, None),
    ],
)
def test_overdue_on_or_before_the_last_day_of_the_as_at_period(due, status, overdue, days):
    assert is_overdue(due, status, LAST_DAY_Q4) is overdue
    assert days_overdue(due, status, LAST_DAY_Q4) == days
    summary = summarise(validated_inputs([act("Only", Q4, status, due_date=due)]), CONFIG)
    assert summary.as_at_last_day == LAST_DAY_Q4
    (row,) = summary.activities
    assert row.overdue is overdue and row.days_overdue == days
    assert summary.totals.overdue == int(overdue)
    assert summary.partner(ESU).overdue == int(overdue)


def test_the_revised_due_date_is_the_one_that_counts():
    rows = [
        # original long past, revised after the last day: not overdue
        act("Replanned", status="Amber", due_date=dt.date(2026, 3, 1), revised_due_date=dt.date(2026, 9, 30)),
        # original after the last day, revised to 1 July: overdue 30 days (1 Jul -> 31 Jul)
        act("Brought forward", status="Green", due_date=dt.date(2026, 9, 30), revised_due_date=dt.date(2026, 7, 1)),
        # only a revised date, on the last day: overdue 0 days
        act("Revised only", status="Not started", revised_due_date=LAST_DAY_Q4),
        # Complete: never overdue, whatever the dates
        act("Done late", status="Complete", due_date=dt.date(2026, 1, 1), revised_due_date=dt.date(2026, 2, 1)),
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    found = {a.activity: (a.overdue, a.days_overdue, a.due_that_counts) for a in summary.activities}
    assert found == {
        "Replanned": (False, None, dt.date(2026, 9, 30)),
        "Brought forward": (True, 30, dt.date(2026, 7, 1)),
        "Revised only": (True, 0, LAST_DAY_Q4),
        "Done late": (False, None, dt.date(2026, 2, 1)),
    }
    assert summary.totals.overdue == 2
    replanned = next(a for a in summary.as_dict()["activities"] if a["activity"] == "Replanned")
    assert (replanned["due_date"], replanned["revised_due_date"], replanned["days_overdue"]) == (
        "2026-03-01",
        "2026-09-30",
        None,
    )


def test_overdue_follows_the_template_year_start():
    # Q1 of a year starting in August ends on 31 October.
    q1 = Period(2025, 1)
    rows = [act("a", q1, due_date=dt.date(2025, 10, 31)), act("b", q1, due_date=dt.date(2025, 11, 1))]
    summary = summarise(validated_inputs(rows), CONFIG)
    assert summary.as_at_last_day == dt.date(2025, 10, 31)
    assert [a.overdue for a in summary.activities] == [True, False]
    assert summary.activities[0].days_overdue == 0


def test_on_track_share_counts_not_started_in_the_total():
    rows = [act("a", status="Green"), act("b", status="Not started"), act("c", status="Complete")]
    summary = summarise(validated_inputs(rows), CONFIG)
    assert summary.totals.on_track_or_complete_pct == 66.7
    assert on_track_share(1, 2) == 50.0 and on_track_share(0, 0) == 0.0


# --------------------------------------------------------------------------- the hand-counted board


def test_periods(board):
    assert board.as_at == Q4 and board.previous == Q3 and board.previous_has_data


def test_totals(board):
    t = board.totals
    assert t.activities == 8
    assert dict(t.by_status) == {"Red": 2, "Amber": 2, "Green": 1, "Complete": 2, "Not started": 1}
    assert list(t.by_status) == list(STATUSES)
    assert dict(t.changes) == {"new": 2, "completed": 1, "improved": 1, "worsened": 2, "unchanged": 2}
    assert list(t.changes) == list(CHANGES)
    # Bologna (Amber), Leaders summit (Amber, due on the last day), Green campus (Green,
    # the day before), toolkit (Not started)
    assert t.overdue == 4
    assert t.on_track_or_complete_pct == 37.5  # 3 of 8
    assert t.budget == 3750.25  # 1000 + 2000 + 500 + 250.25, blanks as 0
    assert t.spend == 2700.0  # 500 + 2100.5 + 99.5
    assert t.mean_progress == 55.0  # (40 + 100 + 20 + 60) / 4
    assert t.spend_pct_of_budget == 72.0


def test_every_partner_in_registry_order_with_zeros(board):
    assert [p.name for p in board.partners] == [ESU, CSA, ACUI, GSV, OTHER]
    assert [p.short_name for p in board.partners] == ["ESU", "CSA", "ACUI", "GSV", "Other"]
    esu, csa, acui, gsv, other = board.partners
    assert esu.description.startswith("The umbrella organisation")
    assert (esu.activities, dict(esu.by_status)) == (
        3,
        {"Red": 1, "Amber": 1, "Green": 0, "Complete": 1, "Not started": 0},
    )
    assert dict(esu.changes) == {"new": 1, "completed": 1, "improved": 0, "worsened": 1, "unchanged": 0}
    assert (esu.overdue, esu.on_track_or_complete_pct, esu.budget, esu.spend, esu.mean_progress) == (
        1,
        33.3,
        3000.0,
        2600.5,
        70.0,
    )
    assert dict(csa.changes) == {"new": 0, "completed": 0, "improved": 1, "worsened": 0, "unchanged": 2}
    # overdue: Leaders summit (due on the last day) and Green campus pledge
    assert (csa.activities, csa.overdue, csa.on_track_or_complete_pct, csa.budget, csa.spend, csa.mean_progress) == (
        3,
        2,
        66.7,
        750.25,
        99.5,
        40.0,
    )
    assert (acui.activities, acui.overdue, acui.on_track_or_complete_pct, acui.budget, acui.mean_progress) == (
        2,
        1,
        0.0,
        0.0,
        None,
    )
    for empty in (gsv, other):  # GSV has a Q3 row only: not counted as at Q4
        assert empty.activities == 0 and empty.overdue == 0
        assert set(empty.by_status.values()) == {0} and set(empty.changes.values()) == {0}
        assert (empty.on_track_or_complete_pct, empty.budget, empty.spend, empty.mean_progress) == (0.0, 0.0, 0.0, None)
    assert board.partner(GSV) is gsv


def test_every_area_in_registry_order(board):
    assert [a.name for a in board.areas] == [EDU, CAP, SUS, SJ, SV, IL]
    assert [a.activities for a in board.areas] == [4, 1, 1, 1, 1, 0]
    edu = board.area(EDU)
    assert dict(edu.by_status) == {"Red": 0, "Amber": 2, "Green": 0, "Complete": 2, "Not started": 0}
    assert edu.on_track_or_complete_pct == 50.0
    assert sum(a.activities for a in board.areas) == board.totals.activities


def test_matrix(board):
    assert len(board.matrix) == 5 * 6
    assert [(c.partner, c.area) for c in board.matrix[:2]] == [(ESU, EDU), (ESU, CAP)]
    cell = board.cell(ESU, EDU)
    assert cell.activities == 2 and cell.by_status["Amber"] == 1 and cell.by_status["Complete"] == 1
    assert cell.mean_progress == 70.0
    assert board.cell(CSA, EDU).mean_progress == 20.0  # the handbook has no progress value
    assert board.cell(GSV, SUS).activities == 0 and board.cell(GSV, SUS).mean_progress is None
    assert sum(c.activities for c in board.matrix) == 8


def test_trend(board):
    q3, q4 = board.trend
    assert (q3.period, q4.period) == (Q3, Q4)
    assert q3.activities == 7 and q3.on_track_or_complete_pct == 57.1  # 4 of 7
    assert dict(q3.partners) == {ESU: 50.0, CSA: 33.3, ACUI: 100.0, GSV: 100.0, OTHER: None}
    assert q4.on_track_or_complete_pct == 37.5
    assert dict(q4.partners) == {ESU: 33.3, CSA: 66.7, ACUI: 0.0, GSV: None, OTHER: None}


def test_activity_rows(board):
    assert [a.activity for a in board.activities] == [
        "Bologna follow-up",
        "Mobility survey",
        "Training for officers",  # ESU: EDU, EDU, CAP
        "Exchange handbook",
        "Leaders summit",
        "Green campus pledge",  # CSA: EDU, EDU, SUS
        "Anti-racism toolkit",
        "Officer exchange",
    ]  # ACUI: SJ, SV
    bologna = board.activities[0]
    assert (bologna.status, bologna.previous_status, bologna.change, bologna.overdue) == (
        "Amber",
        "Green",
        "worsened",
        True,
    )
    assert (bologna.progress, bologna.due_date, bologna.lead, bologna.budget, bologna.spend) == (
        40.0,
        dt.date(2026, 6, 30),
        "VP Education",
        1000.0,
        500.0,
    )
    assert (bologna.file, bologna.sheet, bologna.row) == (ACTIVITIES_FILE, "Activities", 3)
    training = board.activities[2]
    assert (
        training.previous_status,
        training.change,
        training.progress,
        training.due_date,
        training.budget,
        training.commentary,
    ) == (None, "new", None, None, None, "")


def test_exceptions_red_then_overdue_by_days_then_worsened_then_amber(board):
    # Red: both new or just turned Red (1 period), so partner order: ESU then ACUI.
    # Overdue, not Red: toolkit 152 days (1 Mar -> 31 Jul), Bologna 31 (30 Jun -> 31 Jul),
    # Green campus 1, Leaders summit 0. Nothing worsened or Amber is left over.
    assert [(a.activity, a.reasons, a.days_overdue) for a in board.exceptions] == [
        ("Training for officers", ("red",), None),
        ("Officer exchange", ("red", "worsened"), None),
        ("Anti-racism toolkit", ("overdue",), 152),
        ("Bologna follow-up", ("amber", "overdue", "worsened"), 31),
        ("Green campus pledge", ("overdue",), 1),
        ("Leaders summit", ("amber", "overdue"), 0),
    ]
    assert board.exceptions[1].lead == "President"
    assert board.exceptions[1].commentary == "Partner withdrew"


def test_missing_commentary(board):
    assert [a.activity for a in board.missing_commentary] == ["Training for officers", "Leaders summit"]


# --------------------------------------------------------------------------- how long, what changed, what to ask

Q1 = Period(2025, 1)
NEXT_Q1 = Period(2026, 1)


def test_board_new_facts(board):
    bologna, mobility, training = board.activities[:3]
    assert (bologna.status_since, bologna.status_periods) == (Q4, 1)  # Green in Q3, Amber now
    assert bologna.history == ((Q3, "Green"), (Q4, "Amber"))
    assert training.history == ((Q4, "Red"),) and training.previous_commentary == ""
    assert (board.decisions, board.streaks, board.attention_metrics) == ((), (), ())
    # GSV's Climate letter has a Q3 row and none in Q4
    assert [(m.partner, m.activity, m.previous_status, m.row) for m in board.missing_activities] == [
        (GSV, "Climate letter", "Green", 16)
    ]
    # Mobility survey: 2,100.50 of 2,000 = 105.0% (Complete still counts for overspent).
    # CSA: 99.50 of 750.25 = 13.3%, more than 20% below. ESU: 2,600.50 of 3,000 = 86.7%: no flag.
    assert [(f.kind, f.partner, f.activity, f.pct) for f in board.money_flags] == [
        ("overspent", ESU, "Mobility survey", 105.0),
        ("partner_underspend", CSA, "", 13.3),
    ]


def test_status_runs_and_history():
    rows = [
        # Amber, then Red three periods running: Red since Q2, 3 periods
        act("Red three", Q1, "Amber"),
        act("Red three", Q2, "Red"),
        act("Red three", Q3, "Red"),
        act("Red three", Q4, "Red"),
        act("Red three", NEXT_Q1, "Green"),  # after as-at: ignored
        # Red in Q1, Q2 and Q4 but no Q3 row: the gap breaks the run, 1 period
        act("Gap", Q1, "Red"),
        act("Gap", Q2, "Red"),
        act("Gap", Q4, "Red"),
        # Not started then Green: a different status for runs, 1 period (change: unchanged)
        act("Started", Q3, "Not started"),
        act("Started", Q4, "Green"),
        # Not started all four periods: since Q1, 4 periods
        act("Not started long", Q1, "Not started"),
        act("Not started long", Q2, "Not started"),
        act("Not started long", Q3, "Not started"),
        act("Not started long", Q4, "Not started"),
        # same text, another partner: another activity, new, 1 period
        act("Red three", Q4, "Red", partner=CSA),
        # Green two periods: a run of 2, but not a streak (only Red and Not started are)
        act("Steady", Q3, "Green"),
        act("Steady", Q4, "Green"),
    ]
    summary = summarise(validated_inputs(rows, as_at=Q4), CONFIG)
    found = {(a.partner, a.activity): (a.status_since, a.status_periods, a.history) for a in summary.activities}
    assert found == {
        (ESU, "Red three"): (Q2, 3, ((Q1, "Amber"), (Q2, "Red"), (Q3, "Red"), (Q4, "Red"))),
        (ESU, "Gap"): (Q4, 1, ((Q1, "Red"), (Q2, "Red"), (Q4, "Red"))),
        (ESU, "Started"): (Q4, 1, ((Q3, "Not started"), (Q4, "Green"))),
        (ESU, "Not started long"): (Q1, 4, tuple((p, "Not started") for p in (Q1, Q2, Q3, Q4))),
        (ESU, "Steady"): (Q3, 2, ((Q3, "Green"), (Q4, "Green"))),
        (CSA, "Red three"): (Q4, 1, ((Q4, "Red"),)),
    }
    assert next(a for a in summary.activities if a.activity == "Started").change == "unchanged"
    # Red or Not started for two periods or more, longest first
    assert [(a.activity, a.status_periods) for a in summary.streaks] == [("Not started long", 4), ("Red three", 3)]
    red_three = next(a for a in summary.as_dict()["activities"] if a["activity"] == "Red three")
    assert (red_three["status_since"], red_three["status_periods"], red_three["history"][0]) == (
        "2025-26 Q2",
        3,
        ["2025-26 Q1", "Amber"],
    )


def test_status_run_over_a_year_end():
    # 2025-26 Q4 then 2026-27 Q1 are consecutive: a run of 2 since 2025-26 Q4.
    summary = summarise(validated_inputs([act("a", Q4, "Red"), act("a", NEXT_Q1, "Red")]), CONFIG)
    assert (summary.activities[0].status_since, summary.activities[0].status_periods) == (Q4, 2)


def test_needs_attention_ranking():
    rows = [
        act("Red for three", Q2, "Red", partner=CSA),
        act("Red for three", Q3, "Red", partner=CSA),
        act("Red for three", Q4, "Red", partner=CSA),  # Red, 3 periods
        act("Red for one", Q3, "Amber"),
        act("Red for one", Q4, "Red"),  # Red, 1, worsened
        act("Red overdue", Q4, "Red", partner=ACUI, due_date=dt.date(2026, 1, 1)),  # Red, 1, overdue
        act("Overdue by 3", Q4, "Green", due_date=dt.date(2026, 7, 28)),  # 28 Jul -> 31 Jul
        act("Overdue by 40", Q4, "Green", partner=CSA, due_date=dt.date(2026, 6, 21)),  # 9 + 31 days
        act("Amber overdue", Q4, "Amber", partner=ACUI, due_date=LAST_DAY_Q4),  # 0 days
        act("Worsened", Q3, "Complete"),
        act("Worsened", Q4, "Green"),
        act("Amber", Q3, "Amber"),
        act("Amber", Q4, "Amber"),
        act("Fine", Q4, "Green"),
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    assert [(a.activity, a.reasons) for a in summary.exceptions] == [
        ("Red for three", ("red",)),  # CSA, but 3 periods beats 1
        ("Red for one", ("red", "worsened")),  # 1 period; ESU before ACUI
        ("Red overdue", ("red", "overdue")),  # Red first, however overdue
        ("Overdue by 40", ("overdue",)),
        ("Overdue by 3", ("overdue",)),
        ("Amber overdue", ("amber", "overdue")),  # 0 days: last of the overdue
        ("Worsened", ("worsened",)),
        ("Amber", ("amber",)),
    ]
    assert [a.days_overdue for a in summary.exceptions[3:6]] == [40, 3, 0]
    assert len({id(a) for a in summary.exceptions}) == len(summary.exceptions)  # each once
    exported = summary.as_dict()["exceptions"]
    assert [e["activity"] for e in exported][:2] == ["Red for three", "Red for one"]
    assert exported[2]["reasons"] == ["red", "overdue"]


def test_decisions():
    rows = [
        act("Summit", Q4, "Amber", partner=CSA, decision="Approve £5,000 for the summit"),
        act("Blank ask", Q4, "Red", decision="   "),  # only spaces: no decision
        act("Earlier ask", Q3, "Red", decision="Asked last quarter"),  # previous period: not counted
        act("Earlier ask", Q4, "Red"),
        act("Training", Q4, "Green", area=CAP, decision="Note the new dates"),
        act("Bologna", Q4, "Green", decision="Endorse the response"),
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    # activities order: ESU (Education policy: Bologna; Capacity building: Training), then CSA
    assert [(a.activity, a.decision) for a in summary.decisions] == [
        ("Bologna", "Endorse the response"),
        ("Training", "Note the new dates"),
        ("Summit", "Approve £5,000 for the summit"),
    ]
    assert summary.as_dict()["decisions"][2]["decision"] == "Approve £5,000 for the summit"
    assert next(a for a in summary.activities if a.activity == "Blank ask").decision == "   "


def test_missing_activities():
    rows = [
        act("Alpha", Q3, "Amber", file="inputs/b.xlsx", row=2),
        act("Zeta", Q3, "Red", area=CAP, file="inputs/a.xlsx", row=9),
        act("Kept", Q3, "Green"),
        act("  KEPT ", Q4, "Green"),  # same activity: not missing
        act("Moved", Q3, "Red", partner=CSA, file="inputs/a.xlsx", row=3),
        act("Moved", Q4, "Red", partner=ESU),  # another partner's activity
        act("Old", Q2, "Amber"),  # two periods back: not listed
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    # ESU first (read order: a.xlsx before b.xlsx), then CSA
    assert [(m.partner, m.area, m.activity, m.previous_status, m.file, m.row) for m in summary.missing_activities] == [
        (ESU, CAP, "Zeta", "Red", "inputs/a.xlsx", 9),
        (ESU, EDU, "Alpha", "Amber", "inputs/b.xlsx", 2),
        (CSA, EDU, "Moved", "Red", "inputs/a.xlsx", 3),
    ]
    assert summary.as_dict()["missing_activities"][0] == {
        "partner": ESU,
        "area": CAP,
        "activity": "Zeta",
        "previous_status": "Red",
        "file": "inputs/a.xlsx",
        "sheet": "Activities",
        "row": 9,
    }
    # No previous-period rows at all: nothing is missing.
    assert summarise(validated_inputs([act("Old", Q2), act("a", Q4)]), CONFIG).missing_activities == ()


def _flags(summary):
    return [(f.kind, f.partner, f.activity, f.status, f.budget, f.spend, f.pct) for f in summary.money_flags]


def test_money_flags_and_their_edges():
    rows = [
        # ESU (activities order is by name within Education policy)
        act("Over", budget=1000, spend=1000.01),  # overspent, 100.001 -> 100.0
        act("Exactly all", budget=1000, spend=1000),  # near budget (100%), not overspent
        act("Exactly 90", budget=1000, spend=900),  # near budget: exactly 90% counts
        act("Exactly 90 in pence", budget=130.80, spend=117.72),  # 90% (float gives 89.99999999999999)
        act("Just under 90", budget=1000, spend=899.99),  # 89.999%: no flag
        act("Complete at 95", status="Complete", budget=1000, spend=950),  # Complete: not near budget
        act("Complete over", status="Complete", budget=100, spend=150),  # overspent still
        act("No budget", spend=500),  # blank budget: no flag
        act("Zero budget", budget=0, spend=10),  # budget 0: no flag
        act("Blank spend", status="Red", budget=100),  # blank spend: no flag
        # CSA: 1,200 of 1,000 = exactly 120%: no partner flag (activity overspent)
        act("CSA exact", partner=CSA, budget=1000, spend=1200),
        # ACUI: 1,200.01 of 1,000 = 120.001%: partner overspend
        act("ACUI over", partner=ACUI, budget=1000, spend=1200.01),
        # GSV: 800 of 1,000 = exactly 80%: no partner flag
        act("GSV exact", partner=GSV, budget=1000, spend=800),
        # Other: 799.99 of 1,000 = 79.999%: partner underspend (shown 80.0)
        act("Other under", partner=OTHER, budget=1000, spend=799.99),
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    # ESU totals: budget 1000 x5 + 130.80 + 100 + 0 + 100 = 5,330.80; spend 1000.01 + 1000 + 900
    # + 117.72 + 899.99 + 950 + 150 + 500 + 10 = 5,527.72 -> 103.7%: no partner flag.
    assert (summary.partner(ESU).budget, summary.partner(ESU).spend) == (5330.8, 5527.72)
    assert _flags(summary) == [
        ("overspent", ESU, "Complete over", "Complete", 100.0, 150.0, 150.0),
        ("overspent", ESU, "Over", "Green", 1000.0, 1000.01, 100.0),
        ("overspent", CSA, "CSA exact", "Green", 1000.0, 1200.0, 120.0),
        ("overspent", ACUI, "ACUI over", "Green", 1000.0, 1200.01, 120.0),
        ("near_budget", ESU, "Exactly 90", "Green", 1000.0, 900.0, 90.0),
        ("near_budget", ESU, "Exactly 90 in pence", "Green", 130.8, 117.72, 90.0),
        ("near_budget", ESU, "Exactly all", "Green", 1000.0, 1000.0, 100.0),
        ("partner_overspend", ACUI, "", "", 1000.0, 1200.01, 120.0),
        ("partner_underspend", OTHER, "", "", 1000.0, 799.99, 80.0),
    ]
    assert summary.as_dict()["money_flags"][-1] == {
        "kind": "partner_underspend",
        "partner": OTHER,
        "activity": "",
        "status": "",
        "budget": 1000.0,
        "spend": 799.99,
        "pct": 80.0,
    }


def test_money_flags_follow_the_template_thresholds():
    pack = dataclasses.replace(CONFIG.pack, near_budget_pct=50, partner_money_pct=60)
    config = dataclasses.replace(CONFIG, pack=pack)
    rows = [
        act("Half", budget=1000, spend=500),
        act("Under half", budget=1000, spend=499.99),
        act("Low", partner=CSA, budget=1000, spend=300),
    ]  # 30%: 70% below, more than 60
    assert _flags(summarise(validated_inputs(rows), config)) == [
        ("near_budget", ESU, "Half", "Green", 1000.0, 500.0, 50.0),
        ("partner_underspend", CSA, "", "", 1000.0, 300.0, 30.0),
    ]
    # With the default 90 and 20: ESU 999.99 of 2,000 = 50.0% and CSA 30%: both underspent.
    assert [f.kind for f in summarise(validated_inputs(rows), CONFIG).money_flags] == [
        "partner_underspend",
        "partner_underspend",
    ]


def test_metric_direction_and_attention_metrics():
    metrics = [
        metric("Complaints", Q4, 2400, 2000, better_when="lower"),  # above a lower-better target: wrong
        metric("Waiting days", Q4, 1800, 2000, better_when="lower"),  # below it: fine
        metric("Students reached", Q4, 150, 200),  # below a higher-better target: wrong
        metric("Events", Q4, 200, 200),  # on target: fine
        metric("Cost", Q3, 1500, 2000, partner=CSA),  # higher in Q3 ...
        metric("Cost", Q4, 2100, partner=CSA, better_when="lower"),  # ... lower now; target 2000 carries on
        metric("No target", Q4, 5, partner=CSA),  # no target: never wrong
    ]
    summary = summarise(validated_inputs([act("a", Q4)], metrics), CONFIG)
    # metrics order: ESU (complaints, events, students reached, waiting days), then CSA (cost, no target)
    assert [(m.metric, m.better_when, m.on_wrong_side) for m in summary.metrics] == [
        ("Complaints", "lower", True),
        ("Events", "higher", False),
        ("Students reached", "higher", True),
        ("Waiting days", "lower", False),
        ("Cost", "lower", True),
        ("No target", "higher", False),
    ]
    assert [m.metric for m in summary.attention_metrics] == ["Complaints", "Students reached", "Cost"]
    exported = summary.as_dict()["attention_metrics"][0]
    assert (exported["better_when"], exported["on_wrong_side"], exported["pct_of_target"]) == ("lower", True, 120.0)


def test_previous_commentary_and_commentary_unchanged():
    rows = [
        act("Same", Q3, "Amber", commentary="Waiting for the venue"),
        act("Same", Q4, "Amber", commentary="  waiting for the  VENUE "),  # same words: unchanged
        act("Changed", Q3, "Amber", commentary="Waiting"),
        act("Changed", Q4, "Amber", commentary="Booked"),
        act("Blank", Q3, "Red"),
        act("Blank", Q4, "Red"),  # nothing given: not "unchanged"
        act("New", Q4, "Red", commentary="Started"),
        act("Gap", Q2, "Red", commentary="Same words"),
        act("Gap", Q4, "Red", commentary="Same words"),
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    found = {a.activity: (a.previous_commentary, a.commentary_unchanged) for a in summary.activities}
    assert found == {
        "Same": ("Waiting for the venue", True),
        "Changed": ("Waiting", False),
        "Blank": ("", False),
        "New": ("", False),
        "Gap": ("", False),
    }
    assert next(a for a in summary.as_dict()["activities"] if a["activity"] == "Same")["commentary_unchanged"]


# --------------------------------------------------------------------------- edge cases


def test_previous_period_missing_entirely_makes_everything_new():
    rows = [act("a", Q2, "Red"), act("a", Q4, "Green"), act("b", Q4, "Complete")]
    summary = summarise(validated_inputs(rows), CONFIG)
    assert summary.previous == Q3 and not summary.previous_has_data
    assert dict(summary.totals.changes) == {"new": 2, "completed": 0, "improved": 0, "worsened": 0, "unchanged": 0}
    assert all(a.previous_status is None for a in summary.activities)
    assert [t.period for t in summary.trend] == [Q2, Q4]


def test_previous_of_the_first_quarter_is_last_years_fourth():
    q1 = Period(2026, 1)
    summary = summarise(validated_inputs([act("a", Q4, "Red"), act("a", q1, "Amber")]), CONFIG)
    assert summary.previous == Q4 and summary.activities[0].change == "improved"


def test_no_activities_as_at():
    summary = summarise(validated_inputs([act("a", Q3)], as_at=Q4), CONFIG)
    assert summary.totals.activities == 0 and summary.totals.on_track_or_complete_pct == 0.0
    assert summary.totals.mean_progress is None and summary.activities == ()
    assert all(p.activities == 0 for p in summary.partners)


def test_budget_and_spend_with_blanks():
    rows = [
        act("a", budget=1200.5, spend=NAN),
        act("b", budget=NAN, spend=300.25),
        act("c", partner=CSA, budget=0.1, spend=0.2),
        act("d", partner=CSA),
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    assert (summary.totals.budget, summary.totals.spend) == (1200.6, 300.45)
    assert (summary.partner(ESU).budget, summary.partner(ESU).spend) == (1200.5, 300.25)
    assert (summary.partner(CSA).budget, summary.partner(CSA).spend) == (0.1, 0.2)
    assert summary.partner(GSV).spend_pct_of_budget is None
    assert [(a.budget, a.spend) for a in summary.activities][:2] == [(1200.5, None), (None, 300.25)]


def test_metrics_latest_against_target():
    metrics = [
        metric("Students reached", Q2, 100, 200),
        metric("students  REACHED", Q3, 150, 200, area=EDU),
        metric("Students reached", Q4, 180),  # target left blank: 200 carries on
        metric("Students reached", Period(2026, 1), 999, 1000),  # after as-at: ignored
        metric("Satisfaction", Q3, 72.5, 80, partner=CSA, unit="%"),
        metric("Spend on travel", Q2, 500, partner=ESU, unit="£"),
    ]
    summary = summarise(validated_inputs([act("a", Q4)], metrics, as_at=Q4), CONFIG)
    travel, reached, satisfaction = summary.metrics  # partner order, then metric name
    assert (
        reached.partner,
        reached.metric,
        reached.period,
        reached.actual,
        reached.target,
        reached.pct_of_target,
        reached.unit,
        reached.area,
    ) == (ESU, "Students reached", Q4, 180.0, 200.0, 90.0, "number", None)
    assert [(p.period, p.actual, p.target) for p in reached.series] == [
        (Q2, 100.0, 200.0),
        (Q3, 150.0, 200.0),
        (Q4, 180.0, None),
    ]
    assert (travel.metric, travel.target, travel.pct_of_target, travel.unit) == ("Spend on travel", None, None, "£")
    assert (
        satisfaction.partner,
        satisfaction.period,
        satisfaction.actual,
        satisfaction.unit,
        satisfaction.pct_of_target,
    ) == (CSA, Q3, 72.5, "%", 90.6)


def test_warnings_carry_over_and_errors_do_not():
    warning = Problem("inputs/a.xlsx", "Activities", 7, "Commentary", "", "Red without commentary", "warning")
    error = Problem("inputs/a.xlsx", "Activities", 8, "Status", "Purple", "not a status")
    summary = summarise(validated_inputs([act("a")], problems=(error, warning)), CONFIG)
    assert summary.warnings == (warning,)
    assert summary.as_dict()["warnings"] == [warning.as_dict()]


# --------------------------------------------------------------------------- summary.json


def test_json_keys_and_forms(board):
    data = json.loads(board.to_json())
    assert {
        "as_at",
        "previous",
        "totals",
        "partners",
        "areas",
        "activities",
        "matrix",
        "trend",
        "exceptions",
        "missing_commentary",
        "metrics",
        "warnings",
    } <= set(data)
    assert (data["as_at"], data["previous"]) == ("2025-26 Q4", "2025-26 Q3")
    assert {"activities", "by_status", "changes", "overdue", "on_track_or_complete_pct", "budget", "spend"} <= set(
        data["totals"]
    )
    assert list(data["totals"]["by_status"]) == ["Red", "Amber", "Green", "Complete", "Not started"]
    assert list(data["totals"]["changes"]) == ["new", "completed", "improved", "worsened", "unchanged"]
    assert data["totals"]["on_track_or_complete_pct"] == 37.5
    esu = data["partners"][0]
    assert {
        "name",
        "short_name",
        "activities",
        "by_status",
        "changes",
        "overdue",
        "on_track_or_complete_pct",
        "budget",
        "spend",
    } <= set(esu)
    assert (esu["name"], esu["short_name"], esu["activities"], esu["overdue"]) == (ESU, "ESU", 3, 1)
    assert data["partners"][4]["mean_progress"] is None
    assert {"name", "activities", "by_status"} <= set(data["areas"][0])
    bologna = data["activities"][0]
    assert {"partner", "area", "activity", "status", "previous_status", "change", "overdue"} <= set(bologna)
    assert (
        bologna["status"],
        bologna["previous_status"],
        bologna["change"],
        bologna["overdue"],
        bologna["due_date"],
    ) == ("Amber", "Green", "worsened", True, "2026-06-30")
    training = data["activities"][2]
    assert training["progress"] is None and training["previous_status"] is None
    assert data["trend"][0]["period"] == "2025-26 Q3"
    assert data["exceptions"][0]["reasons"] == ["red"]


def test_json_text_is_the_dict_one_item_per_line(board):
    text = board.to_json()
    assert json.loads(text) == json.loads(json.dumps(board.as_dict()))
    assert text.endswith("}\n") and "NaN" not in text
    assert len(text.splitlines()) == 2 + 4 + 1 + sum(  # braces, scalar keys, totals
        2 + len(board.as_dict()[key]) if board.as_dict()[key] else 1
        for key in (
            "partners",
            "areas",
            "matrix",
            "trend",
            "activities",
            "exceptions",
            "missing_commentary",
            "metrics",
            "warnings",
            "decisions",
            "streaks",
            "attention_metrics",
            "missing_activities",
            "money_flags",
            "from_history",
        )
    )


def test_json_is_deterministic_whatever_the_row_order():
    shuffled = BOARD_ROWS[:]
    random.Random(4).shuffle(shuffled)
    first = summarise(validated_inputs(BOARD_ROWS), CONFIG).to_json()
    assert summarise(validated_inputs(BOARD_ROWS), CONFIG).to_json() == first
    # Row numbers follow list order in validated_inputs, so compare without them.
    again = json.loads(summarise(validated_inputs(shuffled), CONFIG).to_json())
    original = json.loads(first)
    for key in ("activities", "exceptions", "missing_commentary", "decisions", "streaks", "missing_activities"):
        for item in again[key] + original[key]:
            item.pop("row")
    assert again == original


# --------------------------------------------------------------------------- purity


def test_input_is_not_changed():
    inputs = validated_inputs(BOARD_ROWS, [metric("Students reached", Q4, 10, 20)])
    activities, metrics = inputs.activities.copy(deep=True), inputs.metrics.copy(deep=True)
    dtypes = inputs.activities.dtypes.copy()
    before = copy.deepcopy((inputs.periods, inputs.as_at, inputs.problems))
    summarise(inputs, CONFIG)
    pd.testing.assert_frame_equal(inputs.activities, activities)
    pd.testing.assert_frame_equal(inputs.metrics, metrics)
    pd.testing.assert_series_equal(inputs.activities.dtypes, dtypes)
    assert (inputs.periods, inputs.as_at, inputs.problems) == before


def test_summary_is_frozen(board):
    with pytest.raises(dataclasses.FrozenInstanceError):
        board.totals.activities = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        board.totals.by_status["Red"] = 0  # type: ignore[index]
    assert isinstance(board.activities, tuple) and isinstance(board.partners, tuple)


def test_no_as_at_period_is_a_clear_error():
    empty = validated_inputs([])
    assert empty.as_at is None and empty.periods == ()
    with pytest.raises(ValueError, match="no as-at period"):
        summarise(empty, CONFIG)


# --------------------------------------------------------------------------- properties

_PARTNERS = CONFIG.partners.names
_AREAS = CONFIG.areas.names
_PERIODS = (Period(2025, 1), Q2, Q3, Q4)

_history = st.dictionaries(
    keys=st.tuples(st.sampled_from(_PARTNERS), st.integers(0, 6), st.sampled_from(_PERIODS)),
    values=st.tuples(
        st.sampled_from(STATUSES),
        st.sampled_from(_AREAS),
        st.one_of(st.none(), st.floats(0, 100)),
        st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1))),
        st.one_of(st.none(), st.floats(0, 10_000, allow_subnormal=False)),
        st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1))),
    ),
    max_size=60,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_history, st.sampled_from(_PERIODS))
def test_totals_add_up(history, as_at):
    rows = [
        act(
            f"activity {n}",
            period,
            status,
            partner=partner,
            area=area,
            progress=NAN if progress is None else progress,
            due_date=due,
            revised_due_date=revised,
            budget=NAN if money is None else money,
            spend=NAN if money is None else money / 2,
        )
        for (partner, n, period), (status, area, progress, due, money, revised) in history.items()
    ]
    if not rows:
        rows = [act("only", as_at)]
    summary = summarise(validated_inputs(rows, as_at=as_at), CONFIG)
    totals = summary.totals
    assert sum(totals.by_status.values()) == totals.activities
    assert sum(totals.changes.values()) == totals.activities
    assert sum(p.activities for p in summary.partners) == totals.activities
    assert sum(a.activities for a in summary.areas) == totals.activities
    assert sum(c.activities for c in summary.matrix) == totals.activities
    assert sum(p.overdue for p in summary.partners) == totals.overdue <= totals.activities
    assert len(summary.activities) == totals.activities
    for group in (totals, *summary.partners, *summary.areas):
        assert 0.0 <= group.on_track_or_complete_pct <= 100.0
        assert group.mean_progress is None or 0.0 <= group.mean_progress <= 100.0
    for point in summary.trend:
        for share in (point.on_track_or_complete_pct, *point.partners.values()):
            assert share is None or 0.0 <= share <= 100.0
    for row in summary.activities:
        assert row.change == classify_change(row.previous_status, row.status)
        assert row.overdue == is_overdue(row.due_that_counts, row.status, summary.as_at_last_day)
        assert row.days_overdue == days_overdue(row.due_that_counts, row.status, summary.as_at_last_day)
        # the history ends with this period, and the run is its unbroken tail of one status
        assert row.history[-1] == (summary.as_at, row.status)
        assert 1 <= row.status_periods <= len(row.history)
        tail = row.history[-row.status_periods :]
        assert tail[0][0] == row.status_since and {s for _, s in tail} == {row.status}
        assert all(later.previous() == earlier for (earlier, _), (later, _) in pairwise(tail))
        if len(tail) < len(row.history):  # the row before the run breaks it: a gap or another status
            before, status = row.history[-len(tail) - 1]
            assert status != row.status or tail[0][0].previous() != before
        periods = [p for p, _ in row.history]
        assert periods == sorted(periods)
        previous = dict(row.history).get(summary.previous)
        assert previous == row.previous_status
    # Needs attention: exactly those with a reason, each once
    assert sorted(map(id, summary.exceptions)) == sorted(id(a) for a in summary.activities if a.needs_attention)
    assert math.isclose(totals.budget, sum(p.budget for p in summary.partners), abs_tol=0.05)
    json.loads(summary.to_json())  # always valid JSON: no NaN


# --------------------------------------------------------------------------- docs


def _json_keys(value, skip_values_of=("by_status", "changes", "partner_status")):
    """Every key of summary.json, except those that are data (statuses, partner names)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            data_keyed = key in skip_values_of or (key == "partners" and isinstance(item, dict))
            if not data_keyed:
                yield from _json_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_keys(item)


def test_every_summary_json_key_is_documented():
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "summary.md").read_text(encoding="utf-8")
    warning = Problem("a.csv", None, 2, "Lead", "", "blank", "warning")
    inputs = validated_inputs(BOARD_ROWS, [metric("Students reached", Q4, 10, 20)], problems=(warning,))
    keys = set(_json_keys(summarise(inputs, CONFIG).as_dict()))
    assert {"series", "reasons", "severity"} <= keys
    assert sorted(k for k in keys if f"`{k}`" not in docs) == []
