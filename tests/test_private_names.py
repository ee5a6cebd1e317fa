"""The names boardpack uses that reportlab, pypdf and python-pptx do not publish.

boardpack/pdf reaches into reportlab (and pypdf) where they have no public way
to do what the pack needs: placing a chart's PDF page as a form, measuring a
paragraph once, laying a long table out a page at a time, fixing the PDF's
dates. pyproject.toml pins each library to the major version these names were
checked against. Each test below does what boardpack does with one such name;
when a new version moves it, the failure says which name, where boardpack uses
it, and what to do, instead of an AttributeError from the middle of a pack.
"""

from __future__ import annotations

import importlib.metadata
import io
import tomllib
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PINS = {
    Requirement(line).name.lower(): Requirement(line)
    for line in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
}


@contextmanager
def relied_on(library: str, name: str, where: str):
    """Fail with a message naming the private ``name`` of ``library`` that ``where`` uses."""
    try:
        yield
    except (AttributeError, TypeError, KeyError, AssertionError) as exc:
        version = importlib.metadata.version(library)
        pytest.fail(
            f"{library} {version} no longer has {name} as boardpack uses it in {where} "
            f"({type(exc).__name__}: {exc}). pyproject.toml pins {PINS[library.lower()]}: "
            f"keep {library} within that pin, or rework {where} for the new version.",
            pytrace=False,
        )


@pytest.mark.parametrize("library", ["reportlab", "pypdf", "python-pptx"])
def test_the_installed_version_is_the_pinned_major_version(library):
    pin, version = PINS[library], importlib.metadata.version(library)
    assert pin.specifier.contains(version), (
        f"{library} {version} is installed, outside the pin {pin} whose private names boardpack relies on "
        f"(see this file); install a version within it"
    )
    upper = [s for s in pin.specifier if s.operator == "<"]
    lower = [s for s in pin.specifier if s.operator == ">="]
    assert upper and lower and int(upper[0].version.split(".")[0]) - int(lower[0].version.split(".")[0]) <= 1, (
        f"{library} must be pinned to one major version (>=N.x,<N+1), not {pin}"
    )


def test_reportlab_canvas_document_places_a_form_and_takes_fixed_dates():
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    with relied_on("reportlab", "Canvas._doc.setDateFormatter", "boardpack/pdf/document.py (beforeDocument)"):
        canvas._doc.setDateFormatter(lambda *_: "D:20260924000000+00'00'")
    with relied_on(
        "reportlab",
        "Canvas._doc.getXObjectName / idToObject / Reference and pdfdoc.PDFStream(filters=[])",
        "boardpack/pdf/chart_form.py (ChartForm.place)",
    ):
        document = canvas._doc
        internal = document.getXObjectName("chart-test")
        assert internal not in document.idToObject
        drawing = zlib.compress(b"0 0 m 10 10 l S")
        head = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("XObject"),
                "Subtype": pdfdoc.PDFName("Form"),
                "FormType": 1,
                "BBox": pdfdoc.PDFArray([0, 0, 10, 10]),
                "Filter": pdfdoc.PDFName("FlateDecode"),
            }
        )
        document.Reference(pdfdoc.PDFStream(head, drawing, filters=[]), internal)
        assert internal in document.idToObject
        canvas.doForm("chart-test")
    with relied_on(
        "reportlab", "pdfdoc.PDFString(enc='raw') and PDFArray.sequence", "boardpack/pdf/chart_form.py (_Copier)"
    ):
        array = pdfdoc.PDFArray([])
        array.sequence.extend([pdfdoc.PDFString(b"(raw)", enc="raw")])
    canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    with relied_on("reportlab", "the date formatter and form XObjects written as given", "boardpack/pdf"):
        assert b"D:20260924000000+00'00'" in pdf
        assert drawing in pdf  # the compressed bytes as they were, not compressed again


def test_reportlab_doc_template_asks_all_satisfied_after_each_pass():
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    asked = []

    class Counting(BaseDocTemplate):
        def _allSatisfied(self):
            asked.append(self.page)
            return super()._allSatisfied()

    document = Counting(io.BytesIO())
    document.addPageTemplates([PageTemplate("body", [Frame(50, 50, 400, 600)])])
    with relied_on(
        "reportlab",
        "BaseDocTemplate._allSatisfied",
        "boardpack/pdf/document.py (PackDocument), which "
        "holds the build for one more pass until the page count settles",
    ):
        document.multiBuild([Paragraph("text", getSampleStyleSheet()["Normal"])])
        assert asked


def test_reportlab_paragraph_takes_parsed_fragments_and_keeps_its_lines():
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    style = getSampleStyleSheet()["Normal"]
    with relied_on(
        "reportlab",
        "Paragraph(frags=...) and its .text, .frags, .bulletText, .blPara, ._wrapWidths",
        "boardpack/pdf/flowables.py (MeasuredParagraph)",
    ):
        parsed = Paragraph("<b>Bologna</b> follow-up with a line long enough to wrap " * 3, style)
        again = Paragraph(parsed.text, parsed.style, parsed.bulletText, frags=[f.clone() for f in parsed.frags])
        width, height = again.wrap(200, 1000)
        assert height == parsed.wrap(200, 1000)[1] and len(again.blPara.lines) > 1
        assert again._wrapWidths


def test_reportlab_table_keeps_its_row_heights():
    from reportlab.platypus import Table

    table = Table([["a"], ["b\nc"], ["d"]], colWidths=[100])
    table.wrap(100, 1000)
    with relied_on("reportlab", "Table._rowHeights", "boardpack/pdf/data_table.py (PagedTable)"):
        assert len(table._rowHeights) == 3 and table._rowHeights[1] > table._rowHeights[0]


def test_pypdf_stream_keeps_its_compressed_bytes():
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    canvas.drawString(10, 10, "chart")
    canvas.save()
    stream = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]["/Contents"].get_object()
    with relied_on(
        "pypdf", "StreamObject._data (the bytes still compressed)", "boardpack/pdf/chart_form.py (_Copier.stream)"
    ):
        raw = stream._data  # the bytes as stored in the file, still encoded
        assert isinstance(raw, bytes) and len(raw) > 20 and raw in buffer.getvalue()
        assert b"chart" in stream.get_data() and b"chart" not in raw


def test_python_pptx_picture_has_its_xml_element():
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")
    picture = slide.shapes.add_picture(io.BytesIO(png.getvalue()), 0, 0)
    with relied_on("python-pptx", "Picture._element.nvPicPr.cNvPr", "boardpack/exports.py (slide_deck's alt text)"):
        picture._element.nvPicPr.cNvPr.set("descr", "alt text")
        assert picture._element.nvPicPr.cNvPr.get("descr") == "alt text"
