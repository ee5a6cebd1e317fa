"""`charts`: every officer file from the shipped inputs, and nothing at all from bad ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    output = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(cli, ["charts", "--inputs", str(ROOT / "inputs"), "--output", str(output)])
    assert result.exit_code == 0, result.output
    # The pack's two (status-by-period, partner-area-heatmap), the officers' three
    # (rag-overview, trend-on-track, budget-spend) and five partners' metrics charts.
    assert "Wrote 10 charts" in result.output
    return output / "2025-26-Q4"


@pytest.mark.slow
def test_summary_json_matches_the_count_made_by_hand(run_folder):
    # Counted from the three sample files row by row (2025-26 Q4 against Q3),
    # independently of the program; see inputs/README.md.
    summary = json.loads((run_folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["as_at"] == "2025-26 Q4" and summary["previous"] == "2025-26 Q3"
    totals = summary["totals"]
    assert totals["activities"] == 25
    assert totals["by_status"] == {"Red": 3, "Amber": 4, "Green": 3, "Complete": 15, "Not started": 0}
    assert totals["changes"] == {"new": 1, "completed": 8, "improved": 2, "worsened": 4, "unchanged": 10}
    assert totals["overdue"] == 6
    assert totals["on_track_or_complete_pct"] == 72.0
    assert [p["short_name"] for p in summary["partners"]] == ["ESU", "CSA", "ACUI", "GSV", "Other"]
    assert [p["activities"] for p in summary["partners"]] == [6, 5, 4, 5, 5]
    assert len(summary["areas"]) == 6


@pytest.mark.slow
def test_every_chart_has_png_svg_data_and_alt_text(run_folder):
    charts = run_folder / "charts"
    names = sorted(p.stem for p in charts.glob("[0-9][0-9]-*.png") if not p.stem.endswith(("-16x9", "-transparent")))
    # Numbered in slide order, which is the pack's: executive, partners, areas.
    assert names == [
        "01-status-by-period",
        "02-trend-on-track",
        "03-rag-overview",
        "04-budget-spend",
        "05-partner-esu-metrics",
        "06-partner-csa-metrics",
        "07-partner-acui-metrics",
        "08-partner-gsv-metrics",
        "09-partner-other-metrics",
        "10-partner-area-heatmap",
    ]
    assert sorted(p.stem for p in charts.glob("*.svg")) == names
    for name in names:
        for suffix in (".svg", ".csv", ".txt", "-16x9.png", "-transparent.png"):
            assert (charts / f"{name}{suffix}").stat().st_size > 0, name + suffix
        dpi = Image.open(charts / f"{name}.png").info["dpi"]
        assert round(dpi[0]) == 300, name
    assert (run_folder / "slides.pptx").exists() and (run_folder / "summary.xlsx").exists()


def test_validation_error_writes_nothing(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    text = (inputs / "other-partners.csv").read_bytes().replace(b"Not started", b"Purple", 1)
    text = text.replace(b"Red", b"Purple", 1)
    (inputs / "other-partners.csv").write_bytes(text)
    output = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["charts", "--inputs", str(inputs), "--output", str(output)])
    assert result.exit_code == 1
    assert "Purple" in result.output and "nothing was written" in result.output
    assert not output.exists() or list(output.iterdir()) == []


@pytest.mark.slow
def test_the_index_lists_every_chart_in_slide_order_with_its_files(run_folder):
    import re

    page = (run_folder / "charts" / "index.html").read_text(encoding="utf-8")
    stems = re.findall(r'<img src="([^"]+)\.png"', page)
    assert stems == sorted(p.stem for p in (run_folder / "charts").glob("*.svg"))
    for href in re.findall(r'href="([^"]+)"', page):
        assert (run_folder / "charts" / href).is_file(), href
    assert "Activities by RAG status, period by period" in page and "Slide 2, picture in slides.pptx" in page


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)")
def test_headless_chromium_shows_the_index_with_its_pictures(run_folder, tmp_path):
    import subprocess

    shot = tmp_path / "index.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,1600",
            f"--screenshot={shot}",
            (run_folder / "charts" / "index.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1600)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    # The thumbnails loaded: the status colours of the first charts are on the screen, which text alone is not.
    for status in ("#C62F36", "#F4B942", "#5EA63C", "#15305E"):
        rgb = tuple(int(status[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, status


@pytest.mark.slow
def test_bare_charts_leave_out_their_title_subtitle_and_source(run_folder, tmp_path):
    output = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["charts", "--bare", "--output", str(output), "--no-history"])
    assert result.exit_code == 0, result.output
    bare = output / "2025-26-Q4" / "charts"
    for svg in sorted((run_folder / "charts").glob("*.svg")):
        framed, plain = svg.read_text(encoding="utf-8"), (bare / svg.name).read_text(encoding="utf-8")
        title = (run_folder / "charts" / f"{svg.stem}.txt").read_text(encoding="utf-8").splitlines()[0]
        # The title stays the SVG's <title> for screen readers; it is no longer drawn as text.
        assert framed.count(title) > plain.count(title), svg.name
        assert "Source:" in framed and "Source:" not in plain, svg.name
        with Image.open(bare / f"{svg.stem}.png") as image, Image.open(svg.with_suffix(".png")) as whole:
            assert image.width == whole.width and image.height < whole.height, svg.name
