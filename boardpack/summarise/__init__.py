"""The summarise stage: clean tables -> Summary. No I/O, no drawing.

``summarise(inputs, config)`` compares each activity's row in the as-at period
with its row in the period before, counts statuses, changes and overdue items
for the whole strategy, each partner, each area and each partner x area pair,
follows the share on track or complete across periods, follows each activity's
status back through the periods (how long it has been so), picks out what needs
the board's attention (ranked), the decisions asked of it, the activities that
disappeared and the money worth a word, and takes each metric's latest value.
The rules are in docs/summary.md and design.md ("The input contract / Rules").

The counting is vectorised (merge, numpy bincount over category codes, one sort
of the whole history for the status runs) so that 100,000 rows take a fraction
of a second; the only per-row Python is building the as-at ``ActivityRow``
objects the PDF lists, and the few records of the short lists. The input frames
are never changed: every step works on a new frame.

Modules, by job: ``rules`` (the rules one value at a time), ``frames`` (every
row with its period as a number, status runs, the as-at rows against the period
before), ``counts`` (totals, matrix, trend), ``activities`` (the lists the pack
prints), ``money`` (money flags) and ``metrics``.
"""

from __future__ import annotations

import numpy as np

from ..config import Config
from ..model import ValidatedInputs
from ..summary_model import Summary, Totals
from .activities import activity_rows, decisions, exceptions, missing_activities, missing_commentary
from .counts import group_summaries, group_tallies, matrix_cells, trend_points
from .frames import (
    activity_history,
    as_at_period,
    category_codes,
    compare_with_previous,
    period_number,
    registry_names,
    sort_by_registry,
    status_runs,
)
from .metrics import metric_summaries
from .money import money_flags
from .rules import classify_change, days_overdue, is_overdue, on_track_share

__all__ = ["summarise", "classify_change", "is_overdue", "days_overdue", "on_track_share"]


def summarise(inputs: ValidatedInputs, config: Config) -> Summary:
    """Summarise validated inputs as at ``inputs.as_at`` for the board pack.

    Raises ValueError when there is no as-at period (validation found no
    activities), which the pipeline stops on before calling this.
    """
    history = activity_history(inputs)
    as_at = as_at_period(inputs)
    previous = as_at.previous()
    last_day = as_at.last_day(config.year_start_month)
    history = history[history["_period"] <= period_number(as_at)]

    partners, areas = config.partners.entries, config.areas.entries
    history, pairs = status_runs(history)
    current, previous_has_data = compare_with_previous(history, as_at, previous, last_day)
    current = sort_by_registry(current, partners, areas)

    partner_codes = category_codes(current["partner"], registry_names(partners))
    area_codes = category_codes(current["area"], registry_names(areas))
    activities = activity_rows(current, pairs)
    totals = Totals(**group_tallies(current, np.zeros(len(current), dtype=np.intp), 1)[0])
    partner_groups = group_summaries(current, partner_codes, partners)
    metrics = metric_summaries(inputs.metrics, as_at, partners)

    return Summary(
        as_at=as_at,
        previous=previous,
        previous_has_data=previous_has_data,
        as_at_last_day=last_day,
        totals=totals,
        partners=partner_groups,
        areas=group_summaries(current, area_codes, areas),
        matrix=matrix_cells(current, partner_codes, area_codes, partners, areas),
        trend=trend_points(history, inputs.periods, as_at, partners),
        activities=activities,
        exceptions=exceptions(current, activities, partner_codes),
        missing_commentary=missing_commentary(current, activities),
        metrics=metrics,
        warnings=tuple(inputs.warnings),
        decisions=decisions(current, activities),
        attention_metrics=tuple(m for m in metrics if m.on_wrong_side),
        missing_activities=missing_activities(history, as_at, previous, partners),
        money_flags=money_flags(current, activities, partner_groups, config),
        from_history=inputs.from_history,
    )
