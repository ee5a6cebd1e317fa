"""Golden pages: the text of every page of two packs, kept under tests/golden/.

A change that moves content from one page to another, rewords it or drops it
shows up here as a diff of plain text files, one per page. When a change to the
pack is meant, rewrite the references on purpose and read their diff:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden

The packs: the shipped sample inputs, and a small three-partner set written
here, with a Red, an overdue and a worsened activity, a metric and a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from boardpack import CoverOptions, build_pack

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
MEETING = dt.date(2026, 9, 24)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as pdfium reads it: one line per text line, runs of spaces as one."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        texts = []
        for page in document:
            text = page.get_textpage().get_text_range()
            lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
            texts.append("\n".join(line for line in lines if line) + "\n")
        return texts
    finally:
        document.close()


def compare_with_golden(name: str, pdf: Path, update: bool, golden: Path = GOLDEN) -> None:
    """Every page's text equals tests/golden/<name>/page-NN.txt; --update-golden rewrites them."""
    folder = golden / name
    texts = page_texts(pdf)
    if update:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("page-*.txt"):
            stale.unlink()
        for number, text in enumerate(texts, start=1):
            (folder / f"page-{number:02d}.txt").write_text(text, encoding="utf-8")
        return
    expected = sorted(folder.glob("page-*.txt"))
    assert expected, f"no golden pages in {folder}: run pytest {__file__} --update-golden"
    assert len(texts) == len(expected), (
        f"{name}: the pack has {len(texts)} pages, the golden copy {len(expected)} "
        "(run with --update-golden if the change is meant, and read the diff)"
    )
    for number, (text, path) in enumerate(zip(texts, expected, strict=True), start=1):
        assert text == path.read_text(encoding="utf-8"), (
            f"{name}: page {number} differs from {path} "
            "(run with --update-golden if the change is meant, and read the diff)"
        )


def test_a_changed_word_or_a_lost_page_fails_the_comparison(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    def pdf(*pages: str) -> Path:
        path = tmp_path / "pack.pdf"
        canvas = Canvas(str(path), invariant=1)
        for text in pages:
            canvas.drawString(72, 720, text)
            canvas.showPage()
        canvas.save()
        return path

    golden = tmp_path / "golden"
    compare_with_golden("pack", pdf("Red 3", "Amber 4"), True, golden)
    assert (golden / "pack" / "page-02.txt").read_text(encoding="utf-8") == "Amber 4\n"
    compare_with_golden("pack", pdf("Red 3", "Amber 4"), False, golden)
    with pytest.raises(AssertionError, match="page 2 differs"):
        compare_with_golden("pack", pdf("Red 3", "Amber 5"), False, golden)
    with pytest.raises(AssertionError, match="has 1 pages, the golden copy 2"):
        compare_with_golden("pack", pdf("Red 3"), False, golden)


@pytest.mark.slow
def test_sample_pack_pages_match_golden(tmp_path, update_golden):
    result = build_pack(ROOT / "inputs", tmp_path / "reports", cover=CoverOptions(meeting_date=MEETING))
    compare_with_golden("sample", result.pdf, update_golden)


@pytest.mark.slow
def test_three_partner_pack_pages_match_golden(inputs, tmp_path, update_golden):
    rows = [
        [
            "Partner",
            "Area",
            "Activity",
            "Period",
            "Status",
            "Progress",
            "Due date",
            "Lead",
            "Commentary",
            "Budget",
            "Spend",
        ],
        [
            "ESU",
            "Education policy",
            "Bologna follow-up report",
            "2025-26 Q3",
            "Green",
            40,
            "31/07/2026",
            "VP Education",
            "Drafting",
            1000,
            200,
        ],
        [
            "ESU",
            "Education policy",
            "Bologna follow-up report",
            "2025-26 Q4",
            "Amber",
            70,
            "31/07/2026",
            "VP Education",
            "Awaiting partner comments",
            1000,
            600,
        ],
        [
            "ESU",
            "Student voice",
            "Delegation to the ESU Board Meeting",
            "2025-26 Q3",
            "Green",
            50,
            "15/05/2026",
            "President",
            "Booked",
            800,
            300,
        ],
        [
            "ESU",
            "Student voice",
            "Delegation to the ESU Board Meeting",
            "2025-26 Q4",
            "Complete",
            100,
            "15/05/2026",
            "President",
            "Attended",
            800,
            790,
        ],
        [
            "CSA",
            "Capacity building",
            "Leadership exchange",
            "2025-26 Q3",
            "Amber",
            20,
            "30/04/2026",
            "VP Welfare",
            "Visa delays",
            2500,
            900,
        ],
        [
            "CSA",
            "Capacity building",
            "Leadership exchange",
            "2025-26 Q4",
            "Red",
            30,
            "30/04/2026",
            "VP Welfare",
            "Host union withdrew; we propose to pause this until 2027",
            2500,
            2450,
        ],
        [
            "CSA",
            "Sustainability",
            "Climate toolkit translation",
            "2025-26 Q4",
            "Green",
            10,
            "31/12/2026",
            "Sustainability Officer",
            "",
            600,
            0,
        ],
        [
            "GSV",
            "Social justice",
            "Solidarity fund",
            "2025-26 Q3",
            "Green",
            60,
            "30/06/2026",
            "VP Welfare",
            "First grant paid",
            4000,
            2000,
        ],
        [
            "GSV",
            "Social justice",
            "Solidarity fund",
            "2025-26 Q4",
            "Amber",
            60,
            "30/06/2026",
            "VP Welfare",
            None,
            4000,
            2000,
        ],
    ]
    metrics = [
        ["Partner", "Metric", "Period", "Target", "Actual", "Unit"],
        ["ESU", "Students reached", "2025-26 Q3", 150, 90, "number"],
        ["ESU", "Students reached", "2025-26 Q4", 150, 240, "number"],
    ]
    # CSV, not xlsx: a workbook carries the time it was saved, and the appendix prints each file's checksum.
    inputs.csv("activities.csv", rows)
    inputs.csv("metrics.csv", metrics)
    result = build_pack(inputs.folder, tmp_path / "reports", cover=CoverOptions(meeting_date=MEETING))
    compare_with_golden("three-partners", result.pdf, update_golden)
