"""Chart SVGs -> reportlab Drawings (vectors, text kept as text), converted once per chart.

svglib does not paint SVG ``<pattern>`` fills, and matplotlib draws a hatched
bar as a path filled with a pattern (a rectangle of the bar's colour plus the
hatch lines). Left alone, every hatched bar would print empty. Before
converting, :func:`flatten_patterns` rewrites each pattern fill into what it
shows: the path filled with the pattern's background colour, then the hatch
lines tiled over the path's bounding box and clipped to the path (svglib
supports clip paths). The result looks as the PNG does, stays vector, and
stays small.

The SVG is parsed from memory with entity resolution and network access off,
so neither the XML nor svglib can read a file or fetch a URL.
"""

from __future__ import annotations

import io
import math
import re

from lxml import etree

from ..model import Chart
from .fonts import register_fonts, svg_font_map

SVG_NS = "http://www.w3.org/2000/svg"
_URL = re.compile(r"url\(#([^)]+)\)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_MAX_TILES = 400  # per shape; a hatch over a larger area is left as a plain fill


def _q(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"


def _style_fill(element) -> tuple[str | None, str]:
    """The pattern id the element is filled with (if any) and where: 'style' or 'attr'."""
    style = element.get("style") or ""
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if name.strip() == "fill":
            match = _URL.search(value)
            return (match.group(1) if match else None), "style"
    match = _URL.search(element.get("fill") or "")
    return (match.group(1) if match else None), "attr"


def _set_fill(element, colour: str, where: str) -> None:
    if where == "style":
        parts = []
        for part in (element.get("style") or "").split(";"):
            name, _, value = part.partition(":")
            if name.strip() == "fill":
                parts.append(f"fill: {colour}")
            elif part.strip():
                parts.append(part.strip())
        element.set("style", "; ".join(parts))
    else:
        element.set("fill", colour)


def _rectangle(d: str) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) when the path is an axis-aligned rectangle (a bar or legend key)."""
    if re.search(r"[ACHQSTVachqstvml]", d):
        return None
    numbers = [float(n) for n in _NUMBER.findall(d)]
    if len(numbers) < 8 or len(numbers) % 2:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if any(x not in (left, right) for x in xs) or any(y not in (top, bottom) for y in ys):
        return None
    return left, top, right, bottom


def _subpaths(d: str) -> list[tuple[str, list[float]]]:
    """A hatch path split at each M: (the subpath's text, its numbers)."""
    parts = [p for p in re.split(r"(?=M)", d) if p.strip()]
    return [(p, [float(n) for n in _NUMBER.findall(p)]) for p in parts]


def _clip_segment(x1: float, y1: float, x2: float, y2: float,
                  rect: tuple[float, float, float, float]) -> tuple[float, float, float, float] | None:
    """Liang-Barsky: the part of a segment inside the rectangle, or None."""
    left, top, right, bottom = rect
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return x1 + t0 * dx, y1 + t0 * dy, x1 + t1 * dx, y1 + t1 * dy


def _shift(text: str, dx: float, dy: float) -> str:
    """An absolute path's text moved by (dx, dy)."""
    pieces, last = [], 0
    for index, match in enumerate(_NUMBER.finditer(text)):
        value = float(match.group()) + (dx if index % 2 == 0 else dy)
        pieces.append(text[last:match.start()] + f"{value:.2f}")
        last = match.end()
    return "".join(pieces) + text[last:]


def _hatch_in_rectangle(d: str, origin: tuple[float, float], size: tuple[float, float],
                        rect: tuple[float, float, float, float]) -> str:
    """The pattern's hatch path repeated over ``rect`` and cut to it, as one path's ``d``.

    Straight segments are cut exactly; other pieces (the dots of a dotted hatch)
    are kept when they lie wholly inside.
    """
    left, top, right, bottom = rect
    width, height = size
    x0, y0 = origin
    subpaths = _subpaths(d)
    out: list[str] = []
    for col in range(math.floor((left - x0) / width), math.floor((right - x0) / width) + 1):
        for row in range(math.floor((top - y0) / height), math.floor((bottom - y0) / height) + 1):
            dx, dy = x0 + col * width, y0 + row * height
            for text, numbers in subpaths:
                if re.fullmatch(r"\s*M[^A-Za-z]*L[^A-Za-z]*", text) and len(numbers) == 4:
                    cut = _clip_segment(numbers[0] + dx, numbers[1] + dy, numbers[2] + dx, numbers[3] + dy, rect)
                    if cut and (abs(cut[0] - cut[2]) > 1e-6 or abs(cut[1] - cut[3]) > 1e-6):
                        out.append("M %.2f %.2f L %.2f %.2f" % cut)
                elif numbers:
                    xs = [x + dx for x in numbers[0::2]]
                    ys = [y + dy for y in numbers[1::2]]
                    if min(xs) >= left and max(xs) <= right and min(ys) >= top and max(ys) <= bottom:
                        out.append(_shift(text, dx, dy))
    return " ".join(out)


_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)px")
_ANCHOR = re.compile(r"text-anchor:\s*(start|middle|end)")
_SPACE_EM = 651 / 2048  # width of a space in DejaVu Sans, in ems


def _keep_edge_spaces(root) -> None:
    """Spaces at the ends of a text are padding matplotlib measured (e.g. " 6" after a bar).
    svglib strips them, so the text is moved by their width instead."""
    for text in root.iter(_q("text")):
        content = text.text or ""
        lead = len(content) - len(content.lstrip(" "))
        trail = len(content) - len(content.rstrip(" "))
        if not (lead or trail) or len(text) or not text.get("x"):
            continue
        style = text.get("style") or ""
        size = _FONT_SIZE.search(style)
        anchor = _ANCHOR.search(style)
        anchor = anchor.group(1) if anchor else "start"
        space = _SPACE_EM * float(size.group(1) if size else 12)
        shift = {"start": lead, "end": -trail, "middle": (lead - trail) / 2}[anchor] * space
        if shift and not text.get("transform", "").replace("rotate(-0", "").strip().startswith("rotate"):
            text.set("x", f"{float(text.get('x')) + shift:.6f}")
        text.text = content.strip(" ")


def flatten_patterns(svg: bytes) -> bytes:
    """Replace every pattern fill with its background colour plus hatch lines cut to the shape;
    keep the spaces at the ends of texts."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(svg, parser)
    _keep_edge_spaces(root)
    patterns = {p.get("id"): p for p in root.iter(_q("pattern")) if p.get("id")}
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag == _q("pattern"):
            continue
        if any(ancestor.tag == _q("pattern") for ancestor in element.iterancestors()):
            continue
        pattern_id, where = _style_fill(element)
        if pattern_id is None or pattern_id not in patterns:
            continue
        pattern = patterns[pattern_id]
        background = None
        hatches = []
        for child in pattern:
            if child.tag == _q("rect") and background is None and child.get("fill"):
                background = child.get("fill")
            else:
                hatches.append(child)
        _set_fill(element, background or "none", where)

        rect = _rectangle(element.get("d") or "") if element.tag == _q("path") else None
        if rect is None or element.get("transform"):
            continue
        width = float(pattern.get("width") or 0)
        height = float(pattern.get("height") or 0)
        if width <= 0 or height <= 0:
            continue
        tiles = (math.floor((rect[2] - rect[0]) / width) + 2) * (math.floor((rect[3] - rect[1]) / height) + 2)
        if tiles > _MAX_TILES:
            continue
        origin = (float(pattern.get("x") or 0), float(pattern.get("y") or 0))
        # After the filled shape: the hatch lines, then the shape's outline again on top,
        # as an SVG viewer paints a pattern fill before the stroke.
        outline = etree.Element(element.tag, {k: v for k, v in element.attrib.items() if k != "id"})
        _set_fill(outline, "none", where)
        element.addnext(outline)
        for hatch in reversed(hatches):
            if hatch.tag != _q("path") or not hatch.get("d"):
                continue
            d = _hatch_in_rectangle(hatch.get("d"), origin, (width, height), rect)
            if d:
                element.addnext(etree.Element(_q("path"), {"d": d, "style": hatch.get("style") or ""}))
    for pattern in patterns.values():
        pattern.getparent().remove(pattern)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def chart_drawing(chart: Chart):
    """The chart's SVG as a reportlab Drawing, hatches included; raises ValueError if unreadable."""
    from svglib.svglib import svg2rlg

    try:
        svg = flatten_patterns(chart.svg)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"chart {chart.name!r}: its SVG is not well-formed ({exc})") from None
    drawing = svg2rlg(io.BytesIO(svg), font_map=svg_font_map())
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError(f"chart {chart.name!r}: its SVG could not be read")
    drawing.initialFontName = register_fonts().regular  # not Helvetica, even for empty text state
    return drawing
