"""How the pack looks, as data: page geometry, colours and paragraph styles.

Colours come from the template's ``[branding]`` (primary for headings, rules and
table headers; accent for flags), status colours from
:mod:`boardpack.charts.style` so that tables and charts agree. Built once per
render from the config; nothing here is read at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from ..charts.style import STATUS_STYLES, mix
from ..config import Config
from .fonts import Fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 2.0 * cm
MARGIN_TOP = 2.4 * cm  # the running header sits in the top 1.4 cm of this
MARGIN_BOTTOM = 2.1 * cm  # the footer sits in the bottom 1.2 cm of this
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

TEXT = "#1A1A1A"
MUTED = "#595959"
RULE = "#C8C8C8"


@dataclass(frozen=True)
class Palette:
    primary: str
    accent: str
    tint: str  # very light primary: tiles, zebra rows
    light: str  # light primary: table rules
    text: str = TEXT
    muted: str = MUTED
    rule: str = RULE

    def c(self, name: str) -> colors.Color:
        return colors.HexColor(getattr(self, name))


def palette(config: Config) -> Palette:
    primary, accent = config.branding.primary_colour, config.branding.accent_colour  # "#RRGGBB", checked
    return Palette(
        primary=primary,
        accent=accent,
        tint=mix(primary, "#FFFFFF", 0.93),
        light=mix(primary, "#FFFFFF", 0.75),
    )


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the pack, by role."""

    fonts: Fonts
    palette: Palette
    by_name: Mapping[str, ParagraphStyle] = field(repr=False)

    def __getattr__(self, name: str) -> ParagraphStyle:
        try:
            return self.__dict__["by_name"][name]
        except KeyError:
            raise AttributeError(name) from None

    def status_colours(self, status: str) -> tuple[str, str]:
        """(fill, text colour) of a status chip."""
        style = STATUS_STYLES.get(status)
        if style is None:
            return "#EBEBEB", "#000000"
        return style.colour, style.text_colour


def build_styles(config: Config, fonts: Fonts) -> Styles:
    pal = palette(config)
    primary, text, muted = colors.HexColor(pal.primary), colors.HexColor(TEXT), colors.HexColor(MUTED)
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=9.5,
        leading=13.2,
        textColor=text,
        spaceAfter=5,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=fonts.regular,
    )

    def style(name: str, parent: ParagraphStyle = base, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    s: dict[str, ParagraphStyle] = {"body": base}
    s["h1"] = style(
        "h1",
        fontName=fonts.bold,
        fontSize=17,
        leading=21,
        textColor=primary,
        spaceBefore=14,
        spaceAfter=8,
        keepWithNext=1,
    )
    s["h2"] = style(
        "h2",
        fontName=fonts.bold,
        fontSize=13,
        leading=16.5,
        textColor=primary,
        spaceBefore=10,
        spaceAfter=5,
        keepWithNext=1,
    )
    s["h3"] = style(
        "h3",
        fontName=fonts.bold,
        fontSize=10.5,
        leading=13.5,
        textColor=primary,
        spaceBefore=8,
        spaceAfter=3,
        keepWithNext=1,
    )
    s["lead"] = style("lead", fontSize=10, leading=14, textColor=text, spaceAfter=6)
    s["description"] = style(
        "description",
        fontName=fonts.italic,
        fontSize=9.5,
        leading=13.2,
        textColor=colors.HexColor("#333333"),
        spaceAfter=6,
    )
    s["small"] = style("small", fontSize=8, leading=10.5, textColor=muted, spaceAfter=3)
    s["note"] = style("note", fontSize=8, leading=10.5, textColor=muted, spaceBefore=2, spaceAfter=8)
    s["bullet"] = style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3.5)
    s["caption"] = style("caption", fontSize=8, leading=10.5, textColor=muted, spaceBefore=3, spaceAfter=10)
    s["chart_title"] = style(
        "chart_title",
        fontName=fonts.bold,
        fontSize=9.5,
        leading=12.5,
        textColor=text,
        spaceBefore=4,
        spaceAfter=3,
        keepWithNext=1,
    )
    # tables
    s["cell"] = style("cell", fontSize=8, leading=10.2, spaceAfter=0)
    s["cell_small"] = style("cell_small", fontSize=7.2, leading=9.2, spaceAfter=0, textColor=muted)
    s["cell_small_centre"] = style("cell_small_centre", parent=s["cell_small"], alignment=TA_CENTER)
    s["cell_bold"] = style("cell_bold", parent=s["cell"], fontName=fonts.bold)
    s["cell_right"] = style("cell_right", parent=s["cell"], alignment=TA_RIGHT)
    s["cell_centre"] = style("cell_centre", parent=s["cell"], alignment=TA_CENTER)
    s["head"] = style("head", fontName=fonts.bold, fontSize=8, leading=10.2, spaceAfter=0, textColor=colors.white)
    s["head_right"] = style("head_right", parent=s["head"], alignment=TA_RIGHT)
    s["head_centre"] = style("head_centre", parent=s["head"], alignment=TA_CENTER)
    s["flag"] = style("flag", parent=s["cell"], fontName=fonts.bold, textColor=colors.HexColor(pal.accent))
    # cover
    s["cover_org"] = style("cover_org", fontName=fonts.bold, fontSize=12, leading=15, textColor=primary, spaceAfter=1)
    s["cover_board"] = style("cover_board", fontSize=10.5, leading=14, textColor=muted, spaceAfter=14)
    s["cover_title"] = style(
        "cover_title", fontName=fonts.bold, fontSize=20, leading=24.5, textColor=text, spaceAfter=12
    )
    s["cover_label"] = style(
        "cover_label", fontName=fonts.bold, fontSize=8.5, leading=11, textColor=primary, spaceAfter=0
    )
    s["cover_value"] = style("cover_value", fontSize=9, leading=11.5, spaceAfter=0)
    s["cover_h"] = style(
        "cover_h",
        fontName=fonts.bold,
        fontSize=10.5,
        leading=13.5,
        textColor=primary,
        spaceBefore=10,
        spaceAfter=3,
        keepWithNext=1,
    )
    s["cover_text"] = style("cover_text", fontSize=9, leading=12.3, spaceAfter=3)
    s["cover_bullet"] = style("cover_bullet", parent=s["cover_text"], leftIndent=14, bulletIndent=0)
    # tiles
    s["tile_value"] = style(
        "tile_value", fontName=fonts.bold, fontSize=19, leading=22, textColor=primary, alignment=TA_LEFT, spaceAfter=0
    )
    s["tile_label"] = style("tile_label", fontName=fonts.bold, fontSize=8, leading=10, textColor=text, spaceAfter=0)
    s["tile_note"] = style("tile_note", fontSize=7.5, leading=9.5, textColor=muted, spaceAfter=0)
    # contents
    s["toc0"] = style("toc0", fontName=fonts.bold, fontSize=10, leading=13, spaceAfter=0)
    s["toc1"] = style("toc1", fontSize=9.5, leading=12.5, leftIndent=14, spaceAfter=0)
    s["toc_page0"] = style("toc_page0", parent=s["toc0"], alignment=TA_RIGHT)
    s["toc_page1"] = style("toc_page1", parent=s["toc1"], alignment=TA_RIGHT, leftIndent=0)
    return Styles(fonts=fonts, palette=pal, by_name=s)
