"""The program's own exceptions. None of them know about click or the terminal."""

from __future__ import annotations

from .model import Problem, ValidatedInputs


class BoardpackError(Exception):
    """Base class: every failure a user can cause or fix."""


class TemplateError(BoardpackError):
    """The template file is missing, is not valid TOML, or breaks a rule."""


class InputProblems(BoardpackError):
    """The inputs have errors (or warnings under --strict); nothing was written."""

    def __init__(
        self, problems: tuple[Problem, ...], message: str = "", validated: ValidatedInputs | None = None
    ) -> None:
        self.problems = problems
        self.validated = validated  # what was read, for the report beside the problems
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(message or f"{errors} problem(s) in the inputs")


class PeriodError(BoardpackError):
    """The period asked for with --period is not in the inputs, or is not a period."""


class OutputError(BoardpackError):
    """The output folder could not be written; the previous run is untouched."""


class HistoryError(BoardpackError):
    """The history database cannot be used; the message names it and says what to do."""


class HistoryLocked(HistoryError):
    """Another program held the history database locked for longer than the busy timeout."""


class HistoryReadOnly(HistoryError):
    """The history database (or its folder) cannot be written."""


class HistoryDamaged(HistoryError):
    """The history database is corrupt; it is left as it is."""


class HistoryForeign(HistoryError):
    """The file at the history path is not a boardpack history (or is from a newer boardpack)."""
