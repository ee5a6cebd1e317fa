"""Check every cell of the raw tables against the contract in schema.py.

Validation never stops at the first mistake: it turns raw tables into clean
frames and collects a Problem for every bad cell, so staff can fix them all in
one go. Values are parsed once per distinct spelling, which keeps large sheets
fast (a column of 100,000 rows holds only a few distinct periods or statuses).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .config import Config, Registry
from .errors import PeriodError
from .formats import join_and, money_pence, plural
from .model import LoadedInputs, Period, Problem, RawTable, ValidatedInputs, in_other_period
from .schema import (
    ACTIVITIES,
    ACTIVITY_FRAME_COLUMNS,
    DATE_HELP,
    DIRECTIONS,
    EXCEL_ERRORS,
    FRAME_NAMES,
    METRIC_FRAME_COLUMNS,
    METRICS,
    NUMBER_LIMIT,
    STATUS_SYNONYMS,
    UNITS,
    YEARS,
    Column,
    Table,
    header_lookup,
    status_choices,
)
from .text import clean_text, header_key, match_key

# A parser returns the clean value, or raises _Bad with what was expected.
Parser = Callable[[Any], Any]


class _Bad(Exception):
    """A value that breaks the contract; the message says what was expected."""


# Control characters (C0 and C1, but not tab and line breaks), lone surrogates and
# the two non-characters: invisible at best, and refused by the XML inside .xlsx
# and .pptx files at worst. Vertical tab, form feed and NEL are line breaks
# (PowerPoint and Word paste a line break as a vertical tab).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85]")


def strip_controls(text: str) -> str:
    """``text`` without control characters; every kind of line break becomes "\\n"."""
    if text.isprintable():
        return text  # the usual case, checked in C
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


ACTIVITY_COLUMNS = list(ACTIVITY_FRAME_COLUMNS)
METRIC_COLUMNS = list(METRIC_FRAME_COLUMNS)


def validate_tables(
    loaded: LoadedInputs, config: Config, period: Period | str | None = None, strict: bool = False
) -> ValidatedInputs:
    """Check the raw tables; return clean frames and every problem found.

    ``period`` picks the as-at period (default: the latest in the data); rows
    after it are left out with a note. ``strict`` turns warnings into errors.
    """
    problems: list[Problem] = list(loaded.problems)
    frames: dict[str, list[pd.DataFrame]] = {"activities": [], "metrics": []}
    notes: list[str] = []
    for table in loaded.tables:
        try:
            frame, table_problems, table_notes = _check_table(table, config)
        except Exception as exc:  # a fault of ours: name the sheet, and go on to check the others
            problems.append(Problem.fault(table.file, exc, table.sheet))
            continue
        problems.extend(table_problems)
        notes.extend(table_notes)
        frames[table.table].append(frame)

    activities = _concat(frames["activities"], ACTIVITY_COLUMNS)
    metrics = _concat(frames["metrics"], METRIC_COLUMNS)
    if activities.empty and not any(p.severity == "error" for p in problems):
        why = (
            "the activities sheets have no rows"
            if frames["activities"]
            else "no sheet in any file has a header row with Partner, Area, Activity, Period and Status"
        )
        problems.append(
            Problem(loaded.folder, None, None, None, None, f"no activities found: {why} (see docs/inputs.md)")
        )

    activities, dup_problems = _merge_duplicates(activities, ["partner", "activity_key", "period"], "activity")
    problems.extend(dup_problems)
    metrics["metric_key"] = metrics["metric"].map(match_key)
    metrics, dup_problems = _merge_duplicates(metrics, ["partner", "metric_key", "period"], "metric")
    problems.extend(dup_problems)
    metrics = metrics.drop(columns="metric_key")

    periods = sorted(set(activities["period"]))
    as_at = periods[-1] if periods else None
    if period is not None and periods:
        try:
            wanted = parse_period(period, config.year_start_month)
        except _Bad as exc:
            raise PeriodError(f'the period "{period}" {exc}') from None
        if wanted not in periods:
            raise PeriodError(
                f"there are no activities in {wanted}; the inputs have {', '.join(p.label for p in periods)}"
            )
        as_at = wanted
    if as_at is not None:
        later = activities["period"].map(lambda p: p > as_at)
        later_metrics = metrics["period"].map(lambda p: p > as_at).astype(bool)
        if later.any() or later_metrics.any():
            notes.append(
                f"{int(later.sum())} activity rows and {int(later_metrics.sum())} metric rows "
                f"after {as_at} were left out (the report is as at {as_at})"
            )
        activities = activities[~later.astype(bool)].reset_index(drop=True)
        metrics = metrics[~later_metrics].reset_index(drop=True)
        periods = [p for p in periods if p <= as_at]

    if strict:
        # Warnings about long-past (or left-out later) periods stay warnings: staff cannot change them now.
        problems = [p if in_other_period(p, as_at) else dataclasses.replace(p, severity="error") for p in problems]
    problems.sort(key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or "", p.message))
    return ValidatedInputs(
        activities, metrics, as_at, tuple(periods), tuple(problems), loaded.sources, loaded.skipped, tuple(notes)
    )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


# --- one table -------------------------------------------------------------------


def _check_table(table: RawTable, config: Config) -> tuple[pd.DataFrame, list[Problem], list[str]]:
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
        problems.extend(_unread_warnings(table, spec, config))
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
        parse = _parser(column, config)
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
                except _Bad as exc:
                    found = (None, str(exc), _show(text))
                cache[key] = found
            value, error, shown = found
            if error is not None and row in flagged_only and _blank(raw):
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
    problems.extend(_unread_warnings(table, spec, config))
    problems.extend(_totals_warnings(table, spec, result, config))
    return result[columns].reset_index(drop=True), problems, notes_out


def _plain_number(raw: Any) -> bool:
    """A number typed without a % sign: a number cell, or text such as "0.45" (a CSV holds only text)."""
    if isinstance(raw, str):
        text = raw.strip()
        return not text.endswith("%") and _to_number(text) is not None
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
                _show(raw),
                f"did you mean {_percent_text(value * 100)}%? It is read as {_percent_text(value)}%, because {why}; "
                f"type {_percent_text(value * 100)} for {_percent_text(value * 100)}%, or {_percent_text(value)}% "
                f"if {_percent_text(value)}% is right",
                "warning",
                letter=letter,
            )
        )
    return [], problems


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


def _unread_warnings(table: RawTable, spec: Table, config: Config) -> list[Problem]:
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


def _totals_warnings(table: RawTable, spec: Table, result: pd.DataFrame, config: Config) -> list[Problem]:
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
                figure = _parser(column, config)(raw)
            except _Bad:
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


def _flagged_only_rows(table: RawTable) -> set[int]:
    flagged = {row for (row, _), note in table.cell_notes.items() if note.unseen}
    if not flagged:
        return set()
    frame = table.frame[table.frame["_row"].isin(flagged)]
    only = set()
    for _, record in frame.iterrows():
        row = int(record["_row"])
        if all(
            _blank(value) or (row, column) in table.cell_notes for column, value in record.items() if column != "_row"
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


# --- duplicates --------------------------------------------------------------------


def _merge_duplicates(frame: pd.DataFrame, key: list[str], what: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The same activity twice in one period: identical rows merge (warning), others are errors."""
    if frame.empty:
        return frame, []
    duplicated = frame.duplicated(key, keep=False)
    if not duplicated.any():
        return frame, []
    problems: list[Problem] = []
    drop: list[int] = []
    # The activity (metric) text is part of the key, compared normalised: rows that differ only
    # in its case or spacing are the same activity, so it is left out of the comparison.
    compare = [c for c in frame.columns if c not in ("file", "sheet", "row", "activity_key", "metric_key", what)]
    for _, group in frame[duplicated].groupby(key, sort=False):
        first = group.iloc[0]
        where = f"{first['file']} › {first['sheet']} › row {first['row']}"
        for index, other in group.iloc[1:].iterrows():
            same = all(_same(first[c], other[c]) for c in compare)
            label = other[what]  # the value as written in the row named
            if same:
                problems.append(
                    Problem(
                        other["file"],
                        other["sheet"],
                        int(other["row"]),
                        None,
                        str(label),
                        f"repeats the same {what} for {first['period']} as {where}; the copies were merged",
                        "warning",
                        period=str(first["period"]),
                    )
                )
                drop.append(index)
            else:
                problems.append(
                    Problem(
                        other["file"],
                        other["sheet"],
                        int(other["row"]),
                        None,
                        str(label),
                        f"the same {what} for {first['period']} is also at {where} with "
                        "different values; keep one row per period",
                        period=str(first["period"]),
                    )
                )
    return frame.drop(index=drop).reset_index(drop=True), problems


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, str) and isinstance(b, str):
        # Text is stored as written but compared as matched: a curly quote or a
        # capital letter alone does not make two copies of a row different.
        return a == b or match_key(a) == match_key(b)
    return a == b


# --- value parsers -------------------------------------------------------------------


def _show(raw: Any) -> str:
    """The value as staff would recognise it in the cell."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y %H:%M") if raw.time() != dt.time() else raw.strftime("%d/%m/%Y")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _parser(column: Column, config: Config) -> Parser:
    """The parser for one column: blanks first, then the column's kind."""
    kind_parsers: dict[str, Parser] = {
        "partner": lambda raw: _registry_name(raw, config.partners, config.path),
        "area": lambda raw: _registry_name(raw, config.areas, config.path),
        "text": _long_text if column.name in ("commentary", "decision needed") else _text_value,
        "period": lambda raw: parse_period(raw, config.year_start_month),
        "status": _status,
        "percent": _percent,
        "date": _dated,
        "money": lambda raw: _money(raw, config.limits.max_money),
        "number": _number,
        "unit": _unit,
        "direction": _direction,
    }
    parse_kind = kind_parsers[column.kind]

    def parse(raw: Any) -> Any:
        if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
            raise _Bad(f"is the Excel error {raw.strip()}; fix the formula or type the value")
        if _blank(raw):
            if column.required:
                raise _Bad(f"is blank; expected {column.help}")
            return None
        return parse_kind(raw)

    return parse


def _as_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    return _show(raw)


def _text_value(raw: Any) -> str:
    """Text as staff wrote it, only tidied: curly quotes and case are kept for printing."""
    return clean_text(_as_text(raw))


def _long_text(raw: Any) -> str:
    """Commentary and decisions keep their line breaks; each line is cleaned like other text."""
    lines = _as_text(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(clean_text(line) for line in lines).strip()


def _registry_name(raw: Any, registry: Registry, template: str) -> str:
    entry = registry.find(_as_text(raw))
    if entry is not None:
        return entry.name
    suggestion = registry.suggest(_as_text(raw))
    section = "[[partners]]" if registry.kind == "partner" else "[[areas]]"
    article = "an" if registry.kind[0] in "aeiou" else "a"
    known = f'did you mean "{suggestion}"?' if suggestion else f"use one of {', '.join(registry.names)}"
    raise _Bad(
        f"is not {article} {registry.kind} in the template; {known} "
        f"(a new {registry.kind} is added under {section} in {Path(template).name})"
    )


_PERIOD_PATTERNS = (
    # 2025-26 Q1, 2025/26 Q1, 2025-2026 Q1
    re.compile(r"^(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})\s*q(?P<q>[1-4])$"),
    # Q1 2025-26, Q1 2025/2026
    re.compile(r"^q(?P<q>[1-4])\s*(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})$"),
    # Q1 25/26
    re.compile(r"^q(?P<q>[1-4])\s*(?P<y1>\d{2})\s*[-/]\s*(?P<y2>\d{2})$"),
)


def parse_period(raw: Any, year_start_month: int) -> Period:
    """A strategy-year quarter from any accepted spelling, or a date (its quarter)."""
    if isinstance(raw, Period):
        return raw
    if isinstance(raw, (dt.date, dt.datetime)):
        return _in_years(Period.of_date(_dated(raw), year_start_month))
    text = match_key(_as_text(raw))
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(text)
        if m:
            y1 = int(m["y1"]) + (2000 if len(m["y1"]) == 2 else 0)
            y2 = int(m["y2"])
            if (y2 % 100) != (y1 + 1) % 100 or (len(m["y2"]) == 4 and y2 != y1 + 1):
                raise _Bad(
                    f"names the years {y1} and {y2}, which do not follow each other; "
                    "expected a strategy year such as 2025-26"
                )
            return _in_years(Period(y1, int(m["q"])))
    try:
        day = _date(raw)
    except _Bad:
        raise _Bad(
            "is not a reporting period; expected a quarter such as 2025-26 Q1, 2025/26 Q1, "
            "Q1 2025-26 or Q1 25/26, or a date"
        ) from None
    return _in_years(Period.of_date(_dated(day), year_start_month))


def _in_years(period: Period) -> Period:
    first, last = YEARS
    if not first <= period.start_year <= last:
        raise _Bad(
            f"names a strategy year starting in {period.start_year}; expected a period from "
            f"{Period(first, 1).label} to {Period(last, 4).label} (check the year)"
        )
    return period


def _status(raw: Any) -> str:
    status = STATUS_SYNONYMS.get(match_key(_as_text(raw)))
    if status is None:
        raise _Bad(f"is not a status; expected {status_choices()}, in any case")
    return status


_NUMBER_TEXT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def _to_number(raw: Any, strip: str = "") -> float | None:
    """A number from a number cell or from text such as '1,200.50'; None if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    for symbol in strip:
        text = text.replace(symbol, "")
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text or not _NUMBER_TEXT.match(text) or text in {"+", "-", "."}:
        return None
    return float(text.replace(",", ""))


def _percent(raw: Any) -> float:
    text = raw.strip() if isinstance(raw, str) else raw
    value = _to_number(text[:-1] if isinstance(text, str) and text.endswith("%") else text)
    if value is None:
        raise _Bad("is not a percentage; expected a number from 0 to 100, such as 45 or 45%")
    if not 0 <= value <= 100:
        raise _Bad("is outside 0-100; expected a percentage from 0 to 100")
    return value


_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
# Day first with the month in words: 1st Oct 2026, 01-Oct-26, 1 October 2026, 1st of October, 2026.
_NAMED_DATE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s/.-]*([a-z]+)\.?,?[\s/.-]*(\d{4}|\d{2})$", re.IGNORECASE
)
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {
    **{name: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# Excel stores dates as days since 1899-12-30; a plain number in this range
# (1 Jan 2000 to 31 Dec 2099) in a date column is a date cell that lost its format.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (36526, 73415)


def _dated(raw: Any) -> dt.date:
    """A date (any spelling _date reads) within the years of schema.YEARS."""
    day = _date(raw)
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise _Bad(f"is in the year {day.year}; expected a date from {YEARS[0]} to {YEARS[1]} (check the year)")
    return day


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise _Bad(f"is a number, not a date; expected {DATE_HELP}")
    text = _as_text(raw).strip()
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK_DATE.match(text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[2]), int(m[1]))  # day first, as in the UK
        if (m := _NAMED_DATE.match(text)) and m[2].casefold() in _MONTHS:
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, _MONTHS[m[2].casefold()], int(m[1]))
    except ValueError:
        raise _Bad(f"is not a real date; expected {DATE_HELP}") from None
    raise _Bad(f"is not a date; expected {DATE_HELP}")


def _money(raw: Any, limit: float) -> float:
    value = _to_number(raw, strip="£")
    if value is None and isinstance(raw, str) and raw.strip().upper().startswith("GBP"):
        value = _to_number(raw.strip()[3:])
    if value is None:
        raise _Bad("is not an amount; expected pounds such as 1200, £1,200 or 1200.50")
    if value < 0:
        raise _Bad("is negative; expected an amount of £0 or more")
    if value > limit:  # an amount too large for a float is infinite, and larger too
        raise _Bad(
            f"is more than £{limit:,.0f}, the largest amount accepted ([limits] max_money in the "
            "template); check the amount"
        )
    return value


def _number(raw: Any) -> float:
    text = raw.strip() if isinstance(raw, str) else raw
    value = _to_number(text[:-1] if isinstance(text, str) and text.endswith("%") else text, strip="£")
    if value is None:
        raise _Bad("is not a number; expected a number such as 120 or 85.5")
    if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:  # an infinite one too (a number too large for a float)
        raise _Bad(f"is beyond {NUMBER_LIMIT:,}, the largest number a metric may hold; check the number")
    return value


def _unit(raw: Any) -> str:
    unit = UNITS.get(match_key(_as_text(raw)))
    if unit is None:
        raise _Bad("is not a unit; expected number, % or £")
    return unit


def _direction(raw: Any) -> str:
    direction = DIRECTIONS.get(match_key(_as_text(raw)))
    if direction is None:
        raise _Bad("is not a direction; expected higher or lower (which side of the target is good)")
    return direction
