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
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .model import Chart, Period
from .slides import picture_name, slide_deck, without_clock
from .summary_model import Summary
from .workbook import summary_sheets, summary_workbook

__all__ = [
    "chart_files",
    "frame_csv",
    "safe_csv_text",
    "slide_deck",
    "summary_json",
    "summary_sheets",
    "summary_tables",
    "summary_workbook",
    "without_clock",
]

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
        files[f"{stem}.txt"] = f"{chart.title}\n\n{chart.alt_text}\n".encode()
    files["charts/index.html"] = charts_index(charts)
    return files


def charts_index(charts: Iterable[Chart]) -> bytes:
    """charts/index.html: every chart in slide order as a thumbnail with its title, period, alt text
    and a link to each of its files; a plain page that opens from the folder, no script."""
    from html import escape

    from .slides import picture_name

    charts = list(charts)
    items = []
    for index, chart in enumerate(charts, start=1):
        stem = picture_name(index, chart)
        links = [(f"{stem}.png", "PNG, 300 dpi"), (f"{stem}.svg", "SVG")]
        if chart.wide_png:
            links.append((f"{stem}-16x9.png", "PNG, 16:9 slide"))
        if chart.transparent_png:
            links.append((f"{stem}-transparent.png", "PNG, transparent"))
        links += [(f"{stem}.csv", "data (CSV)"), (f"{stem}.txt", "alt text")]
        kind = "editable chart in slides.pptx" if chart.native is not None else "picture in slides.pptx"
        items.append(
            f'<li id="{escape(chart.name)}">\n'
            f'<a href="{escape(stem)}.png"><img src="{escape(stem)}.png" alt="{escape(chart.alt_text)}" '
            f'width="360"></a>\n'
            f"<div>\n<h2>{index}. {escape(chart.title)}</h2>\n"
            + (f'<p class="sub">{escape(chart.subtitle)}</p>\n' if chart.subtitle else "")
            + f"<p>{escape(chart.alt_text)}</p>\n"
            f'<p class="files">Slide {index + 1}, {kind}. Files: '
            + " · ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for href, label in links)
            + "</p>\n</div>\n</li>"
        )
    source = next((c.source for c in charts if c.source), "")
    bare = bool(charts) and all(c.png == c.slide_png for c in charts)
    framing = (
        "The pictures are bare: no title, period or source line, for you to add your own."
        if bare
        else f"Each picture carries its title, its period and the source line ({source})."
    )
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Charts</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; line-height: 1.45; }}
h1 {{ font-size: 1.5rem; margin-bottom: .25rem; }}
ol {{ list-style: none; padding: 0; }}
li {{ display: flex; gap: 1.5rem; align-items: flex-start; padding: 1.25rem 0; border-top: 1px solid #d0d0d0; }}
li img {{ border: 1px solid #d0d0d0; max-width: 40vw; height: auto; }}
h2 {{ font-size: 1.1rem; margin: 0 0 .2rem; }}
.sub {{ color: #595959; margin: 0 0 .5rem; }}
.files {{ font-size: .9rem; }}
a {{ color: #1f3a5f; }}
</style>
</head>
<body>
<h1>Charts</h1>
<p>{len(charts)} charts, in the order of the slides and of the board pack; each file name starts with its
number. {escape(framing)}</p>
<ol>
{chr(10).join(items)}
</ol>
</body>
</html>
"""
    return page.encode("utf-8")


def summary_tables(summary: Summary) -> dict[str, pd.DataFrame]:
    """The summary workbook's data sheets as data frames, by sheet name."""
    return {sheet.name: pd.DataFrame(list(sheet.rows), columns=sheet.headers) for sheet in summary_sheets(summary)}


def summary_json(summary: Summary) -> bytes:
    return summary.to_json().encode("utf-8")
