"""The appendix: activities (or totals per partner), further Needs attention items, data sources,
data quality and the glossary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..config import Config
from ..formats import money_pence, number, uk_date
from ..model import CHANGES, STATUSES, SourceFile
from ..paper import Places
from ..summary_model import ActivityRow, GroupSummary, Summary
from ..wording import CHANGE_MEANINGS, CHANGE_WORDS, STATUS_MEANINGS, TERMS
from .cover import full_appendix_table
from .printed import MESSAGE_LIMIT, NONE, VALUE_LIMIT, activity_text, clip, shorten


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
