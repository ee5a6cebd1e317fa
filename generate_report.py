"""Command line for boardpack: a thin layer that turns options into one library call.

Exit codes: 0 success, 1 problems in the inputs (nothing written), 2 usage.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from boardpack import BoardpackError, PeriodError, load_config, validate_inputs
from boardpack.messages import format_all_clear, format_problems, problems_json

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
