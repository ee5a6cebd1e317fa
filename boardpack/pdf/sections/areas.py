"""Strategic areas, in one view: the partner x area matrix and each area's status mix and money."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ... import pack_text as text
from ..data_table import data_table
from ..flowables import MeasuredParagraph, para, spacer, status_chip
from .common import PackParts, charts_in, h1, section_start


def _area_table(parts: PackParts) -> Flowable:
    s = parts.styles
    rows = text.area_rows(parts.summary)
    body = []
    for i, a in enumerate(rows):
        mix = " ".join(f"{status_chip(st, s, font_size=7.2)}\u00a0{count}" for st, count in a.mix)
        body.append(
            [
                para(a.name, s.cell_bold if i == len(rows) - 1 else s.cell),
                para(a.activities, s.cell_right),
                MeasuredParagraph(mix or text.NONE, s.cell),
                para(a.on_track, s.cell_right),
                para(a.budget, s.cell_right),
                para(a.spend, s.cell_right),
                para(a.spent, s.cell_right),
            ]
        )
    header_styles = [s.head, s.head_right, s.head, s.head_right, s.head_right, s.head_right, s.head_right]
    return data_table(
        list(text.AREA_COLUMNS),
        body,
        (0.24, 0.11, 0.29, 0.09, 0.09, 0.09, 0.09),
        s,
        header_styles=header_styles,
        extra_style=[("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(s.palette.primary))],
    )


def areas_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    intro = para(text.areas_intro(parts.summary), s.lead)
    return [
        *section_start(h1("Strategic areas", "areas", s), intro, _area_table(parts)),
        spacer(12),
        *charts_in(parts, "areas"),
    ]
