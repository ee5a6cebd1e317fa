"""The docs stay true: every example in the README runs, every command has help."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _examples() -> list[str]:
    block = README.split("Examples, each run by the tests", 1)[1].split("```", 2)[1]
    return [line.strip() for line in block.splitlines() if line.startswith("generate-report ")]


def test_the_readme_has_examples_for_every_command():
    commands = {shlex.split(line)[1] for line in _examples()}
    assert commands == set(cli.commands)


def _slow_if_it_draws(example: str):
    """An example that draws charts or builds a whole pack is marked slow."""
    builds = shlex.split(example)[1] in ("charts", "generate")
    return pytest.param(example, marks=pytest.mark.slow) if builds else example


@pytest.mark.parametrize("example", [_slow_if_it_draws(example) for example in _examples()])
def test_readme_example_runs_against_the_shipped_inputs(example, tmp_path):
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    (tmp_path / "reports").mkdir()
    args = shlex.split(example)[1:]
    old = os.getcwd()
    os.chdir(tmp_path)  # the examples use the default inputs/ and reports/ folders
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_each_command_has_help_ending_in_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert re.search(r"Example: generate-report " + command, result.output)


def test_quick_start_is_exactly_the_two_make_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make report", "make test"]
