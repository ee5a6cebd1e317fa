"""render_html: Summary + charts + template + cover options -> the accessible companion, one HTML string.

The same paper as the PDF, in the same order, from the same Summary,
Narrative and Places, with every sentence and cell text taken from
:mod:`boardpack.pack_text`: this module only decides which HTML element holds
each text. Jinja2 writes the page with autoescaping on, so text from the
spreadsheets, the template and the command line always prints as text.

One file, nothing to fetch: styles inline, charts as inline SVG, no script, and
a Content-Security-Policy that forbids scripts and remote loads. Pure: reads
only its own template files; the same inputs give the same string.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import pack_text as text
from ..charts.style import STATUS_STYLES, contrast, mix
from ..config import Config
from ..formats import number, percent
from ..model import Chart, CoverOptions, SourceFile
from ..narrative import render_narrative
from ..paper import places
from ..summary_model import ActivityRow, Summary
from .svg import inline_svg

# The policy the page states for itself: nothing but its own inline styles and
# inline images; no script, no fetch, no font, no frame, no form.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)

# The symbols that start some texts ("▼ worsened", "⚠ No commentary: …"): a screen
# reader would read them by their Unicode names, and the words after them say it all.
_LEADING_SYMBOL = re.compile(r"^([▲▼✔✚=⚠])\s")
_ARROW = "→"


# --------------------------------------------------------------------------- colours

# The backgrounds text sits on: the page, zebra rows of tables, the headline figures.
BACKGROUNDS = ("#FFFFFF", "#F7F8FA", "#F2F4F7")


def readable(colour: str, backgrounds: Iterable[str] = BACKGROUNDS, ratio: float = 4.5) -> str:
    """``colour``, darkened just enough to reach WCAG AA contrast (``ratio``) on every one of ``backgrounds``."""
    original, colour, share = colour.upper(), colour.upper(), 0.0
    while min(contrast(colour, b) for b in backgrounds) < ratio and share < 1:
        share = round(share + 0.02, 2)
        colour = mix(original, "#000000", share)
    return colour


def brand_colours(config: Config) -> tuple[str, str]:
    """The template's primary and accent colours, darkened where needed to read as text on white."""
    return readable(config.branding.primary_colour), readable(config.branding.accent_colour)


def status_class(status: str) -> str:
    return "status-" + re.sub(r"[^a-z]+", "-", status.lower()).strip("-")


def status_css() -> str:
    """One rule per status: its chart colour behind its name (the name is always there)."""
    rules = []
    for status, style in STATUS_STYLES.items():
        border = style.edge_colour if style.edge_colour.upper() != "#FFFFFF" else style.colour
        rules.append(
            f".{status_class(status)} {{ background: {style.colour}; color: {style.text_colour}; "
            f"border-color: {border}; }}"
        )
    return "\n".join(rules)


# --------------------------------------------------------------------------- filters


def _spoken(value: object) -> Markup:
    """Escaped text with its leading symbol and its arrows hidden from screen readers, "to" said instead."""
    escaped = str(escape(text.plain(value)))
    match = _LEADING_SYMBOL.match(escaped)
    if match:
        escaped = f'<span aria-hidden="true">{match.group(1)}</span> {escaped[match.end() :]}'
    escaped = escaped.replace(_ARROW, f'<span aria-hidden="true">{_ARROW}</span><span class="vh">to</span>')
    return Markup(escaped)


def _lines(value: object) -> Markup:
    """Escaped text with its line breaks kept as <br>."""
    return Markup("<br>".join(str(_spoken(line)) for line in text.LINE_BREAKS.split(text.plain(value))))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("boardpack.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({"spoken": _spoken, "lines": _lines, "status_class": status_class})
    return env


# --------------------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class ActivityCells:
    """One activity's cells, as every table of the page prints them."""

    row: ActivityRow
    activity: str
    partner: str  # short name
    area: str  # short name
    lead: str | None
    who: tuple[str, ...]  # partner · area, and the lead, under the name in Needs attention
    move: text.StatusMove
    change: str
    held_since: str
    listed_as: str
    progress: str
    due: text.Due
    budget: str
    spend: str
    budget_pence: str
    spend_pence: str
    commentary: text.Commentary


def _cells(row: ActivityRow, shorts: Mapping[str, str]) -> ActivityCells:
    return ActivityCells(
        row=row,
        activity=text.activity_text(row),
        partner=shorts.get(row.partner, row.partner),
        area=shorts.get(row.area, text.clip(row.area, text.NAME_LIMIT)),
        lead=text.lead_line(row),
        who=text.attention_who(row, shorts),
        move=text.status_move(row),
        change=text.change_words(row),
        held_since=text.held_since(row),
        listed_as=text.listed_as(row) if row.reasons else "",
        progress=text.progress(row.progress),
        due=text.due(row),
        budget=text.amount(row.budget),
        spend=text.amount(row.spend),
        budget_pence=text.amount(row.budget, pence=True),
        spend_pence=text.amount(row.spend, pence=True),
        commentary=text.commentary(row),
    )


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    svg: Markup
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _heading(column: str) -> str:
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _cell(column: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text.NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        name = str(column).lower()
        return percent(value) if name.endswith(("pct", "progress", "percent")) else number(value)
    return text.plain(value)


def _chart(chart: Chart) -> ChartView:
    chart_id = f"chart-{chart.name}"
    data = chart.data
    columns = tuple(_heading(c) for c in data.columns)
    rows = tuple(
        tuple(_cell(c, v) for c, v in zip(data.columns, record, strict=True))
        for record in data.itertuples(index=False, name=None)
    )
    return ChartView(chart_id, chart.title, Markup(inline_svg(chart, chart_id)), chart.caption, columns, rows)


@dataclass(frozen=True)
class PartnerView:
    key: str
    title: str
    description: str
    summary: tuple[str, ...]
    note: str | None
    activities: tuple[ActivityCells, ...]
    metrics: tuple[text.MetricText, ...]


def _partners(summary: Summary, narrative, where, config: Config, shorts: Mapping[str, str]) -> tuple[PartnerView, ...]:
    views = []
    for i, group in enumerate(summary.partners):
        rows, note = text.partner_rows(group, summary, where, config)
        views.append(
            PartnerView(
                key=text.partner_key(i),
                title=text.group_title(group),
                description=text.partner_description(group),
                summary=text.partner_summary(group, narrative),
                note=note,
                activities=tuple(_cells(r, shorts) for r in rows),
                metrics=tuple(text.metric_text(m, shorts) for m in summary.metrics if m.partner == group.name),
            )
        )
    return tuple(views)


def _contents(entries: Sequence[text.ContentsEntry]) -> list[tuple[text.ContentsEntry, list[text.ContentsEntry]]]:
    """The contents as sections, each with its parts."""
    tree: list[tuple[text.ContentsEntry, list[text.ContentsEntry]]] = [
        (text.ContentsEntry(0, "Cover sheet", "cover"), [])
    ]
    for entry in entries:
        if entry.level == 0:
            tree.append((entry, []))
        else:
            tree[-1][1].append(entry)
    return tree


def _charts(charts: Iterable[Chart], section: str) -> tuple[ChartView, ...]:
    return tuple(_chart(c) for c in charts if c.section == section)


def render_html(
    summary: Summary,
    charts: tuple[Chart, ...],
    config: Config,
    cover: CoverOptions,
    sources: tuple[SourceFile, ...],
    notes: tuple[str, ...] = (),
    skipped: tuple[tuple[str, str], ...] = (),
) -> str:
    """The board pack as one accessible HTML page; the same arguments as ``pdf.render_pack``.

    Charts whose section is "executive" or "areas" are placed there, as the PDF
    places them. Raises TemplateError as ``pdf.render_pack`` does.
    """
    where = places(summary, config)
    details = text.resolve_cover(config, cover, decisions_sought=bool(where.decisions))
    narrative = render_narrative(
        summary,
        config,
        meeting_date=details.meeting_date,
        paper_title=details.title,
        purpose=details.purpose,
        where=where,
    )
    shorts = text.short_names(config)
    primary, accent = brand_colours(config)
    intro, attention_more = text.attention_intro(summary, where)
    cap = config.pack.appendix_activities
    appendix_attention = text.appendix_attention(where, config) if where.attention_overflow else None
    missing, more_missing = text.missing_lines(summary, shorts, cap)
    gaps = text.gaps(summary)
    page = {
        "csp": CONTENT_SECURITY_POLICY,
        "primary": primary,
        "accent": accent,
        "status_css": Markup(status_css()),
        "text": text,
        "summary": summary,
        "running": text.running_text(details, summary),
        "cover": {
            "heading": text.cover_heading(details),
            "fields": text.cover_fields(details, summary),
            "summary": text.cover_summary(narrative),
            "recommendations_heading": text.recommendations_heading(narrative),
            "recommendations": text.recommendations(narrative),
            "implications": text.implications(narrative),
        },
        "contents": _contents(text.contents(summary, where, config)),
        "executive": {
            "lead": text.executive_lead(summary),
            "figures": text.headline_figures(summary, where),
            "messages": text.key_messages(narrative),
            "changes_heading": text.changes_heading(summary),
            "changes": text.change_counts(summary.totals.changes),
            "no_previous": text.no_previous_note(summary),
            "charts": _charts(charts, "executive"),
        },
        "decisions": tuple(
            (text.decision_text(f"D{i}", row, shorts), _cells(row, shorts), f"decision-{i}")
            for i, row in enumerate(where.decisions, start=1)
        ),
        "decisions_intro": text.decisions_intro(len(where.decisions)),
        "attention": {
            "intro": intro,
            "more": attention_more,
            "listed": tuple(_cells(r, shorts) for r in where.attention[: where.attention_in_body]),
            "overflow": text.attention_overflow_note(where),
            "metrics": tuple(
                text.metric_text(m, shorts) for m in summary.attention_metrics[: config.pack.attention_items]
            ),
            "metrics_intro": (
                text.attention_metrics_intro(summary.attention_metrics, config.pack.attention_items)
                if summary.attention_metrics
                else ""
            ),
        },
        "partners_intro": text.partners_intro(summary),
        "partners": _partners(summary, narrative, where, config, shorts),
        "areas": {
            "intro": text.areas_intro(summary),
            "rows": text.area_rows(summary),
            "charts": _charts(charts, "areas"),
        },
        "appendix": {
            "titles": {key: title for title, key in text.appendix_titles(summary, where, config)},
            "intro": text.appendix_activities_intro(summary, config),
            "full": text.full_appendix_table(summary, config),
            "activities": tuple(_cells(r, shorts) for r in summary.activities),
            "partner_totals": tuple(text.partner_totals(p) for p in summary.partners),
            "attention": (
                None
                if appendix_attention is None
                else (
                    appendix_attention[0],
                    tuple(_cells(r, shorts) for r in appendix_attention[1]),
                    appendix_attention[2],
                )
            ),
            "sources": text.source_rows(sources, skipped),
            "quality": text.quality_rows(summary),
            "gaps": tuple(text.gap_row(row, what, shorts) for row, what in gaps[:cap]),
            "more_gaps": text.more_gaps(len(gaps) - cap) if len(gaps) > cap else None,
            "missing_heading": text.missing_heading(summary),
            "missing": missing,
            "more_missing": more_missing,
            "notes": text.notes(text.plain(n) for n in notes),
            "statuses": text.status_meanings(),
            "changes": text.change_meanings(),
            "terms": text.terms(summary),
        },
    }
    return _environment().get_template("pack.html").render(**page)


__all__ = ["render_html", "CONTENT_SECURITY_POLICY", "brand_colours", "readable"]
