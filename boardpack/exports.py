"""Files for officers and other tools: chart files, slides, the summary workbook and JSON.

Every function returns bytes; writing them is the writer's job. Text that Excel
would take for a formula (starting with = + - @) is always written as text. The
deck (:mod:`boardpack.slides`) and the workbook (:mod:`boardpack.workbook`)
have modules of their own; this one gathers them for the pipeline.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any, Iterable

import pandas as pd

from .model import Chart, Period
from .slides import picture_name, slide_deck, without_clock
from .summary_model import Summary
from .workbook import summary_sheets, summary_workbook

__all__ = ["chart_files", "frame_csv", "safe_csv_text", "slide_deck", "summary_json", "summary_sheets",
           "summary_tables", "summary_workbook", "without_clock"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_text(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A value a CSV cell can hold: periods as labels, NaN as blank."""
    if isinstance(value, Period):
        return value.label
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dict, list, tuple)):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    return value


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A data frame as UTF-8 CSV (with the byte-order mark Excel needs to read £ and accents)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_csv_text(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([safe_csv_text(_plain(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def chart_files(charts: Iterable[Chart]) -> dict[str, bytes]:
    """Every chart's files, numbered in slide order (NN, its place among the charts):

    charts/NN-<name>.png (300 dpi) and .svg, -16x9.png (centred on a 16:9 canvas, for a
    full slide), -transparent.png (no background), .csv (the data) and .txt (title and alt text).
    """
    files = {}
    for index, chart in enumerate(charts, start=1):
        stem = f"charts/{picture_name(index, chart)}"
        files[f"{stem}.png"] = chart.png
        files[f"{stem}.svg"] = chart.svg
        if chart.wide_png:
            files[f"{stem}-16x9.png"] = chart.wide_png
        if chart.transparent_png:
            files[f"{stem}-transparent.png"] = chart.transparent_png
        files[f"{stem}.csv"] = frame_csv(chart.data)
        files[f"{stem}.txt"] = f"{chart.title}\n\n{chart.alt_text}\n".encode("utf-8")
    return files


def summary_tables(summary: Summary) -> dict[str, pd.DataFrame]:
    """The summary workbook's data sheets as data frames, by sheet name."""
    return {sheet.name: pd.DataFrame(list(sheet.rows), columns=sheet.headers) for sheet in summary_sheets(summary)}


def summary_json(summary: Summary) -> bytes:
    return summary.to_json().encode("utf-8")
