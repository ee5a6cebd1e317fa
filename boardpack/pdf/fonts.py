"""DejaVu Sans, the family matplotlib draws charts in, registered for reportlab and svglib.

The TrueType files ship inside matplotlib, so every install has them. Fonts are
registered on first use (never at import time) and embedded, subset, in the PDF,
so Welsh ŵ ŷ, accented letters, Greek and Cyrillic print as themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "DejaVuSans"

# (reportlab name, file, bold, italic)
_FACES = (
    ("DejaVuSans", "DejaVuSans.ttf", 0, 0),
    ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf", 1, 0),
    ("DejaVuSans-Oblique", "DejaVuSans-Oblique.ttf", 0, 1),
    ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf", 1, 1),
)


@dataclass(frozen=True)
class Fonts:
    """The reportlab names of the four faces of the family."""

    regular: str = "DejaVuSans"
    bold: str = "DejaVuSans-Bold"
    italic: str = "DejaVuSans-Oblique"
    bold_italic: str = "DejaVuSans-BoldOblique"


def font_folder() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@lru_cache(maxsize=1)
def register_fonts() -> Fonts:
    """Register the DejaVu Sans family with reportlab once per process."""
    folder = font_folder()
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file, bold, italic in _FACES:
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping(FAMILY, bold, italic, name)
    return Fonts()


def characters_without_glyph(texts: Iterable[str], fonts: Fonts) -> list[str]:
    """The characters of ``texts`` the embedded font cannot draw (they print as empty boxes)."""
    covered = pdfmetrics.getFont(fonts.regular).face.charToGlyph
    seen = set()
    for text in texts:
        seen.update(text)
    return sorted(c for c in seen if not c.isspace() and ord(c) >= 32 and ord(c) not in covered)


@lru_cache(maxsize=1)
def svg_font_map():
    """An svglib font map that draws every SVG font family in DejaVu Sans.

    The charts are drawn by matplotlib in DejaVu Sans; their SVG names a list of
    fallbacks ('DejaVu Sans', 'Bitstream Vera Sans', …, sans-serif). Mapping all
    of them to the registered faces keeps chart text as real, searchable text in
    the same font as the pack, with no font search on the system.
    """
    from svglib.fonts import FontMap

    fonts = register_fonts()

    class _PackFontMap(FontMap):
        def find_font(self, font_name: str, weight: str = "normal", style: str = "normal"):
            bold = str(weight).lower() in ("bold", "bolder", "600", "700", "800", "900")
            italic = str(style).lower() in ("italic", "oblique")
            name = {(False, False): fonts.regular, (True, False): fonts.bold,
                    (False, True): fonts.italic, (True, True): fonts.bold_italic}[(bold, italic)]
            return name, True

    return _PackFontMap()
