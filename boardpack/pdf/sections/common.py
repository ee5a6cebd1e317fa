"""What every section reads (PackParts), headings, and the small pieces sections share.

Every text that came from a spreadsheet, the template or the command line goes
through :func:`..markup.esc` (directly or via :func:`..flowables.para`) before
it reaches reportlab markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from ...config import Config
from ...model import Chart, SourceFile
from ...narrative import Narrative
from ...pack_text import (
    ACTIVITY_LIMIT,
    COMMENTARY_LIMIT,
    COVER_TEXT_LIMIT,
    MESSAGE_LIMIT,
    NAME_LIMIT,
    VALUE_LIMIT,
    CoverDetails,
    change_words,
    due,
    full_appendix_table,
    group_title,
    held_since,
    partner_key,
    short_names,
    status_move,
)
from ...paper import Places
from ...summary_model import ActivityRow, Summary
from ..flowables import Heading, MeasuredParagraph, para, status_chip
from ..markup import clip, esc
from ..styles import FRAME_HEIGHT, Styles

__all__ = [
    "ACTIVITY_LIMIT",
    "COMMENTARY_LIMIT",
    "COVER_TEXT_LIMIT",
    "MESSAGE_LIMIT",
    "NAME_LIMIT",
    "VALUE_LIMIT",
    "CoverDetails",
    "PackParts",
    "PlacedChart",
    "charts_in",
    "clip",
    "due_markup",
    "group_title",
    "h1",
    "h2",
    "h3",
    "held_since",
    "partner_key",
    "section_start",
    "status_cell",
    "status_markup",
]

# A section starts on a new page only when less than this much of the page is left,
# so that no page before it is left mostly empty.
SECTION_ROOM = FRAME_HEIGHT * 0.3


@dataclass(frozen=True)
class PlacedChart:
    chart: Chart
    flowable: Flowable  # a ChartFlowable (vector), or an Image when the chart's PDF could not be read


@dataclass(frozen=True)
class PackParts:
    """Everything the sections read."""

    summary: Summary
    config: Config
    styles: Styles
    narrative: Narrative
    cover: CoverDetails
    places: Places
    charts: Mapping[str, tuple[PlacedChart, ...]]  # by section
    sources: tuple[SourceFile, ...]
    notes: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # files in the inputs folder that were not read

    @cached_property  # read once per table row: worked out once (a frozen dataclass allows this)
    def shorts(self) -> dict[str, str]:
        return short_names(self.config)

    @property
    def full_appendix_table(self) -> bool:
        """Whether the appendix lists every activity, or only totals per partner."""
        return full_appendix_table(self.summary, self.config)


# --------------------------------------------------------------------------- headings


def h1(text: str, key: str, s: Styles, *, toc: bool = True) -> Heading:
    return Heading(text, s.h1, key=key, outline_level=0, toc_level=0 if toc else None)


def h2(text: str, key: str, s: Styles) -> Heading:
    return Heading(text, s.h2, key=key, outline_level=1, toc_level=1)


def h3(text: str, s: Styles) -> Paragraph:
    return para(text, s.h3)


def section_start(heading: Heading, *following: Flowable) -> list[Flowable]:
    """A top-level section: on the same page when there is room, kept with what follows it."""
    return [CondPageBreak(SECTION_ROOM), KeepTogether([heading, *following])]


# --------------------------------------------------------------------------- small pieces


def status_markup(row: ActivityRow, s: Styles, *, size: float = 7.4) -> str:
    """Previous -> current status as labelled chips (never colour alone)."""
    move = status_move(row)
    current = status_chip(move.current, s, font_size=size)
    if move.previous is None:
        return current
    return f"{status_chip(move.previous, s, font_size=size)} → {current}"


def status_cell(row: ActivityRow, s: Styles, *, words: bool = True) -> Paragraph:
    """The status chips, and the change in words underneath."""
    text = status_markup(row, s)
    if words:
        text += f'<br/><font size="7.2" color="{s.palette.muted}">{esc(change_words(row))}</font>'
    return MeasuredParagraph(text, s.cell)


def due_markup(row: ActivityRow, s: Styles) -> str:
    """The due date, the revised one when given, and days overdue, as table markup."""
    when = due(row)
    text = esc(when.date)
    if when.was:
        text += f'<br/><font size="7.2" color="{s.palette.muted}">{esc(when.was)}</font>'
    if when.late:
        text += f'<br/><font name="{s.fonts.bold}" color="{s.palette.accent}">{esc(when.late)}</font>'
    return text


def charts_in(parts: PackParts, section: str) -> list[Flowable]:
    """The section's charts, each with its caption."""
    return [placed.flowable for placed in parts.charts.get(section, ())]


# --------------------------------------------------------------------------- history


def history_sentences(parts: PackParts, periods=None) -> list[str]:
    """Plain sentences saying which rows came from the history and from which run (all periods, or these).

    One sentence per run: "Rows of 2025-26 Q1 and 2025-26 Q2 for ESU and CSA come
    from the history: run 1 recorded them (the run as at 2025-26 Q4, written to
    2026-08-01), and the spreadsheets no longer hold them."
    """
    from ...formats import join_and

    by_run: dict[int, list] = {}
    for used in parts.summary.from_history:
        if periods is None or used.period in periods:
            by_run.setdefault(used.run, []).append(used)
    every = {p.name for p in parts.summary.partners}
    sentences = []
    for run, entries in sorted(by_run.items()):
        labels = join_and(dict.fromkeys(e.period.label for e in entries))
        partners = list(dict.fromkeys(name for e in entries for name in (*e.partners, *e.metric_partners)))
        who = (
            "every partner"
            if set(partners) >= every
            else join_and(parts.shorts.get(n, n) for n in partners)
            if len(partners) <= 6
            else f"{len(partners)} partners"
        )
        first = entries[0]
        sentences.append(
            f"Rows of {labels} for {who} come from the history: run {run} recorded them (the run as "
            f"at {first.run_as_at.label}, written to {clip(first.run_folder, 60)}), and the "
            "spreadsheets no longer hold them."
        )
    return sentences
