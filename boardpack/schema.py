"""The input contract, stated once.

Loaders, validation, the blank input workbook and the staff docs all read the
tables, columns, aliases and accepted values from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .text import header_key, match_key

Kind = Literal["partner", "area", "text", "period", "status", "percent", "date", "money", "number", "unit", "direction"]


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    name: str  # canonical name, also the heading of the blank workbook
    required: bool
    kind: Kind
    aliases: tuple[str, ...] = ()
    help: str = ""  # what staff should type, used in messages and docs


@dataclass(frozen=True)
class Table:
    """One kind of input table, recognised by its headers."""

    name: str  # "activities" or "metrics"
    title: str  # sheet name in the blank workbook
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# Every status spelling staff may type, by the canonical status it means, in the
# order reports list the statuses; compared with match_key. Messages, the staff
# docs (checked by a test) and the blank workbook all take them from here.
STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Red": ("R", "Off track", "Behind"),
    "Amber": ("A", "At risk"),
    "Green": ("G", "On track"),
    "Complete": ("C", "Completed", "Done", "B", "Blue"),
    "Not started": ("Grey", "Gray"),
}
STATUS_SYNONYMS: dict[str, str] = {
    match_key(spelling): status for status, spellings in STATUS_SPELLINGS.items() for spelling in (status, *spellings)
}


def _either(words: list[str] | tuple[str, ...]) -> str:
    """ "a, b or c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


STATUS_HELP = _either(tuple(STATUS_SPELLINGS))


def status_choices() -> str:
    """Every accepted status spelling, for the message about a status that is not one."""
    return _either([f"{status} (or {', '.join(spellings)})" for status, spellings in STATUS_SPELLINGS.items()])


# A row whose only text is one of these (compared as headings are: any case,
# punctuation ignored), beside numbers, is a totals row: skipped with a warning,
# since the pack adds up for itself.
TOTAL_LABELS: tuple[str, ...] = ("Total", "Totals", "Grand total", "Sum", "Subtotal", "Sub-total")
TOTAL_KEYS = frozenset(header_key(label) for label in TOTAL_LABELS)

PERIOD_HELP = "a quarter such as 2025-26 Q1, 2025/26 Q1, Q1 2025-26 or Q1 25/26, or a date"
DATE_HELP = "a date such as 31/03/2026 (day first), 31 Mar 2026 or 2026-03-31"
MONEY_HELP = "an amount in pounds such as 1200, £1,200 or 1200.50"

ACTIVITIES = Table(
    name="activities",
    title="Activities",
    columns=(
        Column(
            "partner",
            True,
            "partner",
            ("partner organisation", "organisation", "partner name"),
            "a partner named in the template",
        ),
        Column(
            "area",
            True,
            "area",
            ("strategic area", "strategic priority", "theme", "workstream"),
            "a strategic area named in the template",
        ),
        Column(
            "activity",
            True,
            "text",
            ("objective", "action", "milestone", "initiative", "activity name"),
            "a short description of the activity",
        ),
        Column("period", True, "period", ("reporting period", "quarter"), PERIOD_HELP),
        Column("status", True, "status", ("rag", "rag status", "rag rating"), STATUS_HELP),
        Column(
            "progress",
            False,
            "percent",
            ("progress %", "% complete", "percent complete", "% done", "percent done"),
            "a number from 0 to 100, or a percentage such as 45%",
        ),
        Column("due date", False, "date", ("due", "deadline", "target date", "due by", "date due"), DATE_HELP),
        Column(
            "lead",
            False,
            "text",
            ("owner", "responsible", "lead officer", "lead person", "responsible officer"),
            "a name or role",
        ),
        Column(
            "commentary",
            False,
            "text",
            ("comments", "notes", "update", "progress update", "comment", "latest update", "progress notes"),
            "a short progress update",
        ),
        Column(
            "budget", False, "money", ("budget £", "budget gbp", "allocated budget", "budget allocated"), MONEY_HELP
        ),
        Column(
            "spend", False, "money", ("actual spend", "spend to date", "spend £", "spent", "expenditure"), MONEY_HELP
        ),
        Column(
            "decision needed",
            False,
            "text",
            ("board decision", "ask of the board", "decision"),
            "what the board is asked to decide, in a sentence",
        ),
        Column("revised due date", False, "date", ("revised due", "new due date", "revised deadline"), DATE_HELP),
    ),
)

METRICS = Table(
    name="metrics",
    title="Metrics",
    columns=(
        Column("partner", True, "partner", ACTIVITIES.column("partner").aliases, "a partner named in the template"),
        Column("area", False, "area", ACTIVITIES.column("area").aliases, "a strategic area named in the template"),
        Column("metric", True, "text", ("kpi", "indicator", "measure"), "the name of the measure"),
        Column("period", True, "period", ACTIVITIES.column("period").aliases, PERIOD_HELP),
        Column("target", False, "number", (), "a number"),
        Column("actual", True, "number", ("value",), "a number"),
        Column("unit", False, "unit", (), "number, % or £"),
        Column("better when", False, "direction", ("direction",), "higher or lower"),
    ),
)

TABLES: tuple[Table, ...] = (ACTIVITIES, METRICS)

# The columns of the validated frames that every later stage reads, in order.
# Blank text is "", blank numbers NaN, blank dates None; file, sheet and row say
# where the row was read.
ACTIVITY_FRAME_COLUMNS: tuple[str, ...] = (
    "partner",
    "area",
    "activity",
    "activity_key",
    "period",
    "status",
    "progress",
    "due_date",
    "lead",
    "commentary",
    "budget",
    "spend",
    "decision",
    "revised_due_date",
    "file",
    "sheet",
    "row",
)
METRIC_FRAME_COLUMNS: tuple[str, ...] = (
    "partner",
    "area",
    "metric",
    "period",
    "target",
    "actual",
    "unit",
    "better_when",
    "file",
    "sheet",
    "row",
)

# Contract column name -> frame column name, where they differ.
FRAME_NAMES: dict[str, str] = {
    "due date": "due_date",
    "decision needed": "decision",
    "revised due date": "revised_due_date",
    "better when": "better_when",
}

# "Better when" spellings, compared with match_key.
DIRECTIONS: dict[str, str] = {
    "higher": "higher",
    "high": "higher",
    "up": "higher",
    "more": "higher",
    "higher is better": "higher",
    "lower": "lower",
    "low": "lower",
    "down": "lower",
    "less": "lower",
    "lower is better": "lower",
}

# Bounds on values, checked where each value is parsed, so that every later stage
# can count, chart, print and write whatever validation accepts. The largest
# budget or spend is the template's [limits] max_money.
YEARS = (2000, 2100)  # dates, and the first calendar year of a strategy year, fall in these years
NUMBER_LIMIT = 1_000_000_000_000  # a metric's target and actual lie within plus or minus this
# A metric's number, unless 0, is at least this in size, and a budget or spend, unless £0, at
# least a penny: so an actual as a share of its target, or a spend of its budget, is a finite
# number (at most 10^20 % and 10^13 %), never the infinity that 1 / 5e-324 is.
NUMBER_SMALLEST = 0.000_001
MONEY_SMALLEST = 0.01

# How many rows from the top of a sheet are searched for the header row.
HEADER_SEARCH_ROWS = 15

# A sheet with at least this many of the activities' required headers is an
# activities sheet with a missing column, never skipped quietly.
ACTIVITIES_NEAR_MISS = 3

UNITS: dict[str, str] = {"": "number", "number": "number", "%": "%", "percent": "%", "£": "£", "gbp": "£"}

# Excel's error values, as they appear when a formula fails.
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
    }
)


def header_lookup(table: Table, extra_aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Map every accepted heading (as header_key) of ``table`` to its canonical column."""
    lookup: dict[str, str] = {}
    for column in table.columns:
        for heading in (column.name, *column.aliases, *extra_aliases.get(column.name, ())):
            lookup.setdefault(header_key(heading), column.name)
    return lookup
