"""A chart's SVG file, made fit to sit inside the HTML page.

matplotlib writes a standalone SVG document: an XML declaration, a DOCTYPE,
RDF metadata, a ``<style>`` and ids (clip paths, hatch patterns) that another
chart on the same page may repeat. Inline, the chart needs one ``<svg>``
element whose ids are unique on the page, whose size follows the page, and
which a screen reader announces as one image with a name (``<title>``) and a
description (``<desc>``, the chart's alt text).

The SVG is read with defusedxml and written out again by :func:`inline_svg`
from a list of the elements and attributes a chart uses, so nothing else
(a script, an event handler, a remote link) can reach the page through it.
"""

from __future__ import annotations

import html
import re
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

from ..model import Chart

# What matplotlib's charts are drawn with; anything else is left out.
ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "path",
        "use",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "clipPath",
        "pattern",
        "image",
        "linearGradient",
        "radialGradient",
        "stop",
        "mask",
        "symbol",
    }
)
_DROPPED_ROOT_ATTRIBUTES = frozenset({"width", "height", "version"})
_XLINK = "{http://www.w3.org/1999/xlink}"
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
_SAFE_HREF = re.compile(r"^(#|data:image/(png|jpeg);base64,)")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


class _Writer:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.parts: list[str] = []

    def ref(self, value: str) -> str:
        """Ids and references to them, made unique on the page."""
        return _URL_REF.sub(lambda m: f"url(#{self.prefix}{m.group(1)})", value)

    def attributes(self, element: Element, root: bool) -> str:
        out = []
        for name, value in element.attrib.items():
            local = _local(name)
            if local.lower().startswith("on") or (root and local in _DROPPED_ROOT_ATTRIBUTES):
                continue
            if name.startswith("{") and not name.startswith(_XLINK):
                continue  # rdf:, xml: and other namespaces say nothing the browser draws
            if local == "href":
                if not _SAFE_HREF.match(value):
                    continue
                value = f"#{self.prefix}{value[1:]}" if value.startswith("#") else value
            elif local == "id":
                value = f"{self.prefix}{value}"
            else:
                value = self.ref(value)
            out.append(f' {local}="{html.escape(value, quote=True)}"')
        return "".join(out)

    def write(
        self, element: Element, *, root: bool = False, extra: str = "", first: str = "", in_text: bool = False
    ) -> None:
        tag = _local(element.tag)
        if tag in ELEMENTS:
            in_text = in_text or tag in ("text", "tspan")
            self.parts.append(f"<{tag}{extra}{self.attributes(element, root)}>{first}")
            if element.text and (in_text or element.text.strip()):
                self.parts.append(html.escape(element.text, quote=False))
            for child in element:
                self.write(child, in_text=in_text)
            self.parts.append(f"</{tag}>")
        if element.tail and (in_text or element.tail.strip()):
            self.parts.append(html.escape(element.tail, quote=False))


def inline_svg(chart: Chart, chart_id: str) -> str:
    """The chart as one ``<svg>`` element: role="img", named by its title, described by its alt text.

    ``chart_id`` prefixes every id inside, so that charts never share one.
    Returns markup, safe to place in the page as it is.
    """
    root = fromstring(chart.svg)
    writer = _Writer(f"{chart_id}-")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    extra = f' class="chart" role="img" focusable="false" aria-labelledby="{title_id}" aria-describedby="{desc_id}"'
    first = (
        f'<title id="{title_id}">{html.escape(chart.title, quote=False)}</title>'
        f'<desc id="{desc_id}">{html.escape(chart.alt_text, quote=False)}</desc>'
    )
    writer.write(root, root=True, extra=extra, first=first)
    return "".join(writer.parts)
