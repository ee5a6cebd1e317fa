"""Measuring, wrapping and shortening chart text on measured widths, in the chart font."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .. import style
from ..spec import ELLIPSIS, ChartSpec

__all__ = ["category_labels", "line_count", "lines_width", "text_width", "wrap_label"]


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of text in the chart font."""
    prop = FontProperties(family=style.FONT_FAMILY, size=size, weight="bold" if bold else "normal")
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def lines_width(text: str, size: float, bold: bool = False) -> float:
    return max((text_width(line, size, bold) for line in text.split("\n")), default=0.0)


def _shorten(text: str, width: float, size: float, bold: bool = False, suffix: str = "") -> str:
    """``text`` cut so that text + "…" + suffix fits ``width`` points."""
    if text_width(text + suffix, size, bold) <= width:
        return text + suffix
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits
        mid = (low + high + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS + suffix, size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    head = text[:low].rstrip(" ,;:-–·")
    return (head + ELLIPSIS + suffix) if head else (ELLIPSIS + suffix)


def wrap_label(
    text: str,
    width: float,
    size: float,
    max_lines: int = 2,
    *,
    bold: bool = False,
    suffix: str = "",
    break_words: bool = True,
) -> str:
    """Wrap ``text`` on words into lines of at most ``width`` points.

    A word too long for a line is broken with a hyphen (unless ``break_words``
    is False: then it stays whole and may overrun ``width``). Past
    ``max_lines`` the last line ends in an ellipsis, followed by ``suffix``
    (e.g. " (ESU)") so that it stays unique.
    """
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        # Lines past max_lines are shortened below anyway, so breaking stops there.
        while break_words and len(lines) <= max_lines and len(word) > 1 and text_width(word, size, bold) > width:
            low, high = 1, len(word) - 1
            while low < high:  # the longest piece that fits with its hyphen
                mid = (low + high + 1) // 2
                if text_width(word[:mid] + "-", size, bold) <= width:
                    low = mid
                else:
                    high = mid - 1
            cut = low
            if len(word) - cut < 3 and cut > 3:  # leave at least three letters for the next line
                cut = max(3, len(word) - 3)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return "\n".join(lines)
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    return "\n".join([*kept, _shorten(rest, width, size, bold, suffix)])


def category_labels(spec: ChartSpec, width: float, size: float, max_lines: int) -> list[str]:
    labels = []
    for i, name in enumerate(spec.categories):
        short = spec.short_categories[i] if i < len(spec.short_categories) else ""
        label = wrap_label(name, width, size, max_lines)
        if label.endswith(ELLIPSIS) and short and short != name:
            label = wrap_label(name, width, size, max_lines, suffix=f" ({short})")
        labels.append(label)
    return labels


def line_count(labels: Iterable[str]) -> int:
    return max((label.count("\n") + 1 for label in labels), default=1)
