"""Warnings for the cells of a table that are not read: columns under no known heading, and totals rows."""

from __future__ import annotations

import difflib

import pandas as pd

from ..config import Config
from ..formats import join_and, money_pence, plural
from ..model import Problem, RawTable
from ..schema import FRAME_NAMES, Table, header_lookup
from ..text import header_key
from .values import BadValue, column_parser


def _rows_text(rows: tuple[int, ...]) -> str:
    """ "row 4", "rows 2-9", "rows 2-5, 8 and 10": Excel rows, runs joined."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    if len(parts) > 6:
        parts = parts[:5] + [f"{len(parts) - 5} more"]
    return ("row " if len(rows) == 1 else "rows ") + join_and(parts)


def _closest_column(heading: str, spec: Table, config: Config, taken: set[str]) -> str | None:
    """The contract column ``heading`` seems to mean, if that column is not already read.

    First a spelling whose words all appear in the heading ("Progress to date"
    holds "progress"), the longest such; then one that is close letter by letter
    (a typo: "Commentry").
    """
    lookup = header_lookup(spec, config.header_aliases)
    keys = [key for key, column in lookup.items() if column not in taken]
    key = header_key(heading)
    words = key.split()
    held = [k for k in keys if k and any(words[i : i + len(k.split())] == k.split() for i in range(len(words)))]
    if held:
        return lookup[max(held, key=len)].capitalize()
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.75)
    return lookup[close[0]].capitalize() if close else None


def unread_warnings(table: RawTable, spec: Table, config: Config) -> list[Problem]:
    """A warning for each column whose values are not read, naming the rows that hold them."""
    problems = []
    for unread in table.unread:
        count = plural(len(unread.rows), "value")
        where = _rows_text(unread.rows)
        are = "is" if len(unread.rows) == 1 else "are"
        if unread.same_as is not None:
            first = f'column {table.letters[unread.same_as]}, "{table.headers[unread.same_as]}"'
            message = (
                f"is not read: {first} is already the {unread.same_as} column, so {count} below this "
                f"heading ({where}) {are} left out; keep one of the two columns, or rename this one"
            )
        elif not unread.heading:
            message = (
                f"has {count} ({where}) but no heading, so {'it is' if are == 'is' else 'they are'} not "
                "read; give the column a heading from docs/inputs.md, or move the values out of the table"
            )
        else:
            guess = _closest_column(unread.heading, spec, config, set(table.headers))
            message = (
                f"is not read: the heading matches no column, so {count} below it ({where}) {are} left "
                "out; "
                + (f'did you mean "{guess}"? ' if guess else "")
                + "rename the heading to one listed in docs/inputs.md, or add it under [header_aliases] "
                "in the template"
            )
        problems.append(
            Problem(
                table.file,
                table.sheet,
                table.header_row,
                unread.heading or None,
                None,
                message,
                "warning",
                letter=unread.letter,
            )
        )
    return problems


def _figure(value: float, kind: str) -> str:
    return money_pence(value) if kind == "money" else f"{round(value, 9):,g}"


def totals_warnings(table: RawTable, spec: Table, result: pd.DataFrame, config: Config) -> list[Problem]:
    """One warning per totals row; where its figures are not the sums of the rows read above it, it says so.

    A figure is checked against the rows read since the previous totals row (a
    sub-total) and against all rows read above it (a grand total); it is
    reported when it matches neither.
    """
    problems = []
    previous = 0
    for total in table.totals:
        above = result[result["row"] < total.row]
        block = above[above["row"] > previous]
        previous = total.row
        differences = []
        for name, raw in total.values.items():
            column = spec.column(name)
            if column.kind not in ("money", "number"):
                continue
            try:
                figure = column_parser(column, config)(raw)
            except BadValue:
                continue
            frame_name = FRAME_NAMES.get(name, name)
            sums = [float(rows[frame_name].sum()) for rows in (block, above)]
            if figure is not None and all(abs(figure - s) > 0.005 for s in sums):
                differences.append(
                    f"its {table.headers[name]} ({_figure(figure, column.kind)}) is not the sum of "
                    f"the {plural(len(block), 'row')} read above it ({_figure(sums[0], column.kind)})"
                )
        message = "looks like a totals row; boardpack adds up for you, so the row is not read"
        if differences:
            message += "; " + "; ".join(differences)
        if total.unseen:
            message += "; its formulas have no saved value, so its figures could not be checked"
        problems.append(
            Problem(
                table.file,
                table.sheet,
                total.row,
                total.heading or None,
                total.label,
                message,
                "warning",
                letter=total.letter,
            )
        )
    return problems
