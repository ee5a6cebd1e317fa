"""The pack's tables: activities (per partner, and in full), metrics, sources, data quality."""

from __future__ import annotations

from typing import Sequence

from reportlab.platypus import Flowable, Table

from ...formats import money, money_pence, percent, value_with_unit
from ...summary_model import ActivityRow, MetricSummary
from ..flowables import MeasuredParagraph, data_table, para
from ..markup import esc, number, shorten
from .common import (
    ACTIVITY_LIMIT, COMMENTARY_LIMIT, MESSAGE_LIMIT, NAME_LIMIT, VALUE_LIMIT, PackParts, clip, due_markup,
    status_cell,
)
from ..wording import MISSING_COMMENTARY, UNCHANGED_COMMENTARY


def _amount(value: float | None, *, pence: bool = False) -> str:
    if value is None:
        return "–"
    return money_pence(value) if pence else money(value)


def _progress(value: float | None) -> str:
    return percent(value) if value is not None else "–"


def partner_activity_table(rows: Sequence[ActivityRow], parts: PackParts) -> Table:
    """A partner's activities: area, status and change, progress, due, budget and spend (whole pounds)."""
    s = parts.styles
    body = []
    for a in rows:
        body.append([
            para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell),
            para(parts.shorts.get(a.area, clip(a.area, NAME_LIMIT)), s.cell),
            status_cell(a, s),
            para(_progress(a.progress), s.cell_right),
            MeasuredParagraph(due_markup(a, s), s.cell),
            para(_amount(a.budget), s.cell_right),
            para(_amount(a.spend), s.cell_right),
        ])
    header_styles = [s.head, s.head, s.head, s.head_right, s.head, s.head_right, s.head_right]
    return data_table(["Activity", "Area", "Status", "Progress", "Due", "Budget", "Spend"], body,
                      (0.3, 0.065, 0.2, 0.105, 0.13, 0.1, 0.1), s, header_styles=header_styles)


def commentary_cell(row: ActivityRow, parts: PackParts) -> list[Flowable]:
    """The commentary, flagged when missing (for Red and Amber) or the same words as last period."""
    s = parts.styles
    if not row.commentary.strip():
        if row.status in ("Red", "Amber") or row.overdue:
            return [MeasuredParagraph(esc(MISSING_COMMENTARY), s.flag)]
        return [para("–", s.cell)]
    cell: list[Flowable] = [para(shorten(row.commentary, COMMENTARY_LIMIT), s.cell)]
    if row.commentary_unchanged:
        cell.append(MeasuredParagraph(esc(UNCHANGED_COMMENTARY), s.flag))
    return cell


def full_activity_table(parts: PackParts) -> Table:
    """Every activity with its commentary, money in pounds and pence: the record behind the body."""
    s = parts.styles
    body = []
    for a in parts.summary.activities:
        activity: list[Flowable] = [para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell)]
        if a.lead:
            activity.append(para(f"Lead: {clip(a.lead, NAME_LIMIT)}", s.cell_small))
        money_text = f"{esc(_amount(a.budget, pence=True))}<br/>{esc(_amount(a.spend, pence=True))}"
        body.append([
            MeasuredParagraph(f"{esc(parts.shorts.get(a.partner, a.partner))}<br/>"
                              f'<font color="{s.palette.muted}">{esc(parts.shorts.get(a.area, a.area))}</font>',
                              s.cell),
            activity,
            status_cell(a, s),
            MeasuredParagraph(f"{esc(_progress(a.progress))}<br/>{due_markup(a, s)}", s.cell),
            MeasuredParagraph(money_text, s.cell_right),
            commentary_cell(a, parts),
        ])
    header_styles = [s.head, s.head, s.head, s.head, s.head_right, s.head]
    return data_table(["Partner · area", "Activity", "Status", "Progress · due", "Budget · spend", "Commentary"],
                      body, (0.09, 0.23, 0.17, 0.13, 0.11, 0.27), s, header_styles=header_styles)


def partner_totals_table(parts: PackParts) -> Table:
    """Per partner: activities, statuses and money; for packs too long to list every activity."""
    s = parts.styles
    body = []
    for p in parts.summary.partners:
        mix = ", ".join(f"{p.by_status[st]} {st}" for st in p.by_status if p.by_status[st])
        body.append([para(p.name, s.cell), para(number(p.activities), s.cell_right), para(mix or "–", s.cell),
                     para(f"{p.overdue:,}", s.cell_right), para(money_pence(p.budget), s.cell_right),
                     para(money_pence(p.spend), s.cell_right)])
    header_styles = [s.head, s.head_right, s.head, s.head_right, s.head_right, s.head_right]
    return data_table(["Partner", "Activities", "Statuses", "Overdue", "Budget", "Spend"], body,
                      (0.27, 0.1, 0.3, 0.09, 0.12, 0.12), s, header_styles=header_styles)


def metrics_table(metrics: Sequence[MetricSummary], parts: PackParts, *, partner_column: bool = False) -> Table:
    """Each metric's latest value against its target, which side is good, and its recent values."""
    s = parts.styles
    body = []
    for m in metrics:
        series = " → ".join(value_with_unit(p.actual, m.unit) or "–" for p in m.series[-4:])
        side = "–"
        if m.target is not None and m.actual is not None:
            side = (f'<font name="{s.fonts.bold}" color="{s.palette.accent}">⚠ wrong side</font>'
                    if m.on_wrong_side else "✔ on target")
        first = [para(shorten(m.metric, 200, " …"), s.cell)]
        if partner_column:
            first.append(para(parts.shorts.get(m.partner, m.partner), s.cell_small))
        body.append([
            first,
            para(m.period.label, s.cell),
            para(value_with_unit(m.actual, m.unit) or "–", s.cell_right),
            para(value_with_unit(m.target, m.unit) or "–", s.cell_right),
            para(f"{m.better_when}", s.cell),
            MeasuredParagraph(side, s.cell),
            para(series or "–", s.cell_small),
        ])
    header_styles = [s.head, s.head, s.head_right, s.head_right, s.head, s.head, s.head]
    return data_table(["Metric", "Latest", "Actual", "Target", "Better", "Against target", "Recent periods"],
                      body, (0.27, 0.12, 0.1, 0.1, 0.08, 0.13, 0.2), s, header_styles=header_styles)


def sources_table(parts: PackParts) -> Table:
    s = parts.styles
    body = []
    for source in parts.sources:
        sheets = []
        for sheet in source.sheets:
            if sheet.table:
                where = f" (headings on row {sheet.header_row})" if sheet.header_row else ""
                sheets.append(f"{clip(sheet.name, 60)}: {sheet.table}, {sheet.rows} rows{where}")
            else:
                sheets.append(f"{clip(sheet.name, 60)}: not read ({clip(sheet.note or 'not a table', 120)})")
        digest = " ".join(source.sha256[i:i + 8] for i in range(0, len(source.sha256), 8))
        body.append([
            para(clip(source.name, 120), s.cell),
            MeasuredParagraph("<br/>".join(esc(x) for x in sheets) or "–", s.cell),
            para(number(source.rows), s.cell_right),
            MeasuredParagraph(f'<font size="7.2">{esc(digest)}</font>', s.cell),
        ])
    for name, why in parts.skipped:
        body.append([para(clip(name, 120), s.cell), para(f"not read: {clip(why, 120)}", s.cell),
                     para("–", s.cell_right), para("–", s.cell)])
    header_styles = [s.head, s.head, s.head_right, s.head]
    return data_table(["File", "Sheets", "Rows read", "SHA-256 checksum"], body, (0.19, 0.43, 0.09, 0.29), s,
                      header_styles=header_styles)


def quality_table(parts: PackParts) -> Table:
    s = parts.styles
    body = []
    for p in parts.summary.warnings:
        body.append([
            para(shorten(p.location, 300, " …"), s.cell),
            para(shorten(p.value, VALUE_LIMIT, " …") if p.value else "(blank)", s.cell),
            para(shorten(p.message, MESSAGE_LIMIT, " …"), s.cell),
        ])
    return data_table(["Where (file › sheet › row › column)", "Value", "Note"], body, (0.38, 0.17, 0.45), s)


def gaps_table(rows: Sequence[tuple[ActivityRow, str]], parts: PackParts) -> Table:
    """Activities with something missing or stale, and what: where to look in the spreadsheets."""
    s = parts.styles
    body = [[para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell),
             para(parts.shorts.get(a.partner, a.partner), s.cell),
             para(f"{a.file} › {a.sheet} › row {a.row}" if a.sheet else f"{a.file} › row {a.row}", s.cell_small),
             para(what, s.cell)] for a, what in rows]
    return data_table(["Activity", "Partner", "Where", "What"], body, (0.36, 0.1, 0.26, 0.28), s)
