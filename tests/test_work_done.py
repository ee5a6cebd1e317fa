"""Speed guards that count work instead of timing it (timings live in benchmarks/)."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import boardpack.charts as charts_package
import boardpack.charts.stage as stage
from boardpack import load_config, validate_inputs
from boardpack.charts import ChartPool, draw_charts, start_charts
from boardpack.charts.cache import ChartCache
from boardpack.errors import InputProblems
from boardpack.pipeline import build_pack
from boardpack.summarise import summarise

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # each test draws the sample charts or runs the command in a subprocess


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def validated(config):
    return validate_inputs(ROOT / "inputs", config)


def test_validate_never_imports_the_drawing_libraries():
    code = (
        "import sys, runpy; sys.argv = ['generate_report.py', 'validate', '--inputs', 'inputs'];\n"
        "try:\n    runpy.run_path('generate_report.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('matplotlib', 'reportlab', 'pptx', 'pypdf', 'openpyxl') if m in sys.modules)\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "HEAVY []" in result.stdout


@pytest.mark.slow
def test_the_main_process_never_imports_matplotlib_and_a_cached_run_starts_no_worker(tmp_path):
    # The workers draw (and import matplotlib); the main process lays out the pack meanwhile.
    code = (
        "import sys, runpy; sys.argv = ['generate_report.py', 'generate', '--output', sys.argv[1]];\n"
        "try:\n    runpy.run_path('generate_report.py', run_name='__main__')\nexcept SystemExit as exit:\n"
        "    print('EXIT', exit.code)\n"
        "print('MATPLOTLIB', 'matplotlib' in sys.modules)"
    )

    def generate() -> str:
        result = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert "EXIT 0" in result.stdout, result.stderr
        return result.stdout

    first = generate()
    assert "MATPLOTLIB False" in first and "Charts: 10 drawn, 0 unchanged" in first
    again = generate()  # the same inputs again: every chart from the cache, so no worker starts
    assert "MATPLOTLIB False" in again and "Charts: 0 drawn, 10 unchanged" in again
    assert (tmp_path / "2026-08-01" / "board-pack.pdf").is_file()


def test_a_pool_starts_no_worker_when_every_chart_comes_from_the_cache(tmp_path, validated, config):
    cache = ChartCache(tmp_path / "cache")
    summary = summarise(validated, config)
    draw_charts(summary, config, cache=cache)
    with ChartPool(2) as pool:
        pending = start_charts(summary, config, pool, cache=cache)
        assert pending.result().drawn == () and not pool.started


def test_the_pack_charts_are_drawn_first(tmp_path, validated, config):  # the PDF waits for them alone
    submitted = []

    class Recording(ChartPool):
        def submit(self, spec):
            submitted.append(spec.section)
            return super().submit(spec)

    with Recording(1) as pool:
        start_charts(summarise(validated, config), config, pool, first=("executive", "areas")).result()
    assert submitted[:2] == ["executive", "areas"] and set(submitted[2:]) == {"officer"}


def test_each_chart_is_drawn_once_per_format(monkeypatch, validated, config):
    saved = []
    original = Figure.savefig

    def counting_savefig(self, fname, *args, **kwargs):
        saved.append(kwargs.get("format"))
        return original(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counting_savefig)
    chart_set = draw_charts(summarise(validated, config), config, workers=1)
    count = len(chart_set.charts)
    # matplotlib lays each figure out once and saves it three times: the whole PDF, the PDF cropped
    # to the chart alone (for the pack and the slides) and the SVG; every PNG is rasterised from a PDF.
    assert sorted(saved) == sorted(["svg"] * count + ["pdf"] * 2 * count)
    for chart in chart_set.charts:
        assert all(
            png.startswith(b"\x89PNG") for png in (chart.png, chart.slide_png, chart.wide_png, chart.transparent_png)
        )


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
    target = frame.index[as_at & (frame["partner"] == "European Students' Union") & (frame["status"] == "Complete")][0]
    frame.at[target, "status"] = "Green"
    changed = summarise(dataclasses.replace(validated, activities=frame), config)
    third = draw_charts(changed, config, cache=cache)
    # Green and Complete both count as on track, so the on-track trend, the
    # heatmap (counts and progress), budget and metrics charts stay as they were.
    assert sorted(third.drawn) == sorted(["rag-overview", "status-by-period"])
    assert len(third.reused) == len(first.charts) - 2


@pytest.fixture(scope="module")
def sample_charts(validated, config):
    summary = summarise(validated, config)
    return summary, draw_charts(summary, config).charts


def _render(validated, config, summary, charts):
    import datetime as dt

    from boardpack.model import CoverOptions
    from boardpack.pdf import render_pack

    return render_pack(
        summary, charts, config, CoverOptions(meeting_date=dt.date(2026, 8, 1)), validated.sources, validated.notes
    )


def test_each_cell_text_is_parsed_once_per_style(monkeypatch, validated, config, sample_charts):
    from collections import Counter

    from reportlab.platypus.paraparser import ParaParser

    parsed = Counter()
    original = ParaParser.parse

    def counting_parse(self, text, style):
        parsed[(text, style.name)] += 1
        return original(self, text, style)

    monkeypatch.setattr(ParaParser, "parse", counting_parse)
    pack = _render(validated, config, *sample_charts)
    assert pack.layout_passes >= 2
    assert parsed and max(parsed.values()) == 1, parsed.most_common(3)


def test_the_first_layout_pass_draws_no_paragraph_and_no_chart(monkeypatch, validated, config, sample_charts):
    from reportlab.platypus.paragraph import Paragraph

    from boardpack.pdf.chart_form import ChartForm

    drawn_on = []  # the canvas of every paragraph and chart drawn
    draw_para, place = Paragraph.drawPara, ChartForm.place

    def counting_draw_para(self, *args, **kwargs):
        drawn_on.append(id(self.canv))
        return draw_para(self, *args, **kwargs)

    def counting_place(self, canvas):
        drawn_on.append(id(canvas))
        return place(self, canvas)

    monkeypatch.setattr(Paragraph, "drawPara", counting_draw_para)
    monkeypatch.setattr(ChartForm, "place", counting_place)
    summary, charts = sample_charts
    pack = _render(validated, config, summary, charts)
    assert pack.layout_passes == 2
    # Everything drawn was drawn on one canvas: the second (last) pass's.
    assert len(drawn_on) > len(charts) and len(set(drawn_on)) == 1


def _slow_worker_start() -> None:
    time.sleep(600)  # a worker still importing matplotlib, as long as it likes


@pytest.mark.slow
@pytest.mark.skipif(stage.pool_start_method() != "fork", reason="the slow start is patched into forked workers")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the run draws in its own process")
def test_a_failed_run_stops_its_workers_instead_of_waiting_for_them(tmp_path, monkeypatch):
    # Into a new folder the workers start with the run; bad inputs must not wait for them to
    # finish starting (or drawing): they are stopped, and nothing is written.
    workers = []

    class Recording(ChartPool):
        def start(self):
            started = super().start()
            workers.extend(multiprocessing.active_children())
            return started

    monkeypatch.setattr(charts_package, "ChartPool", Recording)
    monkeypatch.setattr(stage, "_start_worker", _slow_worker_start)
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    text = (inputs / "other-partners.csv").read_bytes().replace(b"Red", b"Purple", 1)
    (inputs / "other-partners.csv").write_bytes(text)
    with pytest.raises(InputProblems):
        build_pack(inputs, tmp_path / "reports")  # returns at all: it did not wait 600 s
    assert len(workers) == os.cpu_count()
    for worker in workers:
        worker.join(10)
        deadline = time.monotonic() + 10  # the pool's own thread may be reaping it this instant
        while worker.exitcode is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.exitcode == -signal.SIGTERM
    assert not any((tmp_path / "reports").glob("20*"))
