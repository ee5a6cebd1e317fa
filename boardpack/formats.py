"""How numbers, money, dates and names are written, everywhere: charts, PDF, narrative, exports.

One rule each, so that a trustee never sees "£1,235" in a chart beside
"£1,234.50" in a table, or "72%" beside "45.2%":

* money in the body of the pack is whole pounds, rounded half up (£1,234.50 ->
  £1,235); pence only where a record is shown in full (the appendix), and for an
  amount under 50p that is not 0 (£0.40, never £0);
* percentages are whole numbers, rounded half up (45.5 -> 46%);
* prose dates read "31 July 2026", table dates "31 Jul 2026";
* counts carry thousands separators ("1,000 rows");
* text from the spreadsheets is cleaned of control characters by where it goes:
  a cell as read (:func:`strip_controls`), a file, sheet or header name shown
  anywhere (:func:`printable`), a message on a terminal (:func:`for_terminal`),
  and text printed in the pack and its HTML companion (:func:`plain`).

Pure functions of their arguments: no locale, no clock.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "money",
    "money_pence",
    "percent",
    "number",
    "uk_date",
    "short_date",
    "plural",
    "possessive",
    "join_and",
    "value_with_unit",
    "strip_controls",
    "printable",
    "for_terminal",
    "plain",
]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _half_up(value: float | int | None, places: int = 0) -> Decimal | None:
    """``value`` rounded half up, as people round (2.5 -> 3), exact for any size of number;
    None for None, NaN and infinity."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    with localcontext() as context:
        context.prec = 400  # a float has at most 309 digits before the point
        return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: float | int | None) -> str:
    """Whole pounds: £1,235 (from 1234.5), -£40; pence for an amount that would round to
    nothing (£0.40), so that it never reads as £0; "" for None or NaN."""
    pounds = _half_up(value)
    if pounds is None:
        return ""
    if not pounds and value:
        return money_pence(value)
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(int(pounds)):,}"


def money_pence(value: float | int | None) -> str:
    """£1,234.50, or £1,200 when there are no pence; "" for None or NaN."""
    amount = _half_up(value, 2)
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{int(amount):,}"
    return f"{sign}£{amount:,.2f}"


def percent(value: float | int | None) -> str:
    """A whole percentage: 72% (from 72.4), 46% (from 45.5); "" for None or NaN."""
    whole = _half_up(value)
    return "" if whole is None else f"{int(whole):,}%"


def number(value: float | int | None) -> str:
    """1,234 or 12.5 (one decimal at most); "" for None or NaN."""
    rounded = _half_up(value, 1)
    if rounded is None:
        return ""
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def value_with_unit(value: float | int | None, unit: str) -> str:
    """A metric's value in its unit: £2,400, 88%, 1,250; "" for None or NaN."""
    if unit == "£":
        return money(value)
    if unit == "%":
        return percent(value)
    return number(value)


def uk_date(value: dt.date | None) -> str:
    """The date in prose: 31 July 2026; "" for None."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_date(value: dt.date | None) -> str:
    """The date in a table: 31 Jul 2026; "" for None."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1][:3]} {value.year}"


def plural(count: int | float, singular: str, plural_form: str | None = None) -> str:
    """ "1 activity", "1,000 activities": the count with the word in the right number."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


def possessive(name: str) -> str:
    """ "ESU’s", "Other international partners’": a name that ends in s takes the apostrophe alone."""
    name = name.rstrip()
    return f"{name}’" if name.endswith(("s", "S")) else f"{name}’s"


def join_and(items) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- text, by where it goes

# In a cell as read: control characters (C0 and C1, but not tab and line breaks), lone
# surrogates and the two non-characters are invisible at best, and refused by the XML inside
# .xlsx and .pptx files at worst. Vertical tab, form feed and NEL are line breaks
# (PowerPoint and Word paste a line break as a vertical tab).
_CELL_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_CELL_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85]")

# In a file, sheet or header name shown anywhere (a terminal, a PDF, an XML file): control
# characters, and the lone surrogates Python uses for file-name bytes that are not UTF-8.
_NAME_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# On a terminal: nothing read from a file may move the cursor, change colours or clear it.
_TERMINAL_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

# In the pack and its HTML: control characters (other than tab and line breaks) break
# reportlab's parser, are not allowed in HTML, and are never meant to be seen.
_PRINT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """A cell's text as read, without control characters; every kind of line break becomes "\\n"."""
    if text.isprintable():
        return text  # the usual case, checked in C
    return _CELL_CONTROLS.sub("", _CELL_LINE_BREAKS.sub("\n", text))


def printable(text: str) -> str:
    """A file, sheet or header name safe to show anywhere: unprintable characters become "?"."""
    return text if text.isprintable() else _NAME_UNPRINTABLE.sub("?", text)


def for_terminal(text: str) -> str:
    """Text for a terminal: unprintable characters become spaces."""
    return text if text.isprintable() else _TERMINAL_UNPRINTABLE.sub(" ", text)


def plain(text: object) -> str:
    """Text as printed in the pack: None as "", control characters and tabs as spaces."""
    if text is None:
        return ""
    return _PRINT_CONTROLS.sub(" ", str(text)).replace("\t", " ")
