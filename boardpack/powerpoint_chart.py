"""A chart as a native, editable PowerPoint chart on a slide (python-pptx), from :class:`~boardpack.model.NativeChart`.

The deck (``slides.py``) places it in the area under the slide's title; the
picture of the same chart is in the deck's appendix.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import NativeChart

_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@dataclass(frozen=True)
class SlideArea:
    """Where a chart goes on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


def rgb_hex(colour: str) -> str:
    """A colour ("#1f4e79", "#abc") as python-pptx writes it: "1F4E79"."""
    text = colour.lstrip("#").upper()
    return "".join(c * 2 for c in text) if len(text) == 3 else text


_CHART_TYPES = {"bar-stacked": "BAR_STACKED", "bar-clustered": "BAR_CLUSTERED", "line": "LINE_MARKERS"}
_PATTERNS = {
    "cross": "DIAGONAL_CROSS",
    "up": "WIDE_UPWARD_DIAGONAL",
    "down": "WIDE_DOWNWARD_DIAGONAL",
    "dash": "DASHED_HORIZONTAL",
}
_DASHES = {"solid": "SOLID", "dash": "DASH", "round-dot": "ROUND_DOT", "dash-dot": "DASH_DOT", "long-dash": "LONG_DASH"}
_MARKERS = ("CIRCLE", "SQUARE", "TRIANGLE", "DIAMOND", "X", "PLUS", "STAR", "DASH")


def add_native_chart(slide, native: NativeChart, area: SlideArea, Pt) -> None:
    """``native`` as a PowerPoint chart holding its data, filling ``area``."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
    from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN

    data = CategoryChartData(number_format=native.number_format)
    data.categories = list(native.categories)
    for series in native.series:
        data.add_series(series.name, list(series.values), number_format=native.number_format)
    frame = slide.shapes.add_chart(
        getattr(XL_CHART_TYPE, _CHART_TYPES[native.kind]), area.left, area.top, area.width, area.height, data
    )
    frame.name = "Chart"
    chart = frame.chart
    chart.has_title = False  # the slide's title is the chart's title
    chart.font.size = Pt(14)
    chart.has_legend = native.legend and len(native.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
    plot = chart.plots[0]
    value_axis, category_axis = chart.value_axis, chart.category_axis
    if native.kind.startswith("bar"):
        plot.gap_width = 50 if len(native.series) > 1 else 120
        category_axis.reverse_order = True  # the first category on top, as in the picture
        # ...with the values along the bottom: the value axis crosses at the last category.
        value_axis._element.find(f"{_C}crosses").set("val", "max")
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("D0D0D0")
    value_axis.tick_labels.number_format = native.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.minimum_scale = 0
    if native.value_max is not None:
        value_axis.maximum_scale = native.value_max
    value_axis.format.line.fill.background()
    if native.value_title:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = native.value_title
        value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
    for index, (series, spec) in enumerate(zip(plot.series, native.series, strict=True)):
        colour = RGBColor.from_string(rgb_hex(spec.colour))
        if native.kind == "line":
            line = series.format.line
            line.color.rgb = colour
            line.width = Pt(spec.line_width)
            line.dash_style = getattr(MSO_LINE_DASH_STYLE, _DASHES[spec.dash])
            series.smooth = False
            series.marker.style = getattr(XL_MARKER_STYLE, _MARKERS[index % len(_MARKERS)])
            series.marker.size = 9 if index == 0 else 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
        else:
            fill = series.format.fill
            if spec.pattern:
                fill.patterned()
                fill.pattern = getattr(MSO_PATTERN, _PATTERNS[spec.pattern])
                fill.fore_color.rgb = RGBColor.from_string(rgb_hex(spec.pattern_colour or spec.colour))
                fill.back_color.rgb = colour
            else:
                fill.solid()
                fill.fore_color.rgb = colour
            series.format.line.color.rgb = RGBColor.from_string("FFFFFF")
            series.invert_if_negative = False
            for point_index, point_colour in enumerate(spec.point_colours):
                point = series.points[point_index]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(rgb_hex(point_colour))
                point.format.line.color.rgb = colour
        if spec.labels:
            labels = series.data_labels
            labels.number_format = native.label_format or native.number_format
            labels.number_format_is_linked = False
            labels.show_value = True
            labels.font.size = Pt(12)
            labels.font.color.rgb = RGBColor.from_string(rgb_hex(spec.label_colour))
            if native.kind == "line":
                from pptx.enum.chart import XL_LABEL_POSITION

                labels.position = XL_LABEL_POSITION.ABOVE
            elif native.kind == "bar-clustered":
                from pptx.enum.chart import XL_LABEL_POSITION

                labels.position = XL_LABEL_POSITION.OUTSIDE_END
