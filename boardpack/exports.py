"""Files for officers and other tools: chart files, slides, the summary workbook and JSON.

Every function returns bytes; writing them is the writer's job. Text that Excel
would take for a formula (starting with = + - @) is always written as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any, Iterable

import pandas as pd

from .config import Config
from .model import Chart, Period
from .summary_model import Summary

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_text(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
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
    """charts/<name>.png|.svg|.csv|.txt for every chart."""
    files = {}
    for chart in charts:
        files[f"charts/{chart.name}.png"] = chart.png
        files[f"charts/{chart.name}.svg"] = chart.svg
        files[f"charts/{chart.name}.csv"] = frame_csv(chart.data)
        files[f"charts/{chart.name}.txt"] = f"{chart.title}\n\n{chart.alt_text}\n".encode("utf-8")
    return files


def summary_json(summary: Summary) -> bytes:
    return summary.to_json().encode("utf-8")


# --- summary workbook ------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A value a spreadsheet cell can hold: periods as labels, NaN as blank."""
    if isinstance(value, Period):
        return value.label
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dict, list, tuple)):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    return value


def _by_status(prefix: str, counts) -> dict[str, int]:
    return {f"{prefix}{status}": count for status, count in counts.items()}


def summary_tables(summary: Summary) -> dict[str, pd.DataFrame]:
    """The summary as named tables, one per workbook sheet."""
    def group_rows(groups) -> list[dict]:
        return [{"Name": g.name, "Short name": g.short_name, "Activities": g.activities,
                 **_by_status("", g.by_status), **{f"{k.capitalize()}": v for k, v in g.changes.items()},
                 "Overdue": g.overdue, "On track or complete %": g.on_track_or_complete_pct,
                 "Mean progress %": g.mean_progress, "Budget £": g.budget, "Spend £": g.spend}
                for g in groups]

    totals = summary.totals
    overview = [("As at", summary.as_at.label), ("Previous period", summary.previous.label),
                ("Activities", totals.activities), ("On track or complete %", totals.on_track_or_complete_pct),
                ("Overdue", totals.overdue), ("Budget £", totals.budget), ("Spend £", totals.spend)]
    overview += [(f"Status: {k}", v) for k, v in totals.by_status.items()]
    overview += [(f"Change: {k}", v) for k, v in totals.changes.items()]
    activity_columns = ["partner", "area", "activity", "status", "previous_status", "change", "overdue",
                        "days_overdue", "status_periods", "progress", "due_date", "revised_due_date", "lead",
                        "commentary", "decision", "budget", "spend", "file", "sheet", "row"]

    def activity_frame(rows) -> pd.DataFrame:
        return pd.DataFrame([[getattr(r, c) for c in activity_columns] for r in rows],
                            columns=[c.replace("_", " ").capitalize() for c in activity_columns])

    return {
        "Overview": pd.DataFrame(overview, columns=["Measure", "Value"]),
        "Partners": pd.DataFrame(group_rows(summary.partners)),
        "Areas": pd.DataFrame(group_rows(summary.areas)),
        "Partner x area": pd.DataFrame([{"Partner": c.partner, "Area": c.area, "Activities": c.activities,
                                         **_by_status("", c.by_status), "Mean progress %": c.mean_progress}
                                        for c in summary.matrix]),
        "Trend": pd.DataFrame([{"Period": t.period.label, "Activities": t.activities,
                                "On track or complete %": t.on_track_or_complete_pct,
                                **{f"{name} %": share for name, share in t.partners.items()}}
                               for t in summary.trend]),
        "Activities": activity_frame(summary.activities),
        "Needs attention": activity_frame(summary.exceptions),
        "Metrics": pd.DataFrame([{"Partner": m.partner, "Area": m.area, "Metric": m.metric, "Unit": m.unit,
                                  "Period": m.period.label, "Actual": m.actual, "Target": m.target,
                                  "% of target": m.pct_of_target, "Better when": m.better_when,
                                  "Wrong side of target": m.on_wrong_side} for m in summary.metrics],
                                columns=["Partner", "Area", "Metric", "Unit", "Period", "Actual", "Target",
                                         "% of target"]),
        "Data quality": pd.DataFrame([p.as_dict() for p in summary.warnings],
                                     columns=["file", "sheet", "row", "column", "value", "message", "severity"]),
    }


# Excel holds at most this many characters in a cell.
_EXCEL_CELL_LIMIT = 32_767
_CUT_NOTE = " … (cut: an Excel cell holds at most 32,767 characters)"


def summary_workbook(summary: Summary, config: Config) -> bytes:
    """summary.xlsx: a sheet per summary table, styled header, sized columns, frozen panes.

    Written with XlsxWriter, whose typed writes never turn text into a formula,
    and with fixed document dates so the same inputs give the same bytes.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    fixed = dt.datetime(2000, 1, 1)  # also fixes the zip entries' dates
    book.set_properties({"title": config.report_title, "author": config.organisation, "created": fixed})
    header = book.add_format({"bold": True, "font_color": "#FFFFFF", "text_wrap": True, "valign": "top",
                              "bg_color": str(config.branding.get("primary_colour", "#1F3A5F"))})
    as_text = book.add_format({"quote_prefix": True})  # shows =, +, - and @ as typed
    as_date = book.add_format({"num_format": "dd/mm/yyyy"})
    for title, frame in summary_tables(summary).items():
        sheet = book.add_worksheet(title)
        widths = [len(str(heading)) for heading in frame.columns]
        for column, heading in enumerate(frame.columns):
            sheet.write_string(0, column, str(heading), header)
        for row, values in enumerate(frame.itertuples(index=False), start=1):
            for column, value in enumerate(values):
                value = _plain(value)
                if isinstance(value, str):
                    if len(value) > _EXCEL_CELL_LIMIT:
                        value = value[: _EXCEL_CELL_LIMIT - len(_CUT_NOTE)] + _CUT_NOTE
                    sheet.write_string(row, column, value, as_text if value.startswith(_FORMULA_START) else None)
                elif isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(row, column, value, as_date)
                elif isinstance(value, bool):
                    sheet.write_boolean(row, column, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row, column, value)
                elif value is not None:
                    sheet.write_string(row, column, str(value))
                widths[column] = max(widths[column], min(len(str(value or "")), 60))
        for column, width in enumerate(widths):
            sheet.set_column(column, column, max(8, min(width + 2, 62)))
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


# --- slides ----------------------------------------------------------------------------

def slide_deck(charts: Iterable[Chart], summary: Summary, config: Config, subtitle: str = "") -> bytes:
    """slides.pptx: a title slide, then one chart per slide with its title and caption."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)  # 16:9
    title_slide = deck.slides.add_slide(deck.slide_layouts[0])
    title_slide.shapes.title.text = config.report_title
    title_slide.placeholders[1].text = subtitle or f"{config.organisation} · as at {summary.as_at.label}"

    blank = deck.slide_layouts[6]
    for chart in charts:
        slide = deck.slides.add_slide(blank)
        heading = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8))
        heading.text_frame.text = chart.title
        heading.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
        heading.text_frame.paragraphs[0].runs[0].font.bold = True
        # Fit the picture into the space between heading and caption, keeping its shape.
        box_w, box_h = Inches(12.3), Inches(5.4)
        scale = min(box_w / chart.width_in, box_h / chart.height_in)
        width, height = Emu(int(chart.width_in * scale)), Emu(int(chart.height_in * scale))
        left = Inches(0.5) + Emu(int((box_w - width) / 2))
        picture = slide.shapes.add_picture(io.BytesIO(chart.png), left, Inches(1.15), width, height)
        picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text)  # alt text for screen readers
        caption = slide.shapes.add_textbox(Inches(0.5), Inches(6.7), Inches(12.3), Inches(0.6))
        caption.text_frame.text = chart.caption
        caption.text_frame.word_wrap = True
        caption.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    deck.core_properties.author = config.organisation
    deck.core_properties.title = config.report_title
    fixed = dt.datetime(2000, 1, 1)
    deck.core_properties.created = fixed
    deck.core_properties.modified = fixed
    deck.core_properties.last_modified_by = config.organisation
    buffer = io.BytesIO()
    deck.save(buffer)
    return _without_clock(buffer.getvalue())


# Zip entries carry a modification time; python-pptx stamps each with the clock.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The made-on system (3 = Unix) and permissions (rw-------) of every entry: zipfile would
# otherwise write 0 on Windows, so the same deck would differ by platform.
_ZIP_SYSTEM, _ZIP_ATTR = 3, 0o600 << 16


def _entry_order(name: str) -> tuple[int, str]:
    """[Content_Types].xml first, as Office writes it, then every other part by name."""
    return (0 if name == "[Content_Types].xml" else 1, name)


def _without_clock(package: bytes) -> bytes:
    """The same zip package with its entries in a fixed order (by name), each dated 1 January 1980,
    so that equal inputs give equal bytes whatever the clock, the library's order or the platform."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in sorted(source.infolist(), key=lambda e: _entry_order(e.filename)):
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = entry.compress_type
            fixed.create_system, fixed.external_attr = _ZIP_SYSTEM, _ZIP_ATTR
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()
