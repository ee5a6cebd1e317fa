"""The summary's rules, one value at a time (docs/summary.md).

The vectorised code of the other modules does the same to whole columns; the
tests check the two agree.
"""

from __future__ import annotations

import datetime as dt

from ..model import STATUS_RANK

ON_TRACK: tuple[str, ...] = ("Green", "Complete")


def classify_change(previous_status: str | None, status: str) -> str:
    """The change category of one activity: new, completed, improved, worsened or unchanged.

    New: no row in the previous period. Completed: any move into Complete.
    Otherwise the status rank (Red < Amber < Green = Not started < Complete)
    decides improved or worsened; equal ranks, Complete -> Complete included,
    are unchanged.
    """
    if previous_status is None:
        return "new"
    if status == "Complete" and previous_status != "Complete":
        return "completed"
    before, now = STATUS_RANK[previous_status], STATUS_RANK[status]
    if now > before:
        return "improved"
    if now < before:
        return "worsened"
    return "unchanged"


def is_overdue(due_date: dt.date | None, status: str, as_at_last_day: dt.date) -> bool:
    """Due on or before the last day of the as-at period and not Complete (Not started counts).

    ``due_date`` is the date that counts: the revised due date when one is given,
    else the original (``ActivityRow.due_that_counts``). Due on the last day
    itself is overdue. Today's date plays no part.
    """
    return due_date is not None and due_date <= as_at_last_day and status != "Complete"


def days_overdue(due_date: dt.date | None, status: str, as_at_last_day: dt.date) -> int | None:
    """Days from the due date that counts to the as-at period's last day when overdue, else None.

    0 for an activity due on the last day itself.
    """
    if due_date is None or not is_overdue(due_date, status, as_at_last_day):
        return None
    return (as_at_last_day - due_date).days


def on_track_share(green_or_complete: int, activities: int) -> float:
    """Green + Complete as a percentage of all activities, one decimal; 0.0 when none."""
    return round(100.0 * green_or_complete / activities, 1) if activities else 0.0
