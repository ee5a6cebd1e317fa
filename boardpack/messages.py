"""What a person (or a script) is told: problem tables, the all-clear, and the runs a history holds."""

from __future__ import annotations

import json
import re
import textwrap

from .model import Problem, ValidatedInputs
from .text import plural

_COLUMNS = (("File", "file"), ("Sheet", "sheet"), ("Row", "row"), ("Column", "column"),
            ("Value", "value"), ("Problem", "message"))
_MAX_CELL = {"file": 28, "sheet": 20, "column": 22, "value": 24}


# Nothing read from a file may move the cursor, change colours or clear a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _printable(text: str) -> str:
    return text if text.isprintable() else _UNPRINTABLE.sub(" ", text)


def _cell(problem: Problem, key: str) -> str:
    value = getattr(problem, key)
    text = "" if value is None else _printable(str(value))
    limit = _MAX_CELL.get(key)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def format_problems(problems: tuple[Problem, ...] | list[Problem], width: int = 120) -> str:
    """Problems as an aligned text table; the last column wraps to ``width``."""
    if not problems:
        return ""
    cells = [[_cell(p, key) for _, key in _COLUMNS[:-1]] for p in problems]
    widths = [max(len(title), *(len(row[i]) for row in cells)) for i, (title, _) in enumerate(_COLUMNS[:-1])]
    indent = sum(widths) + 2 * len(widths)
    message_width = max(30, width - indent)
    lines = ["  ".join(title.ljust(w) for (title, _), w in zip(_COLUMNS, widths)) + "  " + _COLUMNS[-1][0]]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * min(message_width, 40))
    for problem, row in zip(problems, cells):
        prefix = "warning: " if problem.severity == "warning" else ""
        wrapped = textwrap.wrap(prefix + _printable(problem.message), message_width) or [""]
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + wrapped[0])
        lines.extend(" " * indent + more for more in wrapped[1:])
    return "\n".join(lines)


def problems_json(problems: tuple[Problem, ...] | list[Problem]) -> str:
    """Problems as a JSON list of objects, for scripts."""
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


def format_all_clear(validated: ValidatedInputs) -> str:
    """The short report of a run with no errors: what was read, and any warnings."""
    as_at = validated.as_at
    current = validated.activities[validated.activities["period"] == as_at] if as_at else validated.activities
    count = current.drop_duplicates(["partner", "activity_key"]).shape[0]
    lines = [f"{plural(count, 'activity', 'activities')} from "
             f"{plural(len(validated.sources), 'file')}, as at {as_at}"]
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
    if validated.warnings:
        lines.append("")
        lines.append(f"{plural(len(validated.warnings), 'warning')} (shown in the pack's data quality notes):")
        lines.append(format_problems(validated.warnings))
    return "\n".join(lines)


def format_runs(runs, path) -> str:
    """The runs a history holds (``history.StoredRun``), oldest first, with the files each read."""
    if not runs:
        return f"No runs recorded in {path} yet: each successful generate or charts run records one."
    header = ("Run", "Recorded (UTC)", "Command", "As at", "Folder", "Periods", "Activity rows", "Metric rows")
    rows = []
    for run in runs:
        periods = (run.periods[0].label if len(run.periods) == 1 else
                   f"{run.periods[0].label} to {run.periods[-1].label}" if run.periods else "none")
        rows.append((str(run.id), run.recorded_at.replace("T", " ")[:16], run.command, run.as_at.label,
                     _printable(run.folder), periods, f"{run.activity_rows:,}", f"{run.metric_rows:,}"))
    widths = [max(len(title), *(len(row[i]) for row in rows)) for i, title in enumerate(header)]
    right = {0, 6, 7}

    def line(cells) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    lines = [f"{plural(len(runs), 'run')} recorded in {path}:", "", line(header),
             line(["-" * w for w in widths])]
    for run, cells in zip(runs, rows):
        lines.append(line(cells))
        for f in run.files:
            lines.append(f"{'':{widths[0]}}  {_printable(f.name)}: {plural(f.rows, 'row')}, "
                         f"{f.size:,} bytes, SHA-256 {f.sha256}")
    return "\n".join(lines)


def runs_json(runs) -> str:
    """The runs a history holds, as a JSON list, for scripts."""
    return json.dumps([run.as_dict() for run in runs], ensure_ascii=False, indent=2)
