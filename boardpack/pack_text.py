"""What the pack says, for every renderer: the sentences and cell texts of each section, as plain text.

The PDF (``pdf/``) and the accessible HTML companion (``html/``) print the same
paper from the same Summary, Narrative and Places. Every sentence, heading and
cell text that both print is built here, once, as plain text (never markup):
each renderer escapes it and adds only its own styling around it. Where a
renderer styles parts of one cell differently (a due date and "31 days
overdue"; a status move "Amber → Red"), the text comes as a small frozen value
with those parts apart.

Long texts are cut to the same limits in both renderers (``COMMENTARY_LIMIT``
and the rest), so the two say exactly the same words; the full text is always
in summary.xlsx.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .config import Config
from .formats import money, money_pence, number, percent, short_date, uk_date, value_with_unit
from .model import CHANGES, STATUSES, CoverOptions, SourceFile
from .narrative import IMPLICATIONS, NOT_STATED, Narrative
from .paper import Places
from .summary_model import ActivityRow, GroupSummary, MetricSummary, Summary, Totals
from .wording import (
    CHANGE_MEANINGS,
    CHANGE_WORDS,
    MISSING_COMMENTARY,
    PURPOSES,
    REASON_WORDS,
    STATUS_MEANINGS,
    TERMS,
    UNCHANGED_COMMENTARY,
)

# Longest texts printed in a table cell; longer ones are shortened with a note, so
# that no table row of the PDF is ever taller than a page (rows are never split).
COMMENTARY_LIMIT = 1500
ACTIVITY_LIMIT = 300
NAME_LIMIT = 120
VALUE_LIMIT = 200
MESSAGE_LIMIT = 600
COVER_TEXT_LIMIT = 1500
SHORT_NAME_LIMIT = 30

SHORTENED_NOTE = " … (shortened; full text in summary.xlsx)"
NONE = "–"  # what an empty cell shows

# Control characters (other than tab and line breaks) break reportlab's parser,
# are not allowed in HTML, and are never meant to be seen.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


# --------------------------------------------------------------------------- text as printed


def plain(text: object) -> str:
    """Text as a plain string: None as "", control characters as spaces, tabs as spaces."""
    if text is None:
        return ""
    return _CONTROL.sub(" ", str(text)).replace("\t", " ")


def shorten(text: object, limit: int, note: str = SHORTENED_NOTE) -> str:
    """Plain text cut to about ``limit`` characters at a word boundary, with ``note`` added."""
    text = plain(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + note


def clip(text: object, limit: int) -> str:
    """Plain text cut to ``limit`` characters with an ellipsis, on one line (for headers)."""
    text = LINE_BREAKS.sub(" ", plain(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_names(config: Config) -> dict[str, str]:
    """Each partner's and area's short name, as tables print it."""
    return {e.name: clip(e.short_name, SHORT_NAME_LIMIT) for e in (*config.partners.entries, *config.areas.entries)}


def activity_text(row: ActivityRow) -> str:
    return shorten(row.activity, ACTIVITY_LIMIT, " …")


# --------------------------------------------------------------------------- the cover


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


def resolve_cover(config: Config, options: CoverOptions, decisions_sought: bool = False) -> CoverDetails:
    """The cover's fields: command-line options first, then the template's [cover], then defaults.

    Any decision sought in the as-at period makes the purpose "decision" unless
    ``--purpose`` says otherwise. The template's fields were checked by load_config.
    """
    cover = config.cover
    purpose = (options.purpose or ("decision" if decisions_sought else "") or cover.purpose).strip().lower()
    if purpose not in PURPOSES:  # only an option can be wrong here: the command line offers no other
        raise ValueError(f"purpose must be information, discussion or decision, not {purpose!r}")

    def chosen(option: str | None, setting: str) -> str:
        return plain(option).strip() if option else plain(setting).strip()

    return CoverDetails(
        organisation=config.organisation,
        board=config.board,
        title=plain(options.title).strip() if options.title else (plain(cover.title).strip() or config.report_title),
        paper_reference=chosen(options.paper_ref, cover.paper_reference),
        agenda_item=plain(cover.agenda_item).strip(),
        meeting_date=options.meeting_date,
        presented_by=chosen(options.presented_by, cover.presented_by),
        author=plain(cover.author).strip(),
        purpose=purpose,
        classification=chosen(options.classification, cover.classification) or "Open",
    )


@dataclass(frozen=True)
class RunningText:
    """What runs along every page but the cover: the PDF's header and footer, the HTML's banner and footer."""

    document_title: str  # the PDF's title metadata, the HTML's <title>
    header_left: str
    header_right: str
    footer_left: str


def running_text(details: CoverDetails, summary: Summary) -> RunningText:
    title = clip(details.title, 200)
    as_at = summary.as_at.label
    return RunningText(
        document_title=f"{title}, as at {as_at}",
        header_left=f"{title} · as at {as_at}",
        header_right=f"Classification: {details.classification}",
        footer_left=" · ".join(
            x for x in (f"{details.board}, {uk_date(details.meeting_date)}", details.paper_reference) if x
        ),
    )


def cover_heading(details: CoverDetails) -> tuple[str, str, str]:
    """(organisation, board, title) as the cover prints them."""
    return clip(details.organisation, 200), clip(details.board, 200), shorten(details.title, 300, " …")


def reporting_period(summary: Summary) -> str:
    return f"{summary.as_at.label} (to {uk_date(summary.as_at_last_day)})"


def cover_fields(details: CoverDetails, summary: Summary) -> tuple[tuple[str, str], ...]:
    """(label, value) of each field of the cover's grid, in reading order; "–" for an empty one."""

    def value(text: str) -> str:
        return shorten(text, 300, " …") or NONE

    return tuple(
        (label, value(text))
        for label, text in (
            ("Meeting", details.board),
            ("Meeting date", uk_date(details.meeting_date)),
            ("Paper reference", details.paper_reference),
            ("Agenda item", details.agenda_item),
            ("Purpose", PURPOSES.get(details.purpose, details.purpose)),
            ("Classification", details.classification),
            ("Presented by", details.presented_by),
            ("Author", details.author),
            ("Reporting period", reporting_period(summary)),
        )
    )


def cover_summary(narrative: Narrative) -> tuple[str, ...]:
    """The cover's summary, as paragraphs."""
    return tuple(p for p in shorten(narrative.summary, 3000, " …").split("\n\n") if p.strip())


def recommendations_heading(narrative: Narrative) -> str:
    return "Recommendation" + ("s" if len(narrative.recommendations) > 1 else "")


def recommendations(narrative: Narrative) -> tuple[str, ...]:
    return tuple(shorten(text, COVER_TEXT_LIMIT, " …") for text in narrative.recommendations)


NO_RECOMMENDATIONS = "None."


@dataclass(frozen=True)
class Implication:
    label: str
    text: str
    stated: bool  # False: the template says nothing, and the text is "Not stated"


def implications(narrative: Narrative) -> tuple[Implication, ...]:
    return tuple(
        Implication(
            label,
            shorten(narrative.implications[key], COVER_TEXT_LIMIT, " …"),
            narrative.implications[key] != NOT_STATED,
        )
        for key, label in IMPLICATIONS
    )


# --------------------------------------------------------------------------- contents


@dataclass(frozen=True)
class ContentsEntry:
    level: int  # 0 a section, 1 a part of one
    text: str
    key: str  # the PDF's bookmark, the HTML's id


def partner_key(index: int) -> str:
    return f"partner-{index + 1}"


def group_title(group: GroupSummary) -> str:
    """ "European Students' Union (ESU)"; the name alone when the short name is the same."""
    name = clip(group.name, NAME_LIMIT)
    short = clip(group.short_name, SHORT_NAME_LIMIT)
    return name if short.casefold() == name.casefold() else f"{name} ({short})"


def full_appendix_table(summary: Summary, config: Config) -> bool:
    """Whether the appendix lists every activity, or only totals per partner."""
    return len(summary.activities) <= config.pack.appendix_activities


def appendix_titles(summary: Summary, places: Places, config: Config) -> tuple[tuple[str, str], ...]:
    """(title, key) of each appendix part, numbered A1, A2, … in the order they print."""
    names = [
        (
            "Full activity table" if full_appendix_table(summary, config) else "Activities by partner",
            "appendix-activities",
        )
    ]
    if places.attention_overflow:
        names.append(("Further items needing attention", "appendix-attention"))
    names += [
        ("Data sources", "appendix-sources"),
        ("Data quality notes", "appendix-quality"),
        ("Glossary", "appendix-glossary"),
    ]
    return tuple((f"A{i} {title}", key) for i, (title, key) in enumerate(names, start=1))


def contents(summary: Summary, places: Places, config: Config) -> tuple[ContentsEntry, ...]:
    """The contents: every section and part, in the order they print (the cover and contents excepted)."""
    lines = [ContentsEntry(0, "Executive summary", "executive")]
    if places.decisions:
        lines.append(ContentsEntry(0, "Decisions for the Board", "decisions"))
    lines += [ContentsEntry(0, "Needs attention", "attention"), ContentsEntry(0, "Partners", "partners")]
    lines += [ContentsEntry(1, group_title(p), partner_key(i)) for i, p in enumerate(summary.partners)]
    lines += [ContentsEntry(0, "Strategic areas", "areas"), ContentsEntry(0, "Appendix", "appendix")]
    lines += [ContentsEntry(1, title, key) for title, key in appendix_titles(summary, places, config)]
    return tuple(lines)


# --------------------------------------------------------------------------- status, due, commentary


@dataclass(frozen=True)
class StatusMove:
    """A status as printed: the previous one when it differs ("Amber → Red"), then the current one."""

    previous: str | None
    current: str


def status_move(row: ActivityRow) -> StatusMove:
    if row.previous_status is None or row.previous_status == row.status:
        return StatusMove(None, row.status)
    return StatusMove(row.previous_status, row.status)


def change_words(row: ActivityRow) -> str:
    """ "▼ worsened": the change since the previous period, arrow and word."""
    return CHANGE_WORDS.get(row.change, row.change)


def held_since(row: ActivityRow) -> str:
    """ "Red since 2025-26 Q1 (4 periods)", or "Amber this period" for a first period."""
    if row.status_since is None or row.status_periods <= 1:
        return f"{row.status} this period"
    return f"{row.status} since {row.status_since.label} ({row.status_periods} periods)"


def status_history(row: ActivityRow) -> str:
    """ "2024-25 Q4 Amber → Q1 Red → Q2 Red": quarters of the latest year without the year."""
    if not row.history:
        return row.status
    year = row.history[-1][0].start_year
    return " → ".join(f"{f'Q{p.quarter}' if p.start_year == year else p.label} {status}" for p, status in row.history)


def listed_as(row: ActivityRow) -> str:
    """ "Listed as: Red, overdue, worsened": why the row is under Needs attention."""
    return f"Listed as: {', '.join(REASON_WORDS[r] for r in row.reasons)}"


@dataclass(frozen=True)
class Due:
    """A due date as a table prints it: the date, the one it replaced, and how late."""

    date: str  # "30 Jun 2026"; "–" when there is none
    was: str | None = None  # "revised; was 31 Jul 2026" when a revised due date is given
    late: str | None = None  # "31 days overdue", "due on the period's last day"


def due(row: ActivityRow) -> Due:
    if row.due_date is None and row.revised_due_date is None:
        return Due(NONE)
    was = None
    if row.revised_due_date is not None:
        date = short_date(row.revised_due_date)
        was = f"revised; was {short_date(row.due_date) if row.due_date else 'none'}"
    else:
        date = short_date(row.due_date)
    late = None
    if row.overdue:
        days = row.days_overdue or 0
        late = "due on the period's last day" if days == 0 else f"{days:,} day{'s' if days != 1 else ''} overdue"
    return Due(date, was, late)


@dataclass(frozen=True)
class Commentary:
    """A commentary cell: the text (or "–"), and a flag when it is missing or stale."""

    text: str | None  # None when the cell holds only the flag
    flag: str | None = None


def commentary(row: ActivityRow) -> Commentary:
    """The commentary, flagged when missing (for Red, Amber and overdue) or the same words as last period."""
    if not row.commentary.strip():
        if row.status in ("Red", "Amber") or row.overdue:
            return Commentary(None, MISSING_COMMENTARY)
        return Commentary(NONE)
    return Commentary(
        shorten(row.commentary, COMMENTARY_LIMIT), UNCHANGED_COMMENTARY if row.commentary_unchanged else None
    )


def amount(value: float | None, *, pence: bool = False) -> str:
    if value is None:
        return NONE
    return money_pence(value) if pence else money(value)


def progress(value: float | None) -> str:
    return percent(value) if value is not None else NONE


def lead_line(row: ActivityRow) -> str | None:
    return f"Lead: {clip(row.lead, NAME_LIMIT)}" if row.lead else None


# --------------------------------------------------------------------------- executive summary


def executive_lead(summary: Summary) -> str:
    return (
        f"As at {summary.as_at.label} (the period ending {uk_date(summary.as_at_last_day)}), "
        f"compared with {summary.previous.label}."
    )


@dataclass(frozen=True)
class Figure:
    """One headline figure: what it is, the figure, and a note under it."""

    label: str
    value: str
    note: str


def headline_figures(summary: Summary, places: Places) -> tuple[Figure, ...]:
    t = summary.totals
    red, amber = t.by_status.get("Red", 0), t.by_status.get("Amber", 0)
    on_track = t.by_status.get("Green", 0) + t.by_status.get("Complete", 0)
    decisions = len(places.decisions)
    return (
        Figure("Activities", number(t.activities), f"as at {summary.as_at.label}"),
        Figure("On track or complete", percent(t.on_track_or_complete_pct), f"{on_track} of {t.activities}"),
        Figure("Rated Red", number(red), f"and {amber} Amber"),
        Figure("Overdue", number(t.overdue), f"due by {short_date(summary.as_at_last_day)}"),
        Figure(
            "Spend against budget",
            percent(t.spend_pct_of_budget) if t.budget else NONE,
            f"{money(t.spend)} of {money(t.budget)}" if t.budget else f"{money(t.spend)} spent; no budget",
        ),
        Figure("Decisions sought", number(decisions), "see Decisions" if decisions else "none this period"),
    )


def key_messages(narrative: Narrative) -> tuple[str, ...]:
    return tuple(shorten(m, MESSAGE_LIMIT, " …") for m in narrative.key_messages)


def changes_heading(summary: Summary) -> str:
    return f"What changed since {summary.previous.label}"


def change_counts(changes: Mapping[str, int]) -> tuple[str, ...]:
    """ "✚ new 1", "✔ completed 8", …: each change since the previous period with its count."""
    return tuple(f"{CHANGE_WORDS[c]} {changes.get(c, 0)}" for c in CHANGES)


def no_previous_note(summary: Summary) -> str | None:
    if summary.previous_has_data:
        return None
    return f"There are no rows for {summary.previous.label}, so every activity counts as new."


# --------------------------------------------------------------------------- decisions for the Board


def decisions_intro(count: int) -> str:
    return (
        f"{count} {'activity asks' if count == 1 else 'activities ask'} the Board for a decision. "
        "Each is set out with what the Board needs to weigh it; the recommendations on the cover "
        "follow these asks."
    )


def decision_title(ref: str, row: ActivityRow) -> str:
    return f"{ref} · {activity_text(row)}"


def money_line(row: ActivityRow) -> str:
    if row.budget is None and row.spend is None:
        return "No budget or spend recorded"
    if not row.budget:
        return f"{money(row.spend or 0)} spent; no budget recorded"
    pct = 100.0 * (row.spend or 0) / row.budget
    return f"{money(row.spend or 0)} spent of a {money(row.budget)} budget ({percent(pct)})"


@dataclass(frozen=True)
class DecisionText:
    """One decision's texts; the status, by period and due are printed by each renderer's own status and due."""

    title: str
    ask: str
    partner_area: str
    held_since: str
    by_period: str
    money: str
    lead: str
    commentary: str


def decision_text(ref: str, row: ActivityRow, shorts: Mapping[str, str]) -> DecisionText:
    text = row.commentary.strip()
    return DecisionText(
        title=decision_title(ref, row),
        ask=shorten(row.decision, COMMENTARY_LIMIT),
        partner_area=f"{row.partner} ({shorts.get(row.partner, row.partner)}) · {clip(row.area, NAME_LIMIT)}",
        held_since=held_since(row),
        by_period=f"By period: {status_history(row)}",
        money=money_line(row),
        lead=clip(row.lead, NAME_LIMIT) or NONE,
        commentary=shorten(text, COMMENTARY_LIMIT) if text else "None given.",
    )


DECISION_LABELS = ("The ask", "Partner · area", "Status", "Due", "Money", "Lead", "Commentary")


# --------------------------------------------------------------------------- needs attention


def attention_intro(summary: Summary, places: Places) -> tuple[str, bool]:
    """The section's opening sentence, and whether anything follows it (False: nothing needs attention)."""
    items = places.attention
    decided = len(summary.exceptions) - len(items)
    if not items and not summary.attention_metrics:
        text = (
            "Nothing else needs the Board's attention this period."
            if decided
            else "Nothing needs the Board's attention this period: no activity is Red, Amber, overdue or worse "
            "than in the previous period, and every metric is on the right side of its target."
        )
        return text, False
    intro = (
        f"{len(items)} {'activity is' if len(items) == 1 else 'activities are'} Red, overdue, worse than in "
        f"{summary.previous.label} or Amber, ranked in that order: the longest-running Red first, then the "
        "most days overdue."
    )
    if decided:
        intro += (
            f" {decided} more {'has' if decided == 1 else 'have'} a decision for the Board and "
            f"{'is' if decided == 1 else 'are'} set out under Decisions, not repeated here."
        )
    return intro, True


ATTENTION_COLUMNS = ("#", "Activity", "Status, and for how long", "Due", "Commentary")


def attention_who(row: ActivityRow, shorts: Mapping[str, str]) -> tuple[str, ...]:
    """ "ESU · Capacity building" and "Lead: …" under the activity's name."""
    who = [f"{shorts.get(row.partner, row.partner)} · {clip(row.area, NAME_LIMIT)}"]
    lead = lead_line(row)
    if lead:
        who.append(lead)
    return tuple(who)


@dataclass(frozen=True)
class LinkedSentence:
    """A sentence whose ``link`` text points to another part of the pack (``key``)."""

    before: str
    link: str
    key: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.link + self.after


def attention_overflow_note(places: Places) -> LinkedSentence | None:
    overflow = places.attention_overflow
    if not overflow:
        return None
    shown = places.attention_in_body
    return LinkedSentence(
        f"Items {shown + 1} to {len(places.attention)} ({len(overflow)} more) are listed in the appendix, ",
        "Further items needing attention",
        "appendix-attention",
        ".",
    )


METRICS_OFF_TARGET = "Metrics on the wrong side of target"


def attention_metrics_intro(metrics: Sequence[MetricSummary], limit: int) -> str:
    intro = (
        f"{len(metrics):,} {'metric is' if len(metrics) == 1 else 'metrics are'} below a target where "
        "higher is better, or above one where lower is better."
    )
    if len(metrics) > limit:
        intro += f" The first {limit} follow; the Metrics sheet of summary.xlsx marks every one."
    return intro


# --------------------------------------------------------------------------- partners


def partners_intro(summary: Summary) -> str:
    return (
        f"Each partner's activities as at {summary.as_at.label}, with the change since "
        f"{summary.previous.label}. Money is in whole pounds; the appendix has pence."
    )


def partner_description(group: GroupSummary) -> str:
    return shorten(group.description, 2000, " …") if group.description else ""


def partner_summary(group: GroupSummary, narrative: Narrative) -> tuple[str, ...]:
    """The sentence under a partner's heading (the template's group_summary), as paragraphs."""
    text = narrative.group_summaries.get(f"partner:{group.name}", "")
    return tuple(p for p in text.split("\n\n") if p.strip())


def partner_rows(
    group: GroupSummary, summary: Summary, places: Places, config: Config
) -> tuple[tuple[ActivityRow, ...], str | None]:
    """The partner's activities its section lists, and a note when it lists only some (or none).

    A partner with more activities than the template's [pack] partner_activities
    lists only its most pressing ones, in the pack's own order: decisions, then
    Needs attention's ranking.
    """
    rows = [a for a in summary.activities if a.partner == group.name]
    limit = config.pack.partner_activities
    if len(rows) > limit:
        pressing = [a for a in rows if a.needs_attention or a.decision]
        pressing.sort(key=lambda a: (places.decision_ref(a) is None, places.attention_number(a) or 0))
        listed = pressing[:limit]
        kept = "in the appendix and in summary.xlsx" if full_appendix_table(summary, config) else "in summary.xlsx"
        shown = (
            f"the {len(listed):,}"
            if len(listed) == len(pressing)
            else f"the {len(listed):,} most pressing of the {len(pressing):,}"
        )
        return tuple(listed), (
            f"{group.name} has {len(rows):,} activities, more than the {limit} this pack lists "
            f"in full; below are {shown} that are Red, Amber, overdue, worsened or ask for a "
            f"decision. Every activity is {kept}."
        )
    if not rows and not group.activities:
        return (), f"No activities reported for {group.name} in {summary.as_at.label}."
    return tuple(rows), None


PARTNER_ACTIVITY_COLUMNS = ("Activity", "Area", "Status", "Progress", "Due", "Budget", "Spend")
METRICS_AGAINST_TARGET = "Metrics against target"
METRIC_COLUMNS = ("Metric", "Latest", "Actual", "Target", "Better", "Against target", "Recent periods")

WRONG_SIDE = "⚠ wrong side"
ON_TARGET = "✔ on target"


@dataclass(frozen=True)
class MetricText:
    metric: str
    partner: str  # short name
    latest: str
    actual: str
    target: str
    better: str
    against: str  # WRONG_SIDE, ON_TARGET or "–"
    recent: str


def metric_text(m: MetricSummary, shorts: Mapping[str, str]) -> MetricText:
    """A metric's latest value against its target, which side is good, and its recent values."""
    series = " → ".join(value_with_unit(p.actual, m.unit) or NONE for p in m.series[-4:])
    against = NONE
    if m.target is not None and m.actual is not None:
        against = WRONG_SIDE if m.on_wrong_side else ON_TARGET
    return MetricText(
        metric=shorten(m.metric, 200, " …"),
        partner=shorts.get(m.partner, m.partner),
        latest=m.period.label,
        actual=value_with_unit(m.actual, m.unit) or NONE,
        target=value_with_unit(m.target, m.unit) or NONE,
        better=f"{m.better_when}",
        against=against,
        recent=series or NONE,
    )


# --------------------------------------------------------------------------- strategic areas


def areas_intro(summary: Summary) -> str:
    return (
        f"How the activities of {summary.as_at.label} spread across the strategic areas, and how each "
        "area stands. Each activity is counted once, under its partner and its area."
    )


AREA_COLUMNS = ("Area", "Activities", "Status mix", "On track", "Budget", "Spend", "Spent")


@dataclass(frozen=True)
class AreaText:
    """One row of the areas table; ``mix`` is (status, count) for each status present."""

    name: str
    activities: str
    mix: tuple[tuple[str, int], ...]
    on_track: str
    budget: str
    spend: str
    spent: str


def area_text(name: str, totals: Totals, *, all_areas: bool = False) -> AreaText:
    return AreaText(
        name=name,
        activities=number(totals.activities),
        mix=tuple((st, totals.by_status[st]) for st in STATUSES if totals.by_status.get(st)),
        on_track=(percent(totals.on_track_or_complete_pct) if totals.activities or all_areas else NONE),
        budget=money(totals.budget) if totals.budget else NONE,
        spend=money(totals.spend) if totals.spend or totals.budget else NONE,
        spent=percent(totals.spend_pct_of_budget) if totals.budget else NONE,
    )


def area_rows(summary: Summary) -> tuple[AreaText, ...]:
    """Each area's row, then "All areas"."""
    rows = [area_text(f"{a.name} ({a.short_name})" if a.short_name != a.name else a.name, a) for a in summary.areas]
    return (*rows, area_text("All areas", summary.totals, all_areas=True))


# --------------------------------------------------------------------------- appendix


def appendix_activities_intro(summary: Summary, config: Config) -> str:
    if full_appendix_table(summary, config):
        return (
            f"Every activity as at {summary.as_at.label}, in partner and area order, with its latest "
            "commentary; money in pounds and pence."
        )
    return (
        f"{len(summary.activities):,} activities are more than this pack lists "
        f"(the template's [pack] appendix_activities is {config.pack.appendix_activities}): "
        "totals per partner follow, and summary.xlsx, beside this pack, lists every activity."
    )


NO_ACTIVITIES = "No activities."
FULL_TABLE_COLUMNS = ("Partner · area", "Activity", "Status", "Progress · due", "Budget · spend", "Commentary")
PARTNER_TOTALS_COLUMNS = ("Partner", "Activities", "Statuses", "Overdue", "Budget", "Spend")


def partner_totals(group: GroupSummary) -> tuple[str, str, str, str, str, str]:
    """Per partner: name, activities, statuses, overdue, budget and spend (pence)."""
    mix = ", ".join(f"{group.by_status[st]} {st}" for st in group.by_status if group.by_status[st])
    return (
        group.name,
        number(group.activities),
        mix or NONE,
        f"{group.overdue:,}",
        money_pence(group.budget),
        money_pence(group.spend),
    )


def appendix_attention(places: Places, config: Config) -> tuple[int, tuple[ActivityRow, ...], str]:
    """The number of the first further item, the items the appendix lists, and the note above them."""
    overflow = places.attention_overflow
    first = places.attention_in_body + 1
    shown = overflow[: config.pack.appendix_activities]
    last = first + len(shown) - 1
    note = f"Needs attention items {first} to {last}, continuing the ranking of the section in the body."
    if len(overflow) > len(shown):
        note += (
            f" The other {len(overflow) - len(shown):,} are in the Needs attention sheet of "
            "summary.xlsx, beside this pack."
        )
    return first, tuple(shown), note


SOURCES_INTRO = "The files read. A file's SHA-256 checksum changes whenever the file changes."
NO_SOURCES = "No source files were listed."
SOURCE_COLUMNS = ("File", "Sheets", "Rows read", "SHA-256 checksum")


def source_rows(
    sources: Iterable[SourceFile], skipped: Iterable[tuple[str, str]]
) -> tuple[tuple[str, tuple[str, ...], str, str], ...]:
    """(file, sheets as lines, rows read, checksum in groups of 8) for each file read, then each not read."""
    rows = []
    for source in sources:
        sheets = []
        for sheet in source.sheets:
            if sheet.table:
                where = f" (headings on row {sheet.header_row})" if sheet.header_row else ""
                sheets.append(f"{clip(sheet.name, 60)}: {sheet.table}, {sheet.rows} rows{where}")
            else:
                sheets.append(f"{clip(sheet.name, 60)}: not read ({clip(sheet.note or 'not a table', 120)})")
        digest = " ".join(source.sha256[i : i + 8] for i in range(0, len(source.sha256), 8))
        rows.append((clip(source.name, 120), tuple(sheets), number(source.rows), digest))
    for name, why in skipped:
        rows.append((clip(name, 120), (f"not read: {clip(why, 120)}",), NONE, NONE))
    return tuple(rows)


QUALITY_INTRO = (
    "Warnings found while reading the spreadsheets, and gaps in what they say. None "
    "stopped the pack, but each should be put right at its source."
)
NO_WARNINGS = "No warnings: every row read was complete and consistent."
QUALITY_COLUMNS = ("Where (file › sheet › row › column)", "Value", "Note")


def quality_rows(summary: Summary) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (
            shorten(p.location, 300, " …"),
            shorten(p.value, VALUE_LIMIT, " …") if p.value else "(blank)",
            shorten(p.message, MESSAGE_LIMIT, " …"),
        )
        for p in summary.warnings
    )


GAPS_HEADING = "Gaps and stale commentary"
GAP_COLUMNS = ("Activity", "Partner", "Where", "What")


def gaps(summary: Summary) -> tuple[tuple[ActivityRow, str], ...]:
    """Activities with no due date and no budget, and commentary unchanged since the previous period."""
    found = []
    for a in summary.activities:
        missing = [
            what
            for what, absent in (
                ("due date", a.due_date is None and a.revised_due_date is None),
                ("budget", a.budget is None),
            )
            if absent
        ]
        if len(missing) == 2:
            found.append((a, "No due date and no budget"))
        if a.commentary_unchanged:
            found.append((a, f"Commentary unchanged since {summary.previous.label}"))
    return tuple(found)


def gap_row(row: ActivityRow, what: str, shorts: Mapping[str, str]) -> tuple[str, str, str, str]:
    where = f"{row.file} › {row.sheet} › row {row.row}" if row.sheet else f"{row.file} › row {row.row}"
    return activity_text(row), shorts.get(row.partner, row.partner), where, what


def more_gaps(count: int) -> str:
    return f"… and {count:,} more; the Activities sheet of summary.xlsx shows every due date, budget and commentary."


def missing_heading(summary: Summary) -> str:
    return f"Reported in {summary.previous.label}, missing from {summary.as_at.label}"


def missing_lines(summary: Summary, shorts: Mapping[str, str], limit: int) -> tuple[tuple[str, ...], str | None]:
    """One line per activity that disappeared (at most ``limit``), and a note on the rest."""
    missing = summary.missing_activities

    def origin(partner: str) -> str:  # when the previous period's row came from the history
        used = summary.history_run(partner, summary.previous)
        return f"from the history (run {used.run}), first " if used else ""

    lines = tuple(
        f"{m.activity} ({shorts.get(m.partner, m.partner)}), {m.previous_status} in "
        f"{summary.previous.label}; {origin(m.partner)}read from {m.file}"
        + (f" › {m.sheet}" if m.sheet else "")
        + f" › row {m.row}"
        for m in missing[:limit]
    )
    more = (
        f"… and {len(missing) - limit:,} more, listed under missing_activities in summary.json."
        if len(missing) > limit
        else None
    )
    return lines, more


NOTES_HEADING = "Notes from reading the inputs"


def notes(notes_: Iterable[str]) -> tuple[str, ...]:
    return tuple(shorten(note, MESSAGE_LIMIT, " …") for note in notes_)


STATUSES_HEADING = "RAG statuses"
CHANGES_HEADING = "Changes since the previous period"
CHANGES_NOTE = "A move is written previous → current, with ▲ for better and ▼ for worse: Amber → Red ▼."
TERMS_HEADING = "Terms"


def status_meanings() -> tuple[tuple[str, str], ...]:
    return tuple((st, STATUS_MEANINGS[st]) for st in STATUSES)


def change_meanings() -> tuple[tuple[str, str], ...]:
    return tuple((CHANGE_WORDS[c], CHANGE_MEANINGS[c]) for c in CHANGES)


def terms(summary: Summary) -> tuple[tuple[str, str], ...]:
    fill = {"last_day": uk_date(summary.as_at_last_day), "as_at": summary.as_at.label}
    return tuple((term, meaning.format(**fill)) for term, meaning in TERMS)
