"""Command line for boardpack: a thin layer that turns options into one library call.

Exit codes: 0 success, 1 problems in the inputs (nothing written), 2 usage,
130 stopped by Ctrl-C or a kill (nothing written). An unexpected fault is one
line on stderr and exit 1, never a traceback (BOARDPACK_DEBUG=1 shows it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from pathlib import Path

import click

from boardpack import (BoardpackError, CoverOptions, InputProblems, OutputError, PeriodError, build_charts,
                       build_pack, load_config, validate_inputs)
from boardpack.formats import uk_date
from boardpack.messages import format_all_clear, format_problems, format_runs, problems_json, runs_json

# The stages each command reports on its progress bar.
PACK_STAGES = ("validate", "summarise", "charts", "exports", "pdf", "write")
CHART_STAGES = ("validate", "summarise", "charts", "exports", "write")

class InputsProblem(click.ClickException):
    """Exit status 1: the inputs (or template) need fixing."""

    exit_code = 1


def _config(template: Path | None):
    try:
        return load_config(template)
    except BoardpackError as exc:
        raise InputsProblem(str(exc)) from None


inputs_option = click.option(
    "--inputs", "inputs", type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("inputs"), show_default=True, help="Folder holding the spreadsheets.")
template_option = click.option(
    "--template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="Template file (default: templates/board_report.toml).")
period_option = click.option(
    "--period", default=None, metavar="PERIOD",
    help='Report as at this quarter, e.g. "2025-26 Q3" (default: the latest in the data).')
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
output_option = click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"), show_default=True,
    help="Folder the run folder is written into.")
quiet_option = click.option("--quiet", is_flag=True, help="Print only errors.")
history_option = click.option(
    "--history", "history_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="PATH",
    help="The history database (default: OUTPUT/history.sqlite). See docs/history.md.")
no_history_option = click.option("--no-history", is_flag=True,
                                 help="Neither read nor write the history: use only the spreadsheets.")


def _history(history_file: Path | None, no_history: bool) -> Path | bool:
    """What the pipeline's ``history`` argument gets from --history / --no-history."""
    if history_file is not None and no_history:
        raise click.UsageError("--history and --no-history cannot be used together")
    return False if no_history else (history_file or True)


def _history_lines(result) -> list[str]:
    """What a run took from the history and recorded in it, in a line or two."""
    taken: dict[tuple[int, str], list[str]] = {}
    for used in result.from_history:
        taken.setdefault((used.run, used.run_as_at.label), []).append(used.period.label)
    lines = [f"History: rows of {', '.join(periods)} taken from run {run} (as at {as_at}), as the spreadsheets "
             "no longer hold them." for (run, as_at), periods in taken.items()]
    if result.recorded_run is not None:
        lines.append(f"Recorded as run {result.recorded_run} in {result.history}.")
    return lines


def _problems_exit(exc: InputProblems) -> None:
    """Print every problem and stop with exit status 1; nothing has been written."""
    errors = [p for p in exc.problems if p.severity == "error"]
    width = shutil.get_terminal_size((120, 24)).columns
    click.echo(format_problems(exc.problems, width=max(width, 100)), err=True)
    click.echo(f"\n{len(errors)} error(s) in the inputs; nothing was written. "
               "Fix them and run again (see docs/inputs.md).", err=True)
    sys.exit(1)


def _run(build, stages: tuple[str, ...], quiet: bool, **kwargs):
    """Call a pipeline function with a progress bar on stderr (only on a terminal)."""
    show = not quiet and sys.stderr.isatty()
    try:
        if not show:
            return build(**kwargs)
        with click.progressbar(length=len(stages), label="Building", file=sys.stderr,
                               item_show_func=lambda stage: stage) as bar:
            started: list[str] = []

            def progress(stage: str) -> None:
                # Called as each stage starts: the bar counts the stages finished.
                bar.update(1 if started else 0, stage)
                started.append(stage)

            result = build(progress=progress, **kwargs)
            bar.update(1, "done")
            return result
    except InputProblems as exc:
        _problems_exit(exc)
    except PeriodError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    except (OutputError, BoardpackError) as exc:
        raise InputsProblem(str(exc)) from None


class UnexpectedFault(click.ClickException):
    """Exit status 1: a fault in the program itself, reported in one line."""

    exit_code = 1


def _stop(signum, frame) -> None:
    """A kill (SIGTERM) unwinds like Ctrl-C, so the writer removes its temporary folder."""
    if os.getpid() != _MAIN_PID:  # a forked worker: die as if no handler were set
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise KeyboardInterrupt


_MAIN_PID = os.getpid()


class _Guarded(click.Group):
    """Every command ends in a message: Ctrl-C, a kill, a closed pipe or a fault never print a traceback."""

    def invoke(self, ctx: click.Context):
        global _MAIN_PID
        _MAIN_PID = os.getpid()
        for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character shows \u…
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        try:
            previous = signal.signal(signal.SIGTERM, _stop)
        except ValueError:  # not the main thread
            previous = None
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("\nStopped before the end: nothing was written, and any earlier run folder "
                       "is untouched.", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # e.g. `validate --format json | head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the final flush goes nowhere
            raise click.exceptions.Exit(1) from None
        except Exception as exc:
            if os.environ.get("BOARDPACK_DEBUG"):
                raise
            raise UnexpectedFault(
                f"unexpected fault ({type(exc).__name__}: {exc}); nothing was written. This is a fault in "
                "boardpack, not in your files: please report it with the command you ran "
                "(BOARDPACK_DEBUG=1 shows the details)") from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Turn the international strategy's progress spreadsheets into the board pack.

    Example: python generate_report.py validate
    """


@cli.command()
@inputs_option
@template_option
@period_option
@strict_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for scripts.")
def validate(inputs: Path, template: Path | None, period: str | None, strict: bool, output_format: str) -> None:
    """Check every spreadsheet in the inputs folder and list every problem at once.

    Each problem names the file, sheet, row and column as Excel shows them, the
    value and what was expected. Exits 1 when there are errors (or warnings with
    --strict), 0 otherwise.

    Example: python generate_report.py validate --inputs inputs --format json
    """
    config = _config(template)
    try:
        validated = validate_inputs(inputs, config, period=period, strict=strict)
    except PeriodError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    except BoardpackError as exc:
        raise InputsProblem(str(exc)) from None

    if output_format == "json":
        click.echo(problems_json(validated.problems))
    elif validated.errors:
        width = shutil.get_terminal_size((120, 24)).columns
        click.echo(format_problems(validated.problems, width=max(width, 100)))
        click.echo(f"\n{len(validated.errors)} error(s) and {len(validated.warnings)} warning(s) "
                   f"in {inputs}; fix them and run again (see docs/inputs.md).")
    else:
        click.echo(format_all_clear(validated))
    if validated.errors:
        sys.exit(1)


def _reuse(result) -> str:
    return f"{result.charts_drawn} drawn, {result.charts_reused} unchanged since the last run"


@cli.command()
@inputs_option
@output_option
@template_option
@period_option
@strict_option
@history_option
@no_history_option
@quiet_option
def charts(inputs: Path, output: Path, template: Path | None, period: str | None, strict: bool,
           history_file: Path | None, no_history: bool, quiet: bool) -> None:
    """Write every chart (PNG and SVG), the slide deck and the summary files.

    Files go into OUTPUT/<as-at period>/: charts/*.png (300 dpi), *.svg, *.csv
    (the data) and *.txt (alt text), slides.pptx, summary.xlsx and summary.json.
    Nothing is written when the inputs have errors (exit 1).

    Example: python generate_report.py charts --output reports
    """
    history = _history(history_file, no_history)
    config = _config(template)
    result = _run(build_charts, CHART_STAGES, quiet, inputs=inputs, output=output, config=config, period=period,
                  strict=strict, history=history)
    if not quiet:
        count = sum(1 for f in result.files if f.endswith(".png"))
        click.echo(f"Wrote {count} charts ({_reuse(result)}), slides.pptx, summary.xlsx and summary.json "
                   f"to {result.folder}")
        for line in _history_lines(result):
            click.echo(line)
    if result.history_warning:
        click.echo(f"Warning: {result.history_warning}", err=True)


@cli.command()
@inputs_option
@output_option
@template_option
@period_option
@click.option("--meeting-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Board meeting date, YYYY-MM-DD (default: the day after the as-at period ends).")
@click.option("--title", default=None, help="Paper title on the cover (default: from the template).")
@click.option("--paper-ref", default=None, help="Paper reference, e.g. BoT/24/09.")
@click.option("--presented-by", default=None, help="Who presents the paper.")
@click.option("--purpose", type=click.Choice(["information", "discussion", "decision"]), default=None,
              help="Why the paper comes to the board.")
@click.option("--classification", default=None, help='e.g. "Open" or "Confidential".')
@strict_option
@history_option
@no_history_option
@quiet_option
def generate(inputs: Path, output: Path, template: Path | None, period: str | None, meeting_date,
             title: str | None, paper_ref: str | None, presented_by: str | None, purpose: str | None,
             classification: str | None, strict: bool, history_file: Path | None, no_history: bool,
             quiet: bool) -> None:
    """Build the board pack: the PDF with every chart, slides and summary files.

    Everything goes into OUTPUT/<meeting date>/, written only when every file
    succeeded; an earlier pack there is replaced whole or left untouched.
    Exits 1 (nothing written) when the inputs have errors.

    Example: python generate_report.py generate --meeting-date 2026-09-24
    """
    history = _history(history_file, no_history)
    config = _config(template)
    cover = CoverOptions(meeting_date=meeting_date.date() if meeting_date else None, title=title,
                         paper_ref=paper_ref, presented_by=presented_by, purpose=purpose,
                         classification=classification)
    result = _run(build_pack, PACK_STAGES, quiet, inputs=inputs, output=output, config=config, cover=cover,
                  period=period, strict=strict, history=history)
    if not quiet:
        if meeting_date is None and result.meeting_date is not None:
            click.echo(f"No --meeting-date given: the cover says {uk_date(result.meeting_date)}, the day after "
                       f"the period ends.")
        click.echo(f"Charts: {_reuse(result)}.")
        warnings = len(result.validated.warnings)
        if warnings:
            click.echo(f"{warnings} warning(s) are listed in the pack's data quality notes.")
        for line in _history_lines(result):
            click.echo(line)
    if result.history_warning:
        click.echo(f"Warning: {result.history_warning}", err=True)
    click.echo(f"Wrote {result.pdf} ({result.pdf_pages} pages)")


@cli.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Folder the packs are written into; the history is OUTPUT/history.sqlite.")
@click.option("--history", "history_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="PATH", help="The history database (default: OUTPUT/history.sqlite).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for scripts.")
@click.option("--forget", type=click.IntRange(min=1), default=None, metavar="RUN",
              help="Remove run RUN (its number in the list) and the rows no other run read.")
@click.option("--export", "export_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE.csv", help="Write every stored row, once per run that read it, to FILE.csv.")
def history(output: Path, history_file: Path | None, output_format: str, forget: int | None,
            export_file: Path | None) -> None:
    """List the runs the history holds: when, as at which period, the files read (SHA-256) and row counts.

    Each successful generate or charts run records the rows it read in
    OUTPUT/history.sqlite, so a later pack can compare with quarters the
    spreadsheets no longer hold (docs/history.md). --forget RUN removes one run;
    --export FILE.csv writes every stored row.

    Example: python generate_report.py history --format json
    """
    from boardpack.pipeline import export_history, forget_run, history_path, history_runs

    if forget is not None and export_file is not None:
        raise click.UsageError("--forget and --export cannot be used together")
    path = history_path(history_file or True, output)
    try:
        if forget is not None:
            try:
                run, removed = forget_run(path, forget)
            except KeyError:
                raise click.BadParameter(f"{path} holds no run {forget}; `history` lists the runs it holds",
                                         param_hint="--forget") from None
            click.echo(f"Forgot run {run.id} (as at {run.as_at.label}, recorded {run.recorded_at} UTC); "
                       f"{removed:,} rows no other run read were removed from {path}.")
        elif export_file is not None:
            count = export_history(path, export_file)
            click.echo(f"Wrote {count:,} rows from {path} to {export_file}")
        else:
            runs = history_runs(path)
            click.echo(runs_json(runs) if output_format == "json" else format_runs(runs, path))
    except BoardpackError as exc:  # the way out a run is offered (--no-history) is no way out here
        raise InputsProblem(re.sub(r",? or run with --no-history( to build the pack without it)?", "",
                                   str(exc))) from None


@cli.command("init-inputs")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@template_option
@click.option("--name", default="international-tracker.xlsx", show_default=True,
              help="File name of the new workbook.")
def init_inputs(folder: Path, template: Path | None, name: str) -> None:
    """Write a blank input workbook with drop-down lists into FOLDER.

    The workbook has an Activities and a Metrics sheet with the expected
    headings, drop-downs for partner, area, status and period taken from the
    template, and an Instructions sheet. An existing file is never overwritten.

    Example: python generate_report.py init-inputs inputs
    """
    from boardpack.blank_workbook import write_blank_workbook  # openpyxl only when needed

    config = _config(template)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = write_blank_workbook(folder / name, config)
    except OSError as exc:
        raise InputsProblem(f"cannot create {folder}: {exc.strerror}") from None
    except BoardpackError as exc:
        raise InputsProblem(str(exc)) from None
    click.echo(f"Wrote {path}")


if __name__ == "__main__":
    cli()
