"""boardpack: from the international strategy's progress spreadsheets to the board pack.

The public API is small: check the inputs, and (as the pipeline grows) build
everything from them. The CLI in generate_report.py is a thin layer over this.
"""

from .config import Config, load_config
from .errors import BoardpackError, InputProblems, OutputError, PeriodError, TemplateError
from .model import Period, Problem, ValidatedInputs
from .pipeline import validate_inputs

__all__ = [
    "BoardpackError", "Config", "InputProblems", "OutputError", "Period", "PeriodError", "Problem",
    "TemplateError", "ValidatedInputs", "load_config", "validate_inputs",
]
