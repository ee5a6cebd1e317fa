"""The sections of the board pack, each a list of flowables built from plain data.

Order (design.md, "What a board pack contains"): cover sheet, contents,
executive summary, needs attention, one section per partner, the strategic
areas (partner x area matrix, then one section per area), appendix.

Every text that came from a spreadsheet, the template or the command line goes
through :func:`.markup.esc` (directly or via :func:`.flowables.para`) before
it reaches reportlab markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Mapping, Sequence

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Table, TableStyle

from ..config import Config
from ..model import CHANGES, STATUSES, Chart, SourceFile
from ..narrative import IMPLICATIONS, Narrative
from ..summary_model import ActivityRow, GroupSummary, MetricSummary, Summary
from .flowables import (
    Anchor, Contents, ContentsLine, Heading, MeasuredParagraph, base_style, data_table, heading_block, para,
    paragraphs, spacer, status_chip,
)
from .markup import CHANGE_WORDS, clip, esc, money, number, percent, short_date, shorten, uk_date
from .styles import FRAME_HEIGHT, FRAME_WIDTH, Styles

# Longest texts printed in a table cell; longer ones are shortened with a note, so
# that no table row is ever taller than a page (rows are never split).
COMMENTARY_LIMIT = 1500
ACTIVITY_LIMIT = 300
NAME_LIMIT = 120
VALUE_LIMIT = 200
MESSAGE_LIMIT = 600
COVER_TEXT_LIMIT = 1500
NOTABLE_MOVES = 12  # the executive summary lists at most this many moves

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


@dataclass(frozen=True)
class CoverDetails:
    """The cover's fields, resolved from the template and command-line options (plain text)."""

    organisation: str
    board: str
    title: str
    paper_reference: str
    agenda_item: str
    meeting_date: dt.date
    presented_by: str
    author: str
    purpose: str  # information, discussion or decision
    classification: str


@dataclass(frozen=True)
class PlacedChart:
    chart: Chart
    flowable: Flowable  # a ChartFlowable (vector), or an Image when the SVG could not be read


@dataclass(frozen=True)
class PackParts:
    """Everything the sections read."""

    summary: Summary
    config: Config
    styles: Styles
    narrative: Narrative
    cover: CoverDetails
    charts: Mapping[str, tuple[PlacedChart, ...]]  # by section
    sources: tuple[SourceFile, ...]
    notes: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # files in the inputs folder that were not read
    # When the executive summary would run past two pages, its charts after the first
    # move to the appendix ("A5 Further overview charts").
    compact_executive: bool = False

    @cached_property  # read once per table row: worked out once (a frozen dataclass allows this)
    def shorts(self) -> dict[str, str]:
        return {e.name: clip(e.short_name, 30) for e in (*self.config.partners.entries, *self.config.areas.entries)}


# --------------------------------------------------------------------------- keys

def partner_key(index: int) -> str:
    return f"partner-{index + 1}"


def area_key(index: int) -> str:
    return f"area-{index + 1}"


def group_title(group: GroupSummary) -> str:
    name = clip(group.name, NAME_LIMIT)
    short = clip(group.short_name, 30)
    return name if short.casefold() == name.casefold() else f"{name} ({short})"


def contents_lines(summary: Summary, compact_executive: bool = False) -> list[ContentsLine]:
    lines = [ContentsLine(0, "Executive summary", "executive"),
             ContentsLine(0, "Needs attention", "attention"),
             ContentsLine(0, "Partners", "partners")]
    lines += [ContentsLine(1, group_title(p), partner_key(i)) for i, p in enumerate(summary.partners)]
    lines += [ContentsLine(0, "Strategic areas", "areas"),
              ContentsLine(1, "Partner × area matrix", "matrix")]
    lines += [ContentsLine(1, group_title(a), area_key(i)) for i, a in enumerate(summary.areas)]
    lines += [ContentsLine(0, "Appendix", "appendix"),
              ContentsLine(1, "A1 Full activity table", "appendix-activities"),
              ContentsLine(1, "A2 Data sources", "appendix-sources"),
              ContentsLine(1, "A3 Data quality notes", "appendix-quality"),
              ContentsLine(1, "A4 Glossary", "appendix-glossary")]
    if compact_executive:
        lines.append(ContentsLine(1, "A5 Further overview charts", "appendix-charts"))
    return lines


def h1(text: str, key: str, s: Styles, *, toc: bool = True) -> Heading:
    return Heading(text, s.h1, key=key, outline_level=0, toc_level=0 if toc else None)


def h2(text: str, key: str, s: Styles) -> Heading:
    return Heading(text, s.h2, key=key, outline_level=1, toc_level=1)


def h3(text: str, s: Styles) -> Paragraph:
    return para(text, s.h3)


# --------------------------------------------------------------------------- small pieces

def _status_cell(row: ActivityRow, s: Styles, *, words: bool = True) -> Paragraph:
    """Previous -> current status as labelled chips, and the change in words."""
    current = status_chip(row.status, s, font_size=7.4)
    if row.previous_status is None or row.previous_status == row.status:
        chips = current
    else:
        chips = f"{status_chip(row.previous_status, s, font_size=7.4)} → {current}"
    text = chips
    if words:
        change = esc(CHANGE_WORDS.get(row.change, row.change))
        text += f'<br/><font size="7.2" color="{s.palette.muted}">{change}</font>'
    return MeasuredParagraph(text, s.cell)


def _progress(value: float | None) -> str:
    return percent(value) if value is not None else "–"


def _due(row: ActivityRow, s: Styles) -> Paragraph:
    if row.due_date is None:
        return MeasuredParagraph("–", s.cell)
    text = esc(short_date(row.due_date))
    if row.overdue:
        text += f'<br/><font name="{s.fonts.bold}" color="{s.palette.accent}">overdue</font>'
    return MeasuredParagraph(text, s.cell)


def _status_counts(by_status: Mapping[str, int], s: Styles) -> str:
    """'Red 1  Amber 0 …' as chips with counts (markup)."""
    return "\u2003".join(f"{status_chip(st, s)}\u00a0{by_status.get(st, 0)}" for st in STATUSES)


def _change_counts(changes: Mapping[str, int]) -> str:
    return " · ".join(f"{esc(CHANGE_WORDS[c])} {changes.get(c, 0)}" for c in CHANGES)


def _charts(parts: PackParts, section: str) -> list[Flowable]:
    story: list[Flowable] = []
    for placed in parts.charts.get(section, ()):
        story.append(KeepTogether([placed.flowable, para(placed.chart.caption, parts.styles.caption)]))
    return story


def _key_figures(group: GroupSummary, s: Styles) -> Table:
    """One line of a group's figures: status mix and changes, in a light box."""
    rows = [
        [MeasuredParagraph("Status", s.cell_bold), MeasuredParagraph(_status_counts(group.by_status, s), s.cell)],
        [MeasuredParagraph("Since last period", s.cell_bold), MeasuredParagraph(_change_counts(group.changes), s.cell)],
        [MeasuredParagraph("Overdue · spend", s.cell_bold),
         MeasuredParagraph(esc(f"{group.overdue} overdue · "
                       + (f"{money(group.spend)} spent of {money(group.budget)} budget "
                          f"({percent(group.spend_pct_of_budget)})" if group.budget
                          else f"{money(group.spend)} spent, no budget recorded")), s.cell)],
    ]
    pal = s.palette
    widths = (FRAME_WIDTH * 0.2, FRAME_WIDTH * 0.8)
    return Table(rows, colWidths=widths, hAlign="LEFT", style=TableStyle(base_style(s) + [
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.tint)),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(pal.primary)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))


def _trend_line(summary: Summary, partner: str | None) -> str | None:
    """'2025-26 Q1 80% · Q2 75% …' for one partner (or all), from the summary's trend."""
    points = []
    for point in summary.trend:
        share = point.on_track_or_complete_pct if partner is None else point.partners.get(partner)
        points.append(f"{point.period.label} {percent(share) if share is not None else '–'}")
    return " · ".join(points) if points else None


# --------------------------------------------------------------------------- cover

def cover_section(parts: PackParts, logo: Flowable | None) -> list[Flowable]:
    s, c, n = parts.styles, parts.cover, parts.narrative
    summary = parts.summary
    story: list[Flowable] = [Anchor("Cover sheet", "cover")]
    heading = [para(clip(c.organisation, 200), s.cover_org), para(clip(c.board, 200), s.cover_board)]
    if logo is not None:
        story.append(Table([[heading, logo]], colWidths=(FRAME_WIDTH - 4.2 * 28.35, 4.2 * 28.35),
                           style=TableStyle(base_style(s) + [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                             ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]), hAlign="LEFT"))
    else:
        story += heading
    story.append(para(shorten(c.title, 300, " …"), s.cover_title))

    def label(text: str) -> Paragraph:
        return MeasuredParagraph(esc(text), s.cover_label)

    def value(text: str) -> Paragraph:
        return para(shorten(text, 300, " …") or "–", s.cover_value)

    period = f"{summary.as_at.label} (to {uk_date(summary.as_at_last_day)})"
    grid = [
        [label("Meeting"), value(f"{c.board}, {uk_date(c.meeting_date)}"), label("Paper reference"),
         value(c.paper_reference)],
        [label("Agenda item"), value(c.agenda_item), label("Purpose"), value(PURPOSES.get(c.purpose, c.purpose))],
        [label("Presented by"), value(c.presented_by), label("Classification"), value(c.classification)],
        [label("Author"), value(c.author), label("Reporting period"), value(period)],
    ]
    pal = s.palette
    story.append(Table(grid, colWidths=[FRAME_WIDTH * f for f in (0.17, 0.35, 0.19, 0.29)], hAlign="LEFT",
                       style=TableStyle(base_style(s) + [
                           ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(pal.primary)),
                           ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.HexColor(pal.primary)),
                           ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(pal.rule)),
                           ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                           ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                       ])))

    story.append(para("Summary", s.cover_h))
    story += paragraphs(shorten(n.summary, 3000, " …"), s.cover_text)

    story.append(para("Recommendation" + ("s" if len(n.recommendations) > 1 else ""), s.cover_h))
    if n.recommendations:
        for number_, text in enumerate(n.recommendations, start=1):
            bullet = f"{number_}." if len(n.recommendations) > 1 else "•"
            story.append(MeasuredParagraph(esc(shorten(text, COVER_TEXT_LIMIT, " …")), s.cover_bullet,
                                   bulletText=bullet))
    else:
        story.append(para("None.", s.cover_text))

    story.append(para("Implications", s.cover_h))
    rows = [[label(title), para(shorten(n.implications[key], COVER_TEXT_LIMIT, " …"), s.cover_value)]
            for key, title in IMPLICATIONS]
    story.append(Table(rows, colWidths=(FRAME_WIDTH * 0.26, FRAME_WIDTH * 0.74), hAlign="LEFT",
                       style=TableStyle(base_style(s) + [
                           ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(pal.rule)),
                           ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(pal.primary)),
                           ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.HexColor(pal.primary)),
                           ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                           ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                       ])))
    story.append(PageBreak())
    return story


# --------------------------------------------------------------------------- contents

def contents_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    return [
        Heading("Contents", s.h1, key="contents", outline_level=0, toc_level=None),
        spacer(4),
        Contents(contents_lines(parts.summary, parts.compact_executive), s),
        PageBreak(),
    ]


# --------------------------------------------------------------------------- executive summary

def _tiles(parts: PackParts) -> Table:
    s, t = parts.styles, parts.summary.totals
    red, amber = t.by_status.get("Red", 0), t.by_status.get("Amber", 0)
    on_track = t.by_status.get("Green", 0) + t.by_status.get("Complete", 0)
    tiles = [
        ("Activities", number(t.activities), f"as at {parts.summary.as_at.label}"),
        ("On track or complete", percent(t.on_track_or_complete_pct), f"{on_track} of {t.activities}"),
        ("Rated Red", number(red), f"and {amber} Amber"),
        ("Overdue", number(t.overdue), f"due before {short_date(parts.summary.as_at_last_day)}"),
        ("Spend against budget", percent(t.spend_pct_of_budget) if t.budget else "–",
         f"{money(t.spend)} of {money(t.budget)}" if t.budget else f"{money(t.spend)} spent; no budget"),
    ]
    cells = [[para(label, s.tile_label), para(value, s.tile_value), para(note, s.tile_note)]
             for label, value, note in tiles]
    pal = s.palette
    return Table([cells], colWidths=[FRAME_WIDTH / 5] * 5, hAlign="LEFT", style=TableStyle(base_style(s) + [
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.tint)),
        ("LINEABOVE", (0, 0), (-1, 0), 2.5, colors.HexColor(pal.primary)),
        ("LINEAFTER", (0, 0), (-2, 0), 4, colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]))


def _notable_moves(parts: PackParts) -> list[ActivityRow]:
    order = {"worsened": 0, "improved": 1, "new": 2}
    moves = [a for a in parts.summary.activities if a.change in order]
    return sorted(moves, key=lambda a: order[a.change])  # stable: partner order within each kind


def executive_section(parts: PackParts) -> list[Flowable]:
    s, summary, n = parts.styles, parts.summary, parts.narrative
    previous = summary.previous.label
    story: list[Flowable] = [
        h1("Executive summary", "executive", s),
        para(f"As at {summary.as_at.label} (the period ending {uk_date(summary.as_at_last_day)}), "
             f"compared with {previous}.", s.lead),
        _tiles(parts),
        spacer(10),
    ]
    if n.key_messages:
        messages = [MeasuredParagraph(esc(shorten(m, MESSAGE_LIMIT, " …")), s.bullet, bulletText="•")
                    for m in n.key_messages]
        story += heading_block(para("Key messages", s.h2), *messages[:1], room=60)
        story += messages[1:]
    executive_charts = _charts(parts, "executive")
    story += executive_charts[:1]

    story += heading_block(para(f"What changed since {previous}", s.h2),
                           MeasuredParagraph(_change_counts(summary.totals.changes), s.body), room=120)
    if not summary.previous_has_data:
        story.append(para(f"There are no rows for {previous}, so every activity counts as new.", s.note))
    moves = _notable_moves(parts)
    if moves:
        shown = moves[:NOTABLE_MOVES]
        rows = [[para(shorten(a.activity, 160, " …"), s.cell),
                 para(parts.shorts.get(a.partner, a.partner), s.cell),
                 MeasuredParagraph(_move_markup(a, s), s.cell)] for a in shown]
        story.append(data_table(["Activity", "Partner", "Move"], rows, (0.57, 0.12, 0.31), s))
        if len(moves) > len(shown):
            story.append(para(f"… and {len(moves) - len(shown)} more; every activity is in the appendix (A1).",
                              s.note))
    else:
        story.append(para("No activity improved, worsened or started since the previous period.", s.note))
    story.append(spacer(8))
    if not parts.compact_executive:
        story += executive_charts[1:]
    return story


def _move_markup(row: ActivityRow, s: Styles) -> str:
    """'Amber → Red ▼ worsened' with the statuses as chips."""
    word = esc(CHANGE_WORDS.get(row.change, row.change))
    if row.previous_status is None:
        return f"{status_chip(row.status, s)} {word}"
    return f"{status_chip(row.previous_status, s)} → {status_chip(row.status, s)} {word}"


# --------------------------------------------------------------------------- needs attention

_REASON_WORDS = {"red": "Red", "amber": "Amber", "overdue": "overdue", "worsened": "worsened"}


def attention_heading(parts: PackParts) -> list[Flowable]:
    """The start of "Needs attention": a new page and its heading."""
    return [PageBreak(), h1("Needs attention", "attention", parts.styles)]


def attention_section(parts: PackParts) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    rows_in = summary.exceptions
    story: list[Flowable] = attention_heading(parts)
    if not rows_in:
        story.append(para("Nothing needs the board's attention this period: no activity is Red, Amber, "
                          "overdue or worse than in the previous period.", s.body))
        return story
    missing = len([a for a in rows_in if a.status in ("Red", "Amber") and not a.commentary.strip()])
    intro = (f"{len(rows_in)} {'activity is' if len(rows_in) == 1 else 'activities are'} Red, Amber, overdue "
             f"or worse than in {summary.previous.label}: Red first, then Amber, then the rest, each in partner "
             f"order.")
    story.append(para(intro, s.lead))
    if missing:
        story.append(MeasuredParagraph(
            f'<font name="{s.fonts.bold}" color="{s.palette.accent}">⚠ {missing} of them '
            f"{'has' if missing == 1 else 'have'} no commentary</font>: the lead has not said what is wrong "
            "or what is being done. They are flagged below.", s.body))
    rows = []
    for a in rows_in:
        who = [f"{esc(parts.shorts.get(a.partner, a.partner))} · {esc(clip(a.area, NAME_LIMIT))}"]
        if a.lead:
            who.append(f"Lead: {esc(clip(a.lead, NAME_LIMIT))}")
        who.append(f"Due: {esc(short_date(a.due_date)) or '–'}"
                   + (f' <font name="{s.fonts.bold}" color="{s.palette.accent}">overdue</font>'
                      if a.overdue else ""))
        first = [para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell_bold),
                 MeasuredParagraph("<br/>".join(who), s.cell_small)]
        reasons = ", ".join(_REASON_WORDS[r] for r in a.reasons)
        status = [_status_cell(a, s), MeasuredParagraph(f"Listed because: {esc(reasons)}", s.cell_small)]
        if a.commentary.strip():
            comment: list[Flowable] = [para(shorten(a.commentary, COMMENTARY_LIMIT), s.cell)]
        else:
            comment = [MeasuredParagraph("⚠ No commentary given: ask the lead what is wrong and what is being done.",
                                 s.flag)]
        rows.append([first, status, comment])
    story.append(data_table(["Activity", "Status and why listed", "Commentary"], rows, (0.33, 0.21, 0.46), s))
    return story


# --------------------------------------------------------------------------- partners and areas

def _metric_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return percent(value)
    if unit == "£":
        return money(value)
    return number(value)


def _metrics_table(metrics: Sequence[MetricSummary], parts: PackParts) -> Table:
    s = parts.styles
    rows = []
    for m in metrics:
        series = " → ".join(_metric_value(p.actual, m.unit) for p in m.series[-6:])
        rows.append([
            para(shorten(m.metric, 200, " …"), s.cell),
            para(parts.shorts.get(m.area, m.area) if m.area else "–", s.cell),
            para(m.period.label, s.cell),
            para(_metric_value(m.actual, m.unit), s.cell_right),
            para(_metric_value(m.target, m.unit), s.cell_right),
            para(percent(m.pct_of_target) if m.pct_of_target is not None else "–", s.cell_right),
            para(series, s.cell_small),
        ])
    header_styles = [s.head, s.head, s.head, s.head_right, s.head_right, s.head_right, s.head]
    return data_table(["Metric", "Area", "Latest", "Actual", "Target", "% of target", "Recent periods"],
                      rows, (0.27, 0.08, 0.13, 0.1, 0.1, 0.1, 0.22), s, header_styles=header_styles)


def _activity_table(rows_in: Sequence[ActivityRow], parts: PackParts, *, by: str) -> Table:
    """A section's activities: by="partner" shows the area column, by="area" the partner."""
    s = parts.styles
    rows = []
    for a in rows_in:
        other = a.area if by == "partner" else a.partner
        rows.append([
            para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell),
            para(parts.shorts.get(other, clip(other, NAME_LIMIT)), s.cell),
            _status_cell(a, s),
            para(_progress(a.progress), s.cell_right),
            _due(a, s),
            para(clip(a.lead, NAME_LIMIT) or "–", s.cell),
        ])
    header_styles = [s.head, s.head, s.head, s.head_right, s.head, s.head]
    fractions = (0.31, 0.08, 0.22, 0.1, 0.12, 0.17) if by == "partner" else (0.29, 0.1, 0.22, 0.1, 0.12, 0.17)
    return data_table(["Activity", "Area" if by == "partner" else "Partner", "Status", "Progress", "Due", "Lead"],
                      rows, fractions, s, header_styles=header_styles)


def _group_section(parts: PackParts, group: GroupSummary, *, kind: str, key: str,
                   first: bool) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    story: list[Flowable] = []
    if not first and kind == "partner":
        story.append(PageBreak())
    intro: list[Flowable] = []
    if group.description:
        intro.append(para(shorten(group.description, 2000, " …"), s.description))
    sentence = parts.narrative.group_summaries.get(f"{kind}:{group.name}", "")
    if sentence:
        intro += paragraphs(sentence, s.body)
    intro.append(_key_figures(group, s))
    heading = h2(group_title(group), key, s)
    story += heading_block(heading, *intro, room=200)
    story.append(spacer(8))

    if kind == "partner":
        trend = _trend_line(summary, group.name)
        if trend and len(summary.trend) > 1:
            story.append(MeasuredParagraph(f'<font name="{s.fonts.bold}">On track or complete by period:</font> '
                                   f"{esc(trend)}", s.small))
            story.append(spacer(4))
    rows = [a for a in summary.activities if (a.partner if kind == "partner" else a.area) == group.name]
    story += heading_block(h3(f"Activities as at {summary.as_at.label}", s), room=90)
    if rows:
        story.append(_activity_table(rows, parts, by=kind))
    else:
        story.append(para(f"No activities reported for {group.name} in {summary.as_at.label}.", s.note))
    story.append(spacer(10))
    charts = list(parts.charts.get(f"{kind}:{group.short_name}", ()))
    metric_charts = [c for c in charts if c.chart.name.endswith("-metrics")]
    if kind == "partner":
        metrics = [m for m in summary.metrics if m.partner == group.name]
        if metrics:
            block: list[Flowable] = [h3("Metrics against target", s), _metrics_table(metrics, parts), spacer(8)]
            for placed in metric_charts:
                block += [placed.flowable, para(placed.chart.caption, s.caption)]
            story.append(KeepTogether(block))
            charts = [c for c in charts if c not in metric_charts]
    for placed in charts:
        story.append(KeepTogether([placed.flowable, para(placed.chart.caption, s.caption)]))
    return story


def partners_section(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    story: list[Flowable] = [PageBreak(), h1("Partners", "partners", s)]
    for i, group in enumerate(parts.summary.partners):
        story += _group_section(parts, group, kind="partner", key=partner_key(i), first=i == 0)
    return story


def _matrix_table(parts: PackParts) -> Table:
    s, summary = parts.styles, parts.summary
    areas = summary.areas
    header = [para("Partner", s.head)] + [para(a.short_name, s.head_centre) for a in areas] \
        + [para("All areas", s.head_centre)]
    rows = []

    def cell(count: int, by_status: Mapping[str, int]) -> list[Flowable]:
        if not count:
            return [MeasuredParagraph("–", s.cell_centre)]
        detail = "<br/>".join(f"{by_status[st]} {esc(st)}" for st in STATUSES if by_status.get(st))
        return [MeasuredParagraph(f'<font name="{s.fonts.bold}">{count}</font>', s.cell_centre),
                MeasuredParagraph(detail, s.cell_small_centre)]

    for p in summary.partners:
        row = [para(p.short_name, s.cell_bold)]
        for a in areas:
            c = summary.cell(p.name, a.name)
            row.append(cell(c.activities, c.by_status))
        row.append(cell(p.activities, p.by_status))
        rows.append(row)
    total = [para("All partners", s.cell_bold)] + [cell(a.activities, a.by_status) for a in areas] \
        + [cell(summary.totals.activities, summary.totals.by_status)]
    rows.append(total)
    n = len(areas)
    first = 0.16 if n <= 8 else 0.12
    fractions = [first] + [(1 - first) / (n + 1)] * (n + 1)
    pal = s.palette
    return data_table(header, rows, fractions, s, extra_style=[
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(pal.primary)),
        ("LINEBEFORE", (-1, 0), (-1, -1), 0.8, colors.HexColor(pal.primary)),
    ])


def areas_section(parts: PackParts) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    story: list[Flowable] = [PageBreak(), h1("Strategic areas", "areas", s),
                             para("The same view cut by strategic area: first how each partner's activities "
                                  "spread across the areas, then one section per area.", s.lead)]
    legend = ", ".join(f"{a.short_name} = {a.name}" for a in summary.areas)
    story += heading_block(h2("Partner × area matrix", "matrix", s),
                           para(f"Activities as at {summary.as_at.label} in each partner and area, with their "
                                f"statuses. {legend}.", s.small), room=200)
    story.append(_matrix_table(parts))
    story.append(spacer(10))
    story += _charts(parts, "areas")
    for i, group in enumerate(summary.areas):
        story.append(CondPageBreak(FRAME_HEIGHT * 0.45))
        story += _group_section(parts, group, kind="area", key=area_key(i), first=i == 0)
        story.append(spacer(10))
    return story


# --------------------------------------------------------------------------- appendix

def _full_table(parts: PackParts) -> Table:
    s = parts.styles
    rows = []
    for a in parts.summary.activities:
        activity: list[Flowable] = [para(shorten(a.activity, ACTIVITY_LIMIT, " …"), s.cell)]
        if a.lead:
            activity.append(para(f"Lead: {clip(a.lead, NAME_LIMIT)}", s.cell_small))
        done = _progress(a.progress)
        due = esc(short_date(a.due_date)) if a.due_date else ""
        rows.append([
            MeasuredParagraph(f"{esc(parts.shorts.get(a.partner, a.partner))}<br/>"
                      f'<font color="{s.palette.muted}">{esc(parts.shorts.get(a.area, a.area))}</font>', s.cell),
            activity,
            _status_cell(a, s),
            MeasuredParagraph(esc(done) + (f"<br/>{due}" if due else "")
                      + (f'<br/><font name="{s.fonts.bold}" color="{s.palette.accent}">overdue</font>'
                         if a.overdue else ""), s.cell),
            para(shorten(a.commentary, COMMENTARY_LIMIT), s.cell) if a.commentary.strip()
            else MeasuredParagraph("–" if a.status not in ("Red", "Amber") else "⚠ No commentary", s.flag
                           if a.status in ("Red", "Amber") else s.cell),
        ])
    return data_table(["Partner · area", "Activity", "Status", "Progress · due", "Commentary"], rows,
                      (0.09, 0.26, 0.18, 0.12, 0.35), s)


def _sources_table(parts: PackParts) -> Table:
    s = parts.styles
    rows = []
    for source in parts.sources:
        sheets = []
        for sheet in source.sheets:
            if sheet.table:
                where = f" (headings on row {sheet.header_row})" if sheet.header_row else ""
                sheets.append(f"{clip(sheet.name, 60)}: {sheet.table}, {sheet.rows} rows{where}")
            else:
                sheets.append(f"{clip(sheet.name, 60)}: not read ({clip(sheet.note or 'not a table', 120)})")
        digest = " ".join(source.sha256[i:i + 8] for i in range(0, len(source.sha256), 8))
        rows.append([
            para(clip(source.name, 120), s.cell),
            MeasuredParagraph("<br/>".join(esc(x) for x in sheets) or "–", s.cell),
            para(number(source.rows), s.cell_right),
            MeasuredParagraph(f'<font size="7.2">{esc(digest)}</font>', s.cell),
        ])
    for name, why in parts.skipped:
        rows.append([para(clip(name, 120), s.cell), para(f"not read: {clip(why, 120)}", s.cell),
                     para("–", s.cell_right), para("–", s.cell)])
    header_styles = [s.head, s.head, s.head_right, s.head]
    return data_table(["File", "Sheets", "Rows read", "SHA-256 checksum"], rows, (0.19, 0.43, 0.09, 0.29), s,
                      header_styles=header_styles)


def _quality_table(parts: PackParts) -> Table:
    s = parts.styles
    rows = []
    for p in parts.summary.warnings:
        rows.append([
            para(shorten(p.location, 300, " …"), s.cell),
            para(shorten(p.value, VALUE_LIMIT, " …") if p.value else "(blank)", s.cell),
            para(shorten(p.message, MESSAGE_LIMIT, " …"), s.cell),
        ])
    return data_table(["Where (file › sheet › row › column)", "Value", "Note"], rows, (0.38, 0.17, 0.45), s)


def _glossary(parts: PackParts) -> list[Flowable]:
    s = parts.styles
    story: list[Flowable] = [h3("RAG statuses", s)]
    rows = [[MeasuredParagraph(status_chip(st, s), s.cell), para(STATUS_MEANINGS[st], s.cell)] for st in STATUSES]
    story.append(data_table(["Status", "Meaning"], rows, (0.24, 0.76), s))
    story += heading_block(h3("Changes since the previous period", s),
                           para("A move is written previous → current, with ▲ for better and ▼ for worse: "
                                "Amber → Red ▼.", s.small), room=120)
    rows = [[para(CHANGE_WORDS[c], s.cell_bold), para(CHANGE_MEANINGS[c], s.cell)] for c in CHANGES]
    story.append(data_table(["Change", "Meaning"], rows, (0.24, 0.76), s))
    terms = [
        ("On track or complete", "Green plus Complete, as a share of all activities (Not started included)."),
        ("Overdue", f"Due before {uk_date(parts.summary.as_at_last_day)}, the period's last day, and not "
                    "Complete (Not started counts)."),
        ("Needs attention", "Red, Amber, overdue, or worse than in the previous period."),
        ("As at", f"The reporting period of this pack ({parts.summary.as_at.label})."),
    ]
    rows = [[para(t, s.cell_bold), para(d, s.cell)] for t, d in terms]
    story += heading_block(h3("Terms", s), data_table(["Term", "Meaning"], rows, (0.24, 0.76), s), room=100)
    return story


def appendix_section(parts: PackParts) -> list[Flowable]:
    s, summary = parts.styles, parts.summary
    story: list[Flowable] = [PageBreak(), h1("Appendix", "appendix", s)]
    story += heading_block(h2("A1 Full activity table", "appendix-activities", s),
                           para(f"Every activity as at {summary.as_at.label}, in partner and area order, with its "
                                "latest commentary. The table heading repeats on every page.", s.small), room=200)
    if summary.activities:
        story.append(_full_table(parts))
    else:
        story.append(para("No activities.", s.note))
    story += _charts(parts, "appendix")

    story += heading_block(h2("A2 Data sources", "appendix-sources", s),
                           para("The files read. A file's SHA-256 checksum changes whenever the file changes.",
                                s.small),
                           room=200)
    if parts.sources or parts.skipped:
        story.append(_sources_table(parts))
    else:
        story.append(para("No source files were listed.", s.note))

    story += heading_block(h2("A3 Data quality notes", "appendix-quality", s),
                           para("Warnings found while reading the spreadsheets. They did not stop the pack, but "
                                "each should be put right at its source.", s.small), room=200)
    if summary.warnings:
        story.append(_quality_table(parts))
    else:
        story.append(para("No warnings: every row read was complete and consistent.", s.body))
    if parts.notes:
        story += heading_block(h3("Notes from reading the inputs", s), room=80)
        story += [MeasuredParagraph(esc(shorten(note, MESSAGE_LIMIT, " …")), s.bullet, bulletText="•")
                  for note in parts.notes]

    story += heading_block(h2("A4 Glossary", "appendix-glossary", s), room=200)
    story += _glossary(parts)
    if parts.compact_executive:
        story += heading_block(h2("A5 Further overview charts", "appendix-charts", s),
                               para("Overview charts moved here to keep the executive summary to two pages.",
                                    s.small), room=200)
        story += _charts(parts, "executive")[1:]
    return story
