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
    """One thing wrong with one place in the inputs."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
        }

    @classmethod
    def fault(cls, file: str, exc: BaseException, sheet: str | None = None) -> Problem:
        """A fault in boardpack itself while checking ``file``: named, so that the other files are still checked."""
        detail = f"{type(exc).__name__}: {exc}"
        return cls(file, sheet, None, None, None,
                   f"could not be checked because of a fault in boardpack ({detail[:300]}); the other files were "
                   "checked. Please report it, with the file if you can")

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f'"{self.column}"')
        return " › ".join(parts)


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
class RawTable:
    """One sheet recognised as a table, as read: text and numbers, not yet checked.

    ``frame`` holds one column per recognised header, named by the canonical
    column name, plus ``_row`` (the row number Excel shows). ``headers`` maps each
    canonical column to the header as written in the file, for messages.
    ``cell_notes`` marks cells whose value the reader could not see: Excel error
    values, formulas with no saved value, and percentage-formatted numbers.
    """

    file: str
    sheet: str
    table: str
    header_row: int
    headers: dict[str, str]
    frame: pd.DataFrame = field(repr=False)
    missing: tuple[str, ...] = ()  # required columns with no header (an error)
    cell_notes: dict[tuple[int, str], str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class LoadedInputs:
    """Everything read from the inputs folder, before any value is checked."""

    folder: str
    tables: tuple[RawTable, ...]
    sources: tuple[SourceFile, ...]
    skipped: tuple[tuple[str, str], ...]  # (file name, why it was skipped)
    problems: tuple[Problem, ...]  # files that could not be read at all


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

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


@dataclass(frozen=True)
class Chart:
    """One drawn chart, in every format the outputs need, with its words.

    ``name`` is the stable file stem (e.g. ``partner-esu-metrics``); ``section``
    says where the pack places it: "executive" or "areas"; "officer" charts are
    not placed in the pack, only written as files and slides. ``data`` is what
    was plotted, exported as CSV beside the images.
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
