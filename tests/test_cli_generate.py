"""`generate`: the whole run as staff start it, read back as a trustee would."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent


def _generate(*args: str):
    return CliRunner().invoke(cli, ["generate", "--inputs", str(ROOT / "inputs"), *args])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("reports")
    result = _generate(
        "--output",
        str(output),
        "--meeting-date",
        "2026-09-24",
        "--title",
        "International update",
        "--paper-ref",
        "BoT/26/09",
        "--purpose",
        "decision",
        "--classification",
        "Confidential",
    )
    assert result.exit_code == 0, result.output
    return output, result


@pytest.mark.slow
def test_the_run_folder_holds_every_output(first_run):
    output, result = first_run
    folder = output / "2026-09-24"
    assert sorted(p.name for p in folder.iterdir()) == [
        "board-pack.html",
        "board-pack.pdf",
        "charts",
        "slides.pptx",
        "summary.json",
        "summary.xlsx",
    ]
    pages = len(PdfReader(folder / "board-pack.pdf").pages)
    assert result.output.strip().splitlines()[-1] == f"Wrote {folder / 'board-pack.pdf'} ({pages} pages)"
    assert pages <= 30


@pytest.mark.slow
def test_cover_options_reach_the_pack(first_run):
    output, _ = first_run
    reader = PdfReader(output / "2026-09-24" / "board-pack.pdf")
    cover = " ".join(reader.pages[0].extract_text().split())
    for text in ("International update", "BoT/26/09", "Confidential", "24 September 2026"):
        assert text in cover
    assert "decision" in cover.lower()
    assert "Confidential" in reader.pages[1].extract_text()  # running header


@pytest.mark.slow
def test_same_inputs_give_the_same_bytes_with_or_without_the_chart_cache(first_run, tmp_path):
    output, _ = first_run
    args = (
        "--meeting-date",
        "2026-09-24",
        "--title",
        "International update",
        "--paper-ref",
        "BoT/26/09",
        "--purpose",
        "decision",
        "--classification",
        "Confidential",
    )
    first = (output / "2026-09-24" / "board-pack.pdf").read_bytes()
    cached = _generate("--output", str(output), *args)  # charts from the cache
    assert "0 drawn, 10 unchanged" in cached.output
    assert (output / "2026-09-24" / "board-pack.pdf").read_bytes() == first
    fresh = _generate("--output", str(tmp_path), *args)  # every chart drawn again
    assert fresh.exit_code == 0
    assert (tmp_path / "2026-09-24" / "board-pack.pdf").read_bytes() == first


@pytest.mark.slow
def test_default_meeting_date_is_the_day_after_the_period(tmp_path):
    result = _generate("--output", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2026-08-01" / "board-pack.pdf").exists()
    assert len(result.output.strip().splitlines()) == 1  # --quiet: only the closing line


@pytest.mark.slow
def test_a_failed_run_leaves_the_previous_pack_byte_identical(first_run, tmp_path):
    output, _ = first_run
    folder = output / "2026-09-24"
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    original = (inputs / "other-partners.csv").read_bytes()
    broken = original.replace(b",Red,", b",Purple,", 1)
    assert broken != original
    (inputs / "other-partners.csv").write_bytes(broken)
    result = CliRunner().invoke(
        cli, ["generate", "--inputs", str(inputs), "--output", str(output), "--meeting-date", "2026-09-24"]
    )
    assert result.exit_code == 1
    assert "Purple" in result.output and "nothing was written" in result.output
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in output.iterdir() if ".new-" in p.name]


@pytest.mark.parametrize("args", [["--purpose", "gossip"], ["--meeting-date", "24/09/2026"], ["--colour"]])
def test_usage_mistakes_exit_2(args, tmp_path):
    result = _generate("--output", str(tmp_path), *args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # click's usage error, not a crash
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_pdf_text_has_the_headline_figures(first_run):
    import json

    output, _ = first_run
    folder = output / "2026-09-24"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    text = io.StringIO()
    for page in PdfReader(folder / "board-pack.pdf").pages[2:4]:
        text.write(page.extract_text())
    executive = text.getvalue()
    totals = summary["totals"]
    assert f"{totals['on_track_or_complete_pct']:.0f}%" in executive
    assert str(totals["activities"]) in executive and str(totals["overdue"]) in executive
