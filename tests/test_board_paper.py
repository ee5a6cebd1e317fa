"""The pack as a board paper: short, each activity named at most twice in the body, no near-empty page.

Checked on the sample pack and on a messier 31-activity, 5-partner, 4-period set
written here, read as a trustee reads them: the PDF's text (pypdfium2) and its
pages rendered to pixels, measuring how far down each page the ink goes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from helpers import EVERY_ACTIVITY_HEADER

from boardpack import CoverOptions, build_pack
from boardpack.pdf.styles import MARGIN_BOTTOM, MARGIN_TOP, PAGE_HEIGHT
from boardpack.summarise import summarise

ROOT = Path(__file__).resolve().parent.parent
MEETING = dt.date(2026, 9, 24)
PARTNERS = ("ESU", "CSA", "ACUI", "GSV", "Other")
AREAS = ("Education policy", "Capacity building", "Sustainability", "Social justice", "Student voice")

pytestmark = pytest.mark.slow


class Pack:
    """A built pack: its page texts, where the appendix starts, and the summary behind it."""

    def __init__(self, inputs: Path, output: Path) -> None:
        self.result = build_pack(inputs, output, cover=CoverOptions(meeting_date=MEETING))
        self.pdf = self.result.pdf
        document = pdfium.PdfDocument(str(self.pdf))
        try:
            self.texts = [page.get_textpage().get_text_range() for page in document]
            self.fills = [_ink_fill(page) for page in document]
        finally:
            document.close()
        self.summary = summarise(self.result.validated, _config())
        appendix = [i for i, text in enumerate(self.texts) if re.search(r"^Appendix\s*$", text, re.M)]
        assert appendix, "no page starts the appendix"
        self.body_pages = appendix[-1]  # pages before the one the appendix starts on

    @property
    def body_text(self) -> str:
        return _squash(" ".join(self.texts[: self.body_pages]))


def _config():
    from boardpack import load_config

    return load_config()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _ink_fill(page) -> float:
    """How far down the frame (between running header and footer) the lowest ink sits, 0 to 1."""
    scale = 1.0
    image = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    top, bottom = round(MARGIN_TOP * scale), round((PAGE_HEIGHT - MARGIN_BOTTOM) * scale)
    frame = image[top:bottom]
    inked = np.where((frame < 235).any(axis=1))[0]
    return 0.0 if not len(inked) else (inked[-1] + 1) / frame.shape[0]


def _check_paper(pack: Pack, *, body_limit: int, total_limit: int) -> None:
    assert pack.body_pages <= body_limit, f"the body runs to {pack.body_pages} pages"
    assert len(pack.texts) <= total_limit, f"the pack has {len(pack.texts)} pages"
    body = pack.body_text
    for activity in pack.summary.activities:
        name = _squash(activity.activity)
        assert body.count(name) <= 2, f"{name!r} appears {body.count(name)} times in the body"
    # Cover, contents and the last page may be short; every other page is at least 40% filled.
    for number, fill in enumerate(pack.fills, start=1):
        if number in (1, 2, len(pack.fills)):
            continue
        assert fill >= 0.4, f"page {number} is only {fill:.0%} filled"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Pack:
    return Pack(ROOT / "inputs", tmp_path_factory.mktemp("sample"))


def test_the_sample_pack_is_a_short_board_paper(sample):
    _check_paper(sample, body_limit=10, total_limit=16)


def test_every_activity_of_the_sample_is_in_the_body_and_the_appendix(sample):
    body = sample.body_text
    appendix = _squash(" ".join(sample.texts[sample.body_pages :]))
    for activity in sample.summary.activities:
        name = _squash(activity.activity)
        assert name in body, name
        assert name in appendix, name


def _messy_inputs(folder: Path) -> Path:
    """31 activities in 2025-26 Q4 over 5 partners and 4 periods, with long commentary, decisions,
    revised due dates and two activities that vanish after Q3."""
    folder.mkdir(parents=True, exist_ok=True)
    statuses = ("Green", "Amber", "Red", "Complete", "Not started", "Green", "Amber", "Complete")
    header = EVERY_ACTIVITY_HEADER
    rows = [header]
    for number in range(33):
        partner, area = PARTNERS[number % 5], AREAS[(number * 2) % 5]
        name = f"{partner} {area.lower()} project {number + 1}: a long activity title as staff really write it"
        for quarter in (1, 2, 3, 4):
            if number >= 31 and quarter == 4:
                continue  # two activities reported in Q3 are missing from Q4
            status = statuses[(number + quarter * (number % 3)) % len(statuses)]
            if number % 7 == 0:
                status = "Red"  # long-running Red
            progress = 100 if status == "Complete" else (number * 7 + quarter * 9) % 95
            commentary = (
                f"Quarter {quarter} update: " + "progress with the partner continues; " * (number % 4 + 1)
                if status != "Amber" or number % 2
                else ""
            )
            decision = (
                "Approve pausing this project until 2027 and returning the unspent budget"
                if quarter == 4 and number in (0, 14)
                else ""
            )
            revised = "30/09/2026" if quarter == 4 and number % 9 == 4 else ""
            rows.append(
                [
                    partner,
                    area,
                    name,
                    f"2025-26 Q{quarter}",
                    status,
                    progress,
                    f"{(number % 27) + 1:02d}/{(number % 12) + 1:02d}/2026",
                    f"Officer {number % 6}",
                    commentary,
                    1000 + 250 * number,
                    (1000 + 250 * number) * ((number % 10) / 9),
                    decision,
                    revised,
                ]
            )
    text = "\r\n".join(",".join(f'"{v}"' if isinstance(v, str) and "," in v else str(v) for v in row) for row in rows)
    (folder / "tracker.csv").write_text(text + "\r\n", encoding="utf-8")
    metrics = [
        ["Partner", "Metric", "Period", "Target", "Actual", "Unit", "Better when"],
        ["ESU", "Event spend", "2025-26 Q4", 2000, 2400, "£", "lower"],
        ["CSA", "Students reached", "2025-26 Q4", 150, 120, "number", "higher"],
    ]
    (folder / "metrics.csv").write_text(
        "\r\n".join(",".join(str(v) for v in r) for r in metrics) + "\r\n", encoding="utf-8"
    )
    return folder


def test_a_messier_31_activity_set_stays_a_short_board_paper(tmp_path):
    pack = Pack(_messy_inputs(tmp_path / "inputs"), tmp_path / "reports")
    assert len(pack.summary.activities) == 31
    assert len(pack.summary.missing_activities) == 2
    assert len(pack.summary.decisions) == 2
    _check_paper(pack, body_limit=12, total_limit=30)


def test_a_long_partner_and_a_long_attention_list_move_to_the_appendix_and_summary_xlsx(tmp_path):
    """With small [pack] limits: a partner lists only its most pressing, the appendix stops at its cap."""
    import dataclasses
    import io

    from helpers import act, summary_of
    from pypdf import PdfReader

    from boardpack.config import PackLimits
    from boardpack.model import Period
    from boardpack.pdf import render_pack

    config = dataclasses.replace(
        _config(), pack=PackLimits(attention_items=5, partner_activities=10, appendix_activities=20)
    )
    q3, q4 = Period(2025, 3), Period(2025, 4)
    rows = [act(f"Red task {i:02d}", q4, "Red") for i in range(45)]  # 45 exceptions at ESU
    rows += [act(f"Green task {i:02d}", q4, "Green") for i in range(15)]  # 60 ESU activities in all
    rows += [act("Earlier task", q3, "Green")]
    summary = summary_of(rows, config)
    pack = render_pack(summary, (), config, CoverOptions(meeting_date=MEETING), ())
    text = _squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages))
    assert (
        "European Students' Union has 60 activities, more than the 10 this pack lists in full; below are "
        "the 10 most pressing of the 45 that are Red, Amber, overdue, worsened or ask for a decision. "
        "Every activity is in summary.xlsx."
    ) in text
    assert "Items 6 to 45 (40 more) are listed in the appendix" in text
    assert (
        "Needs attention items 6 to 25, continuing the ranking of the section in the body. The other 20 are "
        "in the Needs attention sheet of summary.xlsx"
    ) in text
    assert "A1 Activities by partner" in text and "Full activity table" not in text
    assert pack.page_count < 20
