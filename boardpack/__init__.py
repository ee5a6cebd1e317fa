"""boardpack: from the international strategy's progress spreadsheets to the board pack.

The public API is small: check the inputs, and (as the pipeline grows) build
everything from them. The CLI in generate_report.py is a thin layer over this.
"""

from .config import Config, load_config
from .errors import BoardpackError, InputProblems, OutputError, PeriodError, TemplateError
from .model import CoverOptions, Period, Problem, ValidatedInputs
from .pipeline import RunResult, build_charts, build_pack, default_meeting_date, validate_inputs

__all__ = [
    "BoardpackError",
    "Config",
    "CoverOptions",
    "InputProblems",
    "OutputError",
    "Period",
    "PeriodError",
    "Problem",
    "RunResult",
    "TemplateError",
    "ValidatedInputs",
    "build_charts",
    "build_pack",
    "default_meeting_date",
    "load_config",
    "validate_inputs",
]
