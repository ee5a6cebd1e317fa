"""Each kind of value in the contract (schema.py) parsed from a cell as staff typed it."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Config, Registry
from ..model import Period
from ..schema import (
    DATE_HELP,
    DIRECTIONS,
    EXCEL_ERRORS,
    MONEY_SMALLEST,
    NUMBER_LIMIT,
    NUMBER_SMALLEST,
    STATUS_SYNONYMS,
    UNITS,
    YEARS,
    Column,
    status_choices,
)
from ..text import clean_text, match_key

# A parser returns the clean value, or raises BadValue with what was expected.
Parser = Callable[[Any], Any]


class BadValue(Exception):
    """A value that breaks the contract; the message says what was expected."""


def as_shown(raw: Any) -> str:
    """The value as staff would recognise it in the cell."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y %H:%M") if raw.time() != dt.time() else raw.strftime("%d/%m/%Y")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def column_parser(column: Column, config: Config) -> Parser:
    """The parser for one column: blanks first, then the column's kind."""
    kind_parsers: dict[str, Parser] = {
        "partner": lambda raw: _registry_name(raw, config.partners, config.path),
        "area": lambda raw: _registry_name(raw, config.areas, config.path),
        "text": _long_text if column.name in ("commentary", "decision needed") else _text_value,
        "period": lambda raw: parse_period(raw, config.year_start_month),
        "status": _status,
        "percent": _percent,
        "date": _dated,
        "money": lambda raw: _money(raw, config.limits.max_money),
        "number": _number,
        "unit": _unit,
        "direction": _direction,
    }
    parse_kind = kind_parsers[column.kind]

    def parse(raw: Any) -> Any:
        if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
            raise BadValue(f"is the Excel error {raw.strip()}; fix the formula or type the value")
        if is_blank(raw):
            if column.required:
                raise BadValue(f"is blank; expected {column.help}")
            return None
        return parse_kind(raw)

    return parse


def _as_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    return as_shown(raw)


def _text_value(raw: Any) -> str:
    """Text as staff wrote it, only tidied: curly quotes and case are kept for printing."""
    return clean_text(_as_text(raw))


def _long_text(raw: Any) -> str:
    """Commentary and decisions keep their line breaks; each line is cleaned like other text."""
    lines = _as_text(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(clean_text(line) for line in lines).strip()


def _registry_name(raw: Any, registry: Registry, template: str) -> str:
    entry = registry.find(_as_text(raw))
    if entry is not None:
        return entry.name
    suggestion = registry.suggest(_as_text(raw))
    section = "[[partners]]" if registry.kind == "partner" else "[[areas]]"
    article = "an" if registry.kind[0] in "aeiou" else "a"
    known = f'did you mean "{suggestion}"?' if suggestion else f"use one of {', '.join(registry.names)}"
    raise BadValue(
        f"is not {article} {registry.kind} in the template; {known} "
        f"(a new {registry.kind} is added under {section} in {Path(template).name})"
    )


_PERIOD_PATTERNS = (
    # 2025-26 Q1, 2025/26 Q1, 2025-2026 Q1
    re.compile(r"^(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})\s*q(?P<q>[1-4])$"),
    # Q1 2025-26, Q1 2025/2026
    re.compile(r"^q(?P<q>[1-4])\s*(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})$"),
    # Q1 25/26
    re.compile(r"^q(?P<q>[1-4])\s*(?P<y1>\d{2})\s*[-/]\s*(?P<y2>\d{2})$"),
)


def parse_period(raw: Any, year_start_month: int) -> Period:
    """A strategy-year quarter from any accepted spelling, or a date (its quarter)."""
    if isinstance(raw, Period):
        return raw
    if isinstance(raw, (dt.date, dt.datetime)):
        return _in_years(Period.of_date(_dated(raw), year_start_month))
    text = match_key(_as_text(raw))
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(text)
        if m:
            y1 = int(m["y1"]) + (2000 if len(m["y1"]) == 2 else 0)
            y2 = int(m["y2"])
            if (y2 % 100) != (y1 + 1) % 100 or (len(m["y2"]) == 4 and y2 != y1 + 1):
                raise BadValue(
                    f"names the years {y1} and {y2}, which do not follow each other; "
                    "expected a strategy year such as 2025-26"
                )
            return _in_years(Period(y1, int(m["q"])))
    try:
        day = _date(raw)
    except BadValue:
        raise BadValue(
            "is not a reporting period; expected a quarter such as 2025-26 Q1, 2025/26 Q1, "
            "Q1 2025-26 or Q1 25/26, or a date"
        ) from None
    return _in_years(Period.of_date(_dated(day), year_start_month))


def _in_years(period: Period) -> Period:
    first, last = YEARS
    if not first <= period.start_year <= last:
        raise BadValue(
            f"names a strategy year starting in {period.start_year}; expected a period from "
            f"{Period(first, 1).label} to {Period(last, 4).label} (check the year)"
        )
    return period


def _status(raw: Any) -> str:
    status = STATUS_SYNONYMS.get(match_key(_as_text(raw)))
    if status is None:
        raise BadValue(f"is not a status; expected {status_choices()}, in any case")
    return status


_NUMBER_TEXT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def to_number(raw: Any, strip: str = "") -> float | None:
    """A number from a number cell or from text such as '1,200.50'; None if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    for symbol in strip:
        text = text.replace(symbol, "")
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text or not _NUMBER_TEXT.match(text) or text in {"+", "-", "."}:
        return None
    return float(text.replace(",", ""))


def _percent(raw: Any) -> float:
    text = raw.strip() if isinstance(raw, str) else raw
    value = to_number(text[:-1] if isinstance(text, str) and text.endswith("%") else text)
    if value is None:
        raise BadValue("is not a percentage; expected a number from 0 to 100, such as 45 or 45%")
    if not 0 <= value <= 100:
        raise BadValue("is outside 0-100; expected a percentage from 0 to 100")
    return value


_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
# Day first with the month in words: 1st Oct 2026, 01-Oct-26, 1 October 2026, 1st of October, 2026.
_NAMED_DATE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s/.-]*([a-z]+)\.?,?[\s/.-]*(\d{4}|\d{2})$", re.IGNORECASE
)
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {
    **{name: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# Excel stores dates as days since 1899-12-30; a plain number in this range
# (1 Jan 2000 to 31 Dec 2099) in a date column is a date cell that lost its format.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (36526, 73415)


def _dated(raw: Any) -> dt.date:
    """A date (any spelling _date reads) within the years of schema.YEARS."""
    day = _date(raw)
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise BadValue(f"is in the year {day.year}; expected a date from {YEARS[0]} to {YEARS[1]} (check the year)")
    return day


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise BadValue(f"is a number, not a date; expected {DATE_HELP}")
    text = _as_text(raw).strip()
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK_DATE.match(text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[2]), int(m[1]))  # day first, as in the UK
        if (m := _NAMED_DATE.match(text)) and m[2].casefold() in _MONTHS:
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, _MONTHS[m[2].casefold()], int(m[1]))
    except ValueError:
        raise BadValue(f"is not a real date; expected {DATE_HELP}") from None
    raise BadValue(f"is not a date; expected {DATE_HELP}")


def _money(raw: Any, limit: float) -> float:
    value = to_number(raw, strip="£")
    if value is None and isinstance(raw, str) and raw.strip().upper().startswith("GBP"):
        value = to_number(raw.strip()[3:])
    if value is None:
        raise BadValue("is not an amount; expected pounds such as 1200, £1,200 or 1200.50")
    if value < 0:
        raise BadValue("is negative; expected an amount of £0 or more")
    if 0 < value < MONEY_SMALLEST:
        raise BadValue("is less than a penny; expected £0 or an amount of at least £0.01")
    if value > limit:  # an amount too large for a float is infinite, and larger too
        raise BadValue(
            f"is more than £{limit:,.0f}, the largest amount accepted ([limits] max_money in the "
            "template); check the amount"
        )
    return value


def _number(raw: Any) -> float:
    text = raw.strip() if isinstance(raw, str) else raw
    value = to_number(text[:-1] if isinstance(text, str) and text.endswith("%") else text, strip="£")
    if value is None:
        raise BadValue("is not a number; expected a number such as 120 or 85.5")
    if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:  # an infinite one too (a number too large for a float)
        raise BadValue(f"is beyond {NUMBER_LIMIT:,}, the largest number a metric may hold; check the number")
    if value and abs(value) < NUMBER_SMALLEST:
        raise BadValue(
            f"is closer to 0 than {NUMBER_SMALLEST:.6f}; expected 0, or a number at least {NUMBER_SMALLEST:.6f} "
            "from 0; check the number"
        )
    return value


def _unit(raw: Any) -> str:
    unit = UNITS.get(match_key(_as_text(raw)))
    if unit is None:
        raise BadValue("is not a unit; expected number, % or £")
    return unit


def _direction(raw: Any) -> str:
    direction = DIRECTIONS.get(match_key(_as_text(raw)))
    if direction is None:
        raise BadValue("is not a direction; expected higher or lower (which side of the target is good)")
    return direction
