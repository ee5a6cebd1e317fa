"""The same inputs give the same bytes in every file of a run, whatever the clock says.

Two whole `generate` runs, each under its own clock (time-machine moves time.time,
datetime.now, date.today, localtime and the rest for this process and the chart
workers it forks), 32 years apart: a date or time that leaked into any file
would differ between them every time, so the test cannot pass by luck, and it
waits on nothing, so it cannot fail by timing.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"

pytestmark = pytest.mark.slow  # two whole packs

CLOCKS = {
    "a": dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    "b": dt.datetime(2033, 11, 12, 13, 14, 15, tzinfo=dt.UTC),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_generations_under_different_clocks_give_byte_identical_run_folders(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # matplotlib would take its dates from it
    monkeypatch.chdir(tmp_path)  # no templates/ here: the packaged template, as an installed tool uses
    runs = {}
    for name, clock in CLOCKS.items():
        with time_machine.travel(clock, tick=True):
            # The clock really is elsewhere, for every way of reading it.
            assert dt.datetime.now().year == dt.date.today().year == time.localtime().tm_year == clock.year
            assert abs(time.time() - clock.timestamp()) < 600
            result = CliRunner().invoke(cli, ["generate", "--inputs", str(INPUTS), "--output", name, "--quiet"])
        assert result.exit_code == 0, result.output
        output = tmp_path / name
        # Only the run folder, the chart cache and the history: no lock file or temporary folder left.
        assert sorted(p.name for p in output.iterdir()) == [".cache", "2026-08-01", "history.sqlite"]
        runs[name] = _files(output / "2026-08-01")

    first, second = runs["a"], runs["b"]
    assert sorted(first) == sorted(second)
    assert len(first) > 40 and {"board-pack.pdf", "slides.pptx", "summary.xlsx", "summary.json"} <= set(first)
    assert sum(name.endswith(".png") for name in first) >= 5
    assert [name for name in first if first[name] != second[name]] == []
