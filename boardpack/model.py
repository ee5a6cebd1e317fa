"""Plain, frozen data passed between the stages of the pipeline.

Nothing here reads or writes files; every stage takes these objects and returns
new ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

Severity = Literal["error", "warning"]

# Canonical status names, in the order reports list them.
STATUSES: tuple[str, ...] = ("Red", "Amber", "Green", "Complete", "Not started")

# Rank used to compare a status with the previous period's: Not started sits
# level with Green, because starting on track is neither better nor worse.
STATUS_RANK: dict[str, int] = {"Red": 0, "Amber": 1, "Green": 2, "Not started": 2, "Complete": 3}

CHANGES: tuple[str, ...] = ("new", "completed", "improved", "worsened", "unchanged")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the inputs.

    ``column`` is the heading as written in the file and ``letter`` its column
    letter as Excel shows it (None when the problem is not about one column);
    ``period`` is the reporting period of the row, when the row has one.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"
    letter: str | None = None
    period: str | None = None

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "column_letter": self.letter,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
            "period": self.period,
        }

    @classmethod
    def fault(cls, file: str, exc: BaseException, sheet: str | None = None) -> Problem:
        """A fault in boardpack itself while checking ``file``: named, so that the other files are still checked."""
        detail = f"{type(exc).__name__}: {exc}"
        return cls(
            file,
            sheet,
            None,
            None,
            None,
            f"could not be checked because of a fault in boardpack ({detail[:300]}); the other files were "
            "checked. Please report it, with the file if you can",
        )

    @property
    def place(self) -> str:
        """The column as staff find it: 'column D, "Due date"', or the heading alone when there is no letter."""
        if self.letter is not None:
            return f'column {self.letter}, "{self.column}"' if self.column else f"column {self.letter}"
        return f'"{self.column}"' if self.column is not None else ""

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.place:
            parts.append(self.place)
        return " › ".join(parts)


def in_other_period(problem: Problem, as_at: Period | None) -> bool:
    """A warning about a row of a period other than the as-at one and the one before it.

    Staff cannot change what was reported long ago, so such warnings are counted
    rather than listed, and --strict does not turn them into errors.
    """
    if problem.severity != "warning" or problem.period is None or as_at is None:
        return False
    return problem.period not in (as_at.label, as_at.previous().label)


@dataclass(frozen=True, order=True)
class Period:
    """A quarter of a strategy year, e.g. 2025-26 Q1 (the year starting in 2025)."""

    start_year: int
    quarter: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d} Q{self.quarter}"

    @property
    def slug(self) -> str:
        """File-name-safe form, e.g. 2025-26-Q4."""
        return self.label.replace(" ", "-")

    def first_month(self, year_start_month: int) -> tuple[int, int]:
        """(year, month) of the quarter's first month."""
        months = year_start_month - 1 + (self.quarter - 1) * 3
        return self.start_year + months // 12, months % 12 + 1

    def first_day(self, year_start_month: int) -> dt.date:
        year, month = self.first_month(year_start_month)
        return dt.date(year, month, 1)

    def last_day(self, year_start_month: int) -> dt.date:
        year, month = self.first_month(year_start_month)
        months = month - 1 + 2
        year, month = year + months // 12, months % 12 + 1
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    def previous(self) -> Period:
        if self.quarter == 1:
            return Period(self.start_year - 1, 4)
        return Period(self.start_year, self.quarter - 1)

    @classmethod
    def of_date(cls, day: dt.date, year_start_month: int) -> Period:
        offset = (day.month - year_start_month) % 12
        start_year = day.year if day.month >= year_start_month else day.year - 1
        return cls(start_year, offset // 3 + 1)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class SheetReport:
    """What happened to one sheet of one file: used as a table, or skipped and why."""

    name: str
    table: str | None  # "activities", "metrics" or None when skipped
    rows: int = 0
    header_row: int | None = None
    note: str = ""


@dataclass(frozen=True)
class SourceFile:
    """One input file that was read, with what it held."""

    name: str
    sha256: str
    size: int
    sheets: tuple[SheetReport, ...] = ()

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sheets if s.table)


@dataclass(frozen=True)
class UnreadColumn:
    """A column of a recognised table holding values that are not read.

    Its heading matches no column of the contract (or is blank), or names a
    column already read from further left (``same_as``, the canonical name).
    ``rows`` are the Excel rows below the heading with a value.
    """

    letter: str
    heading: str  # as written; "" when the column has no heading
    rows: tuple[int, ...]
    same_as: str | None = None


@dataclass(frozen=True)
class TotalsRow:
    """A row whose only text is "Total" (or a spelling of it) beside numbers: not read as an activity.

    ``values`` holds the raw values of its cells in recognised columns, by
    canonical column; ``unseen`` counts its formulas with no saved value and
    Excel errors, whose figures could not be seen.
    """

    row: int
    label: str  # as written
    letter: str  # where the label is
    heading: str  # the heading above the label ("" when none)
    values: dict[str, object] = field(default_factory=dict)
    unseen: int = 0


@dataclass(frozen=True)
class CellNote:
    """What the reader knows of a cell beyond the value it handed over.

    ``error``: an Excel error value, ``detail`` as the cell shows it ("#DIV/0!");
    ``formula``: a formula with no saved value, ``detail`` the formula ("=SUM(B2:B9)",
    or "" when the file holds none); ``percent``: a number in a percentage format.
    """

    kind: Literal["error", "formula", "percent"]
    detail: str = ""

    @property
    def unseen(self) -> bool:
        """Whether the reader could not see the cell's value (an error, or a formula never calculated)."""
        return self.kind != "percent"


@dataclass(frozen=True)
class RawTable:
    """One sheet recognised as a table, as read: text and numbers, not yet checked.

    ``frame`` holds one column per recognised header, named by the canonical
    column name, plus ``_row`` (the row number Excel shows). ``headers`` maps each
    canonical column to the header as written in the file, for messages, and
    ``letters`` to its column letter. ``header_row`` is the last row of the
    heading (a group heading merged over sub-headings makes two rows).
    ``cell_notes`` marks cells whose value the reader could not see: Excel error
    values, formulas with no saved value, and percentage-formatted numbers.
    ``unread`` and ``totals`` are the cells of the table that were not read,
    so that each is named in a message.
    """

    file: str
    sheet: str
    table: str
    header_row: int
    headers: dict[str, str]
    frame: pd.DataFrame = field(repr=False)
    missing: tuple[str, ...] = ()  # required columns with no header (an error)
    cell_notes: dict[tuple[int, str], CellNote] = field(default_factory=dict, repr=False)
    letters: dict[str, str] = field(default_factory=dict)
    unread: tuple[UnreadColumn, ...] = ()
    totals: tuple[TotalsRow, ...] = ()


@dataclass(frozen=True)
class LoadedInputs:
    """Everything read from the inputs folder, before any value is checked."""

    folder: str
    tables: tuple[RawTable, ...]
    sources: tuple[SourceFile, ...]
    skipped: tuple[tuple[str, str], ...]  # (file name, why it was skipped)
    problems: tuple[Problem, ...]  # files that could not be read at all


@dataclass(frozen=True)
class HistoryPeriod:
    """Rows of one period that came from the history, not the spreadsheets, and which run recorded them.

    The spreadsheets no longer held these partners' rows for ``period``, so the
    rows ``run`` recorded (the run as at ``run_as_at``, written to the run
    folder ``run_folder``) were used instead: the activity rows of ``partners``
    (``activities`` rows) and the metric rows of ``metric_partners``
    (``metrics`` rows), partners in the template's order.
    """

    period: Period
    run: int
    run_as_at: Period
    run_folder: str
    partners: tuple[str, ...]
    activities: int
    metric_partners: tuple[str, ...] = ()
    metrics: int = 0

    def as_dict(self) -> dict:
        return {
            "period": self.period.label,
            "run": self.run,
            "run_as_at": self.run_as_at.label,
            "run_folder": self.run_folder,
            "partners": list(self.partners),
            "activities": self.activities,
            "metric_partners": list(self.metric_partners),
            "metrics": self.metrics,
        }


@dataclass(frozen=True)
class ValidatedInputs:
    """Clean tables ready to summarise, plus every problem found on the way.

    ``activities`` columns: partner, area, activity, activity_key, period
    (Period), status, progress (float, NaN when blank), due_date (date or None),
    lead, commentary, budget, spend (float, NaN when blank), file, sheet, row.
    ``metrics`` columns: partner, area, metric, period, target, actual, unit,
    file, sheet, row. Rows are only those at or before ``as_at``.
    """

    activities: pd.DataFrame = field(repr=False)
    metrics: pd.DataFrame = field(repr=False)
    as_at: Period | None
    periods: tuple[Period, ...]
    problems: tuple[Problem, ...]
    sources: tuple[SourceFile, ...]
    skipped: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()  # things staff should know that are not problems
    # Partners' periods the spreadsheets lacked, taken from the history (period, then run order).
    from_history: tuple[HistoryPeriod, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def other_period_warnings(self) -> tuple[Problem, ...]:
        """Warnings about rows of periods other than the as-at one and the one before it."""
        return tuple(p for p in self.problems if in_other_period(p, self.as_at))

    @property
    def listed_problems(self) -> tuple[Problem, ...]:
        """The problems worth listing to staff: all but the warnings about other periods."""
        return tuple(p for p in self.problems if not in_other_period(p, self.as_at))


@dataclass(frozen=True)
class NativeSeries:
    """One series of a native (editable) slide chart.

    ``colour`` is "#rrggbb"; ``pattern`` names a hatch drawn in
    ``pattern_colour`` over that colour ("" for a solid fill): "cross", "up",
    "down" or "dash". ``label_colour`` writes values on the fill. ``point_colours`` (same length as the values, or empty) colour
    single bars. ``line_width`` (points) and ``dash`` ("solid" or "dash") are
    for line charts; ``labels`` writes each value on the chart.
    """

    name: str
    values: tuple[float | None, ...]
    colour: str
    pattern: str = ""
    pattern_colour: str = ""
    label_colour: str = "#000000"
    point_colours: tuple[str, ...] = ()
    line_width: float = 1.5
    dash: str = "solid"
    labels: bool = False


@dataclass(frozen=True)
class NativeChart:
    """A chart as PowerPoint draws it itself, with its data inside, so officers can restyle it.

    ``kind``: "bar-stacked" and "bar-clustered" (horizontal bars, first
    category on top) or "line". ``number_format`` is the Excel format of the
    values and the value axis (``label_format`` of the values written on the
    chart, when it differs); ``value_max`` fixes the axis top.
    """

    kind: str
    categories: tuple[str, ...]
    series: tuple[NativeSeries, ...]
    number_format: str = "#,##0"
    value_title: str = ""
    value_max: float | None = None
    legend: bool = True
    label_format: str = ""  # the values written on the chart, when not ``number_format``


@dataclass(frozen=True)
class Chart:
    """One drawn chart, in every format the outputs need, with its words.

    ``name`` is the stable file stem (e.g. ``partner-esu-metrics``); ``section``
    says where the pack places it: "executive" or "areas"; "officer" charts are
    not placed in the pack, only written as files and slides. ``title`` names
    what it shows in full, ``subtitle`` when ("2025-26 Q4, compared with Q3")
    and ``source`` where the figures come from; ``caption`` explains how to
    read it. ``data`` is what was plotted, exported as CSV beside the images.
    ``native`` is the same chart as an editable PowerPoint chart, None where
    PowerPoint has no such chart (small multiples, heat map).

    ``png`` and ``svg`` carry the title, subtitle and source line (unless drawn
    bare); ``pdf`` and ``slide_png`` are the chart alone, for the pack and the
    slides, which say the title themselves.
    """

    name: str
    section: str
    title: str
    caption: str
    alt_text: str
    data: pd.DataFrame = field(repr=False)
    png: bytes = field(repr=False)  # 300 dpi
    svg: bytes = field(repr=False)  # text kept as text
    pdf: bytes = field(default=b"", repr=False)  # one page, placed in the pack; b"": the pack uses the PNG
    width_in: float = 8.0
    height_in: float = 4.5
    subtitle: str = ""
    source: str = ""
    native: NativeChart | None = None
    slide_png: bytes = field(default=b"", repr=False)  # for a slide under its own title; b"": the PNG
    slide_width_in: float = 0.0
    slide_height_in: float = 0.0
    wide_png: bytes = field(default=b"", repr=False)  # the PNG centred on a 16:9 canvas, for a full slide
    transparent_png: bytes = field(default=b"", repr=False)  # the PNG on a transparent background

    def slide_picture(self) -> tuple[bytes, float, float]:
        """(PNG, width, height in inches) of the picture a slide shows under the slide's own title."""
        if self.slide_png:
            return self.slide_png, self.slide_width_in, self.slide_height_in
        return self.png, self.width_in, self.height_in


@dataclass(frozen=True)
class CoverOptions:
    """What the command line may override on the cover; None means "use the default".

    The default meeting date is the day after the as-at period ends.
    """

    meeting_date: dt.date | None = None
    title: str | None = None
    paper_ref: str | None = None
    presented_by: str | None = None
    purpose: str | None = None  # information, discussion or decision
    classification: str | None = None
