"""Text from spreadsheets and templates, made safe for reportlab's paragraph markup.

reportlab's ``Paragraph`` reads a small XML language (``<b>``, ``<font>``,
``<img src>``, ``<a href>``, entities). Text we did not write ourselves, from a
spreadsheet cell, the template or the command line, must never be read as that
language: :func:`esc` escapes it, and every helper here that takes such text
escapes it first. Markup is only ever added *around* escaped text, by this
package. What the text says is built, renderer-neutral, in :mod:`boardpack.pack_text`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ..formats import money, number, percent, short_date, uk_date
from ..narrative import move_text
from ..pack_text import LINE_BREAKS, SHORTENED_NOTE, clip, plain, shorten

__all__ = [
    "esc",
    "shorten",
    "clip",
    "plain",
    "money",
    "percent",
    "number",
    "uk_date",
    "move_text",
    "short_date",
    "SHORTENED_NOTE",
]


def esc(text: object, *, line_breaks: bool = True) -> str:
    """Escape text for a reportlab Paragraph: & < > print as themselves.

    Line breaks in the text become ``<br/>`` (added after escaping, so they are
    ours), or spaces when ``line_breaks`` is false.
    """
    escaped = escape(plain(text))
    return LINE_BREAKS.sub("<br/>" if line_breaks else " ", escaped)
