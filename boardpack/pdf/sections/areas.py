"""Strategic areas, in one view: the partner x area matrix and each area's status mix and money."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ...formats import money, percent
from ...model import STATUSES
from ..flowables import MeasuredParagraph, data_table, para, spacer, status_chip
from ..markup import esc, number
from .common import PackParts, charts_in, h1, section_start


def _area_table(parts: PackParts) -> Flowable:
    s, summary = parts.styles, parts.summary
    body = []
    groups = [*summary.areas]
    for a in groups:
        mix = " ".join(f"{status_chip(st, s, font_size=7.2)}\u00a0{a.by_status[st]}"
                       for st in STATUSES if a.by_status.get(st))
        body.append([
            para(f"{a.name} ({a.short_name})" if a.short_name != a.name else a.name, s.cell),
            para(number(a.activities), s.cell_right),
            MeasuredParagraph(mix or "–", s.cell),
            para(percent(a.on_track_or_complete_pct) if a.activities else "–", s.cell_right),
            para(money(a.budget) if a.budget else "–", s.cell_right),
            para(money(a.spend) if a.spend or a.budget else "–", s.cell_right),
            para(percent(a.spend_pct_of_budget) if a.budget else "–", s.cell_right),
        ])
    t = summary.totals
    body.append([para("All areas", s.cell_bold), para(number(t.activities), s.cell_right),
                 MeasuredParagraph(" ".join(f"{status_chip(st, s, font_size=7.2)}\u00a0{t.by_status[st]}"
                                            for st in STATUSES if t.by_status.get(st)) or "–", s.cell),
                 para(percent(t.on_track_or_complete_pct), s.cell_right),
                 para(money(t.budget) if t.budget else "–", s.cell_right),
                 para(money(t.spend) if t.spend or t.budget else "–", s.cell_right),
                 para(percent(t.spend_pct_of_budget) if t.budget else "–", s.cell_right)])
    header_styles = [s.head, s.head_right, s.head, s.head_right, s.head_right, s.head_right, s.head_right]
    return data_table(["Area", "Activities", "Status mix", "On track", "Budget", "Spend", "Spent"],
                      body, (0.24, 0.11, 0.29, 0.09, 0.09, 0.09, 0.09), s, header_styles=header_styles,
                      extra_style=[("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(s.palette.primary))])


def areas_section(parts: PackParts) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    intro = para(f"How the activities of {summary.as_at.label} spread across the strategic areas, and how each "
                 "area stands. Each activity is counted once, under its partner and its area.", s.lead)
    return [*section_start(h1("Strategic areas", "areas", s), intro, _area_table(parts)), spacer(12),
            *charts_in(parts, "areas")]
