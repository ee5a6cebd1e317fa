"""The money a trustee should hear about: activities overspent or near their budget, and
partners well over or under theirs.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..config import Config
from ..summary_model import ActivityRow, GroupSummary, MoneyFlag

# Slack for float noise when a share is compared with a threshold, in percentage
# points: £117.72 of £130.80 is exactly 90%, but 100 x 117.72 / 130.8 computes as
# 89.99999999999999.
_PCT_SLACK = 1e-9


def money_flags(
    current: pd.DataFrame, activities: tuple[ActivityRow, ...], partner_groups: tuple[GroupSummary, ...], config: Config
) -> tuple[MoneyFlag, ...]:
    """Money a trustee should hear about: kinds in MONEY_FLAGS order, then partner order.

    ``current`` and ``activities`` are in the same (partner, area, activity)
    order, so the activity kinds come out in partner order. A blank budget or
    spend never flags an activity; a partner's figures are its as-at totals
    (blanks as 0), as in ``partners``. A share exactly at ``near_budget_pct``
    counts; one exactly ``partner_money_pct`` away from 100% does not.
    """
    limits = config.pack
    budget, spend = current["budget"].to_numpy(float), current["spend"].to_numpy(float)
    funded = budget > 0  # NaN compares False
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(funded, 100.0 * spend / np.where(funded, budget, 1.0), np.nan)
    overspent = funded & (spend > budget)
    near = (
        funded
        & ~overspent
        & (current["status"] != "Complete").to_numpy(bool)
        & (share >= limits.near_budget_pct - _PCT_SLACK)
    )

    def activity_flags(kind: str, mask: np.ndarray) -> list[MoneyFlag]:
        return [
            MoneyFlag(
                kind=kind,
                partner=activities[i].partner,
                activity=activities[i].activity,
                status=activities[i].status,
                budget=round(float(budget[i]), 2),
                spend=round(float(spend[i]), 2),
                pct=round(float(share[i]), 1),
            )
            for i in np.flatnonzero(mask)
        ]

    over, under = [], []
    for group in partner_groups:
        if group.budget <= 0:
            continue
        pct = 100.0 * group.spend / group.budget
        flag = functools.partial(
            MoneyFlag,
            partner=group.name,
            activity="",
            status="",
            budget=group.budget,
            spend=group.spend,
            pct=round(pct, 1),
        )
        if pct > 100.0 + limits.partner_money_pct + _PCT_SLACK:
            over.append(flag(kind="partner_overspend"))
        elif pct < 100.0 - limits.partner_money_pct - _PCT_SLACK:
            under.append(flag(kind="partner_underspend"))
    return tuple(activity_flags("overspent", overspent) + activity_flags("near_budget", near) + over + under)
