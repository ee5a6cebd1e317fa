"""What every reader of the load stage shares: the Unreadable exception, names made safe to show, column letters."""

from __future__ import annotations

from ..model import Problem

CHUNK = 1 << 20  # 1 MB: bytes are inflated and decoded by the chunk, never all at once


class Unreadable(Exception):
    """A file that cannot be read at all; the message says why and what to do.

    ``sheet``, ``row`` and ``column`` place it when the fault sits in one cell
    (``column`` is then the column letter, as Excel shows it).
    """

    def __init__(
        self, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column

    def problem(self, file: str) -> Problem:
        return Problem(file, self.sheet, self.row, None, None, str(self), letter=self.column)


def column_letter(index: int) -> str:
    """Excel's column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
