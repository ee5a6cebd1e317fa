"""board-pack.html in a real browser: headless Chromium, driven by Playwright, checked by axe-core.

What it needs, and where it looks (.ci/run installs all three):

* Chromium from the system's packages (``apt-get install chromium``), at
  ``/usr/bin/chromium`` or wherever ``BOARDPACK_CHROMIUM`` says; Playwright never
  downloads a browser of its own here;
* Playwright's Python package (a test dependency in pyproject.toml);
* axe-core's ``axe.min.js``, from the npm package pinned in tests/browser/
  (``npm ci --prefix tests/browser``), or wherever ``BOARDPACK_AXE`` says.

Without them the tests skip and say what is missing; in CI (``CI`` set) they fail
instead, so that CI never passes without having run them. Screenshots go to
``BOARDPACK_SCREENSHOTS`` when it names a folder, else to a temporary one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from helpers import IMG_LEAD, SCRIPT_NAME, write_hostile_inputs

from boardpack import CoverOptions, build_pack

ROOT = Path(__file__).resolve().parent.parent
MEETING = dt.date(2026, 9, 24)
CHROMIUM = Path(os.environ.get("BOARDPACK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
AXE = Path(
    os.environ.get("BOARDPACK_AXE")
    or Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
)
# Chromium as root in a container with no network but the package registries: no sandbox, and
# none of the background connections it would otherwise try at every start.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if not AXE.is_file():
        return f"axe-core's axe.min.js is not at {AXE} (npm ci --prefix tests/browser)"
    return None


MISSING = _missing()
if MISSING and os.environ.get("CI"):
    pytest.fail(f"CI must run the browser tests: {MISSING}", pytrace=False)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The sample's page and one built from hostile text, by name."""
    base = tmp_path_factory.mktemp("pages")
    write_hostile_inputs(base / "hostile-inputs")
    pages = {}
    for name, inputs in (("sample", ROOT / "inputs"), ("hostile", base / "hostile-inputs")):
        result = build_pack(inputs, base / name, cover=CoverOptions(meeting_date=MEETING))
        pages[name] = result.folder / "board-pack.html"
    return pages


class Opened:
    """A page opened in its own browser context, with every request it made."""

    def __init__(self, browser, path: Path, width: int, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def axe(self) -> list[dict]:
        """axe-core's WCAG 2.1 A and AA violations, each with the elements it found."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        return self.page.evaluate(
            """async (tags) => {
                 const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                 return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
               }""",
            WCAG_21_AA,
        )

    def focused(self) -> dict:
        return self.page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
                 return {tag: e.tagName.toLowerCase(), href: e.getAttribute('href'), id: e.id,
                         label: e.getAttribute('aria-labelledby'), text: e.textContent.trim().slice(0, 80),
                         outline: s.outlineStyle, top: r.top, bottom: r.bottom, height: innerHeight}; }"""
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser):
    pages: list[Opened] = []

    def open_(path: Path, width: int) -> Opened:
        pages.append(Opened(browser, path, width))
        return pages[-1]

    yield open_
    for page in pages:
        page.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", ["sample", "hostile"])
def test_axe_finds_no_wcag_21_aa_violation(packs, opened, name, width):
    page = opened(packs[name], width)
    violations = page.axe()
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations
    )


def test_screenshots_at_1280_and_375_and_no_sideways_scrolling_down_to_320(packs, opened, tmp_path):
    from PIL import Image

    folder = Path(os.environ.get("BOARDPACK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name in packs:
        for width in (1280, 375, 320):
            page = opened(packs[name], width)
            assert page.page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            if width != 320:
                path = folder / f"{name}-{width}.png"
                page.page.screenshot(path=str(path), full_page=True)
                with Image.open(path) as image:
                    assert image.width == width and image.height > 3000


@pytest.mark.parametrize("name", ["sample", "hostile"])
def test_no_request_leaves_the_page_and_its_policy_blocks_scripts_and_remote_loads(packs, opened, name):
    page = opened(packs[name], 1280)
    assert page.requests == [page.url]
    with page.page.expect_event("requestfailed") as failed:
        blocked = page.page.evaluate(
            """() => new Promise(resolve => {
                 const seen = [];
                 document.addEventListener('securitypolicyviolation', e => {
                   seen.push(e.effectiveDirective);
                   if (seen.length === 2) resolve(seen.sort());
                 });
                 const image = document.createElement('img');
                 image.src = 'https://example.invalid/pixel.png';
                 image.alt = '';
                 document.body.append(image);
                 const script = document.createElement('script');
                 script.textContent = 'window.ranInline = true';
                 document.body.append(script);
               })"""
        )
    assert blocked == ["img-src", "script-src-elem"]
    assert page.page.evaluate("window.ranInline === undefined")
    # Chromium reports the image it was asked for, and that the page's policy stopped it before the network.
    assert (failed.value.url, failed.value.failure) == ("https://example.invalid/pixel.png", "csp")
    assert page.requests == [page.url, "https://example.invalid/pixel.png"]


def test_hostile_text_shows_as_text_and_runs_nothing(packs, opened):
    page = opened(packs["hostile"], 1280)
    assert page.page.evaluate("document.scripts.length + document.images.length") == 0
    assert page.page.get_by_text(SCRIPT_NAME, exact=False).count() >= 3
    assert page.page.get_by_text(IMG_LEAD, exact=False).count() >= 1


def test_the_keyboard_alone_reaches_every_link_table_and_chart_in_reading_order(packs, opened):
    page = opened(packs["sample"], 1280)
    # What can take focus, in the order of the document.
    expected = page.page.evaluate(
        """() => [...document.querySelectorAll('a[href], [tabindex="0"], summary')]
             .filter(e => e.tagName === 'SUMMARY' || !e.closest('details:not([open])')).map(e =>
             ({tag: e.tagName.toLowerCase(), href: e.getAttribute('href'), label: e.getAttribute('aria-labelledby')}))"""
    )
    visited = []
    for _ in range(len(expected) + 1):
        page.page.keyboard.press("Tab")
        now = page.focused()
        if now["tag"] == "body" or (visited and now["href"] == "#main"):
            break
        assert now["outline"] != "none", now  # the focus can be seen
        assert now["bottom"] > 0 and now["top"] < now["height"], now  # and is scrolled into view
        visited.append(now)
    assert [{k: v[k] for k in ("tag", "href", "label")} for v in visited] == expected
    assert visited[0]["text"] == "Skip to the paper"
    contents = [v["text"] for v in visited if v["tag"] == "a" and v["href"] != "#main"]
    assert contents[:5] == [
        "Cover sheet",
        "Executive summary",
        "Decisions for the Board",
        "Needs attention",
        "Partners",
    ]
    # Every wide table and every chart is a stop, so that it can be scrolled from the keyboard.
    regions = {v["label"] for v in visited if v["label"]}
    assert {
        "chart-status-by-period-title",
        "chart-partner-area-heatmap-title",
        "attention-items-caption",
        "areas-table-caption",
        "appendix-activities-table-caption",
        *(f"partner-{i}-activities-caption" for i in range(1, 6)),
    } <= regions

    # The skip link takes the focus past the contents to the paper itself.
    page.page.goto(page.url)
    page.page.keyboard.press("Tab")
    page.page.keyboard.press("Enter")
    assert page.focused()["tag"] == "main"

    # A contents link takes the reader to its section, and Tab goes on from there.
    page.page.goto(page.url)
    page.page.locator('nav a[href="#attention"]').focus()
    page.page.keyboard.press("Enter")
    assert abs(page.page.evaluate("document.getElementById('attention').getBoundingClientRect().top")) < 2
    page.page.keyboard.press("Tab")
    assert page.focused()["label"] == "attention-items-caption"


def test_a_wide_table_scrolls_sideways_from_the_keyboard_on_a_phone(packs, opened):
    page = opened(packs["sample"], 375)
    region = page.page.locator('[aria-labelledby="attention-items-caption"]')
    region.focus()
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    for _ in range(5):
        page.page.keyboard.press("ArrowRight")
    assert region.evaluate("e => e.scrollLeft") > 0
