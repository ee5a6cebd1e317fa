"""Command line for boardpack: a thin layer that turns options into one library call.

Run as ``generate-report`` (installed), ``python -m boardpack`` or, in a checkout,
``python generate_report.py``: the same commands, and each one's help shows its
examples under the name that was run.

Exit codes: 0 success, 1 problems in the inputs (nothing written), 2 usage,
130 stopped by Ctrl-C or a kill (nothing written). An unexpected fault is one
line on stderr and exit 1, never a traceback (BOARDPACK_DEBUG=1 shows it).
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import signal
import sys
from itertools import pairwise
from pathlib import Path

import click

from boardpack import (
    BoardpackError,
    CoverOptions,
    InputProblems,
    OutputError,
    PeriodError,
    build_charts,
    build_pack,
    load_config,
    validate_inputs,
)
from boardpack.formats import uk_date
from boardpack.messages import error_json, format_problems, format_report, format_runs, report_json, runs_json

# The stages each command reports on its progress bar.
PACK_STAGES = ("validate", "summarise", "charts", "pdf", "exports", "write")
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
    "--inputs",
    "inputs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("inputs"),
    show_default=True,
    help="Folder holding the spreadsheets (a relative path is under the current folder).",
)
template_option = click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Template file (default: templates/board_report.toml under the current folder if there is one, "
    "else the default that comes with boardpack).",
)
period_option = click.option(
    "--period",
    default=None,
    metavar="PERIOD",
    help='Report as at this quarter, e.g. "2025-26 Q3" (default: the latest in the data).',
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
output_option = click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder the run folder is written into (a relative path is under the current folder).",
)
quiet_option = click.option("--quiet", is_flag=True, help="Print only errors.")
history_option = click.option(
    "--history",
    "history_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="The history database (default: OUTPUT/history.sqlite). See docs/history.md.",
)
no_history_option = click.option(
    "--no-history", is_flag=True, help="Neither read nor write the history: use only the spreadsheets."
)


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
    lines = [
        f"History: rows of {', '.join(periods)} taken from run {run} (as at {as_at}), as the spreadsheets "
        "no longer hold them."
        for (run, as_at), periods in taken.items()
    ]
    if result.recorded_run is not None:
        lines.append(f"Recorded as run {result.recorded_run} in {result.history}.")
    return lines


def _problems_exit(exc: InputProblems) -> None:
    """Print every problem and stop with exit status 1; nothing has been written."""
    errors = [p for p in exc.problems if p.severity == "error"]
    width = max(shutil.get_terminal_size((120, 24)).columns, 100)
    if exc.validated is not None:  # what was read and skipped, then the problems
        click.echo(format_report(exc.validated, width=width), err=True)
    else:
        click.echo(format_problems(exc.problems, width=width), err=True)
    click.echo(
        f"\n{len(errors)} error(s) in the inputs; nothing was written. Fix them and run again (see docs/inputs.md).",
        err=True,
    )
    sys.exit(1)


def _run(build, stages: tuple[str, ...], quiet: bool, **kwargs):
    """Call a pipeline function with a progress bar on stderr (only on a terminal)."""
    show = not quiet and sys.stderr.isatty()
    try:
        if not show:
            return build(**kwargs)
        with click.progressbar(
            length=len(stages), label="Building", file=sys.stderr, item_show_func=lambda stage: stage
        ) as bar:
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


# The name the docstrings' examples are written with; help shows the name that was run instead.
DOC_NAME = "python generate_report.py"


def program_name(ctx: click.Context) -> str:
    """How the user ran us, as a command to type: "generate-report", "python -m boardpack" or
    "python generate_report.py" (click works out the first word from the command line)."""
    name = ctx.find_root().info_name or "generate-report"
    if name.lower().endswith(".exe"):  # a Windows launcher
        name = name[:-4]
    if name.endswith(".py"):
        name = f"python {name}"
    return name


class _Command(click.Command):
    """A command whose help writes its examples with the name that was run."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        written = self.help
        if written:
            self.help = written.replace(DOC_NAME, program_name(ctx))
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = written


def _version() -> str:
    """The version recorded in the installed package's metadata."""
    try:
        return importlib.metadata.version("boardpack")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (boardpack is not installed: no package metadata; run pip install .)"


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"boardpack {_version()}")
        ctx.exit()


class _Guarded(_Command, click.Group):
    """Every command ends in a message: Ctrl-C, a kill, a closed pipe or a fault never print a traceback."""

    command_class = _Command

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
            click.echo(
                "\nStopped before the end: nothing was written, and any earlier run folder is untouched.", err=True
            )
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
                "(BOARDPACK_DEBUG=1 shows the details)"
            ) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(name="generate-report", cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the version of boardpack and exit.",
)
def cli() -> None:
    """Turn the international strategy's progress spreadsheets into the board pack.

    The inputs/ and reports/ folders are those under the current folder unless
    --inputs and --output say otherwise. The template is --template if given,
    else templates/board_report.toml under the current folder if there is one,
    else the default that comes with boardpack.

    Example: python generate_report.py validate
    """


def _wants_json(args: list[str]) -> bool:
    """Whether the command line asks for --format json (looked at before click has parsed it)."""
    args = args[: args.index("--")] if "--" in args else args
    return "--format=json" in args or any(a == "--format" and b == "json" for a, b in pairwise(args))


class _JsonErrors(_Command):
    """With --format json, a mistake in the command is a JSON object on stdout too (exit 2)."""

    def make_context(self, info_name, args, parent=None, **extra):
        wants_json = _wants_json(list(args))
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            if not wants_json:
                raise
            click.echo(error_json(exc.format_message()))
            raise click.exceptions.Exit(2) from None


@cli.command(cls=_JsonErrors)
@inputs_option
@template_option
@period_option
@strict_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts (stable: see docs/inputs.md).",
)
@click.option(
    "--all-warnings",
    is_flag=True,
    help="Also list the warnings about periods other than the as-at one and the one before it "
    "(otherwise only counted).",
)
def validate(
    inputs: Path, template: Path | None, period: str | None, strict: bool, output_format: str, all_warnings: bool
) -> None:
    """Check every spreadsheet in the inputs folder and list every problem at once.

    Each problem names the file, sheet, row and column as Excel shows them, the
    value and what was expected. Warnings about periods other than the as-at
    one and the one before it are counted, not listed (--all-warnings lists
    them), and --strict leaves them warnings. Exits 1 when there are errors (or
    warnings with --strict), 0 otherwise.

    Example: python generate_report.py validate --inputs inputs --format json
    """
    as_json = output_format == "json"
    try:
        config = load_config(template)
        validated = validate_inputs(inputs, config, period=period, strict=strict)
    except PeriodError as exc:
        if as_json:
            click.echo(error_json(f"Invalid value for --period: {exc}"))
            sys.exit(2)
        raise click.BadParameter(str(exc), param_hint="--period") from None
    except BoardpackError as exc:
        if as_json:
            click.echo(error_json(str(exc)))
        raise InputsProblem(str(exc)) from None

    width = max(shutil.get_terminal_size((120, 24)).columns, 100)
    if as_json:
        click.echo(report_json(validated, all_warnings=all_warnings))
    else:
        click.echo(format_report(validated, width=width, all_warnings=all_warnings))
        if validated.errors:
            click.echo(
                f"\n{len(validated.errors)} error(s) and {len(validated.warnings)} warning(s) "
                f"in {inputs}; fix them and run again (see docs/inputs.md)."
            )
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
@click.option(
    "--bare", is_flag=True, help="Draw the chart files without their title, subtitle and source line, to add your own."
)
@history_option
@no_history_option
@quiet_option
def charts(
    inputs: Path,
    output: Path,
    template: Path | None,
    period: str | None,
    strict: bool,
    bare: bool,
    history_file: Path | None,
    no_history: bool,
    quiet: bool,
) -> None:
    """Write every chart (PNG and SVG), the slide deck and the summary files.

    Files go into OUTPUT/<as-at period>/: charts/NN-<name>.png (300 dpi), .svg,
    -16x9.png, -transparent.png, .csv (the data) and .txt (alt text), numbered
    in slide order, with charts/index.html showing them all; slides.pptx,
    summary.xlsx and summary.json. Nothing is written when the inputs have
    errors (exit 1).

    Example: python generate_report.py charts --output reports
    """
    history = _history(history_file, no_history)
    config = _config(template)
    result = _run(
        build_charts,
        CHART_STAGES,
        quiet,
        inputs=inputs,
        output=output,
        config=config,
        period=period,
        strict=strict,
        bare=bare,
        history=history,
    )
    if not quiet:
        count = sum(1 for f in result.files if f.endswith(".svg"))
        click.echo(
            f"Wrote {count} charts ({_reuse(result)}), slides.pptx, summary.xlsx and summary.json to {result.folder}"
        )
        for line in _history_lines(result):
            click.echo(line)
    if result.history_warning:
        click.echo(f"Warning: {result.history_warning}", err=True)


@cli.command()
@inputs_option
@output_option
@template_option
@period_option
@click.option(
    "--meeting-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Board meeting date, YYYY-MM-DD (default: the day after the as-at period ends).",
)
@click.option("--title", default=None, help="Paper title on the cover (default: from the template).")
@click.option("--paper-ref", default=None, help="Paper reference, e.g. BoT/24/09.")
@click.option("--presented-by", default=None, help="Who presents the paper.")
@click.option(
    "--purpose",
    type=click.Choice(["information", "discussion", "decision"]),
    default=None,
    help="Why the paper comes to the board.",
)
@click.option("--classification", default=None, help='e.g. "Open" or "Confidential".')
@strict_option
@history_option
@no_history_option
@quiet_option
def generate(
    inputs: Path,
    output: Path,
    template: Path | None,
    period: str | None,
    meeting_date,
    title: str | None,
    paper_ref: str | None,
    presented_by: str | None,
    purpose: str | None,
    classification: str | None,
    strict: bool,
    history_file: Path | None,
    no_history: bool,
    quiet: bool,
) -> None:
    """Build the board pack: the PDF with every chart, slides and summary files.

    Everything goes into OUTPUT/<meeting date>/, written only when every file
    succeeded; an earlier pack there is replaced whole or left untouched.
    Exits 1 (nothing written) when the inputs have errors.

    Example: python generate_report.py generate --meeting-date 2026-09-24
    """
    history = _history(history_file, no_history)
    config = _config(template)
    cover = CoverOptions(
        meeting_date=meeting_date.date() if meeting_date else None,
        title=title,
        paper_ref=paper_ref,
        presented_by=presented_by,
        purpose=purpose,
        classification=classification,
    )
    result = _run(
        build_pack,
        PACK_STAGES,
        quiet,
        inputs=inputs,
        output=output,
        config=config,
        cover=cover,
        period=period,
        strict=strict,
        history=history,
    )
    if not quiet:
        if meeting_date is None and result.meeting_date is not None:
            click.echo(
                f"No --meeting-date given: the cover says {uk_date(result.meeting_date)}, the day after "
                f"the period ends."
            )
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
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder the packs are written into; the history is OUTPUT/history.sqlite.",
)
@click.option(
    "--history",
    "history_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="The history database (default: OUTPUT/history.sqlite).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
@click.option(
    "--forget",
    type=click.IntRange(min=1),
    default=None,
    metavar="RUN",
    help="Remove run RUN (its number in the list) and the rows no other run read.",
)
@click.option(
    "--export",
    "export_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE.csv",
    help="Write every stored row, once per run that read it, to FILE.csv.",
)
def history(
    output: Path, history_file: Path | None, output_format: str, forget: int | None, export_file: Path | None
) -> None:
    """List the runs the history holds: when, as at which period, the files read (SHA-256) and row counts.

    Each successful generate or charts run records the rows it read in
    OUTPUT/history.sqlite, so a later pack can compare with quarters the
    spreadsheets no longer hold (docs/history.md). --forget RUN removes one run;
    --export FILE.csv writes every stored row.

    Example: python generate_report.py history --format json
    """
    from boardpack.pipeline import default_history, export_history, forget_run, history_runs

    if forget is not None and export_file is not None:
        raise click.UsageError("--forget and --export cannot be used together")
    path = history_file or default_history(output)
    try:
        if forget is not None:
            try:
                run, removed = forget_run(path, forget)
            except KeyError:
                raise click.BadParameter(
                    f"{path} holds no run {forget}; `history` lists the runs it holds", param_hint="--forget"
                ) from None
            click.echo(
                f"Forgot run {run.id} (as at {run.as_at.label}, recorded {run.recorded_at} UTC); "
                f"{removed:,} rows no other run read were removed from {path}."
            )
        elif export_file is not None:
            count = export_history(path, export_file)
            click.echo(f"Wrote {count:,} rows from {path} to {export_file}")
        else:
            runs = history_runs(path)
            click.echo(runs_json(runs) if output_format == "json" else format_runs(runs, path))
    except BoardpackError as exc:  # the way out a run is offered (--no-history) is no way out here
        raise InputsProblem(
            re.sub(r",? or run with --no-history( to build the pack without it)?", "", str(exc))
        ) from None


def _workbook_name(ctx: click.Context, param: click.Parameter, name: str) -> str:
    """A file name the inputs folder will read: ends in .xlsx, no folder in it, not hidden or a lock file."""
    if Path(name).name != name or "/" in name or "\\" in name or name in (".", ".."):
        raise click.BadParameter(
            f'"{name}" has a folder in it; give the folder as FOLDER and only the file name here, such as esu.xlsx'
        )
    if not name.lower().endswith(".xlsx") or len(name) == len(".xlsx"):
        raise click.BadParameter(
            f'"{name}" does not end in .xlsx; the blank workbook is an Excel workbook, so name it like esu.xlsx'
        )
    if name.startswith((".", "~$")):
        raise click.BadParameter(
            f'"{name}" would be skipped when the inputs are read (a name starting with '
            '"." or "~$" is a hidden or lock file); choose another name'
        )
    return name


@cli.command("init-inputs")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@template_option
@click.option(
    "--name",
    default="international-tracker.xlsx",
    show_default=True,
    callback=_workbook_name,
    help="File name of the new workbook (ending in .xlsx, no folder).",
)
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
