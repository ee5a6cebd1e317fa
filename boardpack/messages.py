"""What a person (or a script) is told: what was read, problem tables, JSON, and the runs a history holds."""

from __future__ import annotations

import json
import textwrap

from .formats import for_terminal, plural
from .model import Problem, ValidatedInputs

# The version of the object `validate --format json` prints; it changes only when
# a key is removed or changes meaning (docs/inputs.md, "For scripts").
JSON_VERSION = 1

_COLUMNS = (
    ("File", "file"),
    ("Sheet", "sheet"),
    ("Row", "row"),
    ("Column", "column"),
    ("Value", "value"),
    ("Problem", "message"),
)
_MIN_WIDTH = {"file": 12, "sheet": 10, "column": 12, "value": 10}  # a narrower column wraps, never cuts
_MIN_MESSAGE = 40


def _cell(problem: Problem, key: str) -> str:
    if key == "column" and problem.letter is not None:  # column D, "Due date": the letter Excel shows
        return f'{problem.letter} "{for_terminal(problem.column)}"' if problem.column else problem.letter
    value = getattr(problem, key)
    return "" if value is None else for_terminal(str(value))


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``: broken at spaces and hyphens where it can be, never cut short."""
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=True) or [""]


def format_problems(problems: tuple[Problem, ...] | list[Problem], width: int = 120) -> str:
    """Problems as an aligned text table, fitted to ``width``.

    Every cell is shown whole: a long file or sheet name, heading or value wraps
    onto more lines within its column, as the message does.
    """
    if not problems:
        return ""
    keys = [key for _, key in _COLUMNS[:-1]]
    cells = [[_cell(p, key) for key in keys] for p in problems]
    widths = [max(len(title), *(len(row[i]) for row in cells)) for i, (title, _) in enumerate(_COLUMNS[:-1])]
    # Narrow the widest columns, one character at a time, until the message has room.
    room = width - 2 * len(widths) - _MIN_MESSAGE
    while sum(widths) > room:
        narrowable = [
            i
            for i, key in enumerate(keys)
            if key in _MIN_WIDTH and widths[i] > max(_MIN_WIDTH[key], len(_COLUMNS[i][0]))
        ]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    indent = sum(widths) + 2 * len(widths)
    message_width = max(30, width - indent)
    lines = [
        "  ".join(title.ljust(w) for (title, _), w in zip(_COLUMNS[:-1], widths, strict=True)) + "  " + _COLUMNS[-1][0]
    ]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * min(message_width, 40))
    for problem, row in zip(problems, cells, strict=True):
        prefix = "warning: " if problem.severity == "warning" else ""
        columns = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        columns.append(textwrap.wrap(prefix + for_terminal(problem.message), message_width) or [""])
        for n in range(max(len(c) for c in columns)):  # the message, last, is not padded
            parts = [(c[n] if n < len(c) else "").ljust(w) for c, w in zip(columns[:-1], widths, strict=True)]
            message = columns[-1][n] if n < len(columns[-1]) else ""
            lines.append(("  ".join(parts) + "  " + message).rstrip())
    return "\n".join(lines)


def format_sources(validated: ValidatedInputs) -> str:
    """What was read from each file and sheet, what was skipped and why, and the notes on how it was read."""
    lines = []
    errors = bool(validated.errors)
    if not errors:
        as_at = validated.as_at
        current = validated.activities[validated.activities["period"] == as_at] if as_at else validated.activities
        count = current.drop_duplicates(["partner", "activity_key"]).shape[0]
        lines.append(
            f"{plural(count, 'activity', 'activities')} from {plural(len(validated.sources), 'file')}, as at {as_at}"
        )
    else:
        lines.append(f"Files read: {len(validated.sources)}; skipped: {len(validated.skipped)}")
    for source in validated.sources:
        used = [f"{s.name} ({plural(s.rows, 'row')}, {s.table})" for s in source.sheets if s.table]
        skipped = [s.name for s in source.sheets if not s.table]
        line = f"  {source.name}: {plural(source.rows, 'row')} read from {', '.join(used) or 'no sheet'}"
        if skipped:
            line += f"; skipped {', '.join(skipped)} (no activities or metrics header)"
        lines.append(line)
    for name, why in validated.skipped:
        lines.append(f"  {name}: skipped, {why}")
    lines.extend(f"  note: {note}" for note in validated.notes)
    return "\n".join(lines)


def _other_periods_line(validated: ValidatedInputs) -> str:
    others = validated.other_period_warnings
    if not others or validated.as_at is None:
        return ""
    earlier = all(
        p.period is not None and p.period < validated.as_at.label for p in others
    )  # labels such as 2025-26 Q1 sort by date
    which = "earlier" if earlier else "other"
    where = f"an {which} period" if len(others) == 1 else f"{which} periods"
    return f"{plural(len(others), 'warning')} in {where}; `--all-warnings` lists {'it' if len(others) == 1 else 'them'}"


def format_report(validated: ValidatedInputs, width: int = 120, all_warnings: bool = False) -> str:
    """What `validate` prints: what was read and skipped, then the problems.

    Warnings about rows of periods other than the as-at one and the one before
    it are counted in one line unless ``all_warnings``.
    """
    shown = validated.problems if all_warnings else validated.listed_problems
    lines = [format_sources(validated)]
    if shown:
        lines.append("")
        if not validated.errors:
            warnings = sum(1 for p in shown if p.severity == "warning")
            lines.append(f"{plural(warnings, 'warning')} (shown in the pack's data quality notes):")
        lines.append(format_problems(shown, width))
    if not all_warnings and validated.other_period_warnings:
        lines.append(("" if shown else "\n") + _other_periods_line(validated))
    return "\n".join(lines)


def problems_json(problems: tuple[Problem, ...] | list[Problem]) -> str:
    """Problems as a JSON list of objects."""
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


def report_json(validated: ValidatedInputs, all_warnings: bool = False) -> str:
    """What `validate --format json` prints: one object, stable across versions (see docs/inputs.md)."""
    shown = validated.problems if all_warnings else validated.listed_problems
    report = {
        "version": JSON_VERSION,
        "as_at": validated.as_at.label if validated.as_at else None,
        "files": [
            {
                "name": source.name,
                "rows": source.rows,
                "sheets": [
                    {
                        "name": sheet.name,
                        "table": sheet.table,
                        "rows": sheet.rows,
                        "header_row": sheet.header_row,
                        "note": sheet.note,
                    }
                    for sheet in source.sheets
                ],
            }
            for source in validated.sources
        ],
        "skipped": [{"name": name, "why": why} for name, why in validated.skipped],
        "notes": list(validated.notes),
        "errors": len(validated.errors),
        "warnings": len(validated.warnings),
        "warnings_not_listed": 0 if all_warnings else len(validated.other_period_warnings),
        "problems": [p.as_dict() for p in shown],
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def error_json(message: str) -> str:
    """What `validate --format json` prints when the command itself cannot run (exit 2, or 1 for the template)."""
    return json.dumps({"version": JSON_VERSION, "error": message}, ensure_ascii=False, indent=2)


def format_runs(runs, path) -> str:
    """The runs a history holds (``history.StoredRun``), oldest first, with the files each read."""
    if not runs:
        return f"No runs recorded in {path} yet: each successful generate or charts run records one."
    header = ("Run", "Recorded (UTC)", "Command", "As at", "Folder", "Periods", "Activity rows", "Metric rows")
    rows = []
    for run in runs:
        periods = (
            run.periods[0].label
            if len(run.periods) == 1
            else f"{run.periods[0].label} to {run.periods[-1].label}"
            if run.periods
            else "none"
        )
        rows.append(
            (
                str(run.id),
                run.recorded_at.replace("T", " ")[:16],
                run.command,
                run.as_at.label,
                for_terminal(run.folder),
                periods,
                f"{run.activity_rows:,}",
                f"{run.metric_rows:,}",
            )
        )
    widths = [max(len(title), *(len(row[i]) for row in rows)) for i, title in enumerate(header)]
    right = {0, 6, 7}

    def line(cells) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [f"{plural(len(runs), 'run')} recorded in {path}:", "", line(header), line(["-" * w for w in widths])]
    for run, cells in zip(runs, rows, strict=True):
        lines.append(line(cells))
        for f in run.files:
            lines.append(
                f"{'':{widths[0]}}  {for_terminal(f.name)}: {plural(f.rows, 'row')}, {f.size:,} bytes, SHA-256 {f.sha256}"
            )
    return "\n".join(lines)


def runs_json(runs) -> str:
    """The runs a history holds, as a JSON list, for scripts."""
    return json.dumps([run.as_dict() for run in runs], ensure_ascii=False, indent=2)
