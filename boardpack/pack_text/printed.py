"""Text as printed: the length limits, plain text and shortening, and the cells many tables print
(a status and its move, a due date, commentary, money, progress, the lead)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import Config
from ..formats import money, money_pence, percent, plain, short_date
from ..summary_model import ActivityRow
from ..wording import CHANGE_WORDS, MISSING_COMMENTARY, REASON_WORDS, UNCHANGED_COMMENTARY

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

LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


# --------------------------------------------------------------------------- text as printed


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
