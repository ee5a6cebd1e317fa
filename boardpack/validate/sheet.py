"""One raw table checked cell by cell: its clean frame, every problem in it, and notes on how it was read."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..config import Config
from ..formats import strip_controls
from ..model import Period, Problem, RawTable
from ..schema import ACTIVITIES, ACTIVITY_FRAME_COLUMNS, FRAME_NAMES, METRIC_FRAME_COLUMNS, METRICS
from ..text import match_key
from .unread import totals_warnings, unread_warnings
from .values import BadValue, as_shown, column_parser, is_blank, to_number

ACTIVITY_COLUMNS = list(ACTIVITY_FRAME_COLUMNS)
METRIC_COLUMNS = list(METRIC_FRAME_COLUMNS)


def check_table(table: RawTable, config: Config) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """One raw table: its clean frame, every problem in it and the notes about how it was read."""
    spec = ACTIVITIES if table.table == "activities" else METRICS
    problems: list[Problem] = []
    for name in table.missing:
        column = spec.column(name)
        expected = ", ".join(f'"{a}"' for a in (name.capitalize(), *column.aliases[:3]))
        problems.append(
            Problem(
                table.file,
                table.sheet,
                table.header_row,
                name,
                None,
                f"the header row has no {name} column; add one headed {expected}",
            )
        )
    if table.missing:
        problems.extend(unread_warnings(table, spec, config))
        return pd.DataFrame(columns=ACTIVITY_COLUMNS if spec is ACTIVITIES else METRIC_COLUMNS), problems, []

    frame = table.frame
    rows = frame["_row"].tolist()
    clean: dict[str, list] = {}
    bad_rows: set[int] = set()
    notes_out: list[str] = []
    # Rows whose only content is an error value or uncalculated formula: report
    # those cells, not every other blank cell of the row.
    flagged_only = _flagged_only_rows(table)
    for column in spec.columns:
        if column.name not in frame.columns:
            clean[column.name] = [None] * len(rows)
            continue
        parse = column_parser(column, config)
        heading, letter = table.headers[column.name], table.letters.get(column.name)
        # Each distinct value is cleaned and parsed once: (value, error, as the cell shows it).
        cache: dict[tuple[type, Any], tuple[Any, str | None, str]] = {}
        notes = {row: note for (row, name), note in table.cell_notes.items() if name == column.name}
        values: list[Any] = []
        plain: list[tuple[int, Any]] = []  # (index, raw) of plain numbers read in a percent column
        for row, raw in zip(rows, frame[column.name].tolist(), strict=True):
            note = notes.get(row) if notes else None
            if note is not None and note.unseen:
                message = (
                    f"is the Excel error {note.detail}; fix the formula or type the value"
                    if note.kind == "error"
                    else "is a formula with no saved value (the file was written by a program); "
                    "open it in Excel, let it calculate and save it"
                )
                shown = strip_controls(note.detail) or "(formula)"
                problems.append(Problem(table.file, table.sheet, row, heading, shown, message, letter=letter))
                bad_rows.add(row)
                values.append(None)
                continue
            percent_cell = (
                note is not None
                and note.kind == "percent"
                and isinstance(raw, (int, float))
                and not isinstance(raw, bool)
            )
            if percent_cell:
                # An Excel percentage cell stores 45% as 0.45; rounding drops float noise (0.07 * 100).
                raw = round(raw * 100, 9)
            key = (type(raw), raw)
            found = cache.get(key)
            if found is None:
                text = strip_controls(raw) if isinstance(raw, str) and not raw.isprintable() else raw
                try:
                    found = (parse(text), None, "")
                except BadValue as exc:
                    found = (None, str(exc), as_shown(text))
                cache[key] = found
            value, error, shown = found
            if error is not None and row in flagged_only and is_blank(raw):
                error = None
            if error is not None:
                problems.append(
                    Problem(
                        table.file,
                        table.sheet,
                        row,
                        heading,
                        shown + "%" if percent_cell else shown,
                        error,  # as the cell shows it
                        letter=letter,
                    )
                )
                bad_rows.add(row)
            elif column.kind == "percent" and value is not None and not percent_cell and _plain_number(raw):
                plain.append((len(values), raw))
            values.append(value)
        if plain:
            read, column_problems = _percent_scale(table, heading, letter, rows, values, plain)
            problems.extend(column_problems)
            notes_out.extend(read)
        clean[column.name] = values

    result = pd.DataFrame(clean)
    result["file"] = table.file
    result["sheet"] = table.sheet
    result["row"] = rows
    if spec is ACTIVITIES:
        problems.extend(_missing_commentary(table, result))
        result = result.rename(columns=FRAME_NAMES)
        # Once per distinct text: an activity repeats in every period.
        keys = {a: match_key(a) for a in set(result["activity"]) if isinstance(a, str)}
        result["activity_key"] = result["activity"].map(keys)
        for text in ("lead", "commentary", "decision"):
            result[text] = result[text].map(lambda v: v if isinstance(v, str) else "")
        for number in ("progress", "budget", "spend"):
            result[number] = pd.to_numeric(result[number], errors="coerce").astype(float)
        columns = ACTIVITY_COLUMNS
    else:
        result["area"] = result["area"].map(lambda v: v if isinstance(v, str) else "")
        result = result.rename(columns=FRAME_NAMES)
        result["unit"] = result["unit"].map(lambda v: v if isinstance(v, str) else "number")
        result["better_when"] = result["better_when"].map(lambda v: v if isinstance(v, str) else "higher")
        for number in ("target", "actual"):
            result[number] = pd.to_numeric(result[number], errors="coerce").astype(float)
        columns = METRIC_COLUMNS
    # Each problem about a row carries the row's period, so that warnings about
    # long-past periods can be counted rather than listed.
    row_periods = {
        row: period.label for row, period in zip(rows, clean["period"], strict=True) if isinstance(period, Period)
    }
    problems = [dataclasses.replace(p, period=row_periods[p.row]) if p.row in row_periods else p for p in problems]
    result = result[~result["row"].isin(bad_rows)]
    problems.extend(unread_warnings(table, spec, config))
    problems.extend(totals_warnings(table, spec, result, config))
    return result[columns].reset_index(drop=True), problems, notes_out


def _plain_number(raw: Any) -> bool:
    """A number typed without a % sign: a number cell, or text such as "0.45" (a CSV holds only text)."""
    if isinstance(raw, str):
        text = raw.strip()
        return not text.endswith("%") and to_number(text) is not None
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def _percent_text(value: float) -> str:
    return f"{round(value, 9):g}"


def _percent_scale(
    table: RawTable, heading: str, letter: str | None, rows: list[int], values: list, plain: list[tuple[int, Any]]
) -> tuple[list[str], list[Problem]]:
    """Plain numbers in a progress column: fractions (0.45 = 45%) when every one is between 0 and 1,
    otherwise percentages, with a warning at each low value that may be a fraction.

    Changes ``values`` in place when the numbers are fractions; returns the note
    saying so, or the warnings.
    """
    numbers = [values[i] for i, _ in plain]
    place = f'column {letter}, "{heading}"' if letter else f'"{heading}"'
    if all(0 <= v <= 1 for v in numbers) and any(0 < v < 1 for v in numbers):
        for i, _ in plain:
            values[i] = round(values[i] * 100, 9)
        example = next(v for v in numbers if 0 < v < 1)
        return [
            f"{table.file} › {table.sheet} › {place}: every number is between 0 and 1, so each is read "
            f"as a fraction ({_percent_text(example)} as {_percent_text(example * 100)}%)"
        ], []
    problems = []
    others_above = any(v > 1 for v in numbers)
    for i, raw in plain:
        value = values[i]
        if not 0 < value <= 1:
            continue
        if others_above:
            why = "the column's other numbers are percentages"
        else:
            why = "every number in the column is 0 or 1, so it cannot tell fractions from percentages"
        problems.append(
            Problem(
                table.file,
                table.sheet,
                rows[i],
                heading,
                as_shown(raw),
                f"did you mean {_percent_text(value * 100)}%? It is read as {_percent_text(value)}%, because {why}; "
                f"type {_percent_text(value * 100)} for {_percent_text(value * 100)}%, or {_percent_text(value)}% "
                f"if {_percent_text(value)}% is right",
                "warning",
                letter=letter,
            )
        )
    return [], problems


def _flagged_only_rows(table: RawTable) -> set[int]:
    flagged = {row for (row, _), note in table.cell_notes.items() if note.unseen}
    if not flagged:
        return set()
    frame = table.frame[table.frame["_row"].isin(flagged)]
    only = set()
    for _, record in frame.iterrows():
        row = int(record["_row"])
        if all(
            is_blank(value) or (row, column) in table.cell_notes for column, value in record.items() if column != "_row"
        ):
            only.add(row)
    return only


def _missing_commentary(table: RawTable, result: pd.DataFrame) -> list[Problem]:
    """A Red or Amber row with no commentary is a warning: trustees will ask why."""
    column = table.headers.get("commentary", "Commentary")
    letter = table.letters.get("commentary")
    flagged = result[
        result["status"].isin(["Red", "Amber"])
        & result["commentary"].map(lambda c: not (isinstance(c, str) and c.strip()))
    ]
    return [
        Problem(
            table.file,
            table.sheet,
            row,
            column,
            "",
            f"{status} activity has no commentary; add a line saying what is being done about it",
            "warning",
            letter=letter,
        )
        for row, status in zip(flagged["row"], flagged["status"], strict=True)
    ]
