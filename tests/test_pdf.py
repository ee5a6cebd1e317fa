"""The board pack PDF, read as a user reads it: with pypdf (text, bookmarks, links, metadata)
and pypdfium2 (where each character sits on the page).

The sample pack is built from the shipped inputs (validate -> summarise -> draw_charts
-> render_pack). Hostile and unusual text goes through summaries built here from small
frames, rendered without charts to keep the tests quick.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import tomllib
import types
from pathlib import Path

import openpyxl
import pytest
from helpers import ACTIVITIES_FILE, TEMPLATE, summary_of
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from reportlab.platypus import PageBreak, Spacer

from boardpack import validate_inputs
from boardpack.charts import draw_charts
from boardpack.config import Config, Registry
from boardpack.errors import TemplateError
from boardpack.model import CoverOptions, Period, SheetReport, SourceFile
from boardpack.narrative import DEFAULT_NARRATIVE, IMPLICATIONS, money, percent, render_narrative
from boardpack.pdf import RenderedPack, render_pack
from boardpack.pdf import pack as pack_module
from boardpack.pdf.data_table import data_table
from boardpack.pdf.flowables import para
from boardpack.pdf.fonts import register_fonts
from boardpack.pdf.styles import FRAME_HEIGHT, FRAME_WIDTH, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, build_styles
from boardpack.preview import render_pages
from boardpack.summarise import summarise
from boardpack.template_sections import parse_cover, parse_narrative

ROOT = Path(__file__).resolve().parent.parent
MEETING = dt.date(2026, 9, 24)
Q3, Q4 = Period(2025, 3), Period(2025, 4)
ESU = "European Students' Union"
CSA = "Commonwealth Students' Association"

MARKUP = '<b>x</b> <font size=40>y</font> <img src="/etc/passwd"/> <a href="http://example.com">z</a> & co'
SECTION_HEADINGS = (
    "Contents",
    "Executive summary",
    "Key messages",
    "What changed since",
    "Decisions for the Board",
    "Needs attention",
    "Partners",
    "Strategic areas",
    "Appendix",
    "A1 Full activity table",
    "A2 Data sources",
    "A3 Data quality notes",
    "A4 Glossary",
)


# --------------------------------------------------------------------------- helpers


def squash(text: str) -> str:
    """Extracted text with every run of whitespace as one space (lines wrap anywhere)."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def annotations(reader: PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object() if isinstance(annot, IndirectObject) else annot
            found.append(annot)
    return found


def images(reader: PdfReader) -> int:
    """How many image XObjects the pages use, forms included."""
    count = 0

    def scan(resources):
        nonlocal count
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                count += 1
            elif xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                scan(xobject["/Resources"])

    for page in reader.pages:
        scan(page.get("/Resources") or {})
    return count


def cover(**changes) -> CoverOptions:
    return CoverOptions(meeting_date=MEETING, **changes)


def activity(
    name: str,
    status: str = "Green",
    *,
    partner: str = ESU,
    area: str = "Education policy",
    period: Period = Q4,
    **values,
) -> dict:
    return {"partner": partner, "area": area, "activity": name, "period": period, "status": status, **values}


SOURCES = (
    SourceFile(
        name=ACTIVITIES_FILE,
        sha256="ab" * 32,
        size=1234,
        sheets=(SheetReport(name="Activities", table="activities", rows=3, header_row=1),),
    ),
)


def render(rows: list[dict], config: Config, charts=(), **cover_changes) -> RenderedPack:
    return render_pack(summary_of(rows, config), tuple(charts), config, cover(**cover_changes), SOURCES)


def with_narrative(config: Config, **settings) -> Config:
    """``config`` with some [narrative] settings changed, as load_config would read them."""
    return dataclasses.replace(config, narrative=parse_narrative({**raw_template()["narrative"], **settings}))


def raw_template() -> dict:
    """The shipped template as tomllib reads it."""
    return tomllib.loads(TEMPLATE.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the sample pack


@pytest.fixture(scope="session")
def sample(config):
    validated = validate_inputs(ROOT / "inputs", config)
    assert not validated.errors, validated.errors
    summary = summarise(validated, config)
    charts = draw_charts(summary, config).charts
    pack = render_pack(summary, charts, config, cover(), validated.sources, validated.notes)
    return types.SimpleNamespace(
        validated=validated,
        summary=summary,
        charts=charts,
        pack=pack,
        reader=PdfReader(io.BytesIO(pack.pdf)),
        texts=page_texts(pack.pdf),
    )


@pytest.mark.slow
def test_sample_pack_is_a4_with_a_sensible_page_count(sample):
    reader = sample.reader
    assert sample.pack.page_count == len(reader.pages)
    assert 10 <= len(reader.pages) <= 30
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)


@pytest.mark.slow
def test_executive_summary_starts_by_page_3_and_takes_at_most_two_pages(sample):
    pages = {title: page for _, title, page in outline(sample.reader)}
    assert pages["Cover sheet"] == 1 and pages["Contents"] == 2
    assert pages["Executive summary"] <= 3
    assert pages["Needs attention"] - pages["Executive summary"] <= 2


@pytest.mark.slow
def test_every_section_partner_and_area_is_in_the_text(sample):
    text = squash(" ".join(sample.texts))
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    for group in sample.summary.partners:
        assert group.name in text, group.name
        assert squash(group.description)[:60] in text, group.name
    for group in sample.summary.areas:  # one view of the areas: a row each
        assert group.name in text, group.name


@pytest.mark.slow
def test_bookmarks_for_every_section_partner_and_area(sample, config):
    entries = outline(sample.reader)
    titles = [title for _, title, _ in entries]
    for title in (
        "Cover sheet",
        "Contents",
        "Executive summary",
        "Decisions for the Board",
        "Needs attention",
        "Partners",
        "Strategic areas",
        "Appendix",
        "A1 Full activity table",
        "A2 Data sources",
        "A3 Data quality notes",
        "A4 Glossary",
    ):
        assert title in titles, title
    depth = {title: d for d, title, _ in entries}
    for entry in config.partners.entries:
        title = f"{entry.name} ({entry.short_name})"
        assert depth[title] == 1, title
        assert titles.index("Partners") < titles.index(title) < titles.index("Strategic areas")
    assert not any(entry.name in t for entry in config.areas.entries for t in titles)  # no section per area
    pages = [page for _, _, page in entries]
    assert pages == sorted(pages)  # bookmarks follow the pages


@pytest.mark.slow
def test_contents_lists_page_numbers_and_links_to_them(sample):
    reader = sample.reader
    bookmarks = {title: page for _, title, page in outline(reader)}
    contents = reader.pages[1].extract_text()
    for title in ("Executive summary", "Needs attention", "A4 Glossary"):
        match = re.search(re.escape(title) + r"\s+(\d+)", contents)
        assert match and int(match.group(1)) == bookmarks[title], title
    links = [a for a in reader.pages[1].get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 2 * 15  # title and page number of every line
    assert all("/Dest" in a.get_object() or "/A" in a.get_object() for a in links)


@pytest.mark.slow
def test_metadata_and_language(sample, config):
    reader = sample.reader
    info = reader.metadata
    assert info["/Author"] == config.organisation
    assert config.report_title in info["/Title"] and "2025-26 Q4" in info["/Title"]
    assert "24 September 2026" in info["/Subject"]
    assert "board pack" in info["/Keywords"] and "ESU" in info["/Keywords"]
    assert info["/CreationDate"].startswith("D:20260924")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


@pytest.mark.slow
def test_running_header_and_page_n_of_m_on_every_page_but_the_cover(sample, config):
    total = len(sample.texts)
    assert "Page 1 of" not in sample.texts[0]
    assert "Classification: Open" not in sample.texts[0]  # the cover has no running header
    for number, text in enumerate(sample.texts[1:], start=2):
        assert f"Page {number} of {total}" in text, number
        assert "Classification: Open" in text
        assert "24 September 2026" in text
        assert config.report_title in text


@pytest.mark.slow
def test_headline_figures_equal_the_summary(sample):
    totals = sample.summary.totals
    text = squash(" ".join(sample.texts[2:4]))
    red = totals.by_status["Red"]
    on_track = totals.by_status["Green"] + totals.by_status["Complete"]
    assert re.search(rf"Activities {totals.activities} as at", text)
    assert re.search(
        rf"On track or complete {re.escape(percent(totals.on_track_or_complete_pct))} "
        rf"{on_track} of {totals.activities}",
        text,
    )
    assert re.search(rf"Rated Red {red} and {totals.by_status['Amber']} Amber", text)
    assert re.search(rf"Overdue {totals.overdue} due by 31 Jul 2026", text)
    assert f"{percent(totals.spend_pct_of_budget)} {money(totals.spend)} of {money(totals.budget)}" in text
    changes = totals.changes
    assert (
        f"✚ new {changes['new']} · ✔ completed {changes['completed']} · ▲ improved {changes['improved']} "
        f"· ▼ worsened {changes['worsened']} · = unchanged {changes['unchanged']}"
    ) in text


@pytest.mark.slow
def test_moves_are_shown_with_arrows_and_words(sample):
    text = squash(" ".join(sample.texts))
    assert "Amber → Red ▼ worsened" in text
    assert "Red → Amber ▲ improved" in text


@pytest.mark.slow
def test_needs_attention_and_decisions_discuss_every_exception_with_commentary(sample):
    start = {t: p for _, t, p in outline(sample.reader)}
    text = squash(" ".join(sample.texts[start["Decisions for the Board"] - 1 : start["Partners"]]))
    for row in sample.summary.exceptions:
        assert squash(row.activity) in text
        if row.commentary:
            assert squash(row.commentary)[:50] in text


@pytest.mark.slow
def test_appendix_lists_sources_with_checksums_and_every_warning(sample):
    text = squash(" ".join(sample.texts))
    for source in sample.validated.sources:
        assert source.name in text
        grouped = " ".join(source.sha256[i : i + 8] for i in range(0, 64, 8))
        assert grouped in text
    for warning in sample.summary.warnings:
        assert f"row {warning.row}" in text and warning.file in text


@pytest.mark.slow
def test_the_cover_is_a_board_paper(sample, config):
    text = squash(sample.texts[0])
    for label in (
        "Meeting",
        "Paper reference",
        "Agenda item",
        "Purpose",
        "Presented by",
        "Classification",
        "Author",
        "Reporting period",
        "Summary",
        "Recommendations",
        "Implications",
    ):
        assert label in text, label
    for _, label in IMPLICATIONS:
        assert label in text
    assert config.organisation in text and config.board in text
    assert "The Board is asked to note" in text
    assert "For decision" in text  # the sample asks the Board for a decision
    for decision in sample.summary.decisions:
        assert squash(decision.decision).rstrip(".")[1:40] in text
    assert "Not stated" not in text  # the shipped template states every implication


def chart_forms(reader: PdfReader) -> dict[str, list]:
    """The chart form XObjects each page uses, by name (``FormXob.chart-<chart name>``)."""
    forms: dict[str, list] = {}
    for page in reader.pages:
        for name, xobject in (page["/Resources"].get("/XObject") or {}).items():
            if name.startswith("/FormXob.chart-"):
                forms.setdefault(name[len("/FormXob.chart-") :], []).append(xobject.get_object())
    return forms


@pytest.mark.slow
def test_charts_are_vectors_in_the_pack_font(sample):
    reader = sample.reader
    assert images(reader) == 0
    forms = chart_forms(reader)
    placed = [c.name for c in sample.charts if c.section in ("executive", "areas")]
    assert placed and sorted(forms) == sorted(placed)  # each chart of the pack placed, as a vector form
    assert all(len(uses) == 1 for uses in forms.values())
    fonts = set()
    resources = [page["/Resources"] for page in reader.pages]
    resources += [uses[0]["/Resources"] for uses in forms.values()]
    for found in resources:
        for font in (found.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert "DejaVuSans" in fonts
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"}
    text = squash(" ".join(sample.texts))
    for chart in sample.charts:
        if chart.name in placed:
            assert squash(chart.caption)[:40] in text  # every chart is placed, with its caption
    for words in ("All partners", "European Students' Union", "Social justice"):
        assert words in text  # chart text is text: found by search and copy
    # The pack heads each chart with its title once; the chart's own title and source line stay out.
    for chart in sample.charts:
        if chart.name in placed:
            assert text.count(squash(chart.title)) == 1, chart.title
    assert "Source: Students' Union international strategy trackers" not in text


@pytest.mark.slow
def test_every_character_is_inside_the_margins(sample):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(sample.pack.pdf)
    try:
        width = float(document[0].get_size()[0])
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            for i in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(i)
                if right <= left:  # spaces and line ends
                    continue
                assert left >= MARGIN_LEFT - 1.5, (index + 1, text.get_text_range(i, 1))
                assert right <= width - MARGIN_RIGHT + 1.5, (index + 1, text.get_text_range(i, 1))
                assert bottom >= 0.9 * 28.35, (index + 1, text.get_text_range(i, 1))
            text.close()
            page.close()
    finally:
        document.close()


@pytest.mark.slow
def test_no_page_is_blank_and_no_heading_ends_a_page(sample):
    for number, text in enumerate(sample.texts[1:], start=2):
        body = [line for line in text.splitlines() if line.strip()]
        assert len(body) > 6, number  # more than the running header and footer
    for _depth, title, _page in outline(sample.reader):
        if title == "Cover sheet":
            continue
        # the bookmark sits at the heading: at least 5 cm above the bottom margin
        item = next(i for i in _flat(sample.reader.outline) if i.title == title)
        assert float(item["/Top"]) - MARGIN_BOTTOM > 5 * 28.35, title


def _flat(items):
    for item in items:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


@pytest.mark.slow
def test_rendering_writes_no_files(sample, config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = render_pack(sample.summary, (), config, cover(), sample.validated.sources)
    assert result.pdf.startswith(b"%PDF") and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_two_renders_give_identical_bytes(sample, config):
    again = render_pack(
        sample.summary, sample.charts, config, cover(), sample.validated.sources, sample.validated.notes
    )
    assert again.pdf == sample.pack.pdf


@pytest.mark.slow
def test_each_chart_is_read_once_however_many_layout_passes(sample, config, monkeypatch):
    calls = []
    read = pack_module.ChartForm
    monkeypatch.setattr(pack_module, "ChartForm", lambda name, data: calls.append(name) or read(name, data))
    result = render_pack(sample.summary, sample.charts, config, cover(), sample.validated.sources)
    assert result.layout_passes >= 2
    assert sorted(calls) == sorted(c.name for c in sample.charts if c.section in ("executive", "areas"))


@pytest.mark.slow
def test_hatched_bars_keep_their_hatch_in_the_pack(sample):
    # matplotlib's own hatch patterns travel with the chart, so RAG is never colour alone in print.
    overview = chart_forms(sample.reader)["status-by-period"][0]
    patterns = overview["/Resources"]["/Pattern"].get_object()
    assert len(patterns) >= 3  # Red, Amber and Green each have a hatch


@pytest.mark.slow
def test_preview_renders_pages_to_png(sample, tmp_path):
    written = render_pages(sample.pack.pdf, tmp_path, scale=0.3, pages="1-2")
    assert [p.name for p in written] == ["page-01.png", "page-02.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written)


# --------------------------------------------------------------------------- options and template


def test_cover_options_override_the_template(config):
    pack = render(
        [activity("Bologna follow-up")],
        config,
        title="Strategy update for trustees",
        paper_ref="BoT/26/09/7",
        presented_by="The President",
        purpose="decision",
        classification="Confidential",
    )
    texts = page_texts(pack.pdf)
    cover_text = squash(texts[0])
    for value in ("Strategy update for trustees", "BoT/26/09/7", "The President", "For decision", "Confidential"):
        assert value in cover_text
    assert "Classification: Confidential" in texts[1]
    assert "Strategy update for trustees" in texts[1]


@pytest.mark.slow
def test_the_shipped_narrative_says_what_the_built_in_defaults_say(sample, config):
    # The shipped template states the implications the built-in defaults leave empty; the rest is the same.
    own = {"legal_governance", "equality", "sustainability"}
    bare = dataclasses.replace(
        config, narrative=parse_narrative({"implications": {k: config.narrative.implications[k] for k in own}})
    )
    options = dict(meeting_date=MEETING, paper_title="x", purpose="information")
    shipped, built_in = (
        render_narrative(sample.summary, config, **options),
        render_narrative(sample.summary, bare, **options),
    )
    assert shipped == built_in
    assert set(raw_template()["narrative"]) == set(DEFAULT_NARRATIVE)


def test_narrative_fills_in_figures_and_says_not_stated_for_empty_implications(config):
    custom = with_narrative(
        config,
        key_messages=["{{ totals.red }} Red out of {{ totals.activities }}; ESU has {{ partner.ESU.activities }}."],
        implications={"equality": "", "risk": "{% if totals.red %}Some risk{% endif %}"},
    )
    pack = render([activity("Bologna follow-up", "Red", commentary="Late"), activity("Mobility survey")], custom)
    text = squash(" ".join(page_texts(pack.pdf)))
    assert "1 Red out of 2; ESU has 2." in text
    assert "Equality and inclusion Not stated" in text
    assert "Risk Some risk" in text


@pytest.mark.parametrize(
    "source, words",
    [
        ("{{ totals.redd }}", "redd"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "[narrative] summary"),
    ],
)
def test_narrative_mistakes_and_unsafe_templates_are_template_errors(config, source, words):
    # Placeholders are known only from the summary, so these are found as the pack is made
    # (tests/test_config.py has what load_config finds).
    with pytest.raises(TemplateError, match=re.escape(words)):
        render([activity("Bologna follow-up")], with_narrative(config, summary=source))


@pytest.mark.slow
def test_a_long_executive_summary_stays_within_two_pages(sample, config):
    chatty = with_narrative(config, key_messages=[f"Message {i}: " + "a thoughtful sentence " * 30 for i in range(6)])
    pack = render_pack(sample.summary, sample.charts, chatty, cover(), sample.validated.sources)
    entries = outline(PdfReader(io.BytesIO(pack.pdf)))
    pages = {title: page for _, title, page in entries}
    assert pages["Decisions for the Board"] - pages["Executive summary"] <= 2


# --------------------------------------------------------------------------- hostile and unusual text


def test_markup_in_spreadsheet_and_template_text_prints_literally(config):
    partners = list(config.partners.entries)
    partners[0] = dataclasses.replace(partners[0], description=MARKUP)
    hostile = dataclasses.replace(config, partners=Registry("partner", tuple(partners)))
    rows = [
        activity(f"Task {MARKUP}", "Red", lead=MARKUP, commentary=MARKUP),
        activity("Mobility survey", "Amber", commentary="Fine & dandy <3"),
    ]
    pack = render(rows, with_narrative(hostile, key_messages=[MARKUP]), title=MARKUP)
    reader = PdfReader(io.BytesIO(pack.pdf))
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert text.count(MARKUP) >= 5  # cover title, key message, description, needs attention, tables
    assert "Fine & dandy <3" in text
    assert images(reader) == 0
    for annot in annotations(reader):
        action = annot.get("/A")
        assert not (action and action.get_object().get("/S") == "/URI"), annot
        assert "/URI" not in str(annot)
    assert PdfReader(io.BytesIO(pack.pdf)).metadata["/Title"].startswith(MARKUP)  # metadata is plain text


def test_welsh_greek_and_cyrillic_print_as_themselves(config):
    words = [
        "Llŷr Gruffudd",
        "Tŷ Hywel",
        "Gŵyl Ddewi",
        "Zoë Adeyemi",
        "José Ferreira",
        "Ελληνικά μαθήματα",
        "Киевский университет",
    ]
    rows = [activity(f"Visit {w}", "Amber", lead=w, commentary=f"Met {w}") for w in words]
    text = squash(" ".join(page_texts(render(rows, config).pdf)))
    for w in words:
        assert f"Visit {w}" in text
        assert f"Met {w}" in text


@pytest.mark.slow
def test_a_2000_character_word_and_a_50000_character_commentary_do_not_crash(config):
    word = "W" * 2000
    huge = ("Lorem ipsum dolor sit amet, " * 1800)[:50_000]
    rows = [
        activity(word, "Red", commentary=word, lead="L" * 500),
        activity("Long story", "Amber", commentary=huge),
        activity("Long unbroken", "Amber", commentary="x" * 50_000),
    ]
    pack = render(rows, with_narrative(config, key_messages=["{{ attention[1].commentary }}"]))
    text = squash(" ".join(page_texts(pack.pdf)))
    assert "(shortened; full text in summary.xlsx)" in text
    assert pack.page_count < 60


@pytest.mark.slow
def test_what_changed_goes_over_with_its_chart_when_the_chart_grows(config, tmp_path):
    """Periods over two strategy years add a line of years under each panel, so the status
    chart no longer fits under "What changed": the heading goes over with it."""
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    workbook = openpyxl.load_workbook(inputs / "acui-gsv.xlsx")
    sheet = workbook.active
    period = [cell.value for cell in sheet[1]].index("Period") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, period).value == "2025-26 Q1":
            sheet.cell(row, period).value = "2024-25 Q4"
    workbook.save(inputs / "acui-gsv.xlsx")
    validated = validate_inputs(inputs, config)
    summary = summarise(validated, config)
    pack = render_pack(summary, draw_charts(summary, config).charts, config, cover(), validated.sources)
    pages = [squash(text) for text in page_texts(pack.pdf)]
    assert page_of(pages, "What changed since 2025-26 Q3") == page_of(pages, "Activities by RAG status, period by")


@pytest.mark.parametrize("room", [240, 300, 360])
def test_decisions_for_the_board_is_never_alone_at_a_pages_foot(sample, config, monkeypatch, room):
    """However much of the page the executive summary leaves, the heading is on the page of D1."""
    executive = pack_module.executive_section

    def leaving_room(parts):  # the decisions start ``room`` points above a page's foot
        return [*executive(parts), PageBreak(), Spacer(1, FRAME_HEIGHT - room)]

    monkeypatch.setattr(pack_module, "executive_section", leaving_room)
    pack = render_pack(sample.summary, sample.charts, config, cover(), sample.validated.sources)
    pages = [squash(text) for text in page_texts(pack.pdf)]
    assert page_of(pages, "Decisions for the Board 2 activities ask") == page_of(pages, "D1 · ")


def page_of(pages: list[str], words: str) -> int:
    return next(number for number, text in enumerate(pages) if words in text)


def test_tables_are_exactly_as_wide_as_the_frame(config):
    styles = build_styles(config, register_fonts())
    table = data_table(["A", "B", "C"], [[para("x", styles.cell)] * 3], (0.2, 0.5, 0.4), styles)
    assert sum(table._colWidths) == pytest.approx(FRAME_WIDTH)
    assert table.repeatRows == 1 and table.splitByRow and not table.splitInRow


def test_a_number_is_never_broken_across_lines_however_narrow_its_column(config):
    """Amounts wider than their column (the areas' totals, the appendix's pence) are kept whole."""
    rows = [
        activity("Study tour", "Green", budget=1_000_000_000, spend=99_999.99),
        activity("Summit", "Amber", area="Sustainability", budget=126_200, spend=1_234_567.89),
    ]
    words = " ".join(squash(text) for text in page_texts(render(rows, config).pdf))
    # A broken number is extracted with a space or line break inside it.
    for amount in ("£1,000,000,000", "£99,999.99", "£100,000", "£126,200", "£1,234,567.89", "£1,234,568"):
        assert re.search(re.escape(amount) + r"(?![\d,.])", words), amount


def test_a_column_of_numbers_takes_its_room_from_the_words_without_breaking_a_word(config):
    styles = build_styles(config, register_fonts())
    header = ["Partner", "What", "Budget"]
    body = [[para("Partners", styles.cell), para("word " * 40, styles.cell), para("£1,234,567.89", styles.cell_right)]]
    table = data_table(
        header, body, (0.1, 0.8, 0.1), styles, header_styles=[styles.head, styles.head, styles.head_right]
    )
    partner, what, budget = table._colWidths
    assert sum(table._colWidths) == pytest.approx(FRAME_WIDTH)
    assert budget >= body[0][2].minWidth() + 8  # the number on one line, padding included
    assert partner >= body[0][0].minWidth() + 8  # the narrow column of words keeps its longest word whole
    assert what < FRAME_WIDTH * 0.8  # the room came from the wide column of words


def _long_table_pdf(config, rows: int) -> tuple[bytes, list[int]]:
    """A document holding one data table of ``rows`` numbered rows, some wrapping to several lines;
    also returns how many rows each Table reportlab built held."""
    from reportlab.platypus import SimpleDocTemplate, Table

    styles = build_styles(config, register_fonts())
    body = [[para(f"Row {i:04d}", styles.cell), para("word " * (i % 9) * 6, styles.cell)] for i in range(rows)]
    built = []
    original = Table.__init__

    def counting_init(self, data, *args, **kwargs):
        built.append(len(data))
        original(self, data, *args, **kwargs)

    buffer = io.BytesIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Table, "__init__", counting_init)
        SimpleDocTemplate(buffer).build([data_table(["Number", "Words"], body, (0.3, 0.7), styles)])
    return buffer.getvalue(), built


@pytest.mark.slow
def test_a_long_table_repeats_its_header_on_every_page_and_keeps_every_row_whole(config):
    pdf, _ = _long_table_pdf(config, 400)
    pages = page_texts(pdf)
    assert len(pages) > 10
    numbers = []
    for text in pages:
        assert squash(text).startswith("Number Words")  # the header heads every page
        numbers += [int(n) for n in re.findall(r"Row (\d{4})", text)]
    assert numbers == list(range(400))  # every row once, in order, none cut in two


def test_a_long_table_is_measured_once_not_again_at_every_page(config):
    rows = 400
    pdf, built = _long_table_pdf(config, rows)
    pages = len(page_texts(pdf))
    # One table of every row to measure them, then one small table a page. Split
    # by reportlab, each page would rebuild a table of all the rows still to come.
    assert sum(built) <= 2 * (rows + 1) + pages


def test_no_previous_period_and_no_exceptions(config):
    pack = render([activity("Bologna follow-up", "Complete", period=Q4)], config)
    text = squash(" ".join(page_texts(pack.pdf)))
    assert "Nothing needs the Board's attention" in text
    assert "every activity counts as new" in text


@pytest.mark.slow
def test_the_template_examples_in_the_docs_work(sample, config):
    """Every TOML example in docs/templates.md renders (docs kept honest by test)."""
    blocks = re.findall(r"```toml\n(.*?)```", (ROOT / "docs" / "templates.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    shipped = raw_template()
    for block in blocks:
        data = tomllib.loads(block)
        narrative = dict(shipped["narrative"])
        narrative.update({k: v for k, v in data.items() if k in DEFAULT_NARRATIVE})
        narrative.update(data.get("narrative", {}))
        if "implications" in narrative:
            narrative["implications"] = {**shipped["narrative"]["implications"], **narrative["implications"]}
        changed = dataclasses.replace(
            config,
            narrative=parse_narrative(narrative),
            cover=parse_cover({**shipped["cover"], **data.get("cover", {})}),
        )
        result = render_narrative(sample.summary, changed, meeting_date=MEETING, paper_title="x", purpose="decision")
        assert result.summary and result.recommendations and result.key_messages
    example = next(tomllib.loads(b)["narrative"] for b in blocks if "[narrative.implications]" in b)
    implications = render_narrative(
        sample.summary, with_narrative(config, **example), meeting_date=MEETING, paper_title="x", purpose="information"
    ).implications
    assert implications["sustainability"].startswith("The Sustainability area has ")
    assert implications["legal_governance"] == "None"


@pytest.mark.slow
def test_preview_joins_pages_into_a_thumbnail_strip(sample, tmp_path):
    from PIL import Image

    from boardpack.preview import main

    assert (
        main(
            [
                str(_write(tmp_path / "pack.pdf", sample.pack.pdf)),
                str(tmp_path / "pages"),
                "--pages",
                "1-3",
                "--scale",
                "0.3",
                "--strip",
                str(tmp_path / "strip.png"),
            ]
        )
        == 0
    )
    with Image.open(tmp_path / "strip.png") as strip:
        assert strip.width > 3 * strip.height * 0.6


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("data", [b"", b"%PDF-1.4 this is not a PDF", b"<svg/>"])
def test_a_chart_whose_pdf_cannot_be_read_falls_back_to_its_png(sample, config, data):
    good = next(c for c in sample.charts if c.section == "executive")
    broken = dataclasses.replace(good, pdf=data)
    pack = render_pack(sample.summary, (broken,), config, cover(), sample.validated.sources)
    reader = PdfReader(io.BytesIO(pack.pdf))
    assert images(reader) == 1 and chart_forms(reader) == {}


def test_characters_the_font_lacks_are_named_in_the_pack(config):
    rows = [activity("Welsh ŵ ŷ, Greek λ and Cyrillic ж print as themselves", commentary="Chinese 你好 and emoji 🦄")]
    text = squash(" ".join(page_texts(render(rows, config).pdf)))
    assert "ŵ ŷ" in text and "λ" in text and "ж" in text
    assert "cannot be shown in the pack's font" in text
    for code in ("U+4F60", "U+597D", "U+1F984"):
        assert code in text
    assert "U+0175" not in text  # ŵ is in the font


def test_no_note_when_every_character_can_be_shown(config):
    text = squash(" ".join(page_texts(render([activity("Plain text")], config).pdf)))
    assert "cannot be shown" not in text
