"""What a chart is, before it is drawn: frozen, hashable, picklable plain data.

A :class:`ChartSpec` holds names, words, numbers, labels and the template's two
brand colours; drawing (:mod:`boardpack.charts.draw`) reads nothing else, so
the same spec always draws the same bytes. :class:`DrawnImages` is what
drawing gives back, and what the cache keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import style

__all__ = ["ALL_PARTNERS", "ELLIPSIS", "ChartSpec", "DrawnImages", "Kind", "Panel", "Series"]

Kind = Literal["stacked-barh", "lines", "grouped-barh", "heatmap", "metrics", "small-multiples"]


ELLIPSIS = "…"
ALL_PARTNERS = "All partners"


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Series:
    """One set of values drawn together: a status, a partner's line, budget or spend.

    ``values`` line up with the spec's ``categories``; None means nothing to draw
    there. ``labels`` (same length, or empty) are the texts written at each
    value, "" for none. ``style`` names how it is drawn: a status of
    ``model.STATUSES``, "overall", "line-<n>", "line-muted", "budget", "spend",
    "actual", "target" or "count". ``detail`` is a second number per value
    (the heatmap's mean progress).
    """

    name: str
    values: tuple[float | None, ...]
    style: str
    labels: tuple[str, ...] = ()
    detail: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class Panel:
    """One small chart of a "small-multiples" spec: a group and its status series.

    ``name`` is the group's full name (data, alt text), ``title`` what heads the
    panel (the registry short name). ``series`` line up with the spec's
    ``categories`` as a spec's own do. Panels share one value scale, except one
    with ``own_scale`` (all partners together, several times any one partner).
    """

    name: str
    title: str
    series: tuple[Series, ...]
    own_scale: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart, as plain hashable data.

    ``categories`` are what the bars, rows or points stand for (partners,
    activities, periods, metrics), in drawing order, with full names;
    ``short_categories`` the registry short names, used to keep a shortened
    name unique (the small multiples: the short period labels, "Q1").
    ``extras`` are further per-category columns of the data (e.g.
    ("unit", (...))). ``panels`` are the small multiples' panels (other kinds
    have none). ``brand`` is the (measure, highlight) colours, from the template's primary and
    accent where they cannot be taken for a status colour (:func:`.style.data_colour`). ``note``
    is said on the chart when there is nothing to draw.
    """

    name: str
    section: str
    kind: Kind
    title: str
    caption: str
    alt_text: str
    category_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    short_categories: tuple[str, ...] = ()
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()
    value_label: str = ""
    value_max: float | None = None
    note: str = ""
    brand: tuple[str, str] = (style.PRIMARY_COLOUR, style.ACCENT_COLOUR)
    panels: tuple[Panel, ...] = ()
    subtitle: str = ""
    source: str = ""
    bare: bool = False  # officers' PNG and SVG without title, subtitle and source (`charts --bare`)

    def frame(self) -> pd.DataFrame:
        """Exactly what is plotted, one row per category (the heatmap: per cell; the
        small multiples: per panel and period)."""
        if self.kind == "heatmap":
            records = [
                {
                    self.category_label: category,
                    "area": s.name,
                    "activities": s.values[i],
                    "mean_progress": s.detail[i] if s.detail else None,
                }
                for i, category in enumerate(self.categories)
                for s in self.series
            ]
            frame = pd.DataFrame.from_records(
                records, columns=[self.category_label, "area", "activities", "mean_progress"]
            )
            frame["mean_progress"] = frame["mean_progress"].astype(float)
            return frame
        if self.kind == "small-multiples":
            headings = ["panel", "short_name", self.category_label, *(s.name for s in self.series), "activities"]
            rows: list[list[Any]] = []
            for panel in self.panels:
                for i, category in enumerate(self.categories):
                    counts = [int(s.values[i] or 0) for s in panel.series]
                    rows.append([panel.name, panel.title, category, *counts, sum(counts)])
            return pd.DataFrame.from_records(rows, columns=headings)
        columns: dict[str, Any] = {self.category_label: list(self.categories)}
        for name, values in self.extras:
            columns[name] = list(values)
        for series in self.series:
            columns[series.name] = [np.nan if v is None else v for v in series.values]
        return pd.DataFrame(columns)


@dataclass(frozen=True)
class DrawnImages:
    """The drawn part of a chart, what drawing returns and the cache keeps: everything
    else comes from its spec. Sizes are in inches; the slide forms are cropped to the
    chart alone."""

    png: bytes
    svg: bytes
    pdf: bytes
    width_in: float
    height_in: float
    slide_png: bytes = b""
    wide_png: bytes = b""
    transparent_png: bytes = b""
    slide_width_in: float = 0.0
    slide_height_in: float = 0.0
