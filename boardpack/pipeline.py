"""The one place the stages meet: load -> validate -> summarise -> chart -> render -> write.

Heavy libraries (matplotlib, reportlab, python-pptx) are imported inside the
functions that need them, so checking the inputs stays quick.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .config import Config, load_config
from .errors import InputProblems
from .load import load_inputs
from .model import CoverOptions, Period, Problem, ValidatedInputs
from .validate import validate_tables

Progress = Callable[[str], None]

# Drawn charts are kept here, inside the output folder, between runs.
CHART_CACHE = Path(".cache") / "charts"


def _quiet(stage: str) -> None:
    """The default progress callback: say nothing."""


@dataclass(frozen=True)
class RunResult:
    """What a run wrote, for the command line to report."""

    folder: Path
    files: tuple[str, ...]
    validated: ValidatedInputs
    charts_drawn: int = 0
    charts_reused: int = 0
    pdf_pages: int | None = None
    meeting_date: dt.date | None = None  # the date on the pack's cover

    @property
    def pdf(self) -> Path | None:
        return self.folder / "board-pack.pdf" if self.pdf_pages is not None else None


def validate_inputs(inputs: str | Path, config: Config | None = None, *, period: Period | str | None = None,
                    strict: bool = False) -> ValidatedInputs:
    """Load and check every spreadsheet in ``inputs``; never raises for bad cells.

    The result's ``errors`` are what stop a run; ``warnings`` go into the pack.
    """
    config = config or load_config()
    validated = validate_tables(load_inputs(inputs, config), config, period=period, strict=strict)
    return _with_template_warnings(validated, config, strict)


def _with_template_warnings(validated: ValidatedInputs, config: Config, strict: bool) -> ValidatedInputs:
    """Add a warning for each cover implication the template leaves empty."""
    from .narrative import IMPLICATIONS, unstated_implications

    labels = dict(IMPLICATIONS)
    warnings = tuple(
        Problem(Path(config.path).name, None, None, f"[narrative.implications] {key}", None,
                f'the {labels[key].lower()} implication is empty, so the cover prints "Not stated"; '
                'say what it is, or write "None" if there is none',
                "error" if strict else "warning")
        for key in unstated_implications(config))
    return dataclasses.replace(validated, problems=validated.problems + warnings) if warnings else validated


def _checked(inputs: str | Path, config: Config, period, strict: bool) -> ValidatedInputs:
    validated = validate_inputs(inputs, config, period=period, strict=strict)
    if validated.errors:
        raise InputProblems(validated.problems, validated=validated)
    return validated


def default_meeting_date(as_at: Period, config: Config) -> dt.date:
    """The day after the as-at period ends: never today, so runs are reproducible."""
    return as_at.last_day(config.year_start_month) + dt.timedelta(days=1)


def _officer_files(validated: ValidatedInputs, config: Config, output: Path, progress: Progress,
                   cover: CoverOptions, bare: bool = False):
    """Summary, charts and the files officers reuse: shared by `charts` and `generate`."""
    from .chart_cache import ChartCache
    from .charts import draw_charts
    from .exports import chart_files, slide_deck, summary_json, summary_workbook
    from .summarise import summarise

    progress("summarise")
    summary = summarise(validated, config)
    progress("charts")
    chart_set = draw_charts(summary, config, cache=ChartCache(output / CHART_CACHE), bare=bare)
    charts = chart_set.charts
    progress("exports")
    files = chart_files(charts)
    meeting = cover.meeting_date or default_meeting_date(validated.as_at, config)
    files["slides.pptx"] = slide_deck(charts, summary, config, title=cover.title, meeting_date=meeting)
    files["summary.xlsx"] = summary_workbook(summary, config)
    files["summary.json"] = summary_json(summary)
    return summary, chart_set, files


def build_charts(inputs: str | Path, output: str | Path, config: Config | None = None, *,
                 period: Period | str | None = None, strict: bool = False, bare: bool = False,
                 progress: Progress = _quiet) -> RunResult:
    """Charts, slides, summary workbook and JSON into ``<output>/<as-at period>/``.

    ``bare`` draws the chart files without their title, subtitle and source line.

    Raises InputProblems (nothing written) when the inputs have errors.
    """
    from .write import write_run

    config = config or load_config()
    progress("validate")
    validated = _checked(inputs, config, period, strict)
    _, chart_set, files = _officer_files(validated, config, Path(output), progress, CoverOptions(), bare)
    progress("write")
    folder = write_run(Path(output) / validated.as_at.slug, files)
    return RunResult(folder, tuple(sorted(files)), validated, len(chart_set.drawn), len(chart_set.reused))


def build_pack(inputs: str | Path, output: str | Path, config: Config | None = None, *,
               cover: CoverOptions | None = None, period: Period | str | None = None,
               strict: bool = False, progress: Progress = _quiet) -> RunResult:
    """The whole board pack run into ``<output>/<meeting date>/``: PDF, its HTML companion, charts, slides,
    workbook, JSON.

    Raises InputProblems (nothing written) when the inputs have errors.
    """
    from .pdf import render_pack
    from .write import write_run

    config = config or load_config()
    progress("validate")
    validated = _checked(inputs, config, period, strict)
    cover = cover or CoverOptions()
    if cover.meeting_date is None:
        cover = dataclasses.replace(cover, meeting_date=default_meeting_date(validated.as_at, config))
    summary, chart_set, files = _officer_files(validated, config, Path(output), progress, cover)
    progress("pdf")
    pack = render_pack(summary, chart_set.charts, config, cover, validated.sources, notes=validated.notes,
                       skipped=validated.skipped)
    files["board-pack.pdf"] = pack.pdf
    from .html import render_html  # the accessible companion: the same paper, as one HTML page

    files["board-pack.html"] = render_html(summary, chart_set.charts, config, cover, validated.sources,
                                           notes=validated.notes, skipped=validated.skipped).encode("utf-8")
    progress("write")
    folder = write_run(Path(output) / cover.meeting_date.isoformat(), files)
    return RunResult(folder, tuple(sorted(files)), validated, len(chart_set.drawn), len(chart_set.reused),
                     pdf_pages=pack.page_count, meeting_date=cover.meeting_date)
