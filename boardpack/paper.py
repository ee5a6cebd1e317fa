"""Where the board paper says each thing: decisions, the ranked attention list, and references.

Each activity is named in full at most twice in the body of the pack: once in
its partner's table and once where it is discussed (Decisions for the Board, or
Needs attention). Everything else that speaks of it (the cover's
recommendations, the key messages) refers to it by partner, area and place,
e.g. "ACUI’s capacity building activity (Needs attention 2)". This module
decides those places from the summary alone, so that the narrative and the PDF
agree on every number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from .config import Config
from .formats import possessive
from .summary_model import ActivityRow, Summary

Key = tuple[str, str]  # (partner, activity) identifies an as-at activity row


def _key(row: ActivityRow) -> Key:
    return (row.partner, row.activity)


@dataclass(frozen=True)
class Places:
    """The decisions (D1, D2, …) and the ranked attention items (1, 2, …) of one pack.

    ``attention`` is the summary's ranked exceptions less those that carry a
    decision (they are discussed under Decisions); the first ``attention_in_body``
    print in the body, the rest in the appendix.
    """

    decisions: tuple[ActivityRow, ...]
    attention: tuple[ActivityRow, ...]
    attention_in_body: int
    shorts: Mapping[str, str]

    @property
    def attention_overflow(self) -> tuple[ActivityRow, ...]:
        return self.attention[self.attention_in_body :]

    @cached_property
    def _decision_numbers(self) -> dict[Key, int]:
        return {_key(row): number for number, row in enumerate(self.decisions, start=1)}

    @cached_property
    def _attention_numbers(self) -> dict[Key, int]:
        return {_key(row): number for number, row in enumerate(self.attention, start=1)}

    def decision_ref(self, row: ActivityRow) -> str | None:
        number = self._decision_numbers.get(_key(row))
        return f"D{number}" if number else None

    def attention_number(self, row: ActivityRow) -> int | None:
        return self._attention_numbers.get(_key(row))

    def place(self, row: ActivityRow) -> str | None:
        """ "Decision D1" or "Needs attention 3" where the row is discussed; None when only in tables."""
        ref = self.decision_ref(row)
        if ref:
            return f"Decision {ref}"
        number = self.attention_number(row)
        return f"Needs attention {number}" if number else None

    def mention(self, row: ActivityRow) -> str:
        """How prose names an activity: by place when it is discussed elsewhere, else by name."""
        short = self.shorts.get(row.partner, row.partner)
        place = self.place(row)
        if place:
            return f"{possessive(short)} {row.area[:1].lower() + row.area[1:]} activity ({place})"
        return f"{row.activity} ({short})"


def places(summary: Summary, config: Config) -> Places:
    decided = {_key(a) for a in summary.decisions}
    attention = tuple(a for a in summary.exceptions if _key(a) not in decided)
    shorts = {e.name: e.short_name for e in (*config.partners.entries, *config.areas.entries)}
    return Places(
        decisions=summary.decisions,
        attention=attention,
        attention_in_body=min(len(attention), config.pack.attention_items),
        shorts=shorts,
    )
