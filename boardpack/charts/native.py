"""A spec as a chart PowerPoint draws itself (``Chart.native``), for the slides."""

from __future__ import annotations

from ..model import NativeChart, NativeSeries
from . import style
from .spec import ChartSpec

__all__ = ["native_chart"]


_PATTERNS = {"xx": "cross", "//": "up", "\\\\": "down", "--": "dash", "": ""}
# Excel number formats: a zero count is left unlabelled (the third, empty, section).
_COUNT_FORMAT = "#,##0"
_COUNT_LABEL_FORMAT = "#,##0;-#,##0;;"
_POUNDS_FORMAT = "£#,##0"
_PERCENT_FORMAT = '0"%"'
_DASHES = ("dash", "round-dot", "dash-dot", "long-dash", "solid")


def native_chart(spec: ChartSpec) -> NativeChart | None:
    """The spec as a chart PowerPoint draws itself (with its data, so it can be restyled),
    coloured and labelled like the picture; None for the small multiples and the heat map,
    which PowerPoint cannot draw. The values are exactly the chart's CSV columns."""
    if spec.note or not spec.categories:
        return None
    measure = spec.brand[0]
    if spec.kind == "stacked-barh":
        series = tuple(
            NativeSeries(
                name=s.name,
                values=s.values,
                colour=look.colour,
                pattern=_PATTERNS[look.hatch],
                pattern_colour=look.hatch_colour,
                label_colour=look.text_colour,
                labels=True,
            )
            for s in spec.series
            for look in (style.STATUS_STYLES[s.style],)
        )
        return NativeChart(
            "bar-stacked", spec.categories, series, _COUNT_FORMAT, spec.value_label, label_format=_COUNT_LABEL_FORMAT
        )
    if spec.kind == "grouped-barh":
        looks = {"budget": style.mix(measure, "#FFFFFF", 0.55), "spend": measure}
        series = tuple(
            NativeSeries(name=s.name, values=s.values, colour=looks[s.style], labels=True) for s in spec.series
        )
        return NativeChart("bar-clustered", spec.categories, series, _POUNDS_FORMAT, spec.value_label)
    if spec.kind == "lines":
        lines: list[NativeSeries] = []
        for i, s in enumerate(spec.series):
            if s.style == "overall":
                lines.append(
                    NativeSeries(name=s.name, values=s.values, colour=style.TARGET_COLOUR, line_width=2.75, labels=True)
                )
            else:
                lines.append(
                    NativeSeries(
                        name=s.name,
                        values=s.values,
                        colour=measure,
                        line_width=1.5,
                        dash=_DASHES[(i - 1) % len(_DASHES)],
                    )
                )
        return NativeChart("line", spec.categories, tuple(lines), _PERCENT_FORMAT, spec.value_label, value_max=100.0)
    if spec.kind == "metrics":
        share = spec.series[0]
        results = dict(spec.extras)["result"]
        colours = tuple(measure if r == "met" else style.mix(measure, "#FFFFFF", 0.7) for r in results)
        named = tuple(f"{name} ({result})" for name, result in zip(spec.categories, results, strict=True))
        return NativeChart(
            "bar-clustered",
            named,
            (NativeSeries(name=share.name, values=share.values, colour=measure, point_colours=colours, labels=True),),
            _PERCENT_FORMAT,
            spec.value_label,
            legend=False,
        )
    return None
