"""Text normalisation shared by header matching, registry look-up and identity.

Staff type the same name in many ways; these rules make them compare equal.
Two forms, kept apart on purpose: ``clean_text`` is what is stored and printed
(the staff's own characters, curly quotes and case included, only tidied), and
``match_key`` is what is compared (also quotes straightened and case folded).
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'}
)
_HEADER_NOISE = re.compile(r"[^\w\s]|_")


def clean_text(value: str) -> str:
    """Trim and fold runs of spaces (non-breaking ones too); keep quotes and case, as staff wrote them."""
    return _SPACES.sub(" ", value).strip()


def match_key(value: str) -> str:
    """The form two texts are compared in: cleaned, quotes straightened and case-folded."""
    return clean_text(value.translate(_QUOTES)).casefold()


def header_key(value: str) -> str:
    """The form headers are compared in: also without punctuation such as % £ ( ) _."""
    return clean_text(_HEADER_NOISE.sub(" ", match_key(value))).casefold()
