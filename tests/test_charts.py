"""The chart stage: specs from a Summary, and the drawn PNG/SVG charts.

Summaries are built through ``summarise`` from hand-made validated tables for
one partner, the five partners of the default template, and forty partners
with 80-character names (activities with 80-character names too). Drawing
checks use the laid-out figure: every visible text must lie inside the figure,
and category labels must not overlap one another.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import pickle
import random
import re
import xml.etree.ElementTree as ET

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from boardpack import chart_style as style
from boardpack.chart_drawing import build_figure, chart_context, render_chart, wrap_label
from boardpack.charts import ChartSpec, chart_specs, draw_charts, slugify
from boardpack.config import Registry, RegistryEntry, load_config
from boardpack.model import STATUSES, Chart, Period, ValidatedInputs
from boardpack.summarise import summarise
from boardpack.text import match_key

CONFIG = load_config()
PERIODS = (Period(2025, 1), Period(2025, 2), Period(2025, 3), Period(2025, 4))
NAN = float("nan")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

ACTIVITY_COLUMNS = ["partner", "area", "activity", "activity_key", "period", "status", "progress",
                    "due_date", "lead", "commentary", "budget", "spend", "file", "sheet", "row"]
METRIC_COLUMNS = ["partner", "area", "metric", "period", "target", "actual", "unit",
                  "file", "sheet", "row"]


# --------------------------------------------------------------------------- building summaries

def make_inputs(rows: list[dict], metrics: list[dict] = ()) -> ValidatedInputs:
    """A ValidatedInputs as validation hands it over, from row dicts."""
    blank = {"progress": NAN, "due_date": None, "lead": "", "commentary": "", "budget": NAN,
             "spend": NAN, "file": "inputs/strategy.xlsx", "sheet": "Activities"}
    records = [{**blank, "activity_key": match_key(r["activity"]), "row": i + 2, **r}
               for i, r in enumerate(rows)]
    metric_records = [{"file": "inputs/metrics.csv", "sheet": None, "row": i + 2, "area": "",
                       "target": NAN, "unit": "number", **m} for i, m in enumerate(metrics)]
    periods = sorted({r["period"] for r in records} | {m["period"] for m in metric_records})
    return ValidatedInputs(
        activities=pd.DataFrame(records, columns=ACTIVITY_COLUMNS),
        metrics=pd.DataFrame(metric_records, columns=METRIC_COLUMNS),
        as_at=max(periods), periods=tuple(periods), problems=(), sources=(), skipped=())


def with_registry(partners: list[tuple[str, str]], areas: list[tuple[str, str]] | None = None):
    """The default template with other partners (and areas): (name, short name) pairs."""
    config = dataclasses.replace(CONFIG, partners=Registry(
        "partner", tuple(RegistryEntry(name=n, short_name=s) for n, s in partners)))
    if areas is not None:
        config = dataclasses.replace(config, areas=Registry(
            "area", tuple(RegistryEntry(name=n, short_name=s) for n, s in areas)))
    return config


def history(config, activities_per_partner: int, *, seed: int, activity_name=None) -> list[dict]:
    """Rows for every partner over four periods; some activities start late or stop."""
    rng = random.Random(seed)
    areas = config.areas.names
    rows = []
    for p, partner in enumerate(config.partners.entries):
        for a in range(activities_per_partner):
            name = (activity_name(p, a) if activity_name
                    else f"{partner.short_name} activity {a + 1}")
            start = rng.choice([0, 0, 0, 1, 2])
            for period in PERIODS[start:]:
                status = rng.choice(STATUSES)
                progress = {"Complete": 100.0, "Not started": 0.0}.get(status, rng.choice(
                    [5.0, 10.0, 25.0, 40.0, 55.0, 70.0, 85.0, 95.0]))
                rows.append({
                    "partner": partner.name, "area": areas[(p + a) % len(areas)],
                    "activity": name, "period": period, "status": status,
                    "progress": progress if rng.random() > 0.1 else NAN,
                    "budget": float(rng.choice([0, 500, 1200, 2500, 12000])),
                    "spend": float(rng.choice([0, 250, 999.5, 2400, 13250])),
                    "commentary": "Update" if status in ("Red", "Amber") else "",
                })
    return rows


FIVE_METRICS = [
    {"partner": "European Students' Union", "metric": "Students reached", "period": PERIODS[3],
     "actual": 240.0, "target": 150.0},
    {"partner": "European Students' Union", "metric": "Policy submissions", "period": PERIODS[3],
     "actual": 2.0, "target": 3.0},
    {"partner": "Association of College Unions International", "metric": "Satisfaction",
     "period": PERIODS[3], "actual": 88.0, "target": 80.0, "unit": "%"},
    {"partner": "Other international partners", "metric": "External funding secured",
     "period": PERIODS[2], "actual": 18000.0, "unit": "£"},
    {"partner": "Other international partners",
     "metric": "Students from partner universities taking part in joint online modules and "
               "summer schools", "period": PERIODS[3], "actual": 1234.0, "target": 2000.0},
]


def five_rows() -> list[dict]:
    rows = history(CONFIG, 6, seed=5)
    # Names that test escaping and wrapping: $ (mathtext), & and < (XML), Welsh letters.
    rows.append({"partner": "European Students' Union", "area": "Student voice",
                 "activity": "Raise $5,000 & more for the <Erasmus+> Ŵyl Dewi exchange",
                 "period": PERIODS[3], "status": "Amber", "progress": 40.0,
                 "commentary": "Fundraising slower than planned"})
    rows.append({"partner": "Global Student Voice", "area": "Social justice",
                 "activity": "A very long activity name that goes on and on about the "
                             "solidarity fund for students affected by conflict and displacement",
                 "period": PERIODS[3], "status": "Red", "progress": 5.0, "commentary": "Late"})
    return rows


@pytest.fixture(scope="module")
def five():
    return summarise(make_inputs(five_rows(), FIVE_METRICS), CONFIG)


@pytest.fixture(scope="module")
def five_specs(five):
    return chart_specs(five, CONFIG)


@pytest.fixture(scope="module")
def five_charts(five):
    return draw_charts(five, CONFIG).charts


ONE_CONFIG = with_registry([("Students' Union of the University of Aberystwyth", "UMCA")])


@pytest.fixture(scope="module")
def one():
    rows = history(ONE_CONFIG, 3, seed=1)
    return summarise(make_inputs(rows), ONE_CONFIG)


def long_name(i: int, kind: str) -> str:
    text = f"{kind} {i:02d} of the international network of students' unions and associations"
    return (text + " for student representation")[:84]


FORTY_CONFIG = with_registry([(long_name(i, "Partner organisation"), f"P{i:02d}")
                              for i in range(1, 41)],
                             [(long_name(i, "Strategic area"), f"A{i}") for i in range(1, 9)])


@pytest.fixture(scope="module")
def forty():
    rows = history(FORTY_CONFIG, 4, seed=40,
                   activity_name=lambda p, a: long_name(a + 1, f"Joint project P{p + 1:02d}"))
    # One partner with many activities, so its progress chart is tall.
    first = FORTY_CONFIG.partners.entries[0].name
    rows += [{"partner": first, "area": FORTY_CONFIG.areas.names[0], "period": PERIODS[3],
              "activity": long_name(i, "Extra workstream activity"), "status": STATUSES[i % 5],
              "progress": float(i * 3 % 100)} for i in range(5, 35)]
    metrics = [{"partner": first, "metric": long_name(i, "Metric with a very long name"),
                "period": PERIODS[3], "actual": float(i * 10), "target": 100.0}
               for i in range(1, 4)]
    return summarise(make_inputs(rows, metrics), FORTY_CONFIG)


# --------------------------------------------------------------------------- checking figures

def drawn(spec: ChartSpec):
    """The spec's figure, laid out as render_chart saves it, and its renderer."""
    with chart_context():
        fig = build_figure(spec)
        fig.canvas.draw()
        return fig, fig.canvas.get_renderer()


def undrawn_tick_labels(fig) -> set[int]:
    """Tick labels matplotlib keeps but does not draw: their tick is outside the view."""
    skipped = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            margin = (high - low) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low - margin <= tick.get_loc() <= high + margin:
                    skipped |= {id(tick.label1), id(tick.label2)}
    return skipped


def visible_texts(fig) -> list[Text]:
    """Every text the figure draws, with something in it."""
    skipped = undrawn_tick_labels(fig)
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and id(t) not in skipped]


def overlap(a, b, tolerance: float = 1.0) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def assert_laid_out(spec: ChartSpec) -> None:
    """Every visible text lies inside the figure, and no two texts overlap (title,
    legend, tick labels, values): the figure is drawn once, as render_chart saves it."""
    fig, renderer = drawn(spec)
    page = fig.bbox
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in visible_texts(fig)]
    for text, box in boxes:
        assert (box.x0 >= page.x0 - 0.5 and box.y0 >= page.y0 - 0.5
                and box.x1 <= page.x1 + 0.5 and box.y1 <= page.y1 + 0.5), \
            f"{spec.name}: {text!r} at {box} lies outside the figure {page}"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not overlap(box_a, box_b), f"{spec.name}: {a!r} and {b!r} overlap"


def summary_wide(specs) -> list[ChartSpec]:
    """The charts of the whole summary plus the first partner's and first area's."""
    picked = [s for s in specs if not s.section.startswith(("partner:", "area:"))]
    first_partner = specs[4].section
    picked += [s for s in specs if s.section == first_partner]
    picked += [next(s for s in specs if s.section.startswith("area:"))]
    return picked


# --------------------------------------------------------------------------- names and specs

def test_chart_names_for_the_default_partners(five_specs):
    names = [s.name for s in five_specs]
    assert names == [
        "rag-overview", "trend-on-track", "budget-spend", "partner-area-heatmap",
        "partner-esu-progress", "partner-esu-trend", "partner-esu-metrics",
        "partner-csa-progress", "partner-csa-trend",
        "partner-acui-progress", "partner-acui-trend", "partner-acui-metrics",
        "partner-gsv-progress", "partner-gsv-trend",
        "partner-other-progress", "partner-other-trend", "partner-other-metrics",
        "area-edu-status", "area-cap-status", "area-sus-status", "area-sj-status",
        "area-sv-status", "area-il-status",
    ]
    sections = {s.name: s.section for s in five_specs}
    assert sections["rag-overview"] == "executive"
    assert sections["partner-area-heatmap"] == "areas"
    assert sections["partner-other-trend"] == "partner:Other"
    assert sections["area-sj-status"] == "area:SJ"


def test_names_are_stable_file_stems_and_unique(five_specs, forty, one):
    for specs in (five_specs, chart_specs(forty, FORTY_CONFIG), chart_specs(one, ONE_CONFIG)):
        names = [s.name for s in specs]
        assert len(names) == len(set(names))
        assert all(NAME_PATTERN.match(n) for n in names), names


@pytest.mark.parametrize("short, slug", [
    ("ESU", "esu"), ("Other", "other"), ("ACUI (USA)", "acui-usa"), ("Ŵyl & Co.", "wyl-co"),
    ("  ", "x"), ("NUS–UK", "nus-uk"),
])
def test_slugify(short, slug):
    assert slugify(short) == slug


def test_short_names_that_slugify_alike_get_numbered():
    config = with_registry([("Alpha", "A&B"), ("Beta", "A-B"), ("Gamma", "a b")])
    rows = [{"partner": n, "area": "Education policy", "activity": "x", "period": PERIODS[3],
             "status": "Green"} for n in ("Alpha", "Beta", "Gamma")]
    names = [s.name for s in chart_specs(summarise(make_inputs(rows), config), config)]
    assert {"partner-a-b-progress", "partner-a-b-2-progress",
            "partner-a-b-3-progress"} <= set(names)


def test_specs_are_hashable_picklable_and_pure(five, five_specs):
    again = chart_specs(five, CONFIG)
    assert again == five_specs
    assert len({hash(s) for s in five_specs}) == len(five_specs)
    assert pickle.loads(pickle.dumps(five_specs)) == five_specs


def test_every_spec_has_words(five_specs):
    for spec in five_specs:
        assert spec.title and spec.caption and spec.alt_text, spec.name
        assert spec.caption.endswith(".") and spec.alt_text.endswith("."), spec.name
        assert "\n" not in spec.caption + spec.alt_text


def test_rag_overview_counts_what_the_summary_counts(five, five_specs):
    spec = five_specs[0]
    frame = spec.frame()
    assert list(frame.columns) == ["partner", *STATUSES]
    for row, partner in zip(frame.itertuples(index=False), five.partners):
        assert row[0] == partner.name
        assert list(row[1:]) == [partner.by_status[s] for s in STATUSES]
    assert "European Students' Union" in spec.alt_text


def test_progress_labels_name_the_status(five, five_specs):
    spec = next(s for s in five_specs if s.name == "partner-esu-progress")
    rows = [a for a in five.activities if a.partner == "European Students' Union"]
    assert spec.categories == tuple(a.activity for a in rows)
    for label, row in zip(spec.series[0].labels, rows):
        if row.progress is None:
            assert label == f"{row.status} · no progress given"
        else:
            assert label == f"{row.status} · {row.progress:g}%"
    assert "Amber · 40%" in spec.series[0].labels
    assert list(spec.frame().columns) == ["activity", "area", "status", "progress_pct"]


def test_budget_labels_are_pounds_with_thousands_separators(five, five_specs):
    spec = next(s for s in five_specs if s.name == "budget-spend")
    budget, spend = spec.series
    for label, partner in zip(budget.labels, five.partners):
        assert re.fullmatch(r"£\d{1,3}(,\d{3})*", label)
        assert int(label[1:].replace(",", "")) == round(partner.budget)
    assert list(spec.frame().columns) == ["partner", "Budget", "Spend"]


def test_money_rounds_half_up():
    from boardpack.charts import _money
    assert [_money(v) for v in (999.5, 1000.49, 2500.5, 0, 1234567.0)] == \
        ["£1,000", "£1,000", "£2,501", "£0", "£1,234,567"]


def test_heatmap_data_has_every_partner_area_pair(five, five_specs):
    spec = next(s for s in five_specs if s.name == "partner-area-heatmap")
    frame = spec.frame()
    assert len(frame) == len(five.partners) * len(five.areas)
    assert frame["activities"].sum() == five.totals.activities
    cell = five.cell("European Students' Union", "Student voice")
    row = frame[(frame.partner == cell.partner) & (frame.area == cell.area)].iloc[0]
    assert row.activities == cell.activities
    assert row.mean_progress == pytest.approx(cell.mean_progress)


def test_metrics_only_for_partners_with_metrics(five_specs):
    spec = next(s for s in five_specs if s.name == "partner-other-metrics")
    assert spec.series[0].labels == ("£18,000 (no target)", "1,234 (target 2,000)")
    acui = next(s for s in five_specs if s.name == "partner-acui-metrics")
    assert acui.series[0].labels == ("88% (target 80%)",)
    assert not any(s.name == "partner-csa-metrics" for s in five_specs)


def test_partner_trend_shows_the_partners_counts_in_every_period(five, five_specs):
    spec = next(s for s in five_specs if s.name == "partner-esu-trend")
    frame = spec.frame()
    assert len(frame) == len(five.trend)
    for (_, row), point in zip(frame.iterrows(), five.trend):
        counts = point.partner_status["European Students' Union"]
        assert [row[s] for s in STATUSES] == [counts[s] for s in STATUSES]
    partner = five.partner("European Students' Union")
    assert [frame.iloc[-1][s] for s in STATUSES] == [partner.by_status[s] for s in STATUSES]


# --------------------------------------------------------------------------- style

def test_status_colours_differ_in_lightness_and_keep_text_readable():
    lightness = {s: style.lightness(style.STATUS_STYLES[s].colour) for s in STATUSES}
    for a, b in itertools.combinations(STATUSES, 2):
        assert abs(lightness[a] - lightness[b]) >= 15, (a, b, lightness)
    for status, look in style.STATUS_STYLES.items():
        assert style.contrast(look.colour, look.text_colour) >= 4.5, status
    hatches = [style.STATUS_STYLES[s].hatch for s in STATUSES]
    assert len(set(hatches)) == len(hatches)


def test_wrap_label_wraps_then_shortens_with_an_ellipsis():
    text = "Association of College Unions International and friends from far away places"
    wrapped = wrap_label(text, 120, 9, max_lines=2)
    lines = wrapped.split("\n")
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert wrap_label("Short", 120, 9) == "Short"
    assert wrap_label(text, 120, 9, 1, suffix=" (ACUI)").endswith("… (ACUI)")
    from boardpack.chart_drawing import _text_width
    assert all(_text_width(line, 9) <= 120 for line in lines)
    assert max(_text_width(line, 9) for line in
               wrap_label("Supercalifragilisticexpialidocious", 60, 9, 3).split("\n")) <= 60


# --------------------------------------------------------------------------- drawing

def test_every_chart_renders_as_png_at_300_dpi_and_svg_with_text(five_charts, five_specs):
    assert [c.name for c in five_charts] == [s.name for s in five_specs]
    for chart, spec in zip(five_charts, five_specs):
        assert isinstance(chart, Chart)
        assert (chart.section, chart.title, chart.caption, chart.alt_text) == \
            (spec.section, spec.title, spec.caption, spec.alt_text)
        image = Image.open(io.BytesIO(chart.png))
        assert image.format == "PNG"
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert image.size == (round(chart.width_in * 300), round(chart.height_in * 300))
        assert chart.width_in == style.FIGURE_WIDTH_IN
        root = ET.fromstring(chart.svg)
        texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert texts, f"{chart.name}: no text elements in the SVG"
        words = " ".join(" ".join(texts).split())
        assert " ".join(chart.title.split()) in words, (chart.name, texts[:3])
        assert b"DejaVu Sans" in chart.svg
        assert isinstance(chart.data, pd.DataFrame) and not chart.data.empty


def test_svg_keeps_awkward_names_as_text(five_charts):
    chart = next(c for c in five_charts if c.name == "partner-esu-progress")
    root = ET.fromstring(chart.svg)
    words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Raise $5,000 & more" in words  # not mathtext, escaped for XML
    assert "<Erasmus+>" in words or "<Erasmus+>" in words.replace("\n", " ")


def test_rendering_the_same_spec_twice_gives_identical_bytes(five_specs):
    for spec in (five_specs[0], five_specs[3], five_specs[4]):
        first, second = render_chart(spec), render_chart(spec)
        assert first.png == second.png, spec.name
        assert first.svg == second.svg, spec.name
        pd.testing.assert_frame_equal(first.data, second.data)


def test_rendering_ignores_global_matplotlib_settings(five_specs):
    spec = five_specs[0]
    before = render_chart(spec)
    with matplotlib.rc_context({"font.size": 20, "axes.facecolor": "pink",
                                "svg.fonttype": "path", "svg.hashsalt": None}):
        during = render_chart(spec)
    assert (during.png, during.svg) == (before.png, before.svg)
    assert matplotlib.rcParams["svg.fonttype"] == "path"  # restored after


def test_a_spec_survives_pickling_into_the_same_picture(five_specs):
    spec = five_specs[1]
    assert render_chart(pickle.loads(pickle.dumps(spec))).png == render_chart(spec).png


def test_texts_use_the_pack_font(five_specs):
    fig, _ = drawn(five_specs[0])
    for text in visible_texts(fig):
        assert text.get_fontname() == "DejaVu Sans", text.get_text()


def test_no_text_outside_the_figure_five_partners(five_specs):
    for spec in five_specs:
        assert_laid_out(spec)


def test_one_partner_draws_every_chart(one):
    specs = chart_specs(one, ONE_CONFIG)
    charts = draw_charts(one, ONE_CONFIG, workers=1).charts
    assert len(charts) == len(specs) == 4 + 2 + len(ONE_CONFIG.areas.entries)
    for spec in specs:
        assert_laid_out(spec)


def test_forty_partners_with_long_names(forty):
    specs = chart_specs(forty, FORTY_CONFIG)
    for spec in summary_wide(specs):
        assert_laid_out(spec)
    rag = specs[0]
    fig, _ = drawn(rag)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 40 and len(set(labels)) == 40
    assert all(label.endswith(f"… (P{i:02d})") for i, label in enumerate(labels, start=1))


def test_long_area_names_are_turned_and_shortened_in_the_heatmap(forty):
    spec = next(s for s in chart_specs(forty, FORTY_CONFIG) if s.name == "partner-area-heatmap")
    fig, _ = drawn(spec)
    headers = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(headers) == 8
    assert all(h.endswith(f"… (A{i})") and "\n" not in h for i, h in enumerate(headers, start=1))
    assert all(t.get_rotation() == 90 for t in fig.axes[0].get_xticklabels())


def test_names_with_dollars_stay_literal():
    config = with_registry([("Fund $A and $B partners", "FAB"), ("Cost $5 to $6 union", "C56")])
    rows = [{"partner": n, "area": "Education policy", "activity": f"Pay $1 then $2 ({n})",
             "period": p, "status": "Green", "progress": 50.0}
            for n in config.partners.names for p in PERIODS[2:]]
    specs = chart_specs(summarise(make_inputs(rows), config), config)
    for name in ("rag-overview", "trend-on-track", "partner-fab-progress"):
        chart = render_chart(next(s for s in specs if s.name == name))
        root = ET.fromstring(chart.svg)
        words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "Fund $A and $B partners" in words or "Pay $1 then $2" in words, name
        assert "Cost $5 to $6 union" in words or name == "partner-fab-progress", name


def test_progress_chart_grows_with_its_activities(forty):
    specs = {s.name: s for s in chart_specs(forty, FORTY_CONFIG)}
    many, few = specs["partner-p01-progress"], specs["partner-p02-progress"]
    assert len(many.categories) > 3 * len(few.categories)
    with chart_context():
        tall = build_figure(many).get_size_inches()[1]
        short = build_figure(few).get_size_inches()[1]
    assert tall > 2.5 * short


def test_segment_labels_are_shown_only_where_they_fit():
    config = with_registry([("Busy partner", "BUSY"), ("Quiet partner", "QUIET")])
    rows = [{"partner": "Busy partner", "area": "Education policy", "activity": f"a{i}",
             "period": PERIODS[3], "status": "Complete"} for i in range(200)]
    rows += [{"partner": "Quiet partner", "area": "Education policy", "activity": f"b{i}",
              "period": PERIODS[3], "status": s} for i, s in enumerate(STATUSES)]
    summary = summarise(make_inputs(rows), config)
    fig, renderer = drawn(chart_specs(summary, config)[0])
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
    boxed = [t for t in ax.texts if t.get_bbox_patch() is not None]
    assert any(not t.get_visible() for t in boxed)  # the quiet partner's 1s do not fit
    assert any(t.get_visible() and t.get_text() == "200" for t in boxed)
    for text in boxed:
        if not text.get_visible():
            continue
        x, y = text.get_position()
        bar = next(b for b in bars if b.get_x() <= x <= b.get_x() + b.get_width()
                   and b.get_y() <= y <= b.get_y() + b.get_height())
        inner, outer = text.get_window_extent(renderer), bar.get_window_extent(renderer)
        assert outer.x0 <= inner.x0 and inner.x1 <= outer.x1


def test_no_activities_draws_a_note_not_an_error():
    rows = [{"partner": "European Students' Union", "area": "Education policy",
             "activity": "only one", "period": PERIODS[3], "status": "Green"}]
    summary = summarise(make_inputs(rows), CONFIG)
    specs = chart_specs(summary, CONFIG)
    empty = next(s for s in specs if s.name == "partner-csa-progress")
    assert empty.note and not empty.categories
    for spec in (empty, next(s for s in specs if s.name == "area-il-status")):
        assert_laid_out(spec)
        assert render_chart(spec).png


# --------------------------------------------------------------------------- drawing cheaply

def one_of_each_kind(specs) -> list[ChartSpec]:
    kinds = {}
    for spec in specs:
        kinds.setdefault(spec.kind, spec)
    return list(kinds.values())


def test_layout_is_solved_while_building_and_never_while_saving(monkeypatch, five_specs):
    """Work, not seconds: a chart's layout is solved a few times at most while it is
    built (measuring), then frozen, so the PNG and SVG saves draw it as it is."""
    solves, saving = [], []
    execute, savefig = ConstrainedLayoutEngine.execute, Figure.savefig

    def counting_execute(self, fig):
        solves.append("while saving" if saving else "while building")
        return execute(self, fig)

    def marking_savefig(self, *args, **kwargs):
        saving.append(True)
        try:
            return savefig(self, *args, **kwargs)
        finally:
            saving.pop()

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counting_execute)
    monkeypatch.setattr(Figure, "savefig", marking_savefig)
    for spec in one_of_each_kind(five_specs):
        solves.clear()
        render_chart(spec)
        assert set(solves) == {"while building"}, (spec.name, solves)
        assert len(solves) <= 3, (spec.name, len(solves))


def test_values_beside_bars_end_inside_the_plot(five_specs, forty):
    """The room made on the right for values written after a bar's end is enough,
    and no more than enough: the longest ends 4 pt (and not much more) inside the axes."""
    specs = [*five_specs, *summary_wide(chart_specs(forty, FORTY_CONFIG))]
    for spec in specs:
        if spec.kind not in ("stacked-barh", "grouped-barh", "status-barh", "metrics"):
            continue
        fig, renderer = drawn(spec)
        for ax in fig.axes:
            right = ax.get_window_extent(renderer).x1
            ends = [t.get_window_extent(renderer).x1 for t in ax.texts
                    if t.get_visible() and t.get_text().strip() and t.get_horizontalalignment() == "left"]
            assert all(end <= right + 0.5 for end in ends), spec.name
            if spec.name in ("rag-overview", "budget-spend"):  # the longest bar's value needed room
                assert 4 * fig.dpi / 72 - 0.5 <= right - max(ends) <= 5 * fig.dpi / 72, spec.name


def test_png_is_exactly_the_pdf_page(five_specs):
    """The PNG is the chart's PDF page (what the pack prints) rasterised: RGB,
    300 dpi, title and description as text (UTF-8 where not Latin-1); the page
    holds the chart's words as text."""
    import pypdfium2 as pdfium

    spec = next(s for s in five_specs if s.name == "partner-esu-progress")
    assert "Ŵyl" in spec.alt_text
    chart = render_chart(spec)
    Image.open(io.BytesIO(chart.png)).verify()  # chunk lengths and checksums
    png = Image.open(io.BytesIO(chart.png))
    assert (png.format, png.mode) == ("PNG", "RGB")
    assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert png.text == {"Title": spec.title, "Description": spec.alt_text}

    page = pdfium.PdfDocument(chart.pdf)[0]
    from_pdf = page.render(scale=300 / 72, rev_byteorder=True).to_numpy()
    assert (np.asarray(png) == from_pdf[:png.height, :png.width]).all()
    assert png.size == (round(page.get_width() * 300 / 72), round(page.get_height() * 300 / 72))
    words = " ".join(page.get_textpage().get_text_range().split())
    assert " ".join(spec.title.split()) in words
    for category in spec.categories:
        assert category.split()[0] in words
