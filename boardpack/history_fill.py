"""Between validate and summarise: fill the spreadsheets' gaps from the history, and say where they differ.

Staff often keep one living sheet and overwrite last quarter's statuses, so a
run may see only the as-at period. :func:`fill_from_history` adds, for every
period before the as-at period, each partner's rows that the spreadsheets no
longer hold, taken from the latest run in the history that read them, and
records which run that was (``ValidatedInputs.from_history``). The as-at period
always comes from the spreadsheets alone.

Where the spreadsheets still hold a partner's rows for an earlier period, they
win; if those rows differ from what was reported (what the latest run as at an
earlier period than this one recorded: the last pack before this quarter's, so
that every draft of this quarter's pack says so, and the next quarter's does
not say it again), a warning names each activity or metric that changed, was
added or was removed after being reported. Under --strict those warnings are
errors, like any other.

The unit of filling is one partner's rows of one table for one period (a
*block*, as the history stores them): a partner whose tracker still has every
quarter keeps its own rows while another partner's overwritten sheet is filled.
Nothing here reads or writes files; the history is read through the
:class:`~boardpack.history.History` given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .config import Config
from .formats import money_pence, number, short_date
from .history_blocks import COLUMNS, BlockRef, Record, blocks_of, digest, parse_label
from .model import HistoryPeriod, Period, Problem, Severity, ValidatedInputs
from .schema import ACTIVITY_FRAME_COLUMNS, METRIC_FRAME_COLUMNS
from .text import match_key

# The fields whose change after being reported is worth a warning (commentary and
# lead are words, not figures: a reworded comment is not a rewrite of history).
COMPARED: dict[str, tuple[str, ...]] = {
    "activities": ("status", "progress", "due_date", "revised_due_date", "budget", "spend"),
    "metrics": ("target", "actual"),
}
_WORDS = {"due_date": "due date", "revised_due_date": "revised due date"}

# Warnings named one by one per partner and period; beyond this, one more warning counts the rest.
NAMED_PER_BLOCK = 20


class HistoryReader(Protocol):
    """What filling needs from the history (boardpack.history.History)."""

    def index(self) -> tuple[BlockRef, ...]: ...

    def rows(self, kind: str, blocks: Sequence[int]) -> dict[int, list[Record]]: ...


def fill_from_history(
    validated: ValidatedInputs, history: HistoryReader, config: Config, *, strict: bool = False
) -> ValidatedInputs:
    """``validated`` with earlier periods' missing rows taken from the history, and warnings where they differ.

    Returns ``validated`` itself when the history has nothing to add or say.
    """
    as_at = validated.as_at
    if as_at is None:
        return validated
    index = [ref for ref in history.index() if ref.period < as_at]
    if not index:
        return validated

    by_key: dict[tuple[str, str, Period], list[BlockRef]] = {}
    unknown: dict[str, set[Period]] = {}
    for ref in index:
        entry = config.partners.find(ref.partner)
        if entry is None:
            unknown.setdefault(ref.partner, set()).add(ref.period)
        else:
            by_key.setdefault((ref.kind, entry.name, ref.period), []).append(ref)

    frames = {"activities": validated.activities, "metrics": validated.metrics}
    held = {
        kind: set(zip(frame["partner"].tolist(), frame["period"].tolist(), strict=True))
        for kind, frame in frames.items()
    }
    fill: list[tuple[str, BlockRef]] = []
    compare: dict[tuple[str, str, Period], list[BlockRef]] = {}
    for (kind, partner, period), refs in by_key.items():
        if (partner, period) not in held[kind]:
            latest = max(ref.run for ref in refs)
            fill += [(partner, ref) for ref in refs if ref.run == latest]
        else:  # compared with what the last pack before this period's showed: drafts of this one do not count
            reported = [ref.run for ref in refs if ref.run_as_at < as_at]
            if reported:
                compare[(kind, partner, period)] = [ref for ref in refs if ref.run == max(reported)]

    sheet_blocks = _sheet_blocks(frames, compare)
    differing = {
        key: refs
        for key, refs in compare.items()
        if [ref.digest for ref in refs] != [digest(key[0], sheet_blocks[key])]
    }
    wanted: dict[str, set[int]] = {"activities": set(), "metrics": set()}
    for _, ref in fill:
        wanted[ref.kind].add(ref.block)
    for refs in differing.values():
        for ref in refs:
            wanted[ref.kind].add(ref.block)
    stored = {kind: history.rows(kind, sorted(blocks)) if blocks else {} for kind, blocks in wanted.items()}

    problems = [
        problem
        for key, refs in sorted(differing.items(), key=_key_order)
        for problem in _differences(key, refs, sheet_blocks[key], stored, config, strict)
    ]
    added = {
        kind: [(partner, ref, stored[kind][ref.block]) for partner, ref in fill if ref.kind == kind] for kind in frames
    }
    notes = tuple(_unknown_partner_note(name, periods) for name, periods in sorted(unknown.items()))
    if not fill and not problems and not notes:
        return validated

    activities = _with_rows(validated.activities, added["activities"], "activities")
    metrics = _with_rows(validated.metrics, added["metrics"], "metrics")
    periods = set(validated.periods) | {ref.period for _, ref in fill if ref.kind == "activities"}
    all_problems = sorted(
        validated.problems + tuple(problems),
        key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or "", p.message),
    )
    return dataclasses.replace(
        validated,
        activities=activities,
        metrics=metrics,
        periods=tuple(sorted(periods)),
        problems=tuple(all_problems),
        notes=validated.notes + notes,
        from_history=_provenance(fill, stored, config),
    )


def _key_order(item: tuple[tuple[str, str, Period], list[BlockRef]]) -> tuple:
    (kind, partner, period), _ = item
    return period, kind, partner


# --------------------------------------------------------------------------- filling


def _sheet_blocks(
    frames: dict[str, pd.DataFrame], keys: dict[tuple[str, str, Period], list[BlockRef]]
) -> dict[tuple[str, str, Period], list[Record]]:
    """The spreadsheets' rows, as the history stores them, of the (table, partner, period) keys given."""
    found: dict[tuple[str, str, Period], list[Record]] = {}
    for kind, frame in frames.items():
        wanted = {(partner, period) for k, partner, period in keys if k == kind}
        if not wanted:
            continue
        rows = frame[[pair in wanted for pair in zip(frame["partner"].tolist(), frame["period"].tolist(), strict=True)]]
        for (partner, period), records in blocks_of(rows, kind).items():
            found[(kind, partner, period)] = records
    return found


def _frame_of(records: list[Record], kind: str, partners: list[str]) -> pd.DataFrame:
    """Stored rows as a validated frame: Periods, dates, floats and blanks as validation gives them.

    ``partners`` is each row's partner as the template names it now (the history
    may hold an alias). Built column by column from Python lists, once for all
    the blocks taken: a frame per block would cost more than the rows.
    """
    names = COLUMNS[kind]
    columns: dict[str, Any] = (
        dict(zip(names, map(list, zip(*records, strict=True)), strict=True))
        if records
        else {name: [] for name in names}
    )
    columns["partner"] = partners
    labels: dict[str, Period] = {}
    columns["period"] = [labels.get(v) or labels.setdefault(v, parse_label(v)) for v in columns["period"]]
    for name in ("progress", "budget", "spend", "target", "actual"):
        if name in columns:
            columns[name] = np.array([math.nan if v is None else v for v in columns[name]], dtype=float)
    for name, blank in (
        ("area", ""),
        ("lead", ""),
        ("commentary", ""),
        ("decision", ""),
        ("unit", "number"),
        ("better_when", "higher"),
    ):
        if name in columns:
            columns[name] = [v if isinstance(v, str) else blank for v in columns[name]]
    if kind == "metrics":
        return pd.DataFrame({name: columns[name] for name in METRIC_FRAME_COLUMNS})
    dates: dict[str, dt.date] = {}
    for name in ("due_date", "revised_due_date"):
        columns[name] = pd.Series(
            [
                None if v is None else dates.get(v) or dates.setdefault(v, dt.date.fromisoformat(v))
                for v in columns[name]
            ],
            dtype=object,
        )
    keys = {text: match_key(text) for text in set(columns["activity"])}
    columns["activity_key"] = [keys[text] for text in columns["activity"]]
    return pd.DataFrame({name: columns[name] for name in ACTIVITY_FRAME_COLUMNS})


def _with_rows(frame: pd.DataFrame, added: list[tuple[str, BlockRef, list[Record]]], kind: str) -> pd.DataFrame:
    """The spreadsheets' rows, then the history's, oldest period first (a new frame)."""
    records: list[Record] = []
    partners: list[str] = []
    for partner, _, rows in sorted(added, key=lambda item: (item[1].period, item[0], item[1].block)):
        records += rows
        partners += [partner] * len(rows)
    if not records:
        return frame
    taken = _frame_of(records, kind, partners)
    return pd.concat([frame, taken], ignore_index=True) if len(frame) else taken


def _provenance(
    fill: list[tuple[str, BlockRef]], stored: dict[str, dict[int, list[Record]]], config: Config
) -> tuple[HistoryPeriod, ...]:
    """One entry per (period, run) the filled rows came from, partners in the template's order."""
    order = {name: i for i, name in enumerate(config.partners.names)}
    groups: dict[tuple[Period, int], dict[str, Any]] = {}
    for partner, ref in fill:
        group = groups.setdefault(
            (ref.period, ref.run),
            {"ref": ref, "activities": set(), "metrics": set(), "rows": {"activities": 0, "metrics": 0}},
        )
        group[ref.kind].add(partner)
        group["rows"][ref.kind] += len(stored[ref.kind][ref.block])

    def ordered(names: set[str]) -> tuple[str, ...]:
        return tuple(sorted(names, key=lambda name: order.get(name, len(order))))

    return tuple(
        HistoryPeriod(
            period=period,
            run=run,
            run_as_at=g["ref"].run_as_at,
            run_folder=g["ref"].run_folder,
            partners=ordered(g["activities"]),
            activities=g["rows"]["activities"],
            metric_partners=ordered(g["metrics"]),
            metrics=g["rows"]["metrics"],
        )
        for (period, run), g in sorted(groups.items(), key=lambda item: item[0])
    )


def _unknown_partner_note(name: str, periods: set[Period]) -> str:
    labels = ", ".join(p.label for p in sorted(periods))
    return (
        f'the history holds rows of "{name}" for {labels}, which is not a partner in the template now; '
        "they were not used (add it back, or add its old name as an alias under [[partners]], to use them)"
    )


# --------------------------------------------------------------------------- differences


def _identity(record: Record, kind: str) -> str:
    return match_key(record[COLUMNS[kind].index("activity" if kind == "activities" else "metric")])


def _shown(name: str, value: Any) -> str:
    if value is None:
        return "blank"
    if name in ("due_date", "revised_due_date"):
        return short_date(dt.date.fromisoformat(value))
    if name in ("budget", "spend"):
        return money_pence(value)
    if name == "progress":
        return f"{number(value)}%"
    if isinstance(value, float):
        return number(value)
    return str(value)


def _differences(
    key: tuple[str, str, Period],
    refs: list[BlockRef],
    sheet: list[Record],
    stored: dict[str, dict[int, list[Record]]],
    config: Config,
    strict: bool,
) -> list[Problem]:
    """A warning for each activity (metric) of one partner and period that changed after being reported."""
    kind, partner, period = key
    columns = COLUMNS[kind]
    ref = refs[0]
    reported = [record for r in refs for record in stored[kind][r.block]]
    before = {_identity(record, kind): record for record in reported}
    now = {_identity(record, kind): record for record in sheet}
    things = "activities" if kind == "activities" else "metrics"
    by = f"run {ref.run} (as at {ref.run_as_at.label})"
    severity: Severity = "error" if strict else "warning"
    short = _short_name(partner, config)
    where = {
        name: columns.index(name) for name in ("file", "sheet", "row", "activity" if kind == "activities" else "metric")
    }
    text = where["activity" if kind == "activities" else "metric"]

    found: list[Problem] = []
    for identity, record in now.items():
        old = before.get(identity)
        if old is None:
            found.append(
                _problem(
                    record,
                    where,
                    text,
                    severity,
                    f"is among {short}'s {period.label} rows but not in what {by} recorded for "
                    f"{period.label}: added after being reported. The pack uses the spreadsheets; "
                    "tell the board why, or remove the row",
                )
            )
            continue
        changes = [
            f"its {_WORDS.get(name, name)} was {_shown(name, old[columns.index(name)])} and is now "
            f"{_shown(name, record[columns.index(name)])}"
            for name in COMPARED[kind]
            if old[columns.index(name)] != record[columns.index(name)]
        ]
        if changes:
            found.append(
                _problem(
                    record,
                    where,
                    text,
                    severity,
                    f"changed after being reported: in {period.label} {_and(changes)}, against "
                    f"what {by} recorded. The pack uses the spreadsheets; tell the board why, or "
                    "put back what was reported",
                )
            )
    for identity, old in before.items():
        if identity not in now:
            status = f" as {old[columns.index('status')]}" if kind == "activities" else ""
            found.append(
                _problem(
                    old,
                    where,
                    text,
                    severity,
                    f"was reported for {period.label}{status} by {by}, read from this place then, "
                    f"but is no longer among {short}'s {period.label} rows: removed after being "
                    "reported. The pack uses the spreadsheets; tell the board why, or put the "
                    "row back",
                )
            )
    if len(found) <= NAMED_PER_BLOCK:
        return found
    rest = len(found) - NAMED_PER_BLOCK
    first = found[0]
    return found[:NAMED_PER_BLOCK] + [
        Problem(
            first.file,
            first.sheet,
            None,
            None,
            None,
            f"and {rest} more of {short}'s {things} in {period.label} "
            f"changed, were added or were removed after being reported, against what {by} recorded; "
            "`python generate_report.py history --export FILE.csv` lists every recorded row",
            severity,
        )
    ]


def _problem(record: Record, where: dict[str, int], text: int, severity: Severity, message: str) -> Problem:
    return Problem(
        record[where["file"]] or "", record[where["sheet"]], record[where["row"]], None, record[text], message, severity
    )


def _short_name(partner: str, config: Config) -> str:
    entry = config.partners.find(partner)
    return entry.short_name if entry is not None and entry.short_name else partner


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
