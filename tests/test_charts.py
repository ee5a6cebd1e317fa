"""The chart stage: specs from a Summary, and the drawn PNG/SVG charts.

Summaries are built through ``summarise`` from hand-made validated tables for
one partner, the five partners of the default template, and forty partners
with 80-character names (activities with 80-character names too). Drawing
checks use the laid-out figure: every visible text must lie inside the figure,
and no two texts overlap. Every number written on a chart follows
``boardpack.formats``: whole pounds, whole-number percentages.
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
from helpers import validated_inputs
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from boardpack import formats
from boardpack.charts import ChartSpec, chart_specs, draw_charts, render_chart, slugify, style
from boardpack.charts.draw import build_figure, chart_context, wrap_label
from boardpack.config import Config, Registry, RegistryEntry, load_config
from boardpack.model import STATUSES, Chart, Period
from boardpack.summarise import summarise
from boardpack.summary_model import Summary

CONFIG = load_config()
PERIODS = (Period(2025, 1), Period(2025, 2), Period(2025, 3), Period(2025, 4))
NAN = float("nan")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# --------------------------------------------------------------------------- building summaries


def with_registry(partners: list[tuple[str, str]], areas: list[tuple[str, str]] | None = None):
    """The default template with other partners (and areas): (name, short name) pairs."""
    config = dataclasses.replace(
        CONFIG, partners=Registry("partner", tuple(RegistryEntry(name=n, short_name=s) for n, s in partners))
    )
    if areas is not None:
        config = dataclasses.replace(
            config, areas=Registry("area", tuple(RegistryEntry(name=n, short_name=s) for n, s in areas))
        )
    return config


def history(config, activities_per_partner: int, *, seed: int, activity_name=None) -> list[dict]:
    """Rows for every partner over four periods; some activities start late or stop."""
    rng = random.Random(seed)
    areas = config.areas.names
    rows = []
    for p, partner in enumerate(config.partners.entries):
        for a in range(activities_per_partner):
            name = activity_name(p, a) if activity_name else f"{partner.short_name} activity {a + 1}"
            start = rng.choice([0, 0, 0, 1, 2])
            for period in PERIODS[start:]:
                status = rng.choice(STATUSES)
                progress = {"Complete": 100.0, "Not started": 0.0}.get(
                    status, rng.choice([5.0, 10.0, 25.0, 40.0, 55.0, 70.0, 85.0, 95.0])
                )
                rows.append(
                    {
                        "partner": partner.name,
                        "area": areas[(p + a) % len(areas)],
                        "activity": name,
                        "period": period,
                        "status": status,
                        "progress": progress if rng.random() > 0.1 else NAN,
                        "budget": float(rng.choice([0, 500, 1200, 2500, 12000])),
                        "spend": float(rng.choice([0, 250, 999.5, 2400, 13250])),
                        "commentary": "Update" if status in ("Red", "Amber") else "",
                    }
                )
    return rows


FIVE_METRICS = [
    {
        "partner": "European Students' Union",
        "metric": "Students reached",
        "period": PERIODS[3],
        "actual": 240.0,
        "target": 150.0,
    },
    {
        "partner": "European Students' Union",
        "metric": "Policy submissions",
        "period": PERIODS[3],
        "actual": 2.0,
        "target": 3.0,
    },
    {
        "partner": "Association of College Unions International",
        "metric": "Satisfaction",
        "period": PERIODS[3],
        "actual": 88.0,
        "target": 80.0,
        "unit": "%",
    },
    {
        "partner": "Other international partners",
        "metric": "External funding secured",
        "period": PERIODS[2],
        "actual": 18000.0,
        "unit": "£",
    },
    {
        "partner": "Other international partners",
        "metric": "Students from partner universities taking part in joint online modules and summer schools",
        "period": PERIODS[3],
        "actual": 1234.0,
        "target": 2000.0,
    },
]


def five_rows() -> list[dict]:
    rows = history(CONFIG, 6, seed=5)
    # Names that test escaping and wrapping: $ (mathtext), & and < (XML), Welsh letters.
    rows.append(
        {
            "partner": "European Students' Union",
            "area": "Student voice",
            "activity": "Raise $5,000 & more for the <Erasmus+> Ŵyl Dewi exchange",
            "period": PERIODS[3],
            "status": "Amber",
            "progress": 40.0,
            "commentary": "Fundraising slower than planned",
        }
    )
    rows.append(
        {
            "partner": "Global Student Voice",
            "area": "Social justice",
            "activity": "A very long activity name that goes on and on about the "
            "solidarity fund for students affected by conflict and displacement",
            "period": PERIODS[3],
            "status": "Red",
            "progress": 5.0,
            "commentary": "Late",
        }
    )
    return rows


@pytest.fixture(scope="module")
def five():
    return summarise(validated_inputs(five_rows(), FIVE_METRICS), CONFIG)


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
    return summarise(validated_inputs(rows), ONE_CONFIG)


def long_name(i: int, kind: str) -> str:
    text = f"{kind} {i:02d} of the international network of students' unions and associations"
    return (text + " for student representation")[:84]


FORTY_CONFIG = with_registry(
    [(long_name(i, "Partner organisation"), f"P{i:02d}") for i in range(1, 41)],
    [(long_name(i, "Strategic area"), f"A{i}") for i in range(1, 9)],
)


@pytest.fixture(scope="module")
def forty():
    rows = history(FORTY_CONFIG, 4, seed=40, activity_name=lambda p, a: long_name(a + 1, f"Joint project P{p + 1:02d}"))
    # One partner with many activities, so its progress chart is tall.
    first = FORTY_CONFIG.partners.entries[0].name
    rows += [
        {
            "partner": first,
            "area": FORTY_CONFIG.areas.names[0],
            "period": PERIODS[3],
            "activity": long_name(i, "Extra workstream activity"),
            "status": STATUSES[i % 5],
            "progress": float(i * 3 % 100),
        }
        for i in range(5, 35)
    ]
    metrics = [
        {
            "partner": first,
            "metric": long_name(i, "Metric with a very long name"),
            "period": PERIODS[3],
            "actual": float(i * 10),
            "target": 100.0,
        }
        for i in range(1, 4)
    ]
    return summarise(validated_inputs(rows, metrics), FORTY_CONFIG)


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
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in skipped]


def overlap(a, b, tolerance: float = 1.0) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def assert_laid_out(spec: ChartSpec) -> None:
    """Every visible text lies inside the figure, and no two texts overlap (title,
    legend, tick labels, values): the figure is drawn once, as render_chart saves it."""
    fig, renderer = drawn(spec)
    page = fig.bbox
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in visible_texts(fig)]
    for text, box in boxes:
        assert (
            box.x0 >= page.x0 - 0.5 and box.y0 >= page.y0 - 0.5 and box.x1 <= page.x1 + 0.5 and box.y1 <= page.y1 + 0.5
        ), f"{spec.name}: {text!r} at {box} lies outside the figure {page}"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not overlap(box_a, box_b), f"{spec.name}: {a!r} and {b!r} overlap"


def summary_wide(specs) -> list[ChartSpec]:
    """The charts of the whole summary plus the first partner's metrics chart."""
    picked = [s for s in specs if not s.name.endswith("-metrics")]
    return picked + [s for s in specs if s.name.endswith("-metrics")][:1]


def spec_named(specs, name: str) -> ChartSpec:
    return next(s for s in specs if s.name == name)


# --------------------------------------------------------------------------- names and specs


def test_chart_names_and_sections_for_the_default_partners(five_specs):
    """The pack places "executive" and "areas" charts; "officer" charts are files and slides only."""
    assert [(s.name, s.section) for s in five_specs] == [
        ("status-by-period", "executive"),
        ("trend-on-track", "officer"),
        ("rag-overview", "officer"),
        ("budget-spend", "officer"),
        ("partner-esu-metrics", "officer"),
        ("partner-acui-metrics", "officer"),
        ("partner-other-metrics", "officer"),
        ("partner-area-heatmap", "areas"),
    ]
    assert spec_named(five_specs, "status-by-period").kind == "small-multiples"


def test_charts_that_repeat_the_tables_are_gone(five_specs, forty, one):
    """No per-partner progress or trend chart, no per-area status chart: the small
    multiples and the partner tables say it."""
    for specs in (five_specs, chart_specs(forty, FORTY_CONFIG), chart_specs(one, ONE_CONFIG)):
        names = [s.name for s in specs]
        assert not [n for n in names if n.endswith(("-progress", "-trend", "-status"))], names
        assert not [s for s in specs if s.section.startswith(("partner:", "area:"))]
        assert names.count("status-by-period") == 1
        assert {s.section for s in specs} <= {"executive", "areas", "officer"}


def test_names_are_stable_file_stems_and_unique(five_specs, forty, one):
    for specs in (five_specs, chart_specs(forty, FORTY_CONFIG), chart_specs(one, ONE_CONFIG)):
        names = [s.name for s in specs]
        assert len(names) == len(set(names))
        assert all(NAME_PATTERN.match(n) for n in names), names


@pytest.mark.parametrize(
    "short, slug",
    [
        ("ESU", "esu"),
        ("Other", "other"),
        ("ACUI (USA)", "acui-usa"),
        ("Ŵyl & Co.", "wyl-co"),
        ("  ", "x"),
        ("NUS–UK", "nus-uk"),
    ],
)
def test_slugify(short, slug):
    assert slugify(short) == slug


def test_short_names_that_slugify_alike_get_numbered():
    config = with_registry([("Alpha", "A&B"), ("Beta", "A-B"), ("Gamma", "a b")])
    rows = [
        {"partner": n, "area": "Education policy", "activity": "x", "period": PERIODS[3], "status": "Green"}
        for n in ("Alpha", "Beta", "Gamma")
    ]
    metrics = [
        {"partner": n, "metric": "Reach", "period": PERIODS[3], "actual": 1.0} for n in ("Alpha", "Beta", "Gamma")
    ]
    names = [s.name for s in chart_specs(summarise(validated_inputs(rows, metrics), config), config)]
    assert {"partner-a-b-metrics", "partner-a-b-2-metrics", "partner-a-b-3-metrics"} <= set(names)


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
    spec = spec_named(five_specs, "rag-overview")
    frame = spec.frame()
    assert list(frame.columns) == ["partner", *STATUSES]
    for row, partner in zip(frame.itertuples(index=False), five.partners, strict=True):
        assert row[0] == partner.name
        assert list(row[1:]) == [partner.by_status[s] for s in STATUSES]
    assert "European Students' Union" in spec.alt_text


def test_budget_labels_are_pounds_with_thousands_separators(five, five_specs):
    spec = next(s for s in five_specs if s.name == "budget-spend")
    budget, spend = spec.series
    for label, partner in zip(budget.labels, five.partners, strict=True):
        assert re.fullmatch(r"£\d{1,3}(,\d{3})*", label)
        assert int(label[1:].replace(",", "")) == round(partner.budget)
    assert list(spec.frame().columns) == ["partner", "Budget", "Spend"]


def test_money_on_charts_rounds_half_up_and_survives_enormous_amounts():
    config = with_registry([("Rich partner", "RICH"), ("Poor partner", "POOR")])
    rows = [
        {
            "partner": "Rich partner",
            "area": "Education policy",
            "activity": "a",
            "period": PERIODS[3],
            "status": "Green",
            "budget": 1.5e300,
            "spend": 2500.5,
        },
        {
            "partner": "Poor partner",
            "area": "Education policy",
            "activity": "b",
            "period": PERIODS[3],
            "status": "Green",
            "budget": 999.5,
            "spend": 1000.49,
        },
    ]
    specs = chart_specs(summarise(validated_inputs(rows), config), config)
    budget, spend = spec_named(specs, "budget-spend").series
    assert budget.labels[1] == "£1,000" and spend.labels == ("£2,501", "£1,000")
    assert budget.labels[0] == formats.money(1.5e300) and len(budget.labels[0]) > 300
    assert [formats.money(v) for v in (999.5, 1000.49, 2500.5, 0, 1234567.0, 0.5, 0.49, 0.01, -0.3)] == [
        "£1,000",
        "£1,000",
        "£2,501",
        "£0",
        "£1,234,567",
        "£1",
        "£0.49",  # an amount that is not 0 never reads as £0
        "£0.01",
        "-£0.30",
    ]
    assert formats.money(1.7976931348623157e308).startswith("£179,769,313")


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
    assert spec.series[0].labels == ("£18,000, no target", "1,234 of 2,000: not met")
    assert spec.series[0].values == (None, 61.7)  # no target, no bar
    acui = next(s for s in five_specs if s.name == "partner-acui-metrics")
    assert acui.series[0].labels == ("88% of 80%: met",)
    assert acui.title == "Association of College Unions International: metrics against target"
    assert acui.subtitle == "Latest value of each metric, 2025-26 Q4"
    assert not any(s.name == "partner-csa-metrics" for s in five_specs)


SMALL_CONFIG = with_registry(
    [("European Students' Union", "ESU"), ("Global Student Voice", "GSV"), ("Students' Union Without Rows", "SUWR")]
)


@pytest.fixture(scope="module")
def small():
    """Three partners over three periods of one year, counted by hand below."""

    def row(partner, activity, period, status):
        return {
            "partner": partner,
            "area": "Education policy",
            "activity": activity,
            "period": period,
            "status": status,
        }

    esu, gsv = "European Students' Union", "Global Student Voice"
    rows = [
        row(esu, "a", PERIODS[0], "Green"),
        row(esu, "b", PERIODS[0], "Not started"),
        row(esu, "a", PERIODS[1], "Amber"),
        row(esu, "b", PERIODS[1], "Green"),
        row(esu, "a", PERIODS[2], "Red"),
        row(esu, "b", PERIODS[2], "Complete"),
        row(esu, "c", PERIODS[2], "Green"),
        row(gsv, "x", PERIODS[1], "Green"),
        row(gsv, "x", PERIODS[2], "Complete"),
    ]
    return summarise(validated_inputs(rows), SMALL_CONFIG)


@pytest.mark.slow
def test_status_by_period_data_is_the_summarys_trend(small):
    spec = spec_named(chart_specs(small, SMALL_CONFIG), "status-by-period")
    frame = spec.frame()
    assert list(frame.columns) == ["panel", "short_name", "period", *STATUSES, "activities"]
    periods = [p.label for p in PERIODS[:3]]
    assert spec.categories == tuple(periods) and spec.short_categories == ("Q1", "Q2", "Q3")
    # One row per (panel, period): all partners first, then each registry partner.
    assert list(zip(frame.panel, frame.short_name, frame.period, strict=True)) == [
        (panel, short, period)
        for panel, short in [
            ("All partners", "All partners"),
            ("European Students' Union", "ESU"),
            ("Global Student Voice", "GSV"),
            ("Students' Union Without Rows", "SUWR"),
        ]
        for period in periods
    ]
    by_hand = {  # Red, Amber, Green, Complete, Not started
        "All partners": [[0, 0, 1, 0, 1], [0, 1, 2, 0, 0], [1, 0, 1, 2, 0]],
        "European Students' Union": [[0, 0, 1, 0, 1], [0, 1, 1, 0, 0], [1, 0, 1, 1, 0]],
        "Global Student Voice": [[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0]],
        "Students' Union Without Rows": [[0, 0, 0, 0, 0]] * 3,
    }
    for panel, counts in by_hand.items():
        rows = frame[frame.panel == panel]
        assert rows[list(STATUSES)].values.tolist() == counts, panel
        assert rows["activities"].tolist() == [sum(c) for c in counts]
    # ... and the same as the summary's trend, period by period.
    for point in small.trend:
        at = frame[frame.period == point.period.label].set_index("panel")
        assert [at.loc["All partners", s] for s in STATUSES] == [point.by_status[s] for s in STATUSES]
        for name, counts in point.partner_status.items():
            assert [at.loc[name, s] for s in STATUSES] == [counts[s] for s in STATUSES]
    assert spec.title == "Activities by RAG status, period by period"
    assert spec.subtitle == "2025-26 Q1 to Q3: all partners, then each partner"
    assert render_chart(spec).data.equals(frame)


def test_status_by_period_words_say_what_changed(small, five):
    spec = spec_named(chart_specs(small, SMALL_CONFIG), "status-by-period")
    text = spec.alt_text
    assert "chart" in text and len(text) > 200
    # Overall share on track or complete: 1 of 2 (50%) in Q1, 3 of 4 (75%) in Q3.
    assert (
        "2 activities in 2025-26 Q1 (50% on track or complete), rising to 4 activities in "
        "2025-26 Q3 (75% on track or complete)" in text
    )
    # ESU went from 50% (1 of 2) to 67% (2 of 3); GSV from 100% to 100% is no change.
    assert "European Students' Union from 50% in 2025-26 Q1 to 67% in 2025-26 Q3" in text
    assert "Global Student Voice from" not in text
    assert "In 2025-26 Q3: European Students' Union 1 Red, 1 Green, 1 Complete; " in text
    five_spec = spec_named(chart_specs(five, CONFIG), "status-by-period")
    assert all(p.name in five_spec.alt_text for p in five.partners)
    assert "partners' panels share one scale" in five_spec.caption


@pytest.mark.slow
def test_status_by_period_panels_and_scales(five):
    spec = spec_named(chart_specs(five, CONFIG), "status-by-period")
    assert [p.title for p in spec.panels] == ["All partners", "ESU", "CSA", "ACUI", "GSV", "Other"]
    assert [p.name for p in spec.panels][1:] == [p.name for p in five.partners]
    assert [p.own_scale for p in spec.panels] == [True] + [False] * 5
    fig, _ = drawn(spec)
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert len(panels) == 6
    # Three panels a row, the partners on one scale, all partners on their own.
    assert len({round(ax.get_position().y0, 3) for ax in panels}) == 2
    assert len({ax.get_ylim() for ax in panels[1:]}) == 1
    assert panels[0].get_ylim()[1] > panels[1].get_ylim()[1]
    # Each column's total is written above it.
    for ax, panel in zip(panels, spec.panels, strict=True):
        totals = [int(sum(s.values[i] for s in panel.series)) for i in range(len(spec.categories))]
        written = [t.get_text() for t in ax.texts if t.get_bbox_patch() is None]
        assert written == [formats.number(t) for t in totals]
    # The legend names every status, so colour is never alone.
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend())
    assert [t.get_text() for t in legend.get_texts()] == list(STATUSES)


def test_one_partner_has_no_all_partners_panel(one):
    spec = spec_named(chart_specs(one, ONE_CONFIG), "status-by-period")
    assert [p.title for p in spec.panels] == ["UMCA"]
    assert not spec.panels[0].own_scale
    assert_laid_out(spec)


@pytest.mark.slow
def test_periods_of_two_years_are_labelled_with_their_year():
    config = with_registry([("Alpha union", "ALPHA"), ("Beta union", "BETA")])
    periods = [Period(2024, 3), Period(2024, 4), Period(2025, 1), Period(2025, 2)]
    rows = [
        {"partner": p, "area": "Education policy", "activity": "a", "period": period, "status": "Green"}
        for p in ("Alpha union", "Beta union")
        for period in periods
    ]
    spec = spec_named(chart_specs(summarise(validated_inputs(rows), config), config), "status-by-period")
    assert spec.subtitle == "2024-25 Q3 to 2025-26 Q2: all partners, then each partner"
    assert spec.short_categories == ("24-25 Q3", "24-25 Q4", "25-26 Q1", "25-26 Q2")
    assert_laid_out(spec)
    fig, _ = drawn(spec)
    ax = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Alpha union")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Q3", "Q4", "Q1", "Q2"]
    assert [t.get_text() for t in ax.get_xticklabels(minor=True)] == ["24-25", "25-26"]


def test_a_year_of_an_odd_number_of_periods_is_labelled_too():
    """The year sits under its middle quarter, where matplotlib would drop it by default."""
    config = with_registry([("Alpha union", "ALPHA")])
    rows = [
        {"partner": "Alpha union", "area": "Education policy", "activity": "a", "period": period, "status": "Green"}
        for period in (Period(2024, 4), Period(2025, 1), Period(2025, 2), Period(2025, 3))
    ]
    specs = chart_specs(summarise(validated_inputs(rows), config), config)
    for name, panel in (("status-by-period", "Alpha union"), ("trend-on-track", "All partners")):
        fig, _ = drawn(spec_named(specs, name))
        ax = next(ax for ax in fig.axes if ax.get_title(loc="left") == panel)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["Q4", "Q1", "Q2", "Q3"]
        assert [t.get_text() for t in ax.get_xticklabels(minor=True)] == ["24-25", "25-26"], name


def test_periods_a_century_apart_are_labelled_with_their_whole_year():
    """Two-digit years would print 2000-01 Q1 and 2100-01 Q4 alike, as "00-01"."""
    config = with_registry([("Alpha union", "ALPHA")])
    rows = [
        {"partner": "Alpha union", "area": "Education policy", "activity": "a", "period": period, "status": "Green"}
        for period in (Period(2000, 1), Period(2100, 4))
    ]
    specs = chart_specs(summarise(validated_inputs(rows), config), config)
    for name in ("status-by-period", "trend-on-track"):
        assert spec_named(specs, name).short_categories == ("2000-01 Q1", "2100-01 Q4"), name
    fig, _ = drawn(spec_named(specs, "status-by-period"))
    ax = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Alpha union")
    assert [t.get_text() for t in ax.get_xticklabels(minor=True)] == ["2000-01", "2100-01"]


@pytest.mark.slow
def test_many_partners_take_about_a_page(forty):
    spec = spec_named(chart_specs(forty, FORTY_CONFIG), "status-by-period")
    assert len(spec.panels) == 41
    with chart_context():
        fig = build_figure(spec)
    assert fig.get_size_inches()[1] <= 10.5
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    per_row = max(
        sum(1 for ax in panels if round(ax.get_position().y0, 3) == y)
        for y in {round(ax.get_position().y0, 3) for ax in panels}
    )
    assert per_row == 6
    titles = [ax.get_title(loc="left") for ax in panels]
    assert titles == ["All partners", *(f"P{i:02d}" for i in range(1, 41))]
    assert_laid_out(spec)


TWO_YEARS = [Period(2024, q) for q in (1, 2, 3, 4)] + [Period(2025, q) for q in (1, 2, 3, 4)]


def many_partners_over_two_years(partners: int) -> tuple[Summary, Config]:
    """``partners`` partners, each with one activity in every quarter of TWO_YEARS."""
    config = with_registry([(f"Partner union {i}", f"U{i}") for i in range(1, partners + 1)])
    rows = [
        {"partner": p, "area": "Education policy", "activity": "a", "period": period, "status": "Green"}
        for p in config.partners.names
        for period in TWO_YEARS
    ]
    return summarise(validated_inputs(rows), config), config


def test_many_partners_over_many_periods_show_the_latest_four():
    summary, config = many_partners_over_two_years(15)
    spec = spec_named(chart_specs(summary, config), "status-by-period")
    assert len(summary.trend) == 8
    assert spec.categories == tuple(p.label for p in TWO_YEARS[4:])
    assert spec.subtitle == "2025-26 Q1 to Q4: all partners, then each partner"
    assert "the latest 4 of 8 periods" in spec.caption
    assert len(spec.frame()) == 16 * 4


@pytest.mark.slow
def test_many_narrow_trend_panels_name_every_other_quarter_rather_than_overlap():
    """The trend keeps every period; where quarters would run into each other, every other is named."""
    spec = spec_named(chart_specs(*many_partners_over_two_years(31)), "trend-on-track")
    assert spec.categories == tuple(p.label for p in TWO_YEARS)
    assert_laid_out(spec)
    fig, _ = drawn(spec)
    ax = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Partner\nunion 1")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["", "Q2", "", "Q4", "", "Q2", "", "Q4"]
    assert [t.get_text() for t in ax.get_xticklabels(minor=True)] == ["24-25", "25-26"]


@pytest.mark.slow
def test_small_multiples_grow_with_their_rows(five, forty):
    with chart_context():
        few = build_figure(spec_named(chart_specs(five, CONFIG), "status-by-period")).get_size_inches()[1]
        many = build_figure(spec_named(chart_specs(forty, FORTY_CONFIG), "status-by-period")).get_size_inches()[1]
    assert 3 <= few <= 5 and many > 2 * few


WHOLE_PERCENT = re.compile(r"\d[\d,]*(\.\d+)?%")
MONEY = re.compile(r"£[\d,.]+")


def assert_whole_numbers(text: str, where: str) -> None:
    for match in WHOLE_PERCENT.finditer(text):
        assert re.fullmatch(r"\d{1,3}(,\d{3})*%", match.group()), (where, match.group(), text)
    for match in MONEY.finditer(text):
        assert re.fullmatch(r"£\d{1,3}(,\d{3})*", match.group().rstrip(".,")), (where, match.group())


@pytest.mark.slow
def test_every_percentage_and_amount_on_a_chart_is_whole(five_specs, forty):
    """Percentages are whole numbers ("72%", never "91.7%") and money whole pounds with
    thousands separators, in labels, words and every text drawn; as formats.py writes them."""
    specs = [*five_specs, *chart_specs(forty, FORTY_CONFIG)]
    percents = 0
    for spec in specs:
        for text in (spec.title, spec.caption, spec.alt_text):
            assert_whole_numbers(text, spec.name)
        for series in (*spec.series, *(s for p in spec.panels for s in p.series)):
            for label in series.labels:
                assert_whole_numbers(label, spec.name)
        fig, _ = drawn(spec)
        for text in visible_texts(fig):
            assert_whole_numbers(text.get_text(), spec.name)
            percents += "%" in text.get_text()
    assert percents > 20  # heatmap means, trend axis and labels, metric labels


def test_chart_labels_are_written_by_formats(five, five_specs):
    trend = spec_named(five_specs, "trend-on-track")
    assert trend.series[0].labels == tuple(formats.percent(p.on_track_or_complete_pct) for p in five.trend)
    assert any(p.on_track_or_complete_pct % 1 for p in five.trend)  # shares with decimals, rounded
    rag = spec_named(five_specs, "rag-overview")
    assert f"{formats.percent(five.totals.on_track_or_complete_pct)} of all" in rag.caption
    heatmap = spec_named(five_specs, "partner-area-heatmap")
    fig, _ = drawn(heatmap)
    cells = {t.get_text() for t in fig.axes[0].texts}
    cell = five.cell("European Students' Union", "Student voice")
    assert f"{cell.activities}\n{formats.percent(cell.mean_progress)}" in cells


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
    from boardpack.charts.draw.text import text_width

    assert all(text_width(line, 9) <= 120 for line in lines)
    assert (
        max(text_width(line, 9) for line in wrap_label("Supercalifragilisticexpialidocious", 60, 9, 3).split("\n"))
        <= 60
    )


# --------------------------------------------------------------------------- drawing


@pytest.mark.slow
def test_every_chart_renders_as_png_at_300_dpi_and_svg_with_text(five_charts, five_specs):
    assert [c.name for c in five_charts] == [s.name for s in five_specs]
    for chart, spec in zip(five_charts, five_specs, strict=True):
        assert isinstance(chart, Chart)
        assert (chart.section, chart.title, chart.caption, chart.alt_text) == (
            spec.section,
            spec.title,
            spec.caption,
            spec.alt_text,
        )
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


@pytest.mark.slow
def test_svg_keeps_awkward_names_as_text():
    config = with_registry([("Raise $5,000 & more for the <Erasmus+> Ŵyl", "$5 & <E+>"), ("Plain union", "PLAIN")])
    rows = [
        {"partner": n, "area": "Education policy", "activity": "a", "period": p, "status": "Green"}
        for n in config.partners.names
        for p in PERIODS[2:]
    ]
    specs = chart_specs(summarise(validated_inputs(rows), config), config)
    for name, written in (("status-by-period", "$5 & <E+>"), ("rag-overview", "Raise $5,000 & more")):
        root = ET.fromstring(render_chart(spec_named(specs, name)).svg)
        words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert written in words, (name, words)  # not mathtext, escaped for XML


@pytest.mark.slow
def test_rendering_the_same_spec_twice_gives_identical_bytes(five_specs):
    for spec in (five_specs[0], five_specs[3], five_specs[4]):
        first, second = render_chart(spec), render_chart(spec)
        assert first.png == second.png, spec.name
        assert first.svg == second.svg, spec.name
        pd.testing.assert_frame_equal(first.data, second.data)


@pytest.mark.slow
def test_rendering_ignores_global_matplotlib_settings(five_specs):
    spec = spec_named(five_specs, "rag-overview")
    before = render_chart(spec)
    with matplotlib.rc_context(
        {"font.size": 20, "axes.facecolor": "pink", "svg.fonttype": "path", "svg.hashsalt": None}
    ):
        during = render_chart(spec)
    assert (during.png, during.svg) == (before.png, before.svg)
    assert matplotlib.rcParams["svg.fonttype"] == "path"  # restored after


@pytest.mark.slow
def test_a_spec_survives_pickling_into_the_same_picture(five_specs):
    spec = five_specs[1]
    assert render_chart(pickle.loads(pickle.dumps(spec))).png == render_chart(spec).png


@pytest.mark.slow
def test_texts_use_the_pack_font(five_specs):
    fig, _ = drawn(five_specs[0])
    for text in visible_texts(fig):
        assert text.get_fontname() == "DejaVu Sans", text.get_text()


@pytest.mark.slow
def test_no_text_outside_the_figure_five_partners(five_specs):
    for spec in five_specs:
        assert_laid_out(spec)


@pytest.mark.slow
def test_one_partner_draws_every_chart(one):
    specs = chart_specs(one, ONE_CONFIG)
    charts = draw_charts(one, ONE_CONFIG, workers=1).charts
    assert len(charts) == len(specs) == 5  # no metrics, so no metrics chart
    for spec in specs:
        assert_laid_out(spec)


@pytest.mark.slow
def test_forty_partners_with_long_names(forty):
    specs = chart_specs(forty, FORTY_CONFIG)
    for spec in summary_wide(specs):
        assert_laid_out(spec)
    rag = spec_named(specs, "rag-overview")
    fig, _ = drawn(rag)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 40 and len(set(labels)) == 40
    assert all(label.endswith(f"… (P{i:02d})") for i, label in enumerate(labels, start=1))


@pytest.mark.slow
def test_long_area_names_are_turned_and_shortened_in_the_heatmap(forty):
    spec = next(s for s in chart_specs(forty, FORTY_CONFIG) if s.name == "partner-area-heatmap")
    fig, _ = drawn(spec)
    headers = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(headers) == 8
    assert all(h.endswith(f"… (A{i})") and "\n" not in h for i, h in enumerate(headers, start=1))
    assert all(t.get_rotation() == 90 for t in fig.axes[0].get_xticklabels())


@pytest.mark.slow
def test_names_with_dollars_stay_literal():
    config = with_registry([("Fund $A and $B partners", "$A$B"), ("Cost $5 to $6 union", "$5-$6")])
    rows = [
        {
            "partner": n,
            "area": "Education policy",
            "activity": f"Pay $1 then $2 ({n})",
            "period": p,
            "status": "Green",
            "progress": 50.0,
        }
        for n in config.partners.names
        for p in PERIODS[2:]
    ]
    specs = chart_specs(summarise(validated_inputs(rows), config), config)
    for name, first, second in (
        ("rag-overview", "Fund $A and $B partners", "Cost $5 to $6 union"),
        ("trend-on-track", "Fund $A and $B partners", "Cost $5 to $6 union"),
        ("status-by-period", "Fund $A and $B partners", "Cost $5 to $6 union"),
    ):
        chart = render_chart(spec_named(specs, name))
        root = ET.fromstring(chart.svg)
        words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert first in words and second in words, name


def test_metrics_chart_grows_with_its_metrics(five_specs):
    rows = [
        {
            "partner": "European Students' Union",
            "area": "Education policy",
            "activity": "a",
            "period": PERIODS[3],
            "status": "Green",
        }
    ]
    metrics = [
        {
            "partner": "European Students' Union",
            "metric": f"Measure {i}",
            "period": PERIODS[3],
            "actual": float(i),
            "target": 10.0,
        }
        for i in range(12)
    ]
    many = spec_named(chart_specs(summarise(validated_inputs(rows, metrics), CONFIG), CONFIG), "partner-esu-metrics")
    few = spec_named(five_specs, "partner-acui-metrics")
    assert (len(many.categories), len(few.categories)) == (12, 1)

    def body(spec) -> float:  # the chart's height without its title, subtitle and source line
        with chart_context():
            fig = build_figure(spec)
        header, footer = fig.frame_header, fig.frame_footer
        return fig.get_size_inches()[1] - header - footer

    assert body(many) > 2.5 * body(few)


def test_segment_labels_are_shown_only_where_they_fit():
    config = with_registry([("Busy partner", "BUSY"), ("Quiet partner", "QUIET")])
    rows = [
        {
            "partner": "Busy partner",
            "area": "Education policy",
            "activity": f"a{i}",
            "period": PERIODS[3],
            "status": "Complete",
        }
        for i in range(200)
    ]
    rows += [
        {"partner": "Quiet partner", "area": "Education policy", "activity": f"b{i}", "period": PERIODS[3], "status": s}
        for i, s in enumerate(STATUSES)
    ]
    summary = summarise(validated_inputs(rows), config)
    fig, renderer = drawn(spec_named(chart_specs(summary, config), "rag-overview"))
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
    boxed = [t for t in ax.texts if t.get_bbox_patch() is not None]
    assert any(not t.get_visible() for t in boxed)  # the quiet partner's 1s do not fit
    assert any(t.get_visible() and t.get_text() == "200" for t in boxed)
    for text in boxed:
        if not text.get_visible():
            continue
        x, y = text.get_position()
        bar = next(
            b
            for b in bars
            if b.get_x() <= x <= b.get_x() + b.get_width() and b.get_y() <= y <= b.get_y() + b.get_height()
        )
        inner, outer = text.get_window_extent(renderer), bar.get_window_extent(renderer)
        assert outer.x0 <= inner.x0 and inner.x1 <= outer.x1


@pytest.mark.slow
def test_no_activities_draws_a_note_not_an_error():
    rows = [
        {
            "partner": "European Students' Union",
            "area": "Education policy",
            "activity": "only one",
            "period": PERIODS[3],
            "status": "Green",
        }
    ]
    summary = summarise(validated_inputs(rows), CONFIG)
    specs = chart_specs(summary, CONFIG)
    panels = spec_named(specs, "status-by-period")
    csa = next(p for p in panels.panels if p.title == "CSA")
    assert all(v == 0 for s in csa.series for v in s.values)  # a panel of zeros, not a gap
    assert not panels.note
    nothing = summarise(validated_inputs([], FIVE_METRICS), CONFIG)
    for spec in (panels, *(s for s in chart_specs(nothing, CONFIG) if s.note)):
        assert_laid_out(spec)
        assert render_chart(spec).png
    empty = spec_named(chart_specs(nothing, CONFIG), "status-by-period")
    assert empty.note and empty.alt_text.endswith(".")


# --------------------------------------------------------------------------- drawing cheaply


def one_of_each_kind(specs) -> list[ChartSpec]:
    kinds = {}
    for spec in specs:
        kinds.setdefault(spec.kind, spec)
    return list(kinds.values())


@pytest.mark.slow
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


@pytest.mark.slow
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
            ends = [
                t.get_window_extent(renderer).x1
                for t in ax.texts
                if t.get_visible() and t.get_text().strip() and t.get_horizontalalignment() == "left"
            ]
            assert all(end <= right + 0.5 for end in ends), spec.name
            if spec.name in ("rag-overview", "budget-spend"):  # the longest bar's value needed room
                assert 4 * fig.dpi / 72 - 0.5 <= right - max(ends) <= 5 * fig.dpi / 72, spec.name


@pytest.mark.slow
def test_png_is_exactly_the_pdf_page(five_specs):
    """The PNG is the chart's PDF page (what the pack prints) rasterised: RGB,
    300 dpi, title and description as text (UTF-8 where not Latin-1); the page
    holds the chart's words as text."""
    import pypdfium2 as pdfium

    config = with_registry([("Undeb Myfyrwyr Ŵyl Dewi", "UMŴD"), ("Plain union", "PLAIN")])
    rows = [
        {"partner": n, "area": "Education policy", "activity": "a", "period": p, "status": "Green"}
        for n in config.partners.names
        for p in PERIODS[2:]
    ]
    spec = spec_named(chart_specs(summarise(validated_inputs(rows), config), config), "status-by-period")
    assert "Ŵyl" in spec.alt_text
    chart = render_chart(spec)
    Image.open(io.BytesIO(chart.png)).verify()  # chunk lengths and checksums
    png = Image.open(io.BytesIO(chart.slide_png))
    assert (png.format, png.mode) == ("PNG", "RGB")
    assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert png.text == {"Title": spec.title, "Description": spec.alt_text}

    # The pack's PDF page is the chart alone, and the slides' PNG is that page rasterised.
    page = pdfium.PdfDocument(chart.pdf)[0]
    from_pdf = page.render(scale=300 / 72, rev_byteorder=True).to_numpy()
    assert (np.asarray(png) == from_pdf[: png.height, : png.width]).all()
    assert png.size == (round(page.get_width() * 300 / 72), round(page.get_height() * 300 / 72))
    words = " ".join(page.get_textpage().get_text_range().split())
    assert spec.title not in words and "Source:" not in words
    for panel in spec.panels:
        assert panel.name in words or panel.title in words
    # The officers' PNG is taller by the title, subtitle and source line drawn into it.
    titled = Image.open(io.BytesIO(chart.png))
    assert titled.width == png.width and titled.height > png.height
    assert (chart.width_in, chart.height_in) == (7.0, round(titled.height / 300, 2))
    # The transparent PNG has nothing behind the chart; the 16:9 one is the PNG on a slide-shaped canvas.
    clear = Image.open(io.BytesIO(chart.transparent_png))
    assert clear.mode == "RGBA" and clear.size == titled.size and clear.getpixel((2, clear.height // 2))[3] == 0
    wide = Image.open(io.BytesIO(chart.wide_png))
    assert abs(wide.width / wide.height - 16 / 9) < 0.002 and wide.height >= titled.height


def test_a_chart_too_tall_for_a_slide_has_its_16x9_png_at_the_dpi_that_fits(five_specs, monkeypatch):
    """A 16:9 canvas that would pass style.WIDE_MAX_PIXELS at 300 dpi (a panel per partner at
    200 partners) is made from the page rasterised at the highest whole dpi that fits: the
    same picture, smaller, on the same 16:9 white canvas; every other file stays at 300 dpi."""
    spec = spec_named(five_specs, "rag-overview")
    as_drawn = render_chart(spec)
    full = Image.open(io.BytesIO(as_drawn.wide_png))
    assert full.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    bound = full.width * full.height // 5
    monkeypatch.setattr(style, "WIDE_MAX_PIXELS", bound)

    chart = render_chart(spec)
    wide = Image.open(io.BytesIO(chart.wide_png))
    dpi = round(wide.info["dpi"][0])
    assert dpi < 300 and wide.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)  # stored per metre
    assert bound * ((dpi - 1) / dpi) ** 2 < wide.width * wide.height <= bound
    assert abs(wide.width / wide.height - 16 / 9) < 0.002
    assert wide.text == {"Title": spec.title, "Description": spec.alt_text}
    # The picture on it is the titled chart at that dpi, centred on white.
    titled = Image.open(io.BytesIO(chart.png))
    box = Image.eval(wide.convert("L"), lambda v: 255 - v).getbbox()
    assert box is not None
    drawn_width, drawn_height = box[2] - box[0], box[3] - box[1]
    assert drawn_width <= round(titled.width * dpi / 300) + 1 and drawn_height <= round(titled.height * dpi / 300) + 1
    assert abs((box[0] + box[2]) / 2 - wide.width / 2) <= 0.02 * wide.width
    # The rest is as drawn under the default bound.
    assert (chart.png, chart.svg, chart.pdf, chart.slide_png, chart.transparent_png) == (
        as_drawn.png,
        as_drawn.svg,
        as_drawn.pdf,
        as_drawn.slide_png,
        as_drawn.transparent_png,
    )
