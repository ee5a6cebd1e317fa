"""slides.pptx: a 16:9 deck, a titled slide per chart in the order of the pack.

Built from a presentation whose slide masters and layouts are 16:9: python-pptx's
own (4:3) default, widened here (every master and layout shape is stretched
sideways, the slide size set to 13.333 x 7.5 in without a 4:3 type), with the
template's brand colours in its theme; or the union's own ``.pptx`` named in
the template's ``[branding] slides_template``, whose layouts are then used as
they are (any slides it holds are left out).

Every slide uses a layout with a title placeholder and puts its title there:

1. a title slide (the layout with a centred title): the paper's title, the
   organisation, the period and the meeting, with the logo when the template
   has one;
2. one slide per chart, in the order of the pack (the order of
   :func:`boardpack.charts.chart_specs`), on the layout with a title and nothing
   else: a native, editable PowerPoint chart where PowerPoint has one
   (:attr:`boardpack.model.Chart.native`, drawn by ``powerpoint_chart.py``), else the picture without its own
   title; the period and source in one line under it; the caption and the alt
   text (which names the figures) in the speaker notes;
3. when any chart is native, an appendix: a section slide, then each native
   chart again as its picture, for an officer who wants exactly what the pack
   shows.

Pure: returns bytes, reads no files (the slide template and logo come read in the config), and
carries no clock (fixed document dates, zip entries dated 1980).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable

from .config import Config
from .errors import TemplateError
from .formats import uk_date
from .model import Chart
from .powerpoint_chart import SlideArea, add_native_chart, rgb_hex
from .summary_model import Summary
from .template_sections import Logo

__all__ = ["slide_deck", "picture_name", "without_clock", "SLIDE_WIDTH_EMU", "SLIDE_HEIGHT_EMU"]

EMU_PER_INCH = 914400
SLIDE_WIDTH_EMU = 12192000  # 13.333 in: 16:9
SLIDE_HEIGHT_EMU = 6858000  # 7.5 in
_DEFAULT_WIDTH_EMU = 9144000  # python-pptx's default (4:3) slide
_FIXED_DATE = dt.datetime(2000, 1, 1)
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# Placeholder types (PP_PLACEHOLDER) by number, so layouts can be chosen without importing pptx here.
_TITLE, _BODY, _CENTER_TITLE, _SUBTITLE, _OBJECT = 1, 2, 3, 4, 7
_DATE, _FOOTER, _SLIDE_NUMBER = 16, 15, 13
_DECORATIONS = {_DATE, _FOOTER, _SLIDE_NUMBER}


def picture_name(index: int, chart: Chart) -> str:
    """A chart's numbered file stem, in slide order: "03-rag-overview"."""
    return f"{index:02d}-{chart.name}"


def slide_deck(
    charts: Iterable[Chart],
    summary: Summary,
    config: Config,
    *,
    title: str | None = None,
    meeting_date: dt.date | None = None,
) -> bytes:
    """slides.pptx as bytes: title slide, one slide per chart, then the pictures of the native charts.

    ``title`` is the paper's title (default: the template's cover title, else the
    report title); ``meeting_date`` the board meeting the deck is for.
    """
    from pptx.util import Pt

    charts = list(charts)
    deck = _presentation(config)
    title_layout, chart_layout, section_layout = _layouts(deck)
    paper_title = title or config.cover.title or config.report_title
    _title_slide(deck, title_layout, paper_title, summary, config, meeting_date, config.branding.logo)
    area = _content_area(deck, chart_layout)
    numbered = list(enumerate(charts, start=1))
    natives = [(i, c) for i, c in numbered if c.native is not None]
    appendix_at = 2 + len(charts) + 1  # the first picture slide of the appendix
    for index, chart in numbered:
        slide = _titled_slide(deck, chart_layout, chart.title)
        if chart.native is not None:
            add_native_chart(slide, chart.native, area, Pt)
            picture_at = appendix_at + 1 + [i for i, _ in natives].index(index)
            where = (
                f"This chart is editable: in PowerPoint, right-click it and choose Edit Data. The same "
                f"chart as a picture is on slide {picture_at} and in charts/{picture_name(index, chart)}.png."
            )
        else:
            _picture(slide, chart, area)
            where = f"The picture is also in charts/{picture_name(index, chart)}.png and .svg."
        _source_line(slide, chart, area, deck)
        _notes(slide, chart, where)
    if natives:
        section = _titled_slide(deck, section_layout, "Appendix: the editable charts as pictures", keep_body=True)
        _fill_body(
            section,
            "The same charts as pictures, exactly as the board pack and the charts folder "
            "show them, to paste where an editable chart is not wanted.",
        )
        for index, chart in natives:
            slide = _titled_slide(deck, chart_layout, chart.title)
            _picture(slide, chart, area)
            _source_line(slide, chart, area, deck)
            _notes(
                slide,
                chart,
                f"The picture of slide {1 + index}, also in charts/{picture_name(index, chart)}.png and .svg.",
            )

    properties = deck.core_properties
    properties.author = config.organisation
    properties.title = paper_title
    properties.subject = f"Charts of the {paper_title}, as at {summary.as_at.label}"
    properties.created = properties.modified = _FIXED_DATE
    properties.last_modified_by = config.organisation
    properties.revision = 1
    buffer = io.BytesIO()
    deck.save(buffer)
    return without_clock(buffer.getvalue())


# --------------------------------------------------------------------------- the presentation


def _presentation(config: Config):
    """The union's slide template without its slides, else the widened default."""
    from pptx import Presentation

    own = config.branding.slides_template  # read and checked by load_config
    if own is None:
        return _widescreen_default(config)
    deck = Presentation(io.BytesIO(own.data))
    _drop_slides(deck)
    return deck


def _drop_slides(deck) -> None:
    """Leave out the slides a slide template holds; its masters and layouts stay."""
    slide_ids = deck.slides._sldIdLst
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.get(_R_ID))
        slide_ids.remove(slide_id)


def _widescreen_default(config: Config):
    """python-pptx's default presentation made 16:9: slide size, masters and layouts, brand theme."""
    from pptx import Presentation

    deck = Presentation()
    size = deck.part._element.find(f"{_P}sldSz")
    size.set("cx", str(SLIDE_WIDTH_EMU))
    size.set("cy", str(SLIDE_HEIGHT_EMU))
    size.attrib.pop("type", None)  # "screen4x3" would call it an on-screen 4:3 show
    scale = SLIDE_WIDTH_EMU / _DEFAULT_WIDTH_EMU
    master = deck.slide_master
    for part in (master, *master.slide_layouts):
        for offset in part._element.iter(f"{_A}off", f"{_A}chOff"):
            offset.set("x", str(round(int(offset.get("x")) * scale)))
        for extent in part._element.iter(f"{_A}ext", f"{_A}chExt"):
            if extent.get("cx") is not None:
                extent.set("cx", str(round(int(extent.get("cx")) * scale)))
    _brand_theme(deck, config)
    return deck


def _brand_theme(deck, config: Config) -> None:
    """The template's primary colour as the theme's dark 2 and accent 1, its accent as accent 2;
    titles in dark 2, at 32 pt so that a chart's title fits one or two lines."""
    from lxml import etree

    primary, accent = config.branding.primary_colour, config.branding.accent_colour
    master = deck.slide_master
    theme_part = next(rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme"))
    theme = etree.fromstring(theme_part.blob)
    scheme = theme.find(f".//{_A}clrScheme")
    for slot, colour in (("dk2", primary), ("accent1", primary), ("accent2", accent)):
        element = scheme.find(f"{_A}{slot}")
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, f"{_A}srgbClr", val=rgb_hex(colour))
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
    title_style = master._element.find(f"{_P}txStyles/{_P}titleStyle/{_A}lvl1pPr/{_A}defRPr")
    if title_style is not None:
        title_style.set("sz", "3200")
        for fill in title_style.findall(f"{_A}solidFill"):
            for child in list(fill):
                fill.remove(child)
            etree.SubElement(fill, f"{_A}schemeClr", val="tx2")


def _types(layout) -> list[int]:
    return [int(ph.placeholder_format.type) for ph in layout.placeholders]


def _layouts(deck):
    """(title slide, chart slide, section) layouts, each with a title placeholder.

    The title slide's has a centred title (else any title); a chart slide's a title
    and no other content placeholder ("Title Only"), else the fewest others; the
    section slide's is "Section Header" where there is one, else the chart slide's.
    """
    layouts = list(deck.slide_layouts)
    titled = [layout for layout in layouts if {_TITLE, _CENTER_TITLE} & set(_types(layout))]
    if not titled:
        raise TemplateError(
            "[branding]: the slides template has no layout with a title placeholder; "
            "every slide needs one (PowerPoint: View > Slide Master)"
        )
    title_layout = next((layout for layout in titled if _CENTER_TITLE in _types(layout)), titled[0])

    def others(layout) -> int:
        return sum(1 for t in _types(layout) if t not in _DECORATIONS | {_TITLE, _CENTER_TITLE})

    chart_layout = min((layout for layout in titled if _TITLE in _types(layout)), key=others, default=titled[0])
    section_layout = next(
        (layout for layout in titled if layout.name.strip().lower() == "section header"), chart_layout
    )
    return title_layout, chart_layout, section_layout


def _titled_slide(deck, layout, title: str, *, keep_body: bool = False):
    """A new slide on ``layout`` with ``title`` in its title placeholder; its other placeholders
    go (but a text one when ``keep_body``), so no empty "Click to add text" is left."""
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = title
    title_id = slide.shapes.title.shape_id
    for placeholder in list(slide.placeholders):
        kind = int(placeholder.placeholder_format.type)
        if placeholder.shape_id == title_id or (keep_body and kind in (_BODY, _SUBTITLE)):
            continue
        placeholder._element.getparent().remove(placeholder._element)
    return slide


def _fill_body(slide, text: str) -> None:
    for placeholder in slide.placeholders:
        if int(placeholder.placeholder_format.type) in (_BODY, _SUBTITLE):
            placeholder.text = text
            return


def _content_area(deck, layout) -> SlideArea:
    """Where a chart goes: under the layout's title, as wide as the title, above a line for the source."""
    title = next(ph for ph in layout.placeholders if int(ph.placeholder_format.type) in (_TITLE, _CENTER_TITLE))
    inch = EMU_PER_INCH
    top = title.top + title.height + inch // 10
    bottom = deck.slide_height - round(0.75 * inch)  # the source line and the layout's footers
    left = max(title.left, inch // 3)
    width = min(title.width, deck.slide_width - 2 * left)
    return SlideArea(left, top, width, max(bottom - top, inch))


# --------------------------------------------------------------------------- slides


def _title_slide(deck, layout, title: str, summary: Summary, config: Config, meeting: dt.date | None, logo) -> None:
    from pptx.enum.text import PP_ALIGN

    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = title
    lines = [config.organisation, f"Progress as at {summary.as_at.label} (to {uk_date(summary.as_at_last_day)})"]
    if meeting is not None:
        lines.append(f"{config.board}, {uk_date(meeting)}")
    subtitle = next((ph for ph in slide.placeholders if int(ph.placeholder_format.type) in (_SUBTITLE, _BODY)), None)
    if subtitle is None:  # a template whose title layout has no subtitle: a text box under the title
        box = slide.shapes.title
        subtitle = slide.shapes.add_textbox(box.left, box.top + box.height, box.width, box.height)
    frame = subtitle.text_frame
    frame.text = lines[0]
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for paragraph in [*slide.shapes.title.text_frame.paragraphs, *frame.paragraphs]:
        paragraph.alignment = PP_ALIGN.CENTER
    if logo is not None:
        _logo(slide, deck, logo, slide.shapes.title.top)


def _logo(slide, deck, logo: Logo, above: int) -> None:
    """The logo centred above the title, at most 3 in wide and 1.2 in tall."""
    width, height = logo.width, logo.height
    inch = EMU_PER_INCH
    room = max(above - inch // 4, inch // 2)
    scale = min(3 * inch / width, min(1.2 * inch, room) / height)
    cx, cy = round(width * scale), round(height * scale)
    picture = slide.shapes.add_picture(
        io.BytesIO(logo.data), (deck.slide_width - cx) // 2, max((above - cy) // 2, 0), cx, cy
    )
    picture._element.nvPicPr.cNvPr.set("descr", "Logo")


def _picture(slide, chart: Chart, area: SlideArea) -> None:
    """The chart's picture without its title (the slide's title says it), fitted into ``area``
    at its own aspect ratio and centred."""
    image, width_in, height_in = chart.slide_picture()
    scale = min(area.width / width_in, area.height / height_in)
    width, height = round(width_in * scale), round(height_in * scale)
    left = area.left + (area.width - width) // 2
    picture = slide.shapes.add_picture(io.BytesIO(image), left, area.top, width, height)
    picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text)  # alt text for screen readers
    picture.name = f"Chart: {chart.name}"


def _source_line(slide, chart: Chart, area: SlideArea, deck) -> None:
    """The period and the source, in one small line under the chart."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    text = " · ".join(part for part in (chart.subtitle, chart.source) if part)
    if not text:
        return
    box = slide.shapes.add_textbox(
        area.left, area.top + area.height + EMU_PER_INCH // 20, area.width, EMU_PER_INCH // 3
    )
    box.name = "Period and source"
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    run = frame.paragraphs[0].runs[0]
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor.from_string("595959")


def _notes(slide, chart: Chart, where: str) -> None:
    """Speaker notes: how to read the chart, the chart in words (its key figures), where its files are."""
    slide.notes_slide.notes_text_frame.text = "\n\n".join(
        part for part in (chart.caption, chart.alt_text, where) if part
    )


# --------------------------------------------------------------------------- reproducible bytes

# Zip entries carry a modification time; python-pptx stamps each with the clock.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The made-on system (3 = Unix) and permissions (rw-------) of every entry: zipfile would
# otherwise write 0 on Windows, so the same deck would differ by platform.
_ZIP_SYSTEM, _ZIP_ATTR = 3, 0o600 << 16


def _entry_order(name: str) -> tuple[int, str]:
    """[Content_Types].xml first, as Office writes it, then every other part by name."""
    return (0 if name == "[Content_Types].xml" else 1, name)


def without_clock(package: bytes) -> bytes:
    """The same zip package with its entries in a fixed order (by name), each dated 1 January 1980,
    so that equal inputs give equal bytes whatever the clock, the library's order or the platform.

    Packages inside it (the workbook holding a native chart's data, which
    python-pptx writes with today's date) are treated the same way, and their
    document dates fixed.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in sorted(source.infolist(), key=lambda e: _entry_order(e.filename)):
            data = source.read(entry.filename)
            if entry.filename.endswith(".xlsx"):
                data = without_clock(data)
            elif entry.filename == "docProps/core.xml":
                data = _DOCUMENT_DATE.sub(rb"\g<1>" + _FIXED_STAMP + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = entry.compress_type
            fixed.create_system, fixed.external_attr = _ZIP_SYSTEM, _ZIP_ATTR
            target.writestr(fixed, data)
    return out.getvalue()


_FIXED_STAMP = _FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_DOCUMENT_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
