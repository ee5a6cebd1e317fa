"""The pack's fixed wording, as data: what each status and change means, the glossary.

Kept apart from the code that lays the pack out, so that the words can be read
and changed in one place; the PDF (``pdf/``) and the HTML companion (``html/``)
both print them.
"""

from __future__ import annotations

PURPOSES = {"information": "For information", "discussion": "For discussion", "decision": "For decision"}

STATUS_MEANINGS = {
    "Red": "Off track: will not be delivered as planned without action.",
    "Amber": "At risk: problems the lead expects to resolve; watch closely.",
    "Green": "On track: progressing as planned.",
    "Complete": "Delivered.",
    "Not started": "Not yet begun; counts level with Green when comparing periods.",
}

CHANGE_MEANINGS = {
    "new": "No row for the activity in the previous period.",
    "completed": "Moved into Complete since the previous period.",
    "improved": "Moved up the scale Red → Amber → Green (or Not started).",
    "worsened": "Moved down the scale, e.g. Amber → Red.",
    "unchanged": "The same status as in the previous period (Green and Not started count as equal).",
}

# How each change since the previous period is written: arrow and word, never colour alone.
CHANGE_WORDS: dict[str, str] = {
    "improved": "▲ improved",
    "worsened": "▼ worsened",
    "completed": "✔ completed",
    "new": "✚ new",
    "unchanged": "= unchanged",
}

# Why an activity is listed under Needs attention, as the list says it.
REASON_WORDS = {"red": "Red", "amber": "Amber", "overdue": "overdue", "worsened": "worsened"}

# Glossary terms; {last_day} and {as_at} are filled in from the summary.
TERMS = (
    ("On track or complete", "Green plus Complete, as a share of all activities (Not started included)."),
    (
        "Overdue",
        "Due on or before {last_day}, the period's last day, and not Complete (Not started counts). "
        "Where a revised due date is given, it is the one that counts.",
    ),
    (
        "Needs attention",
        "Red, overdue, worse than in the previous period, or Amber; and metrics on the wrong "
        "side of their target. Ranked in that order.",
    ),
    (
        "Decision",
        'An activity whose lead asks the Board to decide something (the "Decision needed" column of the spreadsheets).',
    ),
    ("As at", "The reporting period of this pack ({as_at})."),
    ("Money", "Whole pounds in the body of the pack, rounded half up; pence in the appendix."),
)

MISSING_COMMENTARY = "⚠ No commentary: ask the lead what is wrong and what is being done."
UNCHANGED_COMMENTARY = "⚠ Same words as last period."
