"""The pack's tables: activities (per partner, and in full), metrics, sources, data quality."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Table

from ... import pack_text as text
from ...summary_model import ActivityRow, MetricSummary
from ..data_table import data_table
from ..flowables import MeasuredParagraph, para
from ..markup import esc
from .common import PackParts, due_markup, status_cell


def partner_activity_table(rows: Sequence[ActivityRow], parts: PackParts) -> Table:
    """A partner's activities: area, status and change, progress, due, budget and spend (whole pounds)."""
    s = parts.styles
    body = []
    for a in rows:
        body.append(
            [
                para(text.activity_text(a), s.cell),
                para(parts.shorts.get(a.area, text.clip(a.area, text.NAME_LIMIT)), s.cell),
                status_cell(a, s),
                para(text.progress(a.progress), s.cell_right),
                MeasuredParagraph(due_markup(a, s), s.cell),
                para(text.amount(a.budget), s.cell_right),
                para(text.amount(a.spend), s.cell_right),
            ]
        )
    header_styles = [s.head, s.head, s.head, s.head_right, s.head, s.head_right, s.head_right]
    return data_table(
        list(text.PARTNER_ACTIVITY_COLUMNS),
        body,
        (0.3, 0.065, 0.2, 0.105, 0.13, 0.1, 0.1),
        s,
        header_styles=header_styles,
    )


def commentary_cell(row: ActivityRow, parts: PackParts) -> list[Flowable]:
    """The commentary, flagged when missing (for Red and Amber) or the same words as last period."""
    s = parts.styles
    words = text.commentary(row)
    cell: list[Flowable] = []
    if words.text is not None:
        cell.append(para(words.text, s.cell))
    if words.flag:
        cell.append(MeasuredParagraph(esc(words.flag), s.flag))
    return cell


def full_activity_table(parts: PackParts) -> Table:
    """Every activity with its commentary, money in pounds and pence: the record behind the body."""
    s = parts.styles
    body = []
    for a in parts.summary.activities:
        activity: list[Flowable] = [para(text.activity_text(a), s.cell)]
        lead = text.lead_line(a)
        if lead:
            activity.append(para(lead, s.cell_small))
        money_text = f"{esc(text.amount(a.budget, pence=True))}<br/>{esc(text.amount(a.spend, pence=True))}"
        body.append(
            [
                MeasuredParagraph(
                    f"{esc(parts.shorts.get(a.partner, a.partner))}<br/>"
                    f'<font color="{s.palette.muted}">{esc(parts.shorts.get(a.area, a.area))}</font>',
                    s.cell,
                ),
                activity,
                status_cell(a, s),
                MeasuredParagraph(f"{esc(text.progress(a.progress))}<br/>{due_markup(a, s)}", s.cell),
                MeasuredParagraph(money_text, s.cell_right),
                commentary_cell(a, parts),
            ]
        )
    header_styles = [s.head, s.head, s.head, s.head, s.head_right, s.head]
    return data_table(
        list(text.FULL_TABLE_COLUMNS), body, (0.09, 0.23, 0.17, 0.13, 0.11, 0.27), s, header_styles=header_styles
    )


def partner_totals_table(parts: PackParts) -> Table:
    """Per partner: activities, statuses and money; for packs too long to list every activity."""
    s = parts.styles
    body = []
    for p in parts.summary.partners:
        name, activities, mix, overdue, budget, spend = text.partner_totals(p)
        body.append(
            [
                para(name, s.cell),
                para(activities, s.cell_right),
                para(mix, s.cell),
                para(overdue, s.cell_right),
                para(budget, s.cell_right),
                para(spend, s.cell_right),
            ]
        )
    header_styles = [s.head, s.head_right, s.head, s.head_right, s.head_right, s.head_right]
    return data_table(
        list(text.PARTNER_TOTALS_COLUMNS), body, (0.27, 0.1, 0.3, 0.09, 0.12, 0.12), s, header_styles=header_styles
    )


def metrics_table(metrics: Sequence[MetricSummary], parts: PackParts, *, partner_column: bool = False) -> Table:
    """Each metric's latest value against its target, which side is good, and its recent values."""
    s = parts.styles
    body = []
    for m in metrics:
        words = text.metric_text(m, parts.shorts)
        side = esc(words.against)
        if words.against == text.WRONG_SIDE:
            side = f'<font name="{s.fonts.bold}" color="{s.palette.accent}">{side}</font>'
        first = [para(words.metric, s.cell)]
        if partner_column:
            first.append(para(words.partner, s.cell_small))
        body.append(
            [
                first,
                para(words.latest, s.cell),
                para(words.actual, s.cell_right),
                para(words.target, s.cell_right),
                para(words.better, s.cell),
                MeasuredParagraph(side, s.cell),
                para(words.recent, s.cell_small),
            ]
        )
    header_styles = [s.head, s.head, s.head_right, s.head_right, s.head, s.head, s.head]
    return data_table(
        list(text.METRIC_COLUMNS), body, (0.27, 0.12, 0.1, 0.1, 0.08, 0.13, 0.2), s, header_styles=header_styles
    )


def sources_table(parts: PackParts) -> Table:
    s = parts.styles
    body = []
    for name, sheets, rows, digest in text.source_rows(parts.sources, parts.skipped):
        body.append(
            [
                para(name, s.cell),
                MeasuredParagraph("<br/>".join(esc(x) for x in sheets) or text.NONE, s.cell),
                para(rows, s.cell_right),
                MeasuredParagraph(f'<font size="7.2">{esc(digest)}</font>', s.cell)
                if digest != text.NONE
                else para(digest, s.cell),
            ]
        )
    header_styles = [s.head, s.head, s.head_right, s.head]
    return data_table(list(text.SOURCE_COLUMNS), body, (0.19, 0.43, 0.09, 0.29), s, header_styles=header_styles)


def quality_table(parts: PackParts) -> Table:
    s = parts.styles
    body = [
        [para(where, s.cell), para(value, s.cell), para(message, s.cell)]
        for where, value, message in text.quality_rows(parts.summary)
    ]
    return data_table(list(text.QUALITY_COLUMNS), body, (0.38, 0.17, 0.45), s)


def gaps_table(rows: Sequence[tuple[ActivityRow, str]], parts: PackParts) -> Table:
    """Activities with something missing or stale, and what: where to look in the spreadsheets."""
    s = parts.styles
    body = []
    for a, what in rows:
        activity, partner, where, what_ = text.gap_row(a, what, parts.shorts)
        body.append([para(activity, s.cell), para(partner, s.cell), para(where, s.cell_small), para(what_, s.cell)])
    return data_table(list(text.GAP_COLUMNS), body, (0.36, 0.1, 0.26, 0.28), s)
