"""Text from spreadsheets and templates, made safe for reportlab's paragraph markup.

reportlab's ``Paragraph`` reads a small XML language (``<b>``, ``<font>``,
``<img src>``, ``<a href>``, entities). Text we did not write ourselves, from a
spreadsheet cell, the template or the command line, must never be read as that
language: :func:`esc` escapes it, and every helper here that takes such text
escapes it first. Markup is only ever added *around* escaped text, by this
package.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from ..formats import money, number, percent, short_date, uk_date
from ..narrative import move_text

__all__ = ["esc", "shorten", "clip", "CHANGE_WORDS", "money", "percent", "number", "uk_date",
           "move_text", "short_date"]

# Control characters (other than tab and line breaks) break reportlab's parser or
# print as boxes; they are never meant to be seen.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")

SHORTENED_NOTE = " … (shortened; full text in summary.xlsx)"

# How each change since the previous period is written: arrow and word, never colour alone.
CHANGE_WORDS: dict[str, str] = {
    "improved": "▲ improved",
    "worsened": "▼ worsened",
    "completed": "✔ completed",
    "new": "✚ new",
    "unchanged": "= unchanged",
}


def plain(text: object) -> str:
    """Text as a plain string: None as "", control characters as spaces, tabs as spaces."""
    if text is None:
        return ""
    return _CONTROL.sub(" ", str(text)).replace("\t", " ")


def esc(text: object, *, line_breaks: bool = True) -> str:
    """Escape text for a reportlab Paragraph: & < > print as themselves.

    Line breaks in the text become ``<br/>`` (added after escaping, so they are
    ours), or spaces when ``line_breaks`` is false.
    """
    escaped = escape(plain(text))
    return _LINE_BREAKS.sub("<br/>" if line_breaks else " ", escaped)


def shorten(text: object, limit: int, note: str = SHORTENED_NOTE) -> str:
    """Plain text cut to about ``limit`` characters at a word boundary, with ``note`` added."""
    text = plain(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + note


def clip(text: object, limit: int) -> str:
    """Plain text cut to ``limit`` characters with an ellipsis, on one line (for headers)."""
    text = _LINE_BREAKS.sub(" ", plain(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
