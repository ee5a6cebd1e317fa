"""The one place the stages meet: load -> validate -> summarise -> chart -> render -> write.

Between validate and summarise, a run reads its history (history.py) and fills
the periods the spreadsheets lack (history_fill.py); after write, it records
the rows it read from the spreadsheets (docs/history.md).

Heavy libraries (matplotlib, reportlab, python-pptx) are imported inside the
functions that need them, so checking the inputs stays quick.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    history: Path | None = None  # the history file read and written (None: --no-history)
    recorded_run: int | None = None  # this run's number in the history
    history_warning: str = ""  # why the run folder was written but the history could not record it

    @property
    def from_history(self):
        """Partners' periods the spreadsheets lacked, taken from the history."""
        return self.validated.from_history

    @property
    def pdf(self) -> Path | None:
        return self.folder / "board-pack.pdf" if self.pdf_pages is not None else None


def validate_inputs(
    inputs: str | Path, config: Config | None = None, *, period: Period | str | None = None, strict: bool = False
) -> ValidatedInputs:
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
        Problem(
            Path(config.path).name,
            None,
            None,
            f"[narrative.implications] {key}",
            None,
            f'the {labels[key].lower()} implication is empty, so the cover prints "Not stated"; '
            'say what it is, or write "None" if there is none',
            "error" if strict else "warning",
        )
        for key in unstated_implications(config)
    )
    return dataclasses.replace(validated, problems=validated.problems + warnings) if warnings else validated


def _checked(inputs: str | Path, config: Config, period, strict: bool) -> tuple[ValidatedInputs, Period]:
    """The validated inputs and their as-at period; InputProblems (nothing written) on any error."""
    validated = validate_inputs(inputs, config, period=period, strict=strict)
    if validated.errors or validated.as_at is None:  # no as-at period only ever comes with an error saying why
        raise InputProblems(validated.problems, validated=validated)
    return validated, validated.as_at


def history_path(history: bool | str | Path | None, output: str | Path) -> Path | None:
    """The history file a run uses: ``<output>/history.sqlite`` for True, none for False or None."""
    if history is None or history is False:
        return None
    if history is True:
        return default_history(output)
    return Path(history)


def default_history(output: str | Path) -> Path:
    """``<output>/history.sqlite``: where runs into ``output`` keep their history unless told otherwise."""
    from .history import DEFAULT_NAME

    return Path(output) / DEFAULT_NAME


def _with_history(validated: ValidatedInputs, path: Path | None, config: Config, strict: bool) -> ValidatedInputs:
    """Rows of earlier periods the spreadsheets lack, from the history; stops on its errors (--strict)."""
    if path is None:
        return validated
    from .history import open_history
    from .history_fill import fill_from_history

    with open_history(path) as history:
        filled = fill_from_history(validated, history, config, strict=strict)
    if filled.errors:
        raise InputProblems(filled.problems)
    return filled


def _record(path: Path | None, validated: ValidatedInputs, command: str, folder: Path) -> tuple[int | None, str]:
    """Record the spreadsheets' rows once the run folder is written: (run number, "") or (None, why not)."""
    if path is None:
        return None, ""
    from .errors import HistoryError
    from .history import record_run

    try:
        return record_run(path, validated, command=command, folder=folder.name), ""
    except HistoryError as exc:
        return None, (
            f"{folder} was written, but this run could not be recorded in the history: {exc}. "
            "Until it is, a later run cannot take this run's periods from the history."
        )


def default_meeting_date(as_at: Period, config: Config) -> dt.date:
    """The day after the as-at period ends: never today, so runs are reproducible."""
    return as_at.last_day(config.year_start_month) + dt.timedelta(days=1)


def _chart_pool(output: str | Path):
    """The run's drawing workers. Into an output folder without a chart cache, where every chart
    will be drawn, they start now and import matplotlib while the inputs are read; otherwise
    when the first chart must be drawn, so a run whose charts all come from the cache starts none."""
    from .charts import ChartPool

    pool = ChartPool()
    return pool if (Path(output) / CHART_CACHE).exists() else pool.start()


def _start_charts(validated: ValidatedInputs, config: Config, output: Path, progress: Progress, pool, **options):
    """The summary, and its charts handed to ``pool`` (reused from the cache where unchanged)."""
    from .charts import start_charts
    from .charts.cache import ChartCache
    from .summarise import summarise

    progress("summarise")
    summary = summarise(validated, config)
    progress("charts")
    return summary, start_charts(summary, config, pool, cache=ChartCache(output / CHART_CACHE), **options)


def _officer_files(summary, chart_set, config: Config, cover: CoverOptions, meeting: dt.date) -> dict[str, bytes]:
    """The files officers reuse: every chart's files and the slide deck."""
    from .exports import chart_files, slide_deck

    files = chart_files(chart_set.charts)
    files["slides.pptx"] = slide_deck(chart_set.charts, summary, config, title=cover.title, meeting_date=meeting)
    return files


def _data_files(summary, config: Config) -> dict[str, bytes]:
    from .exports import summary_json, summary_workbook

    return {"summary.xlsx": summary_workbook(summary, config), "summary.json": summary_json(summary)}


def build_charts(
    inputs: str | Path,
    output: str | Path,
    config: Config | None = None,
    *,
    period: Period | str | None = None,
    strict: bool = False,
    bare: bool = False,
    history: bool | str | Path | None = True,
    progress: Progress = _quiet,
) -> RunResult:
    """Charts, slides, summary workbook and JSON into ``<output>/<as-at period>/``.

    ``bare`` draws the chart files without their title, subtitle and source line.
    ``history``: True keeps it in ``<output>/history.sqlite``, a path keeps it
    there, False neither reads nor writes one (docs/history.md).
    Raises InputProblems (nothing written) when the inputs have errors, and
    HistoryError (nothing written) when the history cannot be used.
    """
    from .write import check_writable, write_run

    config = config or load_config()
    with _chart_pool(output) as pool:
        progress("validate")
        validated, as_at = _checked(inputs, config, period, strict)
        check_writable(output)  # before the history beside it, and before any drawing
        path = history_path(history, output)
        used = _with_history(validated, path, config, strict)
        summary, pending = _start_charts(used, config, Path(output), progress, pool, bare=bare)
        progress("exports")
        files = _data_files(summary, config)
        chart_set = pending.result()
        files |= _officer_files(summary, chart_set, config, CoverOptions(), default_meeting_date(as_at, config))
    progress("write")
    folder = write_run(Path(output) / as_at.slug, files)
    run, warning = _record(path, validated, "charts", folder)
    return RunResult(
        folder,
        tuple(sorted(files)),
        used,
        len(chart_set.drawn),
        len(chart_set.reused),
        history=path,
        recorded_run=run,
        history_warning=warning,
    )


def build_pack(
    inputs: str | Path,
    output: str | Path,
    config: Config | None = None,
    *,
    cover: CoverOptions | None = None,
    period: Period | str | None = None,
    strict: bool = False,
    history: bool | str | Path | None = True,
    progress: Progress = _quiet,
) -> RunResult:
    """The whole board pack run into ``<output>/<meeting date>/``: PDF, its HTML companion, charts, slides,
    workbook, JSON.

    ``history`` as for :func:`build_charts`. Raises InputProblems (nothing
    written) when the inputs have errors, and HistoryError (nothing written) when
    the history cannot be used.
    """
    from .html import render_html  # the accessible companion: the same paper, as one HTML page
    from .pdf import PACK_CHART_SECTIONS, render_pack
    from .write import check_writable, write_run

    config = config or load_config()
    with _chart_pool(output) as pool:
        progress("validate")
        validated, as_at = _checked(inputs, config, period, strict)
        check_writable(output)  # before the history beside it, and before any drawing
        path = history_path(history, output)
        used = _with_history(validated, path, config, strict)
        cover = cover or CoverOptions()
        meeting = cover.meeting_date or default_meeting_date(as_at, config)
        cover = dataclasses.replace(cover, meeting_date=meeting)
        # The pack's own charts are drawn first; the workbook, the PDF and the HTML are made while
        # the workers draw the officers' charts, which only the chart files and the deck wait for.
        summary, pending = _start_charts(used, config, Path(output), progress, pool, first=PACK_CHART_SECTIONS)
        progress("pdf")
        files = _data_files(summary, config)
        placed = pending.charts(PACK_CHART_SECTIONS)
        pack = render_pack(summary, placed, config, cover, used.sources, notes=used.notes, skipped=used.skipped)
        files["board-pack.pdf"] = pack.pdf
        html = render_html(summary, placed, config, cover, used.sources, notes=used.notes, skipped=used.skipped)
        files["board-pack.html"] = html.encode("utf-8")
        progress("exports")
        chart_set = pending.result()
        files |= _officer_files(summary, chart_set, config, cover, meeting)
    progress("write")
    folder = write_run(Path(output) / meeting.isoformat(), files)
    run, warning = _record(path, validated, "generate", folder)
    return RunResult(
        folder,
        tuple(sorted(files)),
        used,
        len(chart_set.drawn),
        len(chart_set.reused),
        pdf_pages=pack.page_count,
        meeting_date=cover.meeting_date,
        history=path,
        recorded_run=run,
        history_warning=warning,
    )


# --------------------------------------------------------------------------- the history command


def history_runs(path: str | Path) -> tuple:
    """Every run the history at ``path`` holds, oldest first (``history.StoredRun``); () when there is none."""
    from .history import open_history

    with open_history(path, write=False) as history:
        return history.runs()


def forget_run(path: str | Path, run: int):
    """Remove run ``run`` from the history, and the rows no other run read: (the run, rows removed).

    Raises KeyError when the history holds no such run.
    """
    from .history import open_history

    with open_history(path) as history:
        return history.forget(run)


def export_history(path: str | Path, target: str | Path) -> int:
    """Every row the history holds, once per run that read it, as CSV at ``target``; returns the row count."""
    from .exports import frame_csv
    from .history import open_history
    from .write import write_file

    with open_history(path, write=False) as history:
        rows = history.stored_rows()
    write_file(target, frame_csv(rows))
    return len(rows)
