"""DejaVu Sans, the family matplotlib draws charts in, registered for reportlab.

The TrueType files ship inside matplotlib, so every install has them. Fonts are
registered on first use (never at import time) and embedded, subset, in the PDF,
so Welsh ŵ ŷ, accented letters, Greek and Cyrillic print as themselves.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
    """matplotlib's own copy of DejaVu Sans, found without importing matplotlib:
    a run whose charts all come from the cache never needs its slow import."""
    package = importlib.util.find_spec("matplotlib")
    if package is None or package.origin is None:
        raise ModuleNotFoundError("matplotlib is not installed; its DejaVu Sans fonts are the pack's")
    return Path(package.origin).parent / "mpl-data" / "fonts" / "ttf"


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
    seen: set[str] = set()
    for text in texts:
        seen.update(text)
    return sorted(c for c in seen if not c.isspace() and ord(c) >= 32 and ord(c) not in covered)
