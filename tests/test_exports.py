"""Files for officers: summary workbook, CSV and slides keep text as text."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from boardpack import load_config, validate_inputs
from boardpack.exports import chart_files, frame_csv, slide_deck, summary_tables, summary_workbook
from boardpack.model import Chart
from boardpack.summarise import summarise

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def summary():
    config = load_config()
    validated = validate_inputs(ROOT / "inputs", config)
    assert not validated.errors
    return summarise(validated, config)


def _png(width=40, height=20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def _chart(name="rag-overview", title="Status by partner") -> Chart:
    return Chart(name=name, section="executive", title=title, caption="One line of caption.",
                 alt_text="Bars of status counts.", data=pd.DataFrame({"Partner": ["=HYPERLINK(1)"], "Red": [1]}),
                 png=_png(), svg=b"<svg/>", width_in=8, height_in=4)


def test_formula_looking_text_is_a_string_in_the_workbook(summary):
    hostile = dataclasses.replace(summary.activities[0], commentary="=HYPERLINK(\"http://x\")",
                                  lead="+44 20 7946 0000", activity="@SUM(A1)")
    poisoned = dataclasses.replace(summary, activities=(hostile, *summary.activities[1:]))
    book = load_workbook(io.BytesIO(summary_workbook(poisoned, load_config())))
    sheet = book["Activities"]
    headers = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(headers, sheet[2])}
    assert row["Commentary"].value == "=HYPERLINK(\"http://x\")"
    assert row["Commentary"].data_type == "s"
    assert row["Lead"].data_type == "s" and row["Activity"].data_type == "s"
    assert sheet.freeze_panes == "A2"


def test_workbook_has_a_sheet_per_summary_table(summary):
    book = load_workbook(io.BytesIO(summary_workbook(summary, load_config())))
    assert book.sheetnames == list(summary_tables(summary))
    overview = {r[0]: r[1] for r in book["Overview"].iter_rows(min_row=2, values_only=True)}
    assert overview["Activities"] == summary.totals.activities
    assert overview["On track or complete %"] == summary.totals.on_track_or_complete_pct
    partners = [r[0] for r in book["Partners"].iter_rows(min_row=2, values_only=True)]
    assert partners == [p.name for p in summary.partners]


def test_csv_never_starts_a_text_cell_with_a_formula_sign():
    data = pd.DataFrame({"text": ["=1+1", "+cmd", "-x", "@y", "plain"], "number": [-3, 1, 2, 3, 4]})
    lines = frame_csv(data).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["'=1+1,-3", "'+cmd,1", "'-x,2", "'@y,3", "plain,4"]


def test_chart_files_have_every_format():
    files = chart_files([_chart()])
    assert sorted(files) == ["charts/rag-overview.csv", "charts/rag-overview.png",
                             "charts/rag-overview.svg", "charts/rag-overview.txt"]
    assert files["charts/rag-overview.txt"].decode().startswith("Status by partner")


def test_slide_deck_has_one_picture_per_chart_slide(summary):
    charts = [_chart("a", "First chart"), _chart("b", "Second chart")]
    deck = Presentation(io.BytesIO(slide_deck(charts, summary, load_config())))
    slides = list(deck.slides)
    assert len(slides) == 3  # title slide + one per chart
    for slide, chart in zip(slides[1:], charts):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == chart.alt_text
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert chart.title in texts and chart.caption in texts
        assert pictures[0].left + pictures[0].width <= deck.slide_width


def test_exports_are_reproducible(summary):
    import zipfile
    config = load_config()
    workbook = summary_workbook(summary, config)
    assert workbook == summary_workbook(summary, config)
    # No clock inside: the zip entries and the document dates are fixed.
    package = zipfile.ZipFile(io.BytesIO(workbook))
    assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"2000-01-01T00:00:00Z" in package.read("docProps/core.xml")
    assert slide_deck([_chart()], summary, config) == slide_deck([_chart()], summary, config)


def test_the_slide_deck_carries_no_clock(summary, monkeypatch):
    import time
    import zipfile

    config = load_config()
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)  # November 2023
    first = slide_deck([_chart()], summary, config)
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)  # January 2027
    assert slide_deck([_chart()], summary, config) == first
    package = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_slide_deck_has_its_parts_in_a_fixed_order_whatever_order_they_were_written(summary):
    import zipfile

    from boardpack.exports import _without_clock

    deck = slide_deck([_chart()], summary, load_config())
    package = zipfile.ZipFile(io.BytesIO(deck))
    names = [info.filename for info in package.infolist()]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert "ppt/slides/slide2.xml" in names
    assert {(info.create_system, info.external_attr) for info in package.infolist()} == {(3, 0o600 << 16)}
    # The same parts written in the opposite order, as another python-pptx version might: the same bytes.
    backwards = io.BytesIO()
    with zipfile.ZipFile(backwards, "w", zipfile.ZIP_DEFLATED) as target:
        for name in reversed(names):
            target.writestr(name, package.read(name))
    assert _without_clock(backwards.getvalue()) == deck
