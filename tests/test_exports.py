"""Files for officers: summary workbook, CSV and slides keep text as text."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from boardpack import load_config, validate_inputs
from boardpack.exports import chart_files, frame_csv, slide_deck, summary_tables, summary_workbook
from boardpack.model import Chart
from boardpack.summarise import summarise
from boardpack.workbook import _lines as workbook_lines

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
    return Chart(
        name=name,
        section="executive",
        title=title,
        caption="One line of caption.",
        alt_text="Bars of status counts.",
        data=pd.DataFrame({"Partner": ["=HYPERLINK(1)"], "Red": [1]}),
        png=_png(),
        svg=b"<svg/>",
        width_in=8,
        height_in=4,
    )


def test_formula_looking_text_is_a_string_in_the_workbook(summary):
    hostile = dataclasses.replace(
        summary.activities[0], commentary='=HYPERLINK("http://x")', lead="+44 20 7946 0000", activity="@SUM(A1)"
    )
    poisoned = dataclasses.replace(summary, activities=(hostile, *summary.activities[1:]))
    book = load_workbook(io.BytesIO(summary_workbook(poisoned, load_config())))
    sheet = book["Activities"]
    headers = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Commentary"].value == '=HYPERLINK("http://x")'
    assert row["Commentary"].data_type == "s"
    assert row["Lead"].data_type == "s" and row["Activity"].data_type == "s"
    assert sheet.freeze_panes == "D2"  # the header row and the three columns that name an activity


def test_workbook_has_a_readme_then_a_sheet_per_summary_table(summary):
    book = load_workbook(io.BytesIO(summary_workbook(summary, load_config())))
    assert book.sheetnames == ["README", *summary_tables(summary)]
    readme = [r for r in book["README"].iter_rows(values_only=True)]
    described = {r[0]: r[1] for r in readme if r[0] in summary_tables(summary)}
    assert set(described) == set(summary_tables(summary)) and all(described.values())
    overview = {r[0]: r[1] for r in book["Overview"].iter_rows(min_row=2, values_only=True)}
    assert overview["Activities"] == 25
    assert overview["On track or complete (%)"] == 0.72  # a share, shown as 72%
    partners = [r[0] for r in book["Partners"].iter_rows(min_row=2, values_only=True)]
    assert partners == [p.name for p in summary.partners]


def test_workbook_money_shares_and_yes_no_are_formatted(summary):
    book = load_workbook(io.BytesIO(summary_workbook(summary, load_config())))
    partners = book["Partners"]
    head = {c.value: c.column_letter for c in partners[1]}
    assert partners[f"{head['Budget (£)']}2"].number_format == '"£"#,##0'
    assert partners[f"{head['Budget (£)']}2"].value == summary.partners[0].budget
    assert partners[f"{head['On track or complete (%)']}2"].number_format == "0%"
    activities = book["Activities"]
    head = {c.value: c.column_letter for c in activities[1]}
    assert activities[f"{head['Budget (£)']}2"].number_format == '"£"#,##0.00'
    assert {activities[f"{head['Overdue']}{r}"].value for r in range(2, activities.max_row + 1)} == {"Yes", "No"}
    assert activities[f"{head['Due date']}2"].number_format == "d mmm yyyy"
    commentary = activities[f"{head['Commentary']}2"]
    assert commentary.alignment.wrap_text and commentary.alignment.vertical == "top"
    # Every header follows one rule: units in brackets, never "Budget £" beside "Budget".
    for sheet in book.worksheets[1:]:
        for cell in sheet[1]:
            assert not cell.value.endswith((" £", " %")), (sheet.title, cell.value)


def test_every_data_sheet_is_one_excel_table_with_filters(summary):
    book = load_workbook(io.BytesIO(summary_workbook(summary, load_config())))
    for sheet in book.worksheets[1:]:
        tables = list(sheet.tables.values())
        assert len(tables) == 1, sheet.title
        last = f"{sheet.cell(1, sheet.max_column).column_letter}{max(sheet.max_row, 2)}"
        assert tables[0].ref == f"A1:{last}", sheet.title
        assert tables[0].autoFilter is not None


def test_trend_is_in_long_form_for_a_pivot(summary):
    trend = summary_tables(summary)["Trend"]
    assert list(trend.columns) == ["Period", "Partner", "Status", "Activities", "Share of the partner's activities (%)"]
    assert len(trend) == len(summary.trend) * (1 + len(summary.partners)) * 5
    q4 = trend[trend.Period == "2025-26 Q4"]
    everyone = q4[q4.Partner == "All partners"].set_index("Status")["Activities"].to_dict()
    assert everyone == {"Red": 3, "Amber": 4, "Green": 3, "Complete": 15, "Not started": 0}
    assert q4[q4.Partner != "All partners"].groupby("Status")["Activities"].sum().to_dict() == everyone
    assert q4[(q4.Partner == "All partners") & (q4.Status == "Complete")].iloc[0, 4] == pytest.approx(0.6)


def test_every_sheet_prints_landscape_a4_fitted_to_width_with_its_header_repeated(summary):
    book = load_workbook(io.BytesIO(summary_workbook(summary, load_config())))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0, sheet.title
        if sheet.title != "README":
            assert sheet.print_title_rows == "$1:$1", sheet.title
    # The activities are wider than a page: two pages across, the names repeated on the second.
    assert book["Activities"].page_setup.fitToWidth == 2
    assert book["Activities"].print_title_cols == "$A:$C"
    assert book["Partners"].page_setup.fitToWidth in (None, 1)  # one page wide (1 is the default, left out)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc)"
)
def test_libreoffice_calc_prints_every_page_with_its_headers_and_names(summary, tmp_path):
    import pypdfium2 as pdfium

    (tmp_path / "summary.xlsx").write_bytes(summary_workbook(summary, load_config()))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "summary.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    document = pdfium.PdfDocument(str(tmp_path / "summary.pdf"))
    first_headers = {
        "README": "Sheet",
        "Overview": "Measure",
        "Partners": "Name",
        "Areas": "Name",
        "Partner x area": "Partner",
        "Trend": "Period",
        "Activities": "Partner",
        "Needs attention": "Partner",
        "Metrics": "Partner",
        "Data quality": "File",
    }
    seen = set()
    for index in range(len(document)):
        text = document[index].get_textpage().get_text_range()
        sheet = next(
            name
            for name in first_headers
            if text.rstrip().splitlines()[0].endswith(name)
            or f" {name}\r\n" in text
            or text.split("\n")[0].strip().endswith(name)
        )
        seen.add(sheet)
        assert first_headers[sheet] in text, (index + 1, sheet)  # the header row on every page
        assert f"Page {index + 1} of {len(document)}" in text
    assert seen == set(first_headers)
    assert len(document) <= 26


def test_csv_never_starts_a_text_cell_with_a_formula_sign():
    data = pd.DataFrame({"text": ["=1+1", "+cmd", "-x", "@y", "plain"], "number": [-3, 1, 2, 3, 4]})
    lines = frame_csv(data).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["'=1+1,-3", "'+cmd,1", "'-x,2", "'@y,3", "plain,4"]


def test_chart_files_have_every_format_numbered_in_slide_order():
    files = chart_files([_chart(), _chart("budget-spend", "Budget")])
    assert sorted(files) == [
        "charts/01-rag-overview.csv",
        "charts/01-rag-overview.png",
        "charts/01-rag-overview.svg",
        "charts/01-rag-overview.txt",
        "charts/02-budget-spend.csv",
        "charts/02-budget-spend.png",
        "charts/02-budget-spend.svg",
        "charts/02-budget-spend.txt",
        "charts/index.html",
    ]
    assert files["charts/01-rag-overview.txt"].decode().startswith("Status by partner")


def test_slide_deck_has_one_picture_per_chart_slide(summary):
    charts = [_chart("a", "First chart"), _chart("b", "Second chart")]
    deck = Presentation(io.BytesIO(slide_deck(charts, summary, load_config())))
    slides = list(deck.slides)
    assert len(slides) == 3  # title slide + one per chart
    for slide, chart in zip(slides[1:], charts, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == chart.alt_text
        assert slide.shapes.title.text_frame.text == chart.title
        assert chart.caption in slide.notes_slide.notes_text_frame.text
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

    from boardpack.slides import without_clock

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
    assert without_clock(backwards.getvalue()) == deck


@given(st.text(alphabet="ab cd\t\x0b\r-—é", max_size=40), st.integers(min_value=4, max_value=30))
def test_a_row_is_as_tall_as_its_longest_text_wraps(text, room):
    # The workbook counts a cell's lines without wrapping the short ones; the count is textwrap's.
    assert workbook_lines(text, room) == (len(textwrap.wrap(text, room, break_long_words=True)) or 1)
