"""board-pack.html, read as a screen reader and a trustee would: its structure, its safety,
and that it says what the PDF says (tests/test_html_browser.py opens it in Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from helpers import (
    DECISION,
    EMOJI_NAME,
    IMG_LEAD,
    LONG_COMMENTARY,
    MARKUP_NAME,
    SCRIPT_NAME,
    SVG_METRIC,
    WELSH_NAME,
    write_hostile_inputs,
)
from test_golden import page_texts

from boardpack import CoverOptions, build_pack, load_config
from boardpack.charts.style import contrast
from boardpack.formats import money, number, percent
from boardpack.html.render import BACKGROUNDS, CONTENT_SECURITY_POLICY, brand_colours

ROOT = Path(__file__).resolve().parent.parent
MEETING = dt.date(2026, 9, 24)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self, *, skip=lambda node: False, apart: bool = False) -> str:
        """The text inside; ``apart`` puts a space around each element, as cells and lines are apart on screen."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not skip(child):
                inner = child.text(skip=skip, apart=apart)
                parts.append(f" {inner} " if apart else inner)
        return "".join(parts)

    def find_all(self, tag: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag]

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class Tree(HTMLParser):
    """The page as a tree of elements (the standard library's parser; the page is well formed)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.declarations: list[str] = []
        self.feed(page)
        self.close()

    def handle_decl(self, decl):
        self.declarations.append(decl)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"</{tag}> closes nothing"
        assert node is self.current, f"</{tag}> closes <{node.tag}> while <{self.current.tag}> is open"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def _hidden_or_chart_data(node: Node) -> bool:
    """Text a sighted reader does not see as prose: visually hidden words, a chart's title and
    description, and the chart data tables behind <details>."""
    return "vh" in node.classes or node.tag in ("title", "desc", "details", "style")


def visible_text(tree: Tree) -> str:
    body = tree.root.find_all("body")[0]
    return body.text(skip=_hidden_or_chart_data, apart=True)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    result = build_pack(
        ROOT / "inputs", tmp_path_factory.mktemp("sample") / "reports", cover=CoverOptions(meeting_date=MEETING)
    )
    page = (result.folder / "board-pack.html").read_text(encoding="utf-8")
    return result, page, Tree(page)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    write_hostile_inputs(base / "inputs")
    result = build_pack(base / "inputs", base / "reports", cover=CoverOptions(meeting_date=MEETING))
    page = (result.folder / "board-pack.html").read_text(encoding="utf-8")
    return result, page, Tree(page)


# --------------------------------------------------------------------------- structure


@pytest.mark.slow
def test_the_page_is_one_document_in_british_english_with_one_title(sample):
    _, page, tree = sample
    assert tree.declarations == ["DOCTYPE html"]
    html = tree.root.find_all("html")
    assert len(html) == 1 and html[0].attrs["lang"] == "en-GB"
    assert [m.attrs for m in tree.root.find_all("meta")][0] == {"charset": "utf-8"}
    assert tree.root.find_all("title")[0].text() == "International Strategy Progress Report, as at 2025-26 Q4"
    assert [h.text() for h in tree.root.find_all("h1")] == ["International Strategy Progress Report"]


@pytest.mark.slow
def test_headings_go_down_one_level_at_a_time(sample):
    _, _, tree = sample
    levels = [int(n.tag[1]) for n in tree.root.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    jumps = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert not jumps, jumps
    assert max(levels) == 4


@pytest.mark.slow
def test_landmarks_and_a_skip_link_first(sample):
    _, _, tree = sample
    body = tree.root.find_all("body")[0]
    top = [n.tag for n in body.children if isinstance(n, Node)]
    assert top == ["a", "header", "nav", "main", "footer"]
    skip = body.children[[isinstance(n, Node) for n in body.children].index(True)]
    assert skip.attrs["href"] == "#main" and skip.text() == "Skip to the paper"
    assert tree.root.find_all("main")[0].attrs["id"] == "main"
    nav = tree.root.find_all("nav")[0]
    assert tree.root.find_all("h2")[0].attrs["id"] == nav.attrs["aria-labelledby"] == "contents"


@pytest.mark.slow
def test_the_contents_are_the_pdfs_bookmarks_and_every_link_finds_its_section(sample):
    from pypdf import PdfReader

    result, _, tree = sample
    nav = tree.root.find_all("nav")[0]
    links = [(a.attrs["href"], a.text()) for a in nav.find_all("a")]

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    bookmarks = [t for t in titles(PdfReader(result.pdf).outline) if t != "Contents"]
    assert [text for _, text in links] == bookmarks  # "Cover sheet" first, as the PDF's first bookmark
    ids = Counter(n.attrs["id"] for n in tree.root.iter() if "id" in n.attrs)
    assert not [i for i, n in ids.items() if n > 1], "ids must be unique"
    for href, _ in links:
        assert ids[href[1:]] == 1, href
    for node in tree.root.iter():  # every in-page reference finds its target
        for name in ("aria-labelledby", "aria-describedby"):
            for ref in node.attrs.get(name, "").split():
                assert ids[ref] == 1, (node.tag, name, ref)


@pytest.mark.slow
def test_every_table_has_a_caption_and_headers_with_a_scope(sample):
    _, _, tree = sample
    tables = tree.root.find_all("table")
    assert len(tables) >= 20
    for table in tables:
        captions = [c for c in table.children if isinstance(c, Node) and c.tag == "caption"]
        assert len(captions) == 1 and captions[0].text().strip(), table.attrs
        headers = table.find_all("th")
        assert headers and all(th.attrs.get("scope") in ("col", "row") for th in headers), table.attrs
        assert all(th.attrs["scope"] == "col" for row in table.find_all("thead") for th in row.find_all("th"))


@pytest.mark.slow
def test_each_chart_is_an_inline_svg_image_named_and_described_by_its_alt_text(sample):
    result, _, tree = sample
    svgs = tree.root.find_all("svg")
    assert [s.attrs["aria-labelledby"] for s in svgs] == [
        "chart-status-by-period-title",
        "chart-partner-area-heatmap-title",
    ]
    for svg in svgs:
        name = svg.attrs["aria-labelledby"][len("chart-") : -len("-title")]
        (stem,) = [p.stem for p in (result.folder / "charts").glob(f"*{name}.txt")]  # numbered in slide order
        title, alt = (result.folder / "charts" / f"{stem}.txt").read_text(encoding="utf-8").split("\n\n", 1)
        assert svg.attrs["role"] == "img" and "viewbox" in svg.attrs
        assert [n.tag for n in svg.children if isinstance(n, Node)][:2] == ["title", "desc"]
        assert svg.find_all("title")[0].text() == title
        assert svg.find_all("desc")[0].text() == alt.strip()
        assert not any(n.tag in ("script", "foreignobject", "style", "metadata") for n in svg.iter())
        figure = svg.parent.parent
        assert figure.tag == "figure"
        details = figure.find_all("details")[0]
        assert details.find_all("summary")[0].text() == "The chart’s data as a table"
        data_rows = details.find_all("tbody")[0].find_all("tr")
        csv_rows = (result.folder / "charts" / f"{stem}.csv").read_text(encoding="utf-8-sig").strip().splitlines()
        assert len(data_rows) == len(csv_rows) - 1


@pytest.mark.slow
def test_status_is_always_a_word_never_a_colour_alone(sample):
    _, _, tree = sample
    chips = [n for n in tree.root.iter() if "status" in n.classes]
    assert chips
    assert {c.text() for c in chips} <= {"Red", "Amber", "Green", "Complete", "Not started"}
    assert all(any(cls.startswith("status-") for cls in c.classes) for c in chips)


# --------------------------------------------------------------------------- self-contained and safe


@pytest.mark.slow
def test_the_page_is_self_contained_and_forbids_scripts(sample):
    _, page, tree = sample
    metas = tree.root.find_all("meta")
    assert metas[1].attrs == {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY}
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "script" not in CONTENT_SECURITY_POLICY
    assert not [n.tag for n in tree.root.iter() if n.tag in ("script", "link", "iframe", "object", "embed")]
    for node in tree.root.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            if name in ("href", "src"):
                assert value.startswith(("#", "data:image/")), (node.tag, name, value)
    assert "url(http" not in page and "@import" not in page


@pytest.mark.slow
def test_hostile_text_prints_as_text(hostile):
    result, page, tree = hostile
    assert not [
        n
        for n in tree.root.iter()
        if n.tag in ("script", "img", "b", "i", "a")
        and n.parent.tag != "nav"
        and not (n.tag == "a" and n.attrs.get("href", "").startswith("#"))
    ]
    assert not [(n.tag, k) for n in tree.root.iter() for k in n.attrs if k.startswith("on")]
    text = re.sub(r"\s+", " ", visible_text(tree))
    for hostile_text in (SCRIPT_NAME, WELSH_NAME, EMOJI_NAME, MARKUP_NAME, IMG_LEAD, SVG_METRIC):
        assert hostile_text in text, hostile_text
    assert DECISION in text
    assert "&lt;script&gt;" in page and "<script" not in page
    # The 5,000-character commentary is cut where the PDF cuts it, with the same note.
    assert LONG_COMMENTARY[:1400] in text and LONG_COMMENTARY not in text
    assert "(shortened; full text in summary.xlsx)" in text
    assert "⚠ No commentary: ask the lead what is wrong and what is being done." in text


@pytest.mark.slow
def test_same_inputs_give_the_same_page(sample, tmp_path):
    result, page, _ = sample
    again = build_pack(ROOT / "inputs", tmp_path / "reports", cover=CoverOptions(meeting_date=MEETING))
    assert (again.folder / "board-pack.html").read_text(encoding="utf-8") == page


# --------------------------------------------------------------------------- the same paper as the PDF

FIGURE = re.compile(r"£[\d,]+(?:\.\d\d)?|\d[\d,]*(?:\.\d)?%")


def _squeezed(text: str) -> str:
    """Text without spaces, and without the symbols and emoji the PDF's font has no glyph for
    (the PDF prints them as empty boxes that carry no text)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("So", "Sk", "Cf"))


@pytest.mark.slow
@pytest.mark.parametrize("pack", ["sample", "hostile"])
def test_every_figure_and_activity_name_is_the_pdfs(pack, request):
    result, _, tree = request.getfixturevalue(pack)
    pdf = "".join(page_texts(result.pdf))
    html = visible_text(tree)
    # Every amount of money and every percentage, as often as the PDF prints it (its charts included).
    assert Counter(FIGURE.findall(html)) == Counter(FIGURE.findall(pdf))
    # Every activity name as often as the PDF prints it (table cells wrap, so spaces are ignored).
    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    for activity in summary["activities"]:
        name = _squeezed(activity["activity"])
        assert _squeezed(html).count(name) == _squeezed(pdf).count(name) >= 2, activity["activity"]


@pytest.mark.slow
def test_headline_figures_and_tables_agree_with_summary_json(sample):
    result, _, tree = sample
    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    totals = summary["totals"]
    figures = {}
    for item in [n for n in tree.root.iter() if "figures" in n.classes][0].find_all("li"):
        spans = {next(iter(s.classes)): s.text() for s in item.find_all("span")}
        figures[spans["figure-label"]] = spans["figure-value"]
    assert figures == {
        "Activities": number(totals["activities"]),
        "On track or complete": percent(totals["on_track_or_complete_pct"]),
        "Rated Red": number(totals["by_status"]["Red"]),
        "Overdue": number(totals["overdue"]),
        "Spend against budget": percent(totals["spend_pct_of_budget"]),
        "Decisions sought": number(len(summary["decisions"])),
    }
    ids = {n.attrs["id"]: n for n in tree.root.iter() if "id" in n.attrs}
    for i, partner in enumerate(summary["partners"], start=1):
        rows = ids[f"partner-{i}-activities"].find_all("tbody")[0].find_all("tr")
        expected = [a for a in summary["activities"] if a["partner"] == partner["name"]]
        assert [r.find_all("th")[0].text() for r in rows] == [a["activity"] for a in expected]
        cells = [[td.text() for td in r.find_all("td")] for r in rows]
        assert [c[-2:] for c in cells] == [
            [
                money(a["budget"]) if a["budget"] is not None else "–",
                money(a["spend"]) if a["spend"] is not None else "–",
            ]
            for a in expected
        ]
    last = ids["areas-table"].find_all("tbody")[0].find_all("tr")[-1]
    assert last.find_all("th")[0].text() == "All areas"
    assert [td.text() for td in last.find_all("td")][-4:] == [
        percent(totals["on_track_or_complete_pct"]),
        money(totals["budget"]),
        money(totals["spend"]),
        percent(totals["spend_pct_of_budget"]),
    ]


# --------------------------------------------------------------------------- colours


def test_brand_colours_are_darkened_until_text_reads_on_every_background(template_with):
    config = load_config(template_with('primary_colour = "#1F3A5F"', 'primary_colour = "#FFCC00"'))
    primary, accent = brand_colours(config)
    assert primary != "#FFCC00"
    for colour in (primary, accent):
        assert min(contrast(colour, b) for b in BACKGROUNDS) >= 4.5
    assert brand_colours(load_config())[0] == "#1F3A5F"  # the shipped colour already reads: kept as it is
