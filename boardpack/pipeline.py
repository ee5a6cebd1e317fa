"""The one place the stages meet: load -> validate -> summarise -> chart -> render -> write."""

from __future__ import annotations

from pathlib import Path

from .config import Config, load_config
from .load import load_inputs
from .model import Period, ValidatedInputs
from .validate import validate_tables


def validate_inputs(inputs: str | Path, config: Config | None = None, *, period: Period | str | None = None,
                    strict: bool = False) -> ValidatedInputs:
    """Load and check every spreadsheet in ``inputs``; never raises for bad cells.

    The result's ``errors`` are what stop a run; ``warnings`` go into the pack.
    """
    config = config or load_config()
    return validate_tables(load_inputs(inputs, config), config, period=period, strict=strict)
