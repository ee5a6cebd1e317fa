"""Speed guards that count work instead of timing it (timings live in benchmarks/)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from boardpack import load_config, validate_inputs
from boardpack.chart_cache import ChartCache
from boardpack.charts import draw_charts
from boardpack.summarise import summarise

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def validated(config):
    return validate_inputs(ROOT / "inputs", config)


def test_validate_never_imports_the_drawing_libraries():
    code = ("import sys, runpy; sys.argv = ['generate_report.py', 'validate', '--inputs', 'inputs'];\n"
            "try:\n    runpy.run_path('generate_report.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('matplotlib', 'reportlab', 'pptx', 'pypdf', 'openpyxl') if m in sys.modules)\n"
            "print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "HEAVY []" in result.stdout


def test_each_chart_is_drawn_once_per_format(monkeypatch, validated, config):
    saved = []
    original = Figure.savefig

    def counting_savefig(self, fname, *args, **kwargs):
        saved.append(kwargs.get("format"))
        return original(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counting_savefig)
    chart_set = draw_charts(summarise(validated, config), config, workers=1)
    count = len(chart_set.charts)
    assert sorted(saved) == sorted(["png"] * count + ["svg"] * count + ["pdf"] * count)


def test_unchanged_inputs_redraw_nothing_and_one_partner_redraws_only_its_charts(tmp_path, validated, config):
    cache = ChartCache(tmp_path / "cache")
    summary = summarise(validated, config)
    first = draw_charts(summary, config, cache=cache)
    assert first.reused == () and len(first.drawn) == len(first.charts)

    again = draw_charts(summary, config, cache=cache)
    assert again.drawn == ()
    assert [c.png for c in again.charts] == [c.png for c in first.charts]

    # One ESU activity in the as-at period moves from Complete to Green (same area, same progress).
    frame = validated.activities.copy()
    as_at = frame["period"] == validated.as_at
    target = frame.index[as_at & (frame["partner"] == "European Students' Union")
                         & (frame["status"] == "Complete")][0]
    area_short = config.areas.find(frame.at[target, "area"]).short_name.lower()
    frame.at[target, "status"] = "Green"
    changed = summarise(dataclasses.replace(validated, activities=frame), config)
    third = draw_charts(changed, config, cache=cache)
    # Green and Complete both count as on track, so the on-track trend, the
    # heatmap (counts and progress) and the other partners' charts stay as they were.
    assert sorted(third.drawn) == sorted(["rag-overview", "partner-esu-progress", "partner-esu-trend",
                                          f"area-{area_short}-status"])
